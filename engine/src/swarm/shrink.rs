//! Shrinking a failing case to a smaller one that fails the same way (the same property), by
//! delta debugging (Zeller & Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
//! TSE 2002): drop fault episodes, then orders, in ever smaller chunks; shorten the phases;
//! make the cluster smaller and its network plainer. Every candidate is a full rerun of the
//! same seed, so what is kept is a case that really fails, not a guess.
//!
//! Why "the same property" and not "any failure": a smaller case that fails differently is a
//! different bug, and chasing it would hand the reader a schedule that does not show the one
//! that was found. Why a budget of runs: ddmin is quadratic in the worst case, and a shrink
//! that takes longer than reading the unshrunk schedule helps nobody.

use super::judge::{UNCONVERGED, UNDECIDED};
use super::{run_case, Case, Failure};
use crate::system::System;

/// The result: the smallest failing case found, its failure, and what it took.
#[derive(Clone, Debug)]
pub struct Shrunk {
    pub case: Case,
    pub failure: Failure,
    /// Reruns spent.
    pub runs: u32,
}

struct Shrinker {
    invariant: String,
    runs: u32,
    max_runs: u32,
}

impl Shrinker {
    /// The failure of `invariant` that `case` still shows, if any (and budget is left).
    fn fails(&mut self, case: &Case) -> Option<Failure> {
        if self.runs >= self.max_runs {
            return None;
        }
        self.runs += 1;
        let outcome = run_case(case).ok()?;
        outcome
            .failures
            .into_iter()
            .find(|f| f.invariant == self.invariant)
    }

    /// The smallest sublist (by ddmin) of `items` that keeps `with(sublist)` failing.
    fn ddmin<T: Clone>(&mut self, items: Vec<T>, with: impl Fn(Vec<T>) -> Case) -> Vec<T> {
        let mut items = items;
        let mut n = 2usize;
        while !items.is_empty() {
            let chunk = items.len().div_ceil(n);
            let mut reduced = false;
            for start in (0..items.len()).step_by(chunk) {
                let mut rest = items[..start].to_vec();
                rest.extend_from_slice(&items[(start + chunk).min(items.len())..]);
                if self.fails(&with(rest.clone())).is_some() {
                    items = rest;
                    n = (n - 1).max(2);
                    reduced = true;
                    break;
                }
            }
            if !reduced {
                if chunk == 1 {
                    break;
                }
                n = (n * 2).min(items.len());
            }
        }
        items
    }
}

/// Shrinks `case`, which fails with `failure`, spending at most `max_runs` reruns.
pub fn shrink(case: &Case, failure: &Failure, max_runs: u32) -> Shrunk {
    let mut s = Shrinker {
        invariant: failure.invariant.clone(),
        runs: 0,
        max_runs,
    };
    let mut best = case.clone();
    best = smaller_cluster(&mut s, best);
    let base = best.clone();
    best.episodes = s.ddmin(base.episodes.clone(), |episodes| Case {
        episodes,
        ..base.clone()
    });
    let base = best.clone();
    best.orders = s.ddmin(base.orders.clone(), |orders| Case {
        orders,
        ..base.clone()
    });
    best = shorter(&mut s, best);
    let failure = s.fails_unbudgeted(&best).unwrap_or_else(|| failure.clone());
    Shrunk {
        case: best,
        failure,
        runs: s.runs,
    }
}

impl Shrinker {
    /// The final rerun that reports the shrunk case's failure (not counted against the budget).
    fn fails_unbudgeted(&mut self, case: &Case) -> Option<Failure> {
        self.max_runs = self.max_runs.max(self.runs + 1);
        self.fails(case)
    }
}

/// Phases as short as still fail: the safety phase ends after the last fault episode, and for
/// a safety property the healed phase is halved while it still fails. A liveness failure keeps
/// its healed phase: shortening it would make "not yet decided" fail for want of time.
fn shorter(s: &mut Shrinker, mut best: Case) -> Case {
    let last_fault_ms = best
        .episodes
        .iter()
        .flat_map(|e| e.inputs.iter().map(|i| i.at_ms))
        .max()
        .unwrap_or(0);
    let safety_ms = (last_fault_ms + 1).div_ceil(1000) * 1000;
    if safety_ms < best.safety_ms {
        let candidate = Case {
            safety_ms: safety_ms.max(1_000),
            orders: best
                .orders
                .iter()
                .filter(|o| o.at_ms < safety_ms.max(1_000))
                .cloned()
                .collect(),
            ..best.clone()
        };
        if s.fails(&candidate).is_some() {
            best = candidate;
        }
    }
    if s.invariant == UNDECIDED
        || s.invariant == UNCONVERGED
        || s.invariant == crate::invariants::no_order_lost::NAME
    {
        return best;
    }
    while best.liveness_ms >= 2_000 {
        let candidate = Case {
            liveness_ms: best.liveness_ms / 2,
            ..best.clone()
        };
        if s.fails(&candidate).is_none() {
            break;
        }
        best = candidate;
    }
    best
}

/// Fewer nodes and a plainer network, one change at a time, each kept only if it still fails.
/// Episodes that name a node the smaller world lacks are dropped with it.
fn smaller_cluster(s: &mut Shrinker, mut best: Case) -> Case {
    let changes: [fn(&mut Case); 5] = [
        |c| c.cluster.executors = 3,
        |c| c.cluster.db_nodes = 3,
        |c| c.cluster.clocks.clear(),
        |c| {
            c.cluster.loss = 0.0;
            c.cluster.duplicate = 0.0;
            c.cluster.reorder = false;
        },
        |c| c.cluster.decline_rate = 0.0,
    ];
    for change in changes {
        let mut candidate = best.clone();
        change(&mut candidate);
        if candidate == best {
            continue;
        }
        keep_episodes_it_can_run(&mut candidate);
        if s.fails(&candidate).is_some() {
            best = candidate;
        }
    }
    best
}

fn keep_episodes_it_can_run(case: &mut Case) {
    let Ok(sys) = System::new(case.cluster.clone(), case.seed) else {
        return;
    };
    let w = sys.world();
    case.episodes.retain(|e| {
        e.inputs
            .iter()
            .all(|i| i.node_names().iter().all(|n| w.node_id(n).is_some()))
    });
}
