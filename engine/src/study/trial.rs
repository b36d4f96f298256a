//! One trial of the election timing study: a five-node Raft executor cluster boots, elects a
//! leader and settles; the leader crashes at a moment drawn within its heartbeat interval; the
//! trial measures the virtual time until a new leader is elected.
//!
//! "Elected" means a node leads a higher term than the crashed leader's and a majority of the
//! cluster (the leader counted) knows it: their views name it as the leader of that term. A
//! candidate that has won its votes but whose first heartbeat has not reached anyone yet can
//! not commit anything, so the clock stops one heartbeat later than at the `Leader` event;
//! with one-way latencies of a few ms that is what a client would see as the end of downtime.
//!
//! Why the nodes boot at staggered moments: with no randomness in the election timeout
//! (`150-150`), five nodes that start at the same instant time out at the same instant forever
//! and the first election never ends; real nodes do not boot in the same microsecond. The
//! stagger only shapes the first election; the measured one starts from a settled cluster
//! whose followers' timers differ only by when the leader's last heartbeat reached each one,
//! as in the paper.

use super::config::{MsRange, StudyConfig};
use crate::protocol::raft::RaftConfig;
use crate::services::executor::{add_executor_cluster, ElectionAlgorithm, ExecutorConfig};
use crate::services::queue::{add_queue, QueueServiceConfig};
use crate::sim::rng::SimRng;
use crate::sim::trace::TraceKind;
use crate::sim::{DiskConfig, LinkConfig, Micros, NodeId, World, WorldConfig};
use crate::view::NodeView;
use std::cell::Cell;
use std::rc::Rc;

/// The cluster size of the paper's experiment.
pub const CLUSTER_SIZE: u32 = 5;

/// What one trial measured.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TrialOutcome {
    pub range: MsRange,
    pub trial: u32,
    pub seed: u64,
    /// From the crash to a new leader a majority knows; for a censored trial, how long it
    /// watched (the cap) — the downtime is at least that.
    pub downtime_us: Micros,
    /// No new leader within the cap (or, rarely, no settled first leader to crash).
    pub censored: bool,
    /// Where a censored trial was cut.
    pub cut: Option<Cut>,
}

/// Where a censored trial stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Cut {
    /// The world could not be built or the leader not crashed (a bug, never expected).
    Setup,
    /// No first leader that a majority knew within the cap, so nothing to crash.
    NoFirstLeader,
    /// The measured case: no new leader within the cap after the crash.
    NoNewLeader,
}

impl Cut {
    const ALL: [Cut; 3] = [Cut::Setup, Cut::NoFirstLeader, Cut::NoNewLeader];

