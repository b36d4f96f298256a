//! Test-only fault injection: deliberately broken variants of the system, one per safety
//! checker, so each checker has a test that shows it can fire (a checker nothing can trip
//! proves nothing). This module exists only under `cfg(test)`, and so does every use of it:
//! a release or wasm build cannot carry a planted bug.
//!
//! A test plants a bug with [`plant`] and holds the guard while its world runs; dropping the
//! guard (also when the test panics) removes it. The switch is thread-local: the simulated
//! world runs on the test's own thread, and libtest runs each test on a thread of its own, so
//! a bug planted by one test never leaks into another running in parallel. Each bug is one
//! guarded deviation at one spot in the code, with a comment naming the checker it is for.

use std::cell::RefCell;
use std::collections::BTreeSet;

/// One deliberate deviation from the protocol; the doc says where it is and what it breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bug {
    /// Raft grants a second vote in a term it already voted in (`protocol/raft/election.rs`)
    /// ⇒ "one leader per term".
    RaftVotesTwice,
    /// A Bully winner proclaims itself without first halting the lower nodes, so a leader it
    /// replaces keeps leading until the Coordinator message reaches it
    /// (`protocol/bully/node.rs`) ⇒ "one leader acting at a time".
    BullyProclaimsWithoutHalting,
    /// A Raft executor that steps down does not tell its work loop, which keeps dequeuing
    /// with the old term (`services/executor/raft_driver.rs`) ⇒ "only the leader dequeues".
    DeposedLeaderKeepsDequeuing,
    /// The queue answers Ok to an acknowledgement of any lease of an order already
    /// acknowledged, not only the lease that acknowledged it (`services/queue.rs`)
    /// ⇒ "no order executed twice".
    QueueAcksAnyLease,
    /// The 2PC coordinator counts a participant that did not vote in time as a commit vote
    /// (`services/executor/coordinator.rs`) ⇒ "2PC atomicity".
    CommitOnPrepareTimeout,
    /// The books-database primary acknowledges a write as soon as it is in its own log,
    /// before a quorum has it (`services/books_db/node.rs`) ⇒ "no acknowledged write lost".
    AckBeforeQuorum,
    /// A books-database backup skips the committed `Commit` entries it should apply
    /// (`services/books_db/node.rs`) ⇒ "stock conserved on every replica".
    BackupSkipsCommits,
    /// The executor acknowledges an order to the queue as soon as it dequeues it, before its
    /// transaction is decided (`services/executor/execution.rs`) ⇒ "no approved order lost".
    AckBeforeDeciding,
    /// A books-database primary answers a strong read from its own applied state at once,
    /// without first committing a ReadBarrier entry (`services/books_db/node.rs`), so a
    /// deposed primary that does not know it yet answers stale ⇒ "strong stock reads
    /// linearizable".
    StrongReadSkipsBarrier,
    /// The orchestrator starts a DAG event without waiting for its prerequisites
    /// (`services/orchestrator/dag.rs`) ⇒ "clocks respect causality".
    DagIgnoresDependencies,
    /// The orchestrator ticks its own clock entry once per order, when the checkout arrives,
    /// and never for its later sends, receives and status events
    /// (`services/orchestrator/calls.rs`) ⇒ "every event ticks its clock".
    OrchestratorTicksOncePerOrder,
}

thread_local! {
    static PLANTED: RefCell<BTreeSet<Bug>> = const { RefCell::new(BTreeSet::new()) };
}

/// Held while a bug is planted; dropping it removes the bug.
#[must_use = "the bug is removed as soon as the guard is dropped"]
pub struct Planted(Bug);

impl Drop for Planted {
    fn drop(&mut self) {
        PLANTED.with(|p| p.borrow_mut().remove(&self.0));
    }
}

/// Plants `bug` on this thread until the returned guard is dropped.
pub fn plant(bug: Bug) -> Planted {
    PLANTED.with(|p| p.borrow_mut().insert(bug));
    Planted(bug)
}

/// Whether `bug` is planted on this thread (the guarded spots ask this).
pub fn planted(bug: Bug) -> bool {
    PLANTED.with(|p| p.borrow().contains(&bug))
}

mod tests {
    use super::*;

    #[test]
    fn a_bug_is_planted_only_while_its_guard_lives() {
        assert!(!planted(Bug::RaftVotesTwice));
        {
            let _bug = plant(Bug::RaftVotesTwice);
            assert!(planted(Bug::RaftVotesTwice));
            assert!(!planted(Bug::AckBeforeQuorum));
        }
        assert!(!planted(Bug::RaftVotesTwice));
    }

    /// The one thread in the engine, and only in this test: the test harness runs tests on
    /// parallel threads, so a bug planted by one test must not leak into a neighbour's world.
    #[test]
    fn a_bug_planted_on_one_thread_is_not_seen_on_another() {
        let _bug = plant(Bug::AckBeforeQuorum);
        let elsewhere = std::thread::spawn(|| planted(Bug::AckBeforeQuorum))
            .join()
            .expect("the thread runs");
        assert!(!elsewhere);
    }
}
