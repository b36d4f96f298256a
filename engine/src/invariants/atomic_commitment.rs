//! 2PC atomicity (Bernstein, Hadzilacos & Goodman 1987, §7.2, the atomic commitment
//! properties AC1–AC2: all processes that reach a decision reach the same one, and a decision
//! is never reversed): every coordinator that records a decision for a transaction records the
//! same one (checked live, after every step). At the end of a run: a transaction that finished
//! COMMITTED took its stock at the database and captured its payment; one that finished
//! ABORTED did neither (SPEC: "payment captured if and only if stock was decremented").

use super::Invariant;
use crate::facts::Fact;
use crate::protocol::payment::PaymentState;
use crate::protocol::recent::RecentMap;
use crate::protocol::two_pc::TxnState;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::{Observer, TxnFacts};

pub const NAME: &str = "2PC atomicity";
pub const SOURCE: &str =
    "Bernstein et al. 1987 §7.2 (AC1, AC2); SPEC: payment captured iff stock decremented";

/// Transactions whose first decision is remembered: a conflicting decision comes while the
/// transaction is being decided (seconds), not 20,000 transactions later.
const DECISIONS_KEPT: usize = 20_000;

pub struct AgreedDecisions {
    /// The first decision seen per transaction (true = commit), newest `DECISIONS_KEPT`.
    first: RecentMap<String, bool>,
}

impl Default for AgreedDecisions {
    fn default() -> Self {
        Self {
            first: RecentMap::new(DECISIONS_KEPT),
        }
    }
}

impl Invariant for AgreedDecisions {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        SOURCE
    }

    fn check(&mut self, ev: &TraceEvent, _facts: &Observer) -> Option<String> {
        let TraceKind::Fact(fact) = &ev.kind else {
            return None;
        };
        let Fact::Txn { txn, state, .. } = fact.as_ref() else {
            return None;
        };
        let commit = match state {
            TxnState::Committing | TxnState::Committed => true,
            TxnState::Aborting | TxnState::Aborted => false,
            _ => return None,
        };
        self.first.insert_first(txn.clone(), commit);
        let first = self.first.get(txn.as_str()).copied().unwrap_or(commit);
        (first != commit).then(|| {
            let word = |c: bool| if c { "commit" } else { "abort" };
            format!(
                "{txn}: {} recorded {} after {} was decided",
                ev.node,
                word(commit),
                word(first)
            )
        })
    }
}

/// Finished transactions whose effects disagree with their outcome.
pub fn broken_transactions(facts: &Observer) -> Vec<String> {
    let mut out: Vec<String> = facts.forgotten_broken_transactions().to_vec();
    out.extend(facts.txns.values().filter_map(|t| broken(t, facts)));
    out
}

/// Why a finished transaction breaks atomicity, if it does (None while it is unfinished).
pub fn broken(t: &TxnFacts, facts: &Observer) -> Option<String> {
    if !t.state.is_final() {
        return None;
    }
    let committed = t.state == TxnState::Committed;
    let stock_taken = facts.db_committed.contains(&t.txn);
    let captured = facts
        .payments
        .get(&t.txn)
        .is_some_and(|(s, _, _)| *s == PaymentState::Captured);
    if committed == stock_taken && committed == captured {
        return None;
    }
    Some(format!(
        "{} finished {} but stock {} and payment {}",
        t.txn,
        t.state.as_str(),
        if stock_taken {
            "was decremented"
        } else {
            "was not decremented"
        },
        if captured {
            "was captured"
        } else {
            "was not captured"
        }
    ))
}
