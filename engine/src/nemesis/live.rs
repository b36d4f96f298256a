//! The nemesis inside a running system: turned on by a recorded input (`Action::Nemesis`), it
//! draws its episodes a stretch at a time, so a page left running gets faults for as long as
//! it runs. Turned off (intensity 0), it draws nothing more and forgets every episode not yet
//! begun, but still carries out the undo of each episode under way — else a crash drawn just
//! before "off" would leave its node down for good.
//!
//! Why a stretch at a time from one RNG: the episodes depend only on the seed, the moment the
//! nemesis was turned on and its settings — all in the recorded input — so time travel and a
//! share link replay the same faults. Its RNG is derived from the seed and that moment, apart
//! from every node's, so turning the nemesis on changes no node's draws.

use super::draw::{episodes, Targets, MAX_EPISODE_MS};
use super::NemesisSettings;
use crate::sim::rng::SimRng;
use crate::system::inputs::TimedInput;
use std::collections::{BTreeSet, VecDeque};

/// How much virtual time each draw covers.
pub const STRETCH_MS: u64 = 60_000;
/// Stretches drawn in a row without finding an episode before the nemesis gives up (none of
/// its kinds can hit this world: model outages in a world without models, say).
const EMPTY_STRETCHES_MAX: u32 = 60;

pub struct LiveNemesis {
    settings: NemesisSettings,
    targets: Targets,
    rng: SimRng,
    /// Where the next stretch starts.
    next_stretch_ms: u64,
    /// Drawn inputs not yet carried out, in time order, each with its episode's number.
    queue: VecDeque<(u64, TimedInput)>,
    episodes_drawn: u64,
    /// Episodes whose first input has been carried out.
    begun: BTreeSet<u64>,
    /// Turned off: finishing the episodes under way, drawing nothing more.
    stopping: bool,
}

impl LiveNemesis {
    pub fn new(seed: u64, on_at_ms: u64, settings: NemesisSettings, targets: Targets) -> Self {
        Self {
            settings,
            targets,
            rng: SimRng::derive(seed, &format!("nemesis@{on_at_ms}")),
            next_stretch_ms: on_at_ms,
            queue: VecDeque::new(),
            episodes_drawn: 0,
            begun: BTreeSet::new(),
            stopping: false,
        }
    }

    /// Draws nothing more; keeps only the undos of episodes already begun.
    pub fn stop(&mut self) {
        self.stopping = true;
        let begun = &self.begun;
        self.queue.retain(|(episode, _)| begun.contains(episode));
    }

    /// Takes over the undos of the episodes `old` had under way (a nemesis replaced by one
    /// with other settings still heals what it broke).
    pub fn inherit(&mut self, mut old: LiveNemesis) {
        old.stop();
        for (_, input) in old.queue {
            let n = self.episodes_drawn;
            self.episodes_drawn += 1;
            self.begun.insert(n);
            self.queue.push_back((n, input));
        }
        self.queue.make_contiguous().sort_by_key(|(_, i)| i.at_ms);
    }

    /// The time of the next drawn input, drawing further stretches when the queue is empty;
    /// None when there is nothing more to do.
    pub fn next_at_ms(&mut self) -> Option<u64> {
        for _ in 0..EMPTY_STRETCHES_MAX {
            if let Some((_, first)) = self.queue.front() {
                return Some(first.at_ms);
            }
            if self.stopping {
                return None;
            }
            self.draw_stretch();
        }
        self.queue.front().map(|(_, i)| i.at_ms)
    }

    pub fn pop(&mut self) -> Option<TimedInput> {
        self.next_at_ms()?;
        let (episode, input) = self.queue.pop_front()?;
        self.begun.insert(episode);
        Some(input)
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
        );
        let mut inputs: Vec<(u64, TimedInput)> = self.queue.drain(..).collect();
        for e in drawn.into_iter().filter(|e| e.start_ms() < until) {
            let n = self.episodes_drawn;
            self.episodes_drawn += 1;
            inputs.extend(e.inputs.into_iter().map(|i| (n, i)));
        }
        inputs.sort_by_key(|(_, i)| i.at_ms);
        self.queue = inputs.into();
    }
}
