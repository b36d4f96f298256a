//! What the world keeps per node: identity, liveness, inbox, pending RPCs, disk.
pub use super::disk::DurableStore;
use super::disk::Fsync;
use super::envelope::Envelope;
use super::executor::TaskId;
use super::rng::SimRng;
use super::time::Micros;
use crate::view::NodeView;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::task::Waker;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liveness {
    Up,
    Paused,
    Crashed,
}

/// A slot where an RPC caller waits for its reply.
#[derive(Default)]
pub struct RpcSlot {
    pub reply: Option<Envelope>,
    pub waker: Option<Waker>,
}

pub struct NodeState {
    pub name: String,
    /// The service this node runs ("executor", "queue", "ping", …).
    pub service: String,
    pub liveness: Liveness,
    pub incarnation: u32,
    pub started_at: Micros,
    pub inbox: VecDeque<Envelope>,
    pub inbox_waker: Option<Waker>,
    pub rpcs: BTreeMap<u64, RpcSlot>,
    pub durable: DurableStore,
    pub fsync: Fsync,
    pub rng: SimRng,
    pub view: NodeView,
    /// When set, the view is built by this function when someone reads it, instead of being
    /// pushed on every change: a node whose view is costly to build and changes on every event
    /// (the orchestrator's board of recent orders) would otherwise rebuild it per event while
    /// the page reads it once per frame.
    pub view_source: Option<Rc<dyn Fn() -> NodeView>>,
    /// Wakes that arrived while the node was paused, replayed in order on resume.
    pub parked: Vec<TaskId>,
}

impl NodeState {
    pub fn is_up(&self) -> bool {
        self.liveness != Liveness::Crashed
    }

    /// Forgets everything volatile (crash): inbox, pending RPCs, published view, unsynced
    /// writes and the fsync under way.
    pub fn lose_volatile_state(&mut self) {
        self.durable.lose_unsynced();
        self.fsync.crash();
        self.inbox.clear();
        self.inbox_waker = None;
        self.rpcs.clear();
        self.view = NodeView::Down;
        self.view_source = None;
        self.parked.clear();
    }

    /// The node's view as of now.
    pub fn current_view(&self) -> NodeView {
        match &self.view_source {
            Some(build) => build(),
            None => self.view.clone(),
        }
    }
}
