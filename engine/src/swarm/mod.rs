//! The swarm, in the manner of TigerBeetle's VOPR and FoundationDB's simulator: each seed
//! draws a whole deployment (cluster sizes, election algorithm, timeouts, a network with
//! latency, loss, duplication and reordering, disk timings, skewed and drifting clocks), a
//! stream of checkouts and a schedule of fault episodes; runs a *safety phase* with the faults,
//! then a *liveness phase* with everything healed, in which every approved order must end
//! COMMITTED or ABORTED. Every checker of `crate::invariants` runs after every step of both
//! phases (`System` does that); the end-of-run checkers and the liveness demands are judged at
//! the end (`judge.rs`). A failing case is shrunk (`shrink.rs`) to a smaller one that fails
//! the same way, and printed as a scenario file.
//!
//! Why a case is (seed, config, orders, episodes, phase lengths) and not just a seed: the
//! shrinker must be able to take pieces away while everything else stays as drawn. The seed
//! still drives every node's randomness, so a case with fewer faults replays the same world
//! with fewer faults, and a case is written out as an ordinary scenario that `bookmesh run`
//! plays — the shrunk schedule is a file anyone can open, on the page too.
//!
//! One seed in eight runs a reliable network whose only faults are crashes: the premise
//! under which Bully promises one acting leader, so that checker judges those seeds (any
//! network fault ends its judgement for the run).
//!
//! Why short phases: seeds are cheap only if each is short, and bugs found by a swarm are
//! found by many seeds of a few faults each far more often than by one long run (the VOPR's
//! experience). The defaults (12 s of faults, 30 s of calm) leave room for several elections
//! and a dozen orders per seed; `--safety`/`--liveness` lengthen them.

pub mod config_draw;
pub mod judge;
pub mod runner;
pub mod shard;
pub mod shrink;
#[cfg(test)]
mod tests;

use crate::nemesis::draw::{episodes, Episode, Targets};
use crate::nemesis::{FaultKind, NemesisSettings};
use crate::scenario::workload::{Workload, WORKLOAD_START_MS};
use crate::scenario::Scenario;
use crate::sim::rng::SimRng;
use crate::system::config::ClusterConfig;
use crate::system::inputs::{Action, TimedInput};
use crate::system::System;
pub use judge::Failure;

/// One seed in `RUSH_ONE_IN` gets `RUSH_FACTOR` times the settings' checkout rate.
const RUSH_ONE_IN: u64 = 3;
const RUSH_FACTOR: u32 = 4;
const RUSH_MIN_IN_FLIGHT: u32 = 4;

/// Lengths of the two phases and how hard the nemesis hits in the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwarmSettings {
    pub safety_ms: u64,
    pub liveness_ms: u64,
    /// Checkouts per second during the safety phase.
    pub checkouts_per_sec: u32,
    pub nemesis: NemesisSettings,
}

impl Default for SwarmSettings {
    fn default() -> Self {
        Self {
            safety_ms: 12_000,
            liveness_ms: 30_000,
            checkouts_per_sec: 1,
            nemesis: NemesisSettings {
                intensity_permille: 1000,
                kinds: FaultKind::ALL.to_vec(),
            },
        }
    }
}

/// One swarm run, fully described: what the shrinker shrinks and a scenario file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub seed: u64,
    pub cluster: ClusterConfig,
    pub orders: Vec<TimedInput>,
    pub episodes: Vec<Episode>,
    pub safety_ms: u64,
    pub liveness_ms: u64,
}

impl Case {
    /// Draws the case for `seed`: config, orders, then the fault episodes for that world.
    pub fn draw(seed: u64, settings: &SwarmSettings) -> Result<Self, String> {
        let mut rng = SimRng::derive(seed, "swarm");
        let mut cluster = config_draw::draw(&mut rng);
        let mut nemesis = settings.nemesis.clone();
        if rng.below(RELIABLE_ONE_IN) == 0 {
            reliable_crashes_only(&mut cluster, &mut nemesis);
        }
        // One seed in three runs a rush at four times the rate: orders wait in the queue while
        // leaders change, which is when a deposed leader's late dequeue or a redelivered
        // order's second ack can happen at all. Only where the executors can keep up: with
        // fewer transactions at once, a 4/s rush outruns them and the healed phase ends with
        // orders still waiting (seed 384: one at a time at 40 ms a hop, 39 orders).
        let rush = rng.below(RUSH_ONE_IN) == 0;
        let checkouts_per_sec = if rush && cluster.max_in_flight >= RUSH_MIN_IN_FLIGHT {
            settings.checkouts_per_sec * RUSH_FACTOR
        } else {
            settings.checkouts_per_sec
        };
        let world = System::new(cluster.clone(), seed)?;
        let targets = Targets::of(world.world(), &cluster);
        // Each order as a scenario file writes it back (JSON keys sorted), so the case run here
        // and the case written out for `bookmesh run` are the same run.
        let orders = Workload::new(checkouts_per_sec, settings.safety_ms, seed)?
            .inputs()
            .into_iter()
            .map(|i| TimedInput::from_json(&i.to_json(), "order").unwrap_or(i))
            .collect();
        let episodes = episodes(
            &mut rng,
            &targets,
            &nemesis,
            WORKLOAD_START_MS / 2,
            settings.safety_ms,
        );
        Ok(Self {
            seed,
            cluster,
            orders,
            episodes,
            safety_ms: settings.safety_ms,
            liveness_ms: settings.liveness_ms,
        })
    }

