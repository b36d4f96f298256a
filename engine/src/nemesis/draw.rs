//! Draws fault episodes from a seeded RNG: the one place that decides what each fault kind
//! does and how it is undone (shared by the swarm, the runner's `--nemesis` and the page).
//!
//! Every number is an integer drawn from `SimRng`, and probabilities reach the inputs as
//! `permille / 1000`, an exactly rounded division, so the same seed draws the same schedule
//! natively and in wasm.

use super::{FaultKind, NemesisSettings};
use crate::services::{books_db, executor};
use crate::sim::rng::SimRng;
use crate::sim::World;
use crate::system::config::{ClusterConfig, TRUE_TIME_NODE};
use crate::system::inputs::{Action, TimedInput};

/// The mean gap between episodes at full intensity; at intensity `i` it is this / `i`.
pub const FULL_INTENSITY_GAP_MS: u64 = 2_000;
/// How long an episode lasts, at most (its undo comes this long after its fault at most).
pub const MAX_EPISODE_MS: u64 = 8_000;
const MIN_EPISODE_MS: u64 = 500;
/// Clock drift the nemesis sets, at most, either way: two nodes then disagree by at most 4 %,
/// well inside the lease's margin of 10 % of its ttl (`protocol/lease/client.rs`). It never
/// jumps a clock (a jump back would outlast any lease margin), it only changes its rate.
pub const MAX_DRIFT_PPM: u64 = 20_000;

/// What a fault can hit in one world, and the link settings an episode restores.
#[derive(Clone, Debug, PartialEq)]
pub struct Targets {
    /// Every node but the shopper (it stands outside the system).
    pub nodes: Vec<String>,
    /// Nodes of replicated clusters: one of them losing its disk's newest record is
    /// survivable, a single queue or payment node's is not (no replica to catch up from).
    pub replicated: Vec<String>,
    /// The models the world runs ("fraud", "suggestions").
    pub models: Vec<String>,
    pub base_loss_permille: u64,
    pub base_duplicate_permille: u64,
    pub base_reorder: bool,
    pub base_latency_ms: u64,
    pub base_jitter_ms: u64,
}

impl Targets {
    pub fn of(world: &World, cfg: &ClusterConfig) -> Self {
        let nodes: Vec<_> = world
            .nodes()
            .into_iter()
            .filter(|n| n.name != TRUE_TIME_NODE)
            .collect();
        let replicated = nodes
            .iter()
            .filter(|n| n.service == executor::SERVICE || n.service == books_db::SERVICE)
            .map(|n| n.name.clone())
            .collect();
        let models = ["fraud", "suggestions"]
            .into_iter()
            .filter(|m| nodes.iter().any(|n| n.name == *m))
            .map(str::to_string)
            .collect();
        Self {
            nodes: nodes.into_iter().map(|n| n.name).collect(),
            replicated,
            models,
            base_loss_permille: (cfg.loss * 1000.0).round() as u64,
            base_duplicate_permille: (cfg.duplicate * 1000.0).round() as u64,
            base_reorder: cfg.reorder,
            base_latency_ms: cfg.latency_ms,
            base_jitter_ms: cfg.jitter_ms,
        }
    }
}

/// One fault and the inputs that undo it: the unit the shrinker drops whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    pub kind: FaultKind,
    pub inputs: Vec<TimedInput>,
}

impl Episode {
    pub fn start_ms(&self) -> u64 {
        self.inputs.first().map_or(0, |i| i.at_ms)
    }
}

