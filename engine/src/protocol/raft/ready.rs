//! The work a node hands to its driver: what to persist, send, apply and show.
//! Order of handling (see the module docs): persist, then send, then apply.
use super::log::Entry;
use super::message::RaftMsg;
use super::node::RaftNode;
use super::snapshot::Snapshot;
use super::state::{HardState, Role};
use super::Command;
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

/// A write to stable storage: store `snapshot` (if any) and drop every stored entry it covers,
/// store `hard_state`, drop every stored entry with index ≥ `log_from`, then append `entries`
/// (whose first index is `log_from`). `PersistentState::apply` does exactly this.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersistOps<C> {
    pub snapshot: Option<Snapshot>,
    pub hard_state: HardState,
    pub log_from: u64,
    pub entries: Vec<Entry<C>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready<C> {
    /// Messages to send, in order, AFTER `persist` is durable.
    pub messages: Vec<(NodeId, RaftMsg<C>)>,
    /// Must reach stable storage before any of `messages` leaves the node.
    pub persist: Option<PersistOps<C>>,
    /// A snapshot the state machine must load BEFORE applying `committed`, replacing its
    /// state: the one this node restarted from, or one its leader sent (`InstallSnapshot`).
    pub snapshot: Option<Snapshot>,
    /// Entries newly known to be committed, in index order, without gaps, to apply to the state
    /// machine (skip `command: None`, the leader's no-op).
    pub committed: Vec<Entry<C>>,
    /// The node's (role, term) if either changed since the last `take_ready` (always set by the
    /// first `take_ready` after `RaftNode::new`). Intermediate
    /// states between two calls are not reported (e.g. candidate → leader shows as leader).
    pub role_change: Option<(Role, u64)>,
}

impl<C> Ready<C> {
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
            && self.persist.is_none()
            && self.snapshot.is_none()
            && self.committed.is_empty()
            && self.role_change.is_none()
    }
}

impl<C: Command> RaftNode<C> {
    /// Drains the accumulated work. Call after every `tick`, `step` or `propose`.
    pub fn take_ready(&mut self) -> Ready<C> {
        let messages = std::mem::take(&mut self.outbox);
        let hard_state = self.hard_state();
        let log_change = self.log.take_unpersisted();
        let snapshot_write = if std::mem::take(&mut self.snapshot_unpersisted) {
            self.snapshot.clone()
        } else {
            None
        };
        let persist = if log_change.is_some()
            || snapshot_write.is_some()
            || hard_state != self.persisted_hard_state
        {
            self.persisted_hard_state = hard_state;
            let (log_from, entries) =
                log_change.unwrap_or_else(|| (self.log.last_index() + 1, Vec::new()));
            Some(PersistOps {
                snapshot: snapshot_write,
                hard_state,
                log_from,
                entries,
            })
        } else {
            None
        };
        let snapshot = self.installed.take();
        let committed = self.log.range(self.reported_commit + 1, self.commit_index);
        self.reported_commit = self.commit_index;
        let now_role = (self.role, self.term);
        let role_change = (Some(now_role) != self.reported_role).then_some(now_role);
        self.reported_role = Some(now_role);
        Ready {
            messages,
            persist,
            snapshot,
            committed,
            role_change,
        }
    }

    /// True when `take_ready` would return something.
    pub fn has_ready(&self) -> bool {
        !self.outbox.is_empty()
            || self.hard_state() != self.persisted_hard_state
            || self.log.has_unpersisted()
            || self.snapshot_unpersisted
            || self.installed.is_some()
            || self.reported_commit != self.commit_index
            || Some((self.role, self.term)) != self.reported_role
    }
}
