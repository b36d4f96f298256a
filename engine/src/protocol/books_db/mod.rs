//! The books database's replicated state machine and the primary's per-key locks, as plain
//! types (seeds 001 and 003: `book -> stock`, primary-backup replication, 2PC participant).
//!
//! Replication is Raft's log (`protocol/raft`): the primary (the Raft leader) proposes each
//! write as a [`DbCommand`], the entry reaches a quorum (primary included) and only then is
//! it applied and the client acknowledged. Raft's election restriction (§5.4.1: a node votes
//! only for a candidate whose log is at least as up to date) is what makes "no acknowledged
//! write is lost on failover" hold: an acknowledged write is on a majority, and any new
//! primary needs a vote from that majority. The primary holds a per-key lock from the moment
//! it proposes a write until the write is applied ([`KeyLocks`]), so two orders racing for the
//! last copy of a book queue on that book, as seed 001's concurrent-writes bonus asks.

mod api;
mod command;
mod locks;
mod state;
mod stock_seed;

pub use api::{DbReply, DbRequest, DbStatus};
pub use command::{DbCommand, DbError, DbResult, TxnItem};
pub use locks::KeyLocks;
pub use state::{AppliedChange, BooksState, TxnFinal};
pub use stock_seed::{initial_stock, initial_stock_for};

#[cfg(test)]
mod tests;