/// Episodes starting in `from_ms..until_ms`, each undone by `until_ms` at the latest. Draws
/// at most one torn disk per call (two torn replicas of three could be a lost quorum, which
/// no protocol here claims to survive).
pub fn episodes(
    rng: &mut SimRng,
    targets: &Targets,
    settings: &NemesisSettings,
    from_ms: u64,
    until_ms: u64,
) -> Vec<Episode> {
    let mut out = Vec::new();
    if settings.is_off() || targets.nodes.len() < 2 {
        return out;
    }
    let mean_gap_ms = FULL_INTENSITY_GAP_MS * 1000 / settings.intensity_permille as u64;
    let mut torn_disk = false;
    let mut t = from_ms + rng.range_inclusive(mean_gap_ms / 2, mean_gap_ms * 3 / 2);
    while t < until_ms {
        let kind = settings.kinds[rng.below(settings.kinds.len() as u64) as usize];
        let length_ms = rng.range_inclusive(MIN_EPISODE_MS, MAX_EPISODE_MS);
        let end_ms = (t + length_ms).min(until_ms);
        if !(kind == FaultKind::CorruptDisk && torn_disk) {
            if let Some(inputs) = episode(rng, targets, kind, t, end_ms) {
                torn_disk |= kind == FaultKind::CorruptDisk;
                out.push(Episode { kind, inputs });
            }
        }
        t += rng.range_inclusive(mean_gap_ms / 2, mean_gap_ms * 3 / 2);
    }
    out
}

fn pick<'a>(rng: &mut SimRng, from: &'a [String]) -> Option<&'a String> {
    (!from.is_empty()).then(|| &from[rng.below(from.len() as u64) as usize])
}

/// Two different nodes.
fn pair(rng: &mut SimRng, nodes: &[String]) -> Option<(String, String)> {
    let a = rng.below(nodes.len() as u64) as usize;
    let b = (a + 1 + rng.below(nodes.len() as u64 - 1) as usize) % nodes.len();
    Some((nodes[a].clone(), nodes[b].clone()))
}

fn probability(permille: u64) -> f64 {
    permille as f64 / 1000.0
}

/// A fault at `at` and its undo at `end`.
fn undone(at: u64, end: u64, start: Action, undo: Action) -> Option<Vec<TimedInput>> {
    Some(vec![TimedInput::at(at, start), TimedInput::at(end, undo)])
}

/// The inputs of one episode of `kind` from `at` to `end` (None when the world has nothing
/// this kind can hit).
fn episode(
    rng: &mut SimRng,
    tg: &Targets,
    kind: FaultKind,
    at: u64,
    end: u64,
) -> Option<Vec<TimedInput>> {
    use FaultKind::*;
    match kind {
        Crash | CrashLeader | Pause | CorruptDisk => node_episode(rng, tg, kind, at, end),
        Partition | OneWay | Cut => split_episode(rng, tg, kind, at, end),
        Loss | Duplicate | Reorder | Latency | Slow => link_episode(rng, tg, kind, at, end),
        ModelOutage | DiskFull | Clock => resource_episode(rng, tg, kind, at, end),
    }
}

/// Faults that stop a node.
fn node_episode(
    rng: &mut SimRng,
    tg: &Targets,
    kind: FaultKind,
    at: u64,
    end: u64,
) -> Option<Vec<TimedInput>> {
    match kind {
        FaultKind::Crash => {
            let n = pick(rng, &tg.nodes)?;
            undone(
                at,
                end,
                Action::Crash(n.clone()),
                Action::Restart(n.clone()),
            )
        }
        FaultKind::CrashLeader => undone(
            at,
            end,
            Action::CrashLeader(executor::shared::CLUSTER.into()),
            Action::RestartCrashed,
        ),
        FaultKind::Pause => {
            let n = pick(rng, &tg.nodes)?;
            undone(at, end, Action::Pause(n.clone()), Action::Resume(n.clone()))
        }
        _ => {
            let n = pick(rng, &tg.replicated)?.clone();
            Some(vec![
                TimedInput::at(at, Action::CorruptDisk(n.clone())),
                TimedInput::at(at + 1, Action::Crash(n.clone())),
                TimedInput::at(end.max(at + 2), Action::Restart(n)),
            ])
        }
    }
}

