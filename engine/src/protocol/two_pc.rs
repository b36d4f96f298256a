//! Two-phase commit as plain types (Gray 1978; Bernstein, Hadzilacos & Goodman, "Concurrency
//! Control and Recovery in Database Systems" ch. 7): the coordinator's states, the votes
//! participants cast, and the one rule that turns votes into a decision.
//!
//! The seeds stop at "any ABORT vote or timeout aborts". What they leave open — the
//! coordinator dying between phases — is solved by where the decision lives: it is written to
//! a replicated, first-writer-wins record *before* phase 2 starts (the executor cluster's Raft
//! log, or for Bully / lease the books database's decision table). Whoever coordinates next
//! reads that record and can only finish the transaction the same way; a participant stuck in
//! PREPARED asks the coordinator cluster, which answers from the record or, if nobody is
//! running the transaction, records an abort first (presumed abort, made safe by writing it).

use serde::{Deserialize, Serialize};

/// The coordinator's view of one transaction, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnState {
    Started,
    Preparing,
    Committing,
    Committed,
    Aborting,
    Aborted,
}

impl TxnState {
    pub fn as_str(self) -> &'static str {
        match self {
            TxnState::Started => "STARTED",
            TxnState::Preparing => "PREPARING",
            TxnState::Committing => "COMMITTING",
            TxnState::Committed => "COMMITTED",
            TxnState::Aborting => "ABORTING",
            TxnState::Aborted => "ABORTED",
        }
    }

    /// True once phase 2 has been acknowledged by every participant.
    pub fn is_final(self) -> bool {
        matches!(self, TxnState::Committed | TxnState::Aborted)
    }
}

/// Why a transaction aborted, in words a shopper understands (and a tag a tool can count).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AbortReason {
    InsufficientStock {
        book: String,
        available: u32,
        wanted: u32,
    },
    UnknownBook {
        book: String,
    },
    PaymentDeclined {
        method: String,
    },
    ParticipantTimeout {
        participant: String,
    },
    /// A participant asked for the outcome and nobody was coordinating the transaction.
    PresumedAbort,
    InvalidOrder {
        why: String,
    },
}

impl std::fmt::Display for AbortReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AbortReason::InsufficientStock {
                book,
                available,
                wanted,
            } => {
                write!(
                    f,
                    "insufficient stock: {wanted} × {book:?} wanted, {available} available"
                )
            }
            AbortReason::UnknownBook { book } => {
                write!(f, "the books database does not know {book:?}")
            }
            AbortReason::PaymentDeclined { method } => write!(f, "payment declined ({method})"),
            AbortReason::ParticipantTimeout { participant } => {
                write!(f, "participant timeout: {participant} did not vote in time")
            }
            AbortReason::PresumedAbort => {
                f.write_str("no decision was recorded when a participant asked (presumed abort)")
            }
            AbortReason::InvalidOrder { why } => write!(f, "invalid order: {why}"),
        }
    }
}

/// A participant's answer to Prepare.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Vote {
    /// Resources are reserved durably; the participant will do whatever the decision says.
    Commit,
    Abort(AbortReason),
}

/// The outcome, recorded once and for all before phase 2.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    Commit,
    Abort(AbortReason),
}

impl Decision {
    pub fn is_commit(&self) -> bool {
        matches!(self, Decision::Commit)
    }

    pub fn reason(&self) -> Option<&AbortReason> {
        match self {
            Decision::Commit => None,
            Decision::Abort(r) => Some(r),
        }
    }

    /// The state phase 2 runs in.
    pub fn phase2_state(&self) -> TxnState {
        if self.is_commit() {
            TxnState::Committing
        } else {
            TxnState::Aborting
        }
    }

    /// The state once phase 2 is acknowledged.
    pub fn final_state(&self) -> TxnState {
        if self.is_commit() {
            TxnState::Committed
        } else {
            TxnState::Aborted
        }
    }
}

/// What the coordinator cluster answers a participant that asks for an outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionAnswer {
    Decided(Decision),
    /// The leader is running this transaction right now: ask again later.
    Pending,
    /// This node does not lead the coordinator cluster (maybe it knows who does).
    NotCoordinator {
        hint: Option<crate::sim::NodeId>,
    },
}

/// The transaction id of an order: derived, so every coordinator that is handed the order
/// (after a crash, a redelivery) runs the same transaction and participants dedupe by it.
pub fn txn_id(order_id: &str) -> String {
    format!("{TXN_PREFIX}{order_id}")
}

/// The order a transaction id was derived from (the inverse of [`txn_id`]).
pub fn order_of(txn: &str) -> &str {
    txn.strip_prefix(TXN_PREFIX).unwrap_or(txn)
}

const TXN_PREFIX: &str = "tx-";

/// Commit only on unanimous Commit votes; a missing vote (timeout) is an abort. Votes are
/// given in participant order, so the reported reason is deterministic (the first abort).
pub fn decide(votes: &[Vote]) -> Decision {
    for v in votes {
        if let Vote::Abort(reason) = v {
            return Decision::Abort(reason.clone());
        }
    }
    Decision::Commit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanimous_commit_votes_commit() {
        assert_eq!(decide(&[Vote::Commit, Vote::Commit]), Decision::Commit);
    }

    #[test]
    fn any_abort_vote_aborts_with_the_first_reason() {
        let stock = AbortReason::InsufficientStock {
            book: "Dune".into(),
            available: 0,
            wanted: 1,
        };
        let pay = AbortReason::PaymentDeclined {
            method: "visa".into(),
        };
        let d = decide(&[Vote::Abort(stock.clone()), Vote::Abort(pay)]);
        assert_eq!(d, Decision::Abort(stock));
        assert_eq!(d.final_state(), TxnState::Aborted);
    }

    #[test]
    fn txn_ids_are_derived_from_order_ids() {
        assert_eq!(txn_id("o-7"), txn_id("o-7"));
        assert_ne!(txn_id("o-7"), txn_id("o-8"));
        assert_eq!(order_of(&txn_id("o-7")), "o-7");
    }

    #[test]
    fn reasons_read_as_sentences() {
        let r = AbortReason::InsufficientStock {
            book: "Dune".into(),
            available: 1,
            wanted: 3,
        };
        assert_eq!(
            r.to_string(),
            "insufficient stock: 3 × \"Dune\" wanted, 1 available"
        );
    }
}
