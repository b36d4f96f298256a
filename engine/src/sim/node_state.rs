//! What the world keeps per node: identity, liveness, inbox, pending RPCs, durable store.
use super::envelope::Envelope;
use super::executor::TaskId;
use super::rng::SimRng;
use super::time::Micros;
use crate::view::NodeView;
use serde::{de::DeserializeOwned, Serialize};
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

/// Survives crashes: what the node wrote to "disk". Values are JSON text so the page can show them.
#[derive(Clone, Debug, Default)]
pub struct DurableStore {
    entries: BTreeMap<String, String>,
    /// Key and value bytes ever written: what a real disk would have had to write, so tests and
    /// benchmarks can check that persisting one operation costs the same late in a run as early.
    bytes_written: u64,
}

/// Two stores are equal when they hold the same entries, however they were written.
impl PartialEq for DurableStore {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for DurableStore {}

impl DurableStore {
    pub fn put<T: Serialize>(&mut self, key: &str, value: &T) {
        // Serializing our own plain types cannot fail; if it ever did, keep the old value.
        if let Ok(text) = serde_json::to_string(value) {
            self.bytes_written = self
                .bytes_written
                .saturating_add((key.len() + text.len()) as u64);
            self.entries.insert(key.to_string(), text);
        }
    }

    /// Entries whose key starts with `prefix`, in key order, without visiting the others.
    pub fn scan_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.entries
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.entries
            .get(key)
            .and_then(|t| serde_json::from_str(t).ok())
    }

    pub fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
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

    /// Forgets everything volatile (crash): inbox, pending RPCs, published view.
    pub fn lose_volatile_state(&mut self) {
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