/// Faults that keep nodes from talking.
fn split_episode(
    rng: &mut SimRng,
    tg: &Targets,
    kind: FaultKind,
    at: u64,
    end: u64,
) -> Option<Vec<TimedInput>> {
    if kind == FaultKind::Partition {
        return undone(
            at,
            end,
            Action::Partition(split(rng, &tg.nodes)),
            Action::Heal,
        );
    }
    let (a, b) = pair(rng, &tg.nodes)?;
    let start = if kind == FaultKind::OneWay {
        Action::PartitionOneWay(a.clone(), b.clone())
    } else {
        Action::Cut(a.clone(), b.clone())
    };
    undone(at, end, start, Action::HealLink(a, b))
}

/// Faults on the links' behaviour, undone back to the configured values.
fn link_episode(
    rng: &mut SimRng,
    tg: &Targets,
    kind: FaultKind,
    at: u64,
    end: u64,
) -> Option<Vec<TimedInput>> {
    let (start, undo) = match kind {
        FaultKind::Loss => (
            Action::Loss(probability(rng.range_inclusive(10, 200))),
            Action::Loss(probability(tg.base_loss_permille)),
        ),
        FaultKind::Duplicate => (
            Action::Duplicate(probability(rng.range_inclusive(10, 200))),
            Action::Duplicate(probability(tg.base_duplicate_permille)),
        ),
        FaultKind::Reorder => (Action::Reorder(true), Action::Reorder(tg.base_reorder)),
        FaultKind::Latency => (
            Action::Latency {
                base_ms: rng.range_inclusive(50, 400),
                jitter_ms: rng.range_inclusive(0, 200),
            },
            Action::Latency {
                base_ms: tg.base_latency_ms,
                jitter_ms: tg.base_jitter_ms,
            },
        ),
        _ => {
            let node = pick(rng, &tg.nodes)?.clone();
            let extra_ms = rng.range_inclusive(100, 1_500);
            let slow = |extra_ms| Action::Slow {
                node: node.clone(),
                extra_ms,
            };
            (slow(extra_ms), slow(0))
        }
    };
    undone(at, end, start, undo)
}

/// Faults on what a node depends on: its model, its disk, its clock.
fn resource_episode(
    rng: &mut SimRng,
    tg: &Targets,
    kind: FaultKind,
    at: u64,
    end: u64,
) -> Option<Vec<TimedInput>> {
    match kind {
        FaultKind::ModelOutage => {
            let model = pick(rng, &tg.models)?.clone();
            let outage = |on| Action::ModelOutage {
                model: model.clone(),
                on,
            };
            undone(at, end, outage(true), outage(false))
        }
        FaultKind::DiskFull => {
            let node = pick(rng, &tg.nodes)?.clone();
            let full = |on| Action::DiskFull {
                node: node.clone(),
                on,
            };
            undone(at, end, full(true), full(false))
        }
        _ => {
            let node = pick(rng, &tg.nodes)?.clone();
            let drift_ppm = rng.range_inclusive(0, 2 * MAX_DRIFT_PPM) as i64 - MAX_DRIFT_PPM as i64;
            let clock = |drift_ppm| Action::Clock {
                node: node.clone(),
                skew_ms: None,
                drift_ppm,
            };
            undone(at, end, clock(drift_ppm), clock(0))
        }
    }
}

/// Every node on one of two sides, neither side empty.
fn split(rng: &mut SimRng, nodes: &[String]) -> Vec<Vec<String>> {
    let mut sides = [Vec::new(), Vec::new()];
    for n in nodes {
        sides[rng.below(2) as usize].push(n.clone());
    }
    if sides[0].is_empty() || sides[1].is_empty() {
        let (a, b) = sides.split_at_mut(1);
        let (full, empty) = if a[0].is_empty() {
            (&mut b[0], &mut a[0])
        } else {
            (&mut a[0], &mut b[0])
        };
        if let Some(moved) = full.pop() {
            empty.push(moved);
        }
    }
    sides.into()
}
