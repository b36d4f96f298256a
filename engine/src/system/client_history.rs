//! The books database's client history, as a linearizability checker needs it: every stock
//! read and every stock write with the moment it was invoked and the moment it returned
//! (Herlihy & Wing 1990: a history of invocations and responses). Recorded from the trace's
//! typed facts, so it is exactly what happened on the wire:
//!
//! - a read is invoked at its `read_issued` (the shopper's stock reader) and returns at its
//!   `read_answered`, with the copies it saw; a read never answered observed nothing and is
//!   left out (a checker may drop an operation whose output nobody saw);
//! - a write is a log entry that changed a book's stock (`stock_changed`, first replica to
//!   apply it). It was invoked no later than its transaction's COMMITTING decision at the
//!   coordinator (the commit is sent after it) and returned when the primary acknowledged the
//!   entry (`db_acked`); never acknowledged = still pending at the end (it took effect — it is
//!   in the committed log — at some moment after its invocation). A write outside a
//!   transaction (none in the running system) counts from its first application.
//!
//! Bounded: past `OPS_MAX` operations nothing more is recorded and the checker says the
//! history was cut, rather than judge a part of it as if it were the whole.

use crate::facts::Fact;
use crate::sim::{Micros, NodeId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Operations recorded at most (about 100 bytes each).
pub const OPS_MAX: usize = 20_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum OpKind {
    /// A stock read that returned `copies`; `strong` = through the primary.
    Read {
        copies: u32,
        strong: bool,
        replica: NodeId,
    },
    /// A log entry added `delta` copies (a sale is negative).
    Add {
        delta: i64,
        index: u64,
        txn: Option<String>,
    },
}

/// One operation on one book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Op {
    pub book: String,
    pub kind: OpKind,
    pub call_us: Micros,
    /// None: never returned (a write still unacknowledged at the end).
    pub return_us: Option<Micros>,
}

#[derive(Clone, Debug, Default)]
pub struct ClientHistory {
    pub ops: Vec<Op>,
    /// More operations happened than `OPS_MAX`.
    pub cut: bool,
    reads: BTreeMap<(NodeId, u64), (String, bool, Micros)>,
    committing_at: BTreeMap<String, Micros>,
    /// Log index → positions in `ops` of its writes not yet acknowledged.
    unacked: BTreeMap<u64, Vec<usize>>,
    written: BTreeSet<(u64, String)>,
}

impl ClientHistory {
    pub fn observe(&mut self, fact: &Fact, node: NodeId, t_us: Micros) {
        match fact {
            Fact::ReadIssued { read, book, strong } => {
                self.reads
                    .insert((node, *read), (book.clone(), *strong, t_us));
            }
            Fact::ReadAnswered {
                read,
                copies,
                replica,
                ..
            } => {
                let issued = self.reads.remove(&(node, *read));
                if let (Some((book, strong, call_us)), Some(copies)) = (issued, copies) {
                    let kind = OpKind::Read {
                        copies: *copies,
                        strong,
                        replica: *replica,
                    };
                    self.push(book, kind, call_us, Some(t_us));
                }
            }
            Fact::Txn { txn, state, .. }
                if *state == crate::protocol::two_pc::TxnState::Committing =>
            {
                self.committing_at.entry(txn.clone()).or_insert(t_us);
            }
            Fact::StockChanged {
                index,
                book,
                delta,
                txn,
                ..
            } => self.written(*index, book, *delta, txn.as_ref(), t_us),
            Fact::DbAcked { index, .. } => {
                for at in self.unacked.remove(index).unwrap_or_default() {
                    self.ops[at].return_us = Some(t_us);
                }
            }
            _ => {}
        }
    }

    fn written(&mut self, index: u64, book: &str, delta: i64, txn: Option<&String>, t_us: Micros) {
        if !self.written.insert((index, book.to_string())) {
            return; // another replica applying the same entry
        }
        let call_us = txn
            .and_then(|t| self.committing_at.get(t).copied())
            .unwrap_or(t_us)
            .min(t_us);
        let kind = OpKind::Add {
            delta,
            index,
            txn: txn.cloned(),
        };
        if self.push(book.to_string(), kind, call_us, None) {
            self.unacked
                .entry(index)
                .or_default()
                .push(self.ops.len() - 1);
        }
    }

    fn push(
        &mut self,
        book: String,
        kind: OpKind,
        call_us: Micros,
        return_us: Option<Micros>,
    ) -> bool {
        if self.ops.len() >= OPS_MAX {
            self.cut = true;
            return false;
        }
        self.ops.push(Op {
            book,
            kind,
            call_us,
            return_us,
        });
        true
    }
}
