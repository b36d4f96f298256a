//! Milestones: the rare trace events that shape a run's story (faults, leadership, each order's
//! steps), as typed values, kept much further back than the log. The timeline draws its ticks
//! from them and `tracks.rs` follows each order through them; nothing reads their words back.

use crate::order_step::{FaultKind, OrderStep};
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use std::collections::VecDeque;
use std::sync::Arc;

/// Milestones kept for the whole visible history of a run.
pub const MILESTONES_MAX: usize = 5_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub seq: u64,
    pub t_us: Micros,
    pub node: NodeId,
    /// The node's name ("world" for a fault verb).
    pub node_name: String,
    pub corr: u64,
    pub what: MilestoneKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MilestoneKind {
    Crash,
    Restart {
        incarnation: u32,
    },
    Pause,
    Resume,
    /// A fault verb: `text` says what it did, for people.
    Fault {
        kind: FaultKind,
        text: String,
    },
    Leader {
        cluster: String,
        term: u64,
    },
    StepDown {
        cluster: String,
        term: u64,
    },
    /// The queue leased the order to `executor` (fencing token `term`).
    Leased {
        order_id: String,
        executor: NodeId,
        executor_name: String,
        term: u64,
    },
    /// The order's effects were applied by the leader of `term` (the recording node).
    Executed {
        order_id: String,
        term: u64,
    },
    Step {
        order_id: String,
        step: OrderStep,
    },
}

impl MilestoneKind {
    /// The milestone a trace event stands for, if it is one.
    pub fn of(kind: &TraceKind, name: &dyn Fn(NodeId) -> String) -> Option<MilestoneKind> {
        Some(match kind {
            TraceKind::Crash => MilestoneKind::Crash,
            TraceKind::Restart { incarnation } => MilestoneKind::Restart {
                incarnation: *incarnation,
            },
            TraceKind::Pause => MilestoneKind::Pause,
            TraceKind::Resume => MilestoneKind::Resume,
            TraceKind::Fault { fault, text } => MilestoneKind::Fault {
                kind: *fault,
                text: text.clone(),
            },
            TraceKind::Leader { cluster, term } => MilestoneKind::Leader {
                cluster: cluster.clone(),
                term: *term,
            },
            TraceKind::StepDown { cluster, term } => MilestoneKind::StepDown {
                cluster: cluster.clone(),
                term: *term,
            },
            TraceKind::Dequeued {
                order_id,
                executor,
                term,
                ..
            } => MilestoneKind::Leased {
                order_id: order_id.clone(),
                executor: *executor,
                executor_name: name(*executor),
                term: *term,
            },
            TraceKind::Executed { order_id, term } => MilestoneKind::Executed {
                order_id: order_id.clone(),
                term: *term,
            },
            TraceKind::Order { order_id, status } => MilestoneKind::Step {
                order_id: order_id.clone(),
                step: *status,
            },
            _ => return None,
        })
    }

    /// The order this milestone is about, if any.
    pub fn order_id(&self) -> Option<&str> {
        match self {
            MilestoneKind::Leased { order_id, .. }
            | MilestoneKind::Executed { order_id, .. }
            | MilestoneKind::Step { order_id, .. } => Some(order_id),
            _ => None,
        }
    }
}

/// The newest `MILESTONES_MAX` milestones, shared between frames without new ones.
#[derive(Default)]
pub struct MilestoneTail {
    items: VecDeque<Milestone>,
    shared: Option<Arc<Vec<Milestone>>>,
}

impl MilestoneTail {
    /// Takes in `ev` if it is a milestone; returns it when it was.
    pub fn absorb(&mut self, ev: &TraceEvent, names: &[String]) -> Option<&Milestone> {
        let name = |id: NodeId| {
            names
                .get(id.0 as usize)
                .cloned()
                .unwrap_or_else(|| "world".into())
        };
        let what = MilestoneKind::of(&ev.kind, &name)?;
        self.items.push_back(Milestone {
            seq: ev.seq,
            t_us: ev.t_us,
            node: ev.node,
            node_name: name(ev.node),
            corr: ev.corr,
            what,
        });
        if self.items.len() > MILESTONES_MAX {
            self.items.pop_front();
        }
        self.shared = None;
        self.items.back()
    }

    pub fn items(&mut self) -> Arc<Vec<Milestone>> {
        self.shared
            .get_or_insert_with(|| Arc::new(self.items.iter().cloned().collect()))
            .clone()
    }
}