    pub fn until_ms(&self) -> u64 {
        self.safety_ms + self.liveness_ms
    }

    /// Every input, in time order: orders, episodes, then the heal that opens the liveness
    /// phase (every partition and cut healed, crashed nodes restarted, links as configured).
    pub fn inputs(&self) -> Vec<TimedInput> {
        let mut all: Vec<TimedInput> = self.orders.clone();
        all.extend(self.episodes.iter().flat_map(|e| e.inputs.iter().cloned()));
        all.extend(self.heal_inputs());
        all.sort_by_key(|i| i.at_ms);
        all
    }

    fn heal_inputs(&self) -> Vec<TimedInput> {
        let c = &self.cluster;
        [
            Action::Heal,
            Action::RestartCrashed,
            Action::Loss(c.loss),
            Action::Duplicate(c.duplicate),
            Action::Reorder(c.reorder),
            Action::Latency {
                base_ms: c.latency_ms,
                jitter_ms: c.jitter_ms,
            },
        ]
        .into_iter()
        .map(|a| TimedInput::at(self.safety_ms, a))
        .collect()
    }

    /// The case as a scenario file (`bookmesh run` plays it; `bookmesh swarm --check` judges it).
    pub fn scenario(&self) -> Scenario {
        Scenario {
            name: format!("swarm-seed-{}", self.seed),
            description: format!(
                "swarm seed {}: {} fault episodes in a {} ms safety phase, then {} ms healed",
                self.seed,
                self.episodes.len(),
                self.safety_ms,
                self.liveness_ms
            ),
            seed: self.seed,
            until_ms: self.until_ms(),
            cluster: self.cluster.clone(),
            inputs: self.inputs(),
            narration: Vec::new(),
        }
    }

    /// Episodes by kind, for the summary.
    pub fn fault_kinds(&self) -> impl Iterator<Item = FaultKind> + '_ {
        self.episodes.iter().map(|e| e.kind)
    }
}

/// One seed in this many runs on a reliable network with crashes as its only faults.
pub const RELIABLE_ONE_IN: u64 = 8;

/// The world Bully's guarantees are stated for (Garcia-Molina 1982: messages neither lost nor
/// late, nodes fail only by crashing), so "one leader acting at a time" is judged for a share
/// of the seeds: every other seed's first network fault ends that checker's judgement. Crashes
/// of the chosen kinds only; if none was chosen, the seed keeps the kinds it was given.
fn reliable_crashes_only(cluster: &mut ClusterConfig, nemesis: &mut NemesisSettings) {
    cluster.loss = 0.0;
    cluster.duplicate = 0.0;
    cluster.reorder = false;
    let crashes: Vec<FaultKind> = nemesis
        .kinds
        .iter()
        .copied()
        .filter(|k| matches!(k, FaultKind::Crash | FaultKind::CrashLeader))
        .collect();
    if !crashes.is_empty() {
        nemesis.kinds = crashes;
    }
}

/// What one case did.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub failures: Vec<Failure>,
    pub trace_hash: u64,
    pub events: u64,
    pub orders_decided: usize,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }
}

/// Runs a case through both phases and judges it. An error is a case the world refused (a
/// bug in the drawing, reported as such, never as a pass).
pub fn run_case(case: &Case) -> Result<Outcome, String> {
    let mut sys = System::new(case.cluster.clone(), case.seed)?;
    sys.schedule(case.inputs())?;
    sys.run_until(case.until_ms() * 1000);
    Ok(judge::outcome(&sys))
}
