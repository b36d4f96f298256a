//! Application facts the services record in the trace: typed, so the observer, the checkers,
//! the report and the page read them as values, and an outside tool can check 2PC atomicity
//! and stock conservation from the JSONL trace alone (fields documented in `docs/runner.md`).
//! The world carries them as one opaque variant (`TraceKind::Fact`) and never looks inside.

use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::{AbortReason, TxnState};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Fact {
    /// A 2PC transaction changed state at its coordinator (the recording node).
    Txn {
        txn: String,
        order_id: String,
        state: TxnState,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<AbortReason>,
    },
    /// A database replica (the recording node) applied the committed entry `index` of `term`.
    DbApplied {
        cluster: String,
        index: u64,
        term: u64,
        op: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        txn: Option<String>,
    },
    /// That entry changed a book's stock on this replica.
    StockChanged {
        index: u64,
        book: String,
        delta: i64,
        stock_after: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        txn: Option<String>,
    },
    /// The primary (the recording node) acknowledged a write once entry (index, term) applied.
    DbAcked {
        index: u64,
        term: u64,
        op: &'static str,
    },
    /// The payment service's record of `txn` changed.
    Payment {
        txn: String,
        state: PaymentState,
        amount_cents: u64,
        method: String,
    },
    /// A replica read answered from an older state than the reader had already seen written.
    StaleRead {
        book: String,
        replica_index: u64,
        seen_index: u64,
    },
}

impl Fact {
    pub fn name(&self) -> &'static str {
        match self {
            Fact::Txn { .. } => "txn",
            Fact::DbApplied { .. } => "db_applied",
            Fact::StockChanged { .. } => "stock_changed",
            Fact::DbAcked { .. } => "db_acked",
            Fact::Payment { .. } => "payment",
            Fact::StaleRead { .. } => "stale_read",
        }
    }

    /// Platform-independent digest for the trace hash (serde_json of plain integers and
    /// strings is the same on every target).
    pub fn digest(&self) -> u64 {
        let text = serde_json::to_string(self).unwrap_or_default();
        crate::sim::rng::fnv1a64(text.as_bytes())
    }

    /// One line for people (the log panel); never parsed back.
    pub fn describe(&self) -> String {
        match self {
            Fact::Txn {
                txn, state, reason, ..
            } => match reason {
                Some(r) => format!("{txn} {} — {r}", state.as_str()),
                None => format!("{txn} {}", state.as_str()),
            },
            Fact::DbApplied {
                index, term, op, ..
            } => format!("applied #{index} (term {term}) {op}"),
            Fact::StockChanged {
                book,
                delta,
                stock_after,
                ..
            } => format!("{book:?} {delta:+} → {stock_after}"),
            Fact::DbAcked { index, op, .. } => format!("acknowledged {op} #{index}"),
            Fact::Payment {
                txn,
                state,
                amount_cents,
                ..
            } => {
                format!(
                    "payment {txn} {} ({}.{:02})",
                    state.as_str(),
                    amount_cents / 100,
                    amount_cents % 100
                )
            }
            Fact::StaleRead {
                book,
                replica_index,
                seen_index,
            } => {
                format!("stale read of {book:?}: replica at #{replica_index}, reader had seen #{seen_index}")
            }
        }
    }
}
