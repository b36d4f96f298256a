//! Each order's track through the system after the orchestrator took it: every lifecycle step
//! with where and when it happened, each lease the queue granted, and the execution. Folded
//! from milestones as they arrive, keyed by order id, so the page's journey and an order's fate
//! are a lookup, not a search through log text.

use super::milestones::{Milestone, MilestoneKind};
use crate::order_step::OrderStep;
use crate::sim::{Micros, NodeId};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// Orders tracked (the oldest forgotten first): more than the orchestrator's board lists.
/// Each frame with news copies the map (keys and `Arc`s), so it stays a few hundred long.
pub const TRACKS_MAX: usize = 512;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackStep {
    pub t_us: Micros,
    pub node_name: String,
    pub step: OrderStep,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackLease {
    pub t_us: Micros,
    pub executor: NodeId,
    pub executor_name: String,
    pub term: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackExecution {
    pub t_us: Micros,
    pub node_name: String,
    pub term: u64,
}

/// A stretch of an order's life (see `OrderTrack::phases`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseName {
    Validation,
    Queue,
    Execution,
    Acknowledgement,
}

impl PhaseName {
    pub fn label(self) -> &'static str {
        match self {
            PhaseName::Validation => "validation (DAG a–f)",
            PhaseName::Queue => "waiting in the queue",
            PhaseName::Execution => "execution (2PC when there is a database)",
            PhaseName::Acknowledgement => "acknowledgement to the queue",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phase {
    pub name: PhaseName,
    pub from_us: Micros,
    pub took_us: Micros,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderTrack {
    pub order_id: String,
    /// Every lifecycle step, in the order they happened.
    pub steps: Vec<TrackStep>,
    /// Every lease the queue granted, oldest first (more than one: it came back).
    pub leases: Vec<TrackLease>,
    pub executed: Option<TrackExecution>,
}

impl OrderTrack {
    /// When `step` first happened.
    pub fn first(&self, step: OrderStep) -> Option<Micros> {
        self.steps.iter().find(|s| s.step == step).map(|s| s.t_us)
    }

    pub fn has(&self, step: OrderStep) -> bool {
        self.first(step).is_some()
    }

    /// How long it waited in the queue before the first lease.
    pub fn queue_wait_us(&self) -> Option<Micros> {
        let from = self.first(OrderStep::Enqueued)?;
        Some(self.leases.first()?.t_us.saturating_sub(from))
    }

    /// Where the order's time went, phase by phase, as far as it got: validation (received →
    /// validated or rejected), the queue (enqueued → first lease), execution (first lease →
    /// executed, which holds the two-phase commit when there is a database), the
    /// acknowledgement (executed → acked). A phase not finished yet is left out.
    pub fn phases(&self) -> Vec<Phase> {
        let received = self.first(OrderStep::Received);
        let judged = self
            .first(OrderStep::Validated)
            .or(self.first(OrderStep::Rejected));
        let leased = self.leases.first().map(|l| l.t_us);
        let executed = self.executed.as_ref().map(|e| e.t_us);
        [
            (PhaseName::Validation, received, judged),
            (PhaseName::Queue, self.first(OrderStep::Enqueued), leased),
            (PhaseName::Execution, leased, executed),
            (
                PhaseName::Acknowledgement,
                executed,
                self.first(OrderStep::Acked),
            ),
        ]
        .into_iter()
        .filter_map(|(name, from, to)| {
            let (from_us, to_us) = (from?, to?);
            Some(Phase {
                name,
                from_us,
                took_us: to_us.saturating_sub(from_us),
            })
        })
        .collect()
    }

    /// Steps the journey has no place of its own for, in the order they happened.
    pub fn other_steps(&self) -> impl Iterator<Item = &TrackStep> {
        self.steps.iter().filter(|s| !s.step.has_own_place())
    }

    fn fold(&mut self, m: &Milestone) {
        match &m.what {
            MilestoneKind::Step { step, .. } => self.steps.push(TrackStep {
                t_us: m.t_us,
                node_name: m.node_name.clone(),
                step: *step,
            }),
            MilestoneKind::Leased {
                executor,
                executor_name,
                term,
                ..
            } => self.leases.push(TrackLease {
                t_us: m.t_us,
                executor: *executor,
                executor_name: executor_name.clone(),
                term: *term,
            }),
            MilestoneKind::Executed { term, .. } => {
                // The first execution is the one that counts (a second is a checker's business).
                self.executed.get_or_insert(TrackExecution {
                    t_us: m.t_us,
                    node_name: m.node_name.clone(),
                    term: *term,
                });
            }
            _ => {}
        }
    }
}

/// Every tracked order, shared between frames without changes.
#[derive(Default)]
pub struct Tracks {
    by_id: BTreeMap<String, Arc<OrderTrack>>,
    arrival: VecDeque<String>,
    shared: Option<Arc<BTreeMap<String, Arc<OrderTrack>>>>,
}

impl Tracks {
    pub fn absorb(&mut self, m: &Milestone) {
        let Some(id) = m.what.order_id() else {
            return;
        };
        if !self.by_id.contains_key(id) {
            self.arrival.push_back(id.to_string());
            if self.arrival.len() > TRACKS_MAX {
                if let Some(old) = self.arrival.pop_front() {
                    self.by_id.remove(&old);
                }
            }
        }
        let track = self.by_id.entry(id.to_string()).or_insert_with(|| {
            Arc::new(OrderTrack {
                order_id: id.to_string(),
                ..OrderTrack::default()
            })
        });
        // Copies only this order's track, and only if a snapshot still holds the old one.
        Arc::make_mut(track).fold(m);
        self.shared = None;
    }

    pub fn all(&mut self) -> Arc<BTreeMap<String, Arc<OrderTrack>>> {
        self.shared
            .get_or_insert_with(|| Arc::new(self.by_id.clone()))
            .clone()
    }
}
