//! A sans-IO Raft core (leader election §5.2, log replication §5.3, safety §5.4 of the Raft
//! paper), used by the order-executor cluster (leader election, replicated 2PC decisions) and the
//! books-database cluster (primary election and replication).
//!
//! `RaftNode` is a plain value: it never reads a clock, never draws unseeded randomness and never
//! does I/O. The driver (a simulated node task) feeds it time (`now_us`), a `SimRng`, incoming
//! messages and proposals, and then drains a [`Ready`] of work to carry out. This is the raft-rs
//! `RawNode` shape; like openraft's engine, the decisions live in small handlers split by role.
//!
//! # The driver loop and the durability contract (Raft §5, "Persistent state on all servers")
//!
//! ```text
//! loop {
//!     sleep until node.next_wakeup_us() or a message arrives
//!     node.tick(now_us, rng) | node.step(now_us, from, msg, rng) | node.propose(cmd)
//!     let ready = node.take_ready();
//!     1. if let Some(ops) = &ready.persist { disk.apply(ops)?; fsync }  // FIRST: make it durable
//!     2. send every (to, msg) in ready.messages                   // THEN: talk
//!     3. apply ready.committed to the state machine, in order    // entries are already durable
//!     4. show ready.role_change on the page
//! }
//! ```
//!
//! Step 1 must complete — the fsync too, not only the write — before step 2 (the services' test
//! `cluster_tests/durability_tests.rs` breaks exactly this and catches two leaders of one
//! term): a vote grant or an append acknowledgement is a promise
//! that only holds if the term, the vote and the log entries it refers to survive a crash. A node
//! that sent a grant and then forgot its vote after a restart could vote twice in one term and
//! let two leaders be elected. A restarted node is rebuilt with [`RaftNode::new`] from the
//! [`PersistentState`] the driver kept; its commit index restarts at its snapshot's index (0
//! without one), the first `Ready::snapshot` hands the snapshot back and `committed` replays
//! the log after it as commitment becomes known again, so the driver rebuilds its state
//! machine from the snapshot.
//!
//! # Design choices
//! - A new leader appends a no-op entry (`command: None`) of its own term (§8 of the paper):
//!   entries of earlier terms are committed only by counting replicas of a current-term entry
//!   (§5.4.2), and the no-op makes that happen at once instead of at the next client write. The
//!   books database relies on it: a new primary knows every acknowledged write before serving.
//! - Check-quorum: a leader that has not heard from a majority within `election_timeout_min_us`
//!   steps down, so a leader cut off in a minority stops acting as leader (it would otherwise
//!   keep dequeuing orders until the partition heals).
//! - Pre-vote and leader stickiness (thesis §9.6, `RaftConfig::pre_vote`, on by default): a
//!   node that timed out first asks whether it could win before raising its term, and a node
//!   that heard from its leader within the minimum election timeout refuses. A node that was
//!   partitioned away therefore rejoins without deposing a healthy leader. See `prevote.rs`.
//! - Log compaction (`snapshot.rs`): the driver snapshots its state machine at an applied
//!   index and calls `compact`; a leader sends its snapshot to a follower that needs a
//!   compacted entry. A restarted node gets its snapshot back in the first `Ready::snapshot`
//!   and the committed entries after it.
//! - Membership is static.

mod config;
mod election;
mod error;
mod follower;
mod leader;
mod log;
mod message;
mod node;
mod prevote;
pub mod quorum;
mod ready;
mod snapshot;
mod state;

pub use config::RaftConfig;
pub use error::{NotLeader, RaftError};
pub use leader::Progress;
pub use log::{Entry, RaftLog};
pub use message::RaftMsg;
pub use node::RaftNode;
pub use ready::{PersistOps, Ready};
pub use snapshot::Snapshot;
pub use state::{HardState, PersistentState, Role};

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use std::hash::Hash;

/// What a replicated log can carry: any plain, comparable, serialisable value.
pub trait Command: Clone + Debug + PartialEq + Eq + Hash + Serialize + DeserializeOwned {}
impl<T: Clone + Debug + PartialEq + Eq + Hash + Serialize + DeserializeOwned> Command for T {}

#[cfg(test)]
mod tests;
