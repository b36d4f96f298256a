//! The nemesis inside a running system: turned on by a recorded input (`Action::Nemesis`), it
//! draws its episodes a stretch at a time, so a page left running gets faults for as long as
//! it runs, and turning it off (intensity 0) forgets every fault it had not yet carried out.
//!
//! Why a stretch at a time from one RNG: the episodes depend only on the seed, the moment the
//! nemesis was turned on and its settings — all in the recorded input — so time travel and a
//! share link replay the same faults. Its RNG is derived from the seed and that moment, apart
//! from every node's, so turning the nemesis on changes no node's draws.

use super::draw::{episodes, Targets, MAX_EPISODE_MS};
use super::NemesisSettings;
use crate::sim::rng::SimRng;
use crate::system::inputs::TimedInput;
use std::collections::VecDeque;

/// How much virtual time each draw covers.
pub const STRETCH_MS: u64 = 60_000;

pub struct LiveNemesis {
    settings: NemesisSettings,
    targets: Targets,
    rng: SimRng,
    /// Where the next stretch starts.
    next_stretch_ms: u64,
    /// Drawn inputs not yet carried out, in time order.
    queue: VecDeque<TimedInput>,
}

impl LiveNemesis {
    pub fn new(seed: u64, on_at_ms: u64, settings: NemesisSettings, targets: Targets) -> Self {
        Self {
            settings,
            targets,
            rng: SimRng::derive(seed, &format!("nemesis@{on_at_ms}")),
            next_stretch_ms: on_at_ms,
            queue: VecDeque::new(),
        }
    }

    pub fn settings(&self) -> &NemesisSettings {
        &self.settings
    }

    /// The time of the next drawn input, drawing further stretches when the queue is empty;
    /// None when a whole hour of stretches drew nothing (no kind chosen can hit this world).
    pub fn next_at_ms(&mut self) -> Option<u64> {
        for _ in 0..60 {
            if let Some(first) = self.queue.front() {
                return Some(first.at_ms);
            }
            self.draw_stretch();
        }
        self.queue.front().map(|i| i.at_ms)
    }

    pub fn pop(&mut self) -> Option<TimedInput> {
        self.next_at_ms()?;
        self.queue.pop_front()
    }

    /// Draws the episodes starting in the next stretch. An episode may end in the following
    /// stretch; its undo is kept in order with everything else.
    fn draw_stretch(&mut self) {
        let from = self.next_stretch_ms;
        let until = from + STRETCH_MS;
        self.next_stretch_ms = until;
        let drawn = episodes(
            &mut self.rng,
            &self.targets,
            &self.settings,
            from,
            until + MAX_EPISODE_MS,
        )
        .into_iter()
        .filter(|e| e.start_ms() < until);
        let mut inputs: Vec<TimedInput> = self.queue.drain(..).collect();
        inputs.extend(drawn.flat_map(|e| e.inputs));
        inputs.sort_by_key(|i| i.at_ms);
        self.queue = inputs.into();
    }
}