    /// The CSV's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Cut::Setup => "setup",
            Cut::NoFirstLeader => "no-first-leader",
            Cut::NoNewLeader => "no-new-leader",
        }
    }

    pub fn parse(name: &str) -> Option<Cut> {
        Cut::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The leader the trial crashes: who, of which term.
struct Settled {
    leader: NodeId,
    term: u64,
}

struct TrialWorld {
    world: World,
    executors: Vec<NodeId>,
    /// The highest term any node has announced leading (from the trace, as it is written).
    highest_led_term: Rc<Cell<u64>>,
}

/// Runs trial `trial` of `range` on `seed` (deterministic: same arguments, same outcome).
pub fn run_trial(cfg: &StudyConfig, range: MsRange, trial: u32, seed: u64) -> TrialOutcome {
    let cap_us = cfg.cap_ms * 1_000;
    let censored = |downtime_us, cut| TrialOutcome {
        range,
        trial,
        seed,
        downtime_us,
        censored: true,
        cut: Some(cut),
    };
    let mut draws = SimRng::derive(seed, "study/trial");
    let Ok(mut tw) = build(cfg, range, seed) else {
        return censored(0, Cut::Setup);
    };
    boot_staggered(&mut tw, range, &mut draws);
    let Some(settled) = settle(&mut tw, range, cap_us) else {
        return censored(0, Cut::NoFirstLeader);
    };
    // The crash lands anywhere within one heartbeat interval (uniformly, as in the paper).
    let heartbeat_us = heartbeat_us(range);
    tw.world.run_for(draws.below(heartbeat_us));
    let crashed_at = tw.world.now();
    if tw.world.crash(settled.leader).is_err() {
        return censored(0, Cut::Setup);
    }
    match known_leader_after(
        &mut tw,
        settled.term,
        &[settled.leader],
        crashed_at + cap_us,
    ) {
        Some(t) => TrialOutcome {
            range,
            trial,
            seed,
            downtime_us: t - crashed_at,
            censored: false,
            cut: None,
        },
        None => censored(cap_us, Cut::NoNewLeader),
    }
}

/// Half the minimum election timeout, as in the paper (at least 1 µs).
pub fn heartbeat_us(range: MsRange) -> Micros {
    (range.lo_us() / 2).max(1)
}

fn build(cfg: &StudyConfig, range: MsRange, seed: u64) -> Result<TrialWorld, String> {
    let mut wc = WorldConfig::new(seed);
    wc.link = LinkConfig {
        latency_base_us: cfg.latency.lo_us(),
        jitter_us: cfg.latency.hi_us() - cfg.latency.lo_us(),
        ..LinkConfig::default()
    };
    wc.disk = DiskConfig {
        fsync_us: cfg.disk_sync.lo_us(),
        fsync_jitter_us: cfg.disk_sync.hi_us() - cfg.disk_sync.lo_us(),
    };
    // Nobody reads the trial's trace back: a small ring saves memory on every event.
    wc.trace_capacity = 64;
    let mut world = World::new(wc);
    let highest_led_term = Rc::new(Cell::new(0));
    let sink = highest_led_term.clone();
    world.set_trace_sink(Some(Box::new(move |ev| {
        if let TraceKind::Leader { term, .. } = ev.kind {
            sink.set(sink.get().max(term));
        }
    })));
    add_queue(&mut world, QueueServiceConfig::default())?;
    let raft = RaftConfig {
        election_timeout_min_us: range.lo_us(),
        election_timeout_max_us: range.hi_us(),
        heartbeat_interval_us: heartbeat_us(range),
        pre_vote: cfg.pre_vote,
        ..RaftConfig::default()
    };
    let exec = ExecutorConfig {
        algorithm: ElectionAlgorithm::Raft(raft),
        ..ExecutorConfig::default()
    };
    let executors = add_executor_cluster(&mut world, CLUSTER_SIZE, exec)?;
    Ok(TrialWorld {
        world,
        executors,
        highest_led_term,
    })
}

/// Holds every executor before its first step and lets each boot at a moment drawn within
/// one maximum election timeout.
fn boot_staggered(tw: &mut TrialWorld, range: MsRange, draws: &mut SimRng) {
    let mut boots: Vec<(Micros, NodeId)> = tw
        .executors
        .iter()
        .map(|id| (draws.range_inclusive(0, range.hi_us()), *id))
        .collect();
    for (_, id) in &boots {
        // Just added and never polled: pausing cannot fail.
        let _ = tw.world.pause(*id);
    }
    boots.sort();
    for (at, id) in boots {
        tw.world.run_until(at);
        let _ = tw.world.resume(id);
    }
}

/// Waits for a first leader a majority knows, lets the cluster run two maximum timeouts more
/// (stray candidates' timers have all fired by then), and returns who leads now.
fn settle(tw: &mut TrialWorld, range: MsRange, cap_us: Micros) -> Option<Settled> {
    let deadline = tw.world.now() + cap_us;
    known_leader_after(tw, 0, &[], deadline)?;
    tw.world.run_for(2 * range.hi_us());
    let (term, leader) = majority_leader(tw, 0, &[])?;
    Some(Settled { leader, term })
}

/// Steps the world until a majority knows a leader of a term above `above_term` (ignoring the
/// `down` nodes); returns that moment, or None at `deadline`.
fn known_leader_after(
    tw: &mut TrialWorld,
    above_term: u64,
    down: &[NodeId],
    deadline: Micros,
) -> Option<Micros> {
    loop {
        // Views are read only once some node has announced leading a higher term: before
        // that no majority can know one, and reading five views per event would dominate.
        if tw.highest_led_term.get() > above_term && majority_leader(tw, above_term, down).is_some()
        {
            return Some(tw.world.now());
        }
        if !tw.world.step_before(deadline) {
            return None;
        }
    }
}

/// The (term, leader) that a majority of the cluster's live views agree on, above `above_term`.
fn majority_leader(tw: &TrialWorld, above_term: u64, down: &[NodeId]) -> Option<(u64, NodeId)> {
    let mut beliefs: Vec<(u64, NodeId)> = Vec::new();
    for id in tw.executors.iter().filter(|id| !down.contains(id)) {
        if let Some(NodeView::Executor(v)) = tw.world.view(*id) {
            let leader = if v.role == "leader" {
                Some(*id)
            } else {
                v.leader
            };
            if let Some(leader) = leader.filter(|_| v.term > above_term) {
                beliefs.push((v.term, leader));
            }
        }
    }
    beliefs.sort();
    let majority = CLUSTER_SIZE as usize / 2 + 1;
    beliefs
        .chunk_by(|a, b| a == b)
        .find(|group| group.len() >= majority)
        .map(|group| group[0])
}
