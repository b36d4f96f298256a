//! Application facts the services record in the trace: typed, so the observer, the checkers,
//! the report and the page read them as values, and an outside tool can check 2PC atomicity
//! and stock conservation from the JSONL trace alone (fields documented in `docs/runner.md`).
//! The world carries them as one opaque variant (`TraceKind::Fact`) and never looks inside.

use crate::llm::LlmService;
use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::{AbortReason, TxnState};
use crate::sim::{Micros, NodeId};
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
    /// A stock reader (the recording node) asked for `book`'s copies: from the primary when
    /// `strong`, else from the next replica round-robin. Staleness is judged against what had
    /// been acknowledged by this moment, so the moment is recorded, not just the answer.
    ReadIssued {
        read: u64,
        book: String,
        strong: bool,
    },
    /// ... and `replica` answered from its state applied up to `applied_index`.
    ReadAnswered {
        read: u64,
        book: String,
        strong: bool,
        replica: NodeId,
        #[serde(skip_serializing_if = "Option::is_none")]
        copies: Option<u32>,
        applied_index: u64,
    },
    /// A service (the recording node) asked the optional LLM about an order and waits for the
    /// answer until `deadline_us` on its clock (see `crate::llm`).
    LlmAsked {
        request: u64,
        service: LlmService,
        order_id: String,
        deadline_us: Micros,
    },
    /// ... and decided with the model's answer (`used`) or fell back to its local model,
    /// `detail` saying what was used or why not ("timeout after 3000 ms").
    LlmSettled {
        request: u64,
        service: LlmService,
        order_id: String,
        used: bool,
        /// "timeout", "network", "http" or "malformed" when not used.
        #[serde(skip_serializing_if = "Option::is_none")]
        failure: Option<&'static str>,
        detail: String,
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
            Fact::ReadIssued { .. } => "read_issued",
            Fact::ReadAnswered { .. } => "read_answered",
            Fact::LlmAsked { .. } => "llm_asked",
            Fact::LlmSettled { .. } => "llm_settled",
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
            Fact::ReadIssued { book, strong, .. } => {
                let from = if *strong { "the primary" } else { "a replica" };
                format!("reads the stock of {book:?} from {from}")
            }
            Fact::ReadAnswered {
                book,
                copies,
                applied_index,
                ..
            } => match copies {
                Some(c) => format!("read {book:?}: {c} copies (state at #{applied_index})"),
                None => format!("read {book:?}: no such book (state at #{applied_index})"),
            },
            Fact::LlmAsked {
                request, order_id, ..
            } => format!("asked the LLM about {order_id} (request {request})"),
            Fact::LlmSettled {
                used: true, detail, ..
            } => format!("LLM answer used: {detail}"),
            Fact::LlmSettled { detail, .. } => format!("LLM fallback: {detail}"),
        }
    }
}
