//! The payment service's participant core (seed 001's payment service): Prepare authorises
//! (holds) the amount or declines, Commit captures it, Abort releases it. Every answer is a
//! function of the record kept per transaction id, so a retried or duplicated message is
//! answered exactly as the first one was — the idempotence 2PC's "retry phase 2 until
//! acknowledged" depends on. The decline draw happens once per transaction and is recorded.

use crate::protocol::two_pc::{AbortReason, Vote};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Authorised and held, waiting for the decision.
    Prepared,
    /// Money taken (the commit).
    Captured,
    /// Hold released (the abort), or an abort that arrived before any prepare.
    Released,
    /// Refused at prepare: this transaction can only abort.
    Declined,
}

impl PaymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Prepared => "prepared",
            PaymentState::Captured => "captured",
            PaymentState::Released => "released",
            PaymentState::Declined => "declined",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub txn: String,
    pub amount_cents: u64,
    /// The card brand ("visa", "mastercard", …): decline rates are per method.
    pub method: String,
    pub state: PaymentState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentError {
    NotPrepared {
        txn: String,
    },
    /// Commit after a decline or release, or abort after a capture: a coordinator bug.
    Conflict {
        txn: String,
        state: PaymentState,
    },
}

impl std::fmt::Display for PaymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentError::NotPrepared { txn } => write!(f, "payment {txn} was never prepared"),
            PaymentError::Conflict { txn, state } => {
                write!(f, "payment {txn} is already {}", state.as_str())
            }
        }
    }
}

/// Settled payments (captured, released, declined) remembered. A repeated commit or abort comes
/// within seconds of the first; one that comes after 20,000 newer settlements is answered as
/// for a transaction never prepared. Prepared payments are always kept: they hold money.
pub const SETTLED_WINDOW: usize = 20_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentBook {
    records: BTreeMap<String, PaymentRecord>,
    /// Settled transactions, oldest first (the eviction order).
    settled: VecDeque<String>,
    /// Transactions evicted since the last `take_forgotten`, for the disk to forget too.
    forgotten: Vec<String>,
}

impl PaymentBook {
    pub fn from_records(records: impl IntoIterator<Item = PaymentRecord>) -> Self {
        let mut book = Self::default();
        for rec in records {
            let settled = rec.state != PaymentState::Prepared;
            let txn = rec.txn.clone();
            book.records.insert(txn.clone(), rec);
            if settled {
                book.settle(&txn);
            }
        }
        book
    }

    /// Remembers that `txn` settled, forgetting the oldest settlement beyond the window.
    fn settle(&mut self, txn: &str) {
        self.settled.push_back(txn.to_string());
        while self.settled.len() > SETTLED_WINDOW {
            if let Some(old) = self.settled.pop_front() {
                self.records.remove(&old);
                self.forgotten.push(old);
            }
        }
    }

    /// The transactions forgotten since the last call (their durable records can go).
    pub fn take_forgotten(&mut self) -> Vec<String> {
        std::mem::take(&mut self.forgotten)
    }

    pub fn get(&self, txn: &str) -> Option<&PaymentRecord> {
        self.records.get(txn)
    }

    pub fn records(&self) -> impl Iterator<Item = &PaymentRecord> {
        self.records.values()
    }

    /// Phase 1. `declines` is asked only the first time (the caller draws from its seeded RNG).
    /// Returns the vote and the record to persist if it changed.
    pub fn prepare(
        &mut self,
        txn: &str,
        amount_cents: u64,
        method: &str,
        declines: impl FnOnce() -> bool,
    ) -> (Vote, Option<PaymentRecord>) {
        if let Some(rec) = self.records.get(txn) {
            return (vote_of(rec), None);
        }
        let state = if declines() {
            PaymentState::Declined
        } else {
            PaymentState::Prepared
        };
        let rec = PaymentRecord {
            txn: txn.to_string(),
            amount_cents,
            method: method.to_string(),
            state,
        };
        self.records.insert(txn.to_string(), rec.clone());
        if state == PaymentState::Declined {
            self.settle(txn);
        }
        (vote_of(&rec), Some(rec))
    }

    /// Phase 2, commit: capture once; a repeat is acknowledged.
    pub fn commit(&mut self, txn: &str) -> Result<Option<PaymentRecord>, PaymentError> {
        let rec = self
            .records
            .get_mut(txn)
            .ok_or_else(|| PaymentError::NotPrepared { txn: txn.into() })?;
        match rec.state {
            PaymentState::Captured => Ok(None),
            PaymentState::Prepared => {
                rec.state = PaymentState::Captured;
                let rec = rec.clone();
                self.settle(txn);
                Ok(Some(rec))
            }
            state => Err(PaymentError::Conflict {
                txn: txn.into(),
                state,
            }),
        }
    }

    /// Phase 2, abort: release the hold. An abort for an unknown transaction is remembered, so
    /// a prepare that arrives after it (a slow message) declines instead of holding money.
    pub fn abort(&mut self, txn: &str) -> Result<Option<PaymentRecord>, PaymentError> {
        match self.records.get_mut(txn) {
            None => {
                let rec = PaymentRecord {
                    txn: txn.into(),
                    amount_cents: 0,
                    method: String::new(),
                    state: PaymentState::Released,
                };
                self.records.insert(txn.into(), rec.clone());
                self.settle(txn);
                Ok(Some(rec))
            }
            Some(rec) => match rec.state {
                PaymentState::Prepared => {
                    rec.state = PaymentState::Released;
                    let rec = rec.clone();
                    self.settle(txn);
                    Ok(Some(rec))
                }
                PaymentState::Released | PaymentState::Declined => Ok(None),
                PaymentState::Captured => Err(PaymentError::Conflict {
                    txn: txn.into(),
                    state: PaymentState::Captured,
                }),
            },
        }
    }

    /// Transactions prepared and waiting for a decision.
    pub fn in_doubt(&self) -> impl Iterator<Item = &PaymentRecord> {
        self.records
            .values()
            .filter(|r| r.state == PaymentState::Prepared)
    }
}

/// The payment service's wire vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayRequest {
    Prepare {
        txn: String,
        amount_cents: u64,
        method: String,
    },
    Commit {
        txn: String,
    },
    Abort {
        txn: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayReply {
    Vote(Vote),
    Done,
    Refused(PaymentError),
}

impl PayRequest {
    pub fn label(&self) -> &'static str {
        match self {
            PayRequest::Prepare { .. } => "PreparePayment",
            PayRequest::Commit { .. } => "CommitPayment",
            PayRequest::Abort { .. } => "AbortPayment",
        }
    }
}

impl PayReply {
    pub fn label(&self) -> &'static str {
        match self {
            PayReply::Vote(Vote::Commit) => "VoteCommit",
            PayReply::Vote(_) => "VoteAbort",
            PayReply::Done => "PayDone",
            PayReply::Refused(_) => "PayRefused",
        }
    }
}

fn vote_of(rec: &PaymentRecord) -> Vote {
    match rec.state {
        PaymentState::Prepared | PaymentState::Captured => Vote::Commit,
        PaymentState::Declined => Vote::Abort(AbortReason::PaymentDeclined {
            method: rec.method.clone(),
        }),
        PaymentState::Released => Vote::Abort(AbortReason::PresumedAbort),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_then_commit_captures_once() {
        let mut b = PaymentBook::default();
        assert_eq!(b.prepare("t1", 1200, "visa", || false).0, Vote::Commit);
        assert_eq!(
            b.commit("t1").unwrap().unwrap().state,
            PaymentState::Captured
        );
        assert_eq!(
            b.commit("t1").unwrap(),
            None,
            "a retried commit changes nothing"
        );
    }

    #[test]
    fn a_decline_is_drawn_once_and_repeated() {
        let mut b = PaymentBook::default();
        let (v, _) = b.prepare("t1", 1200, "amex", || true);
        assert_eq!(
            v,
            Vote::Abort(AbortReason::PaymentDeclined {
                method: "amex".into()
            })
        );
        let (again, changed) = b.prepare("t1", 1200, "amex", || panic!("drawn twice"));
        assert_eq!((again, changed), (v, None));
        assert!(b.commit("t1").is_err());
        assert_eq!(b.abort("t1").unwrap(), None);
    }

    #[test]
    fn an_abort_before_the_prepare_refuses_the_late_prepare() {
        let mut b = PaymentBook::default();
        b.abort("t1").unwrap();
        assert_eq!(
            b.prepare("t1", 10, "visa", || false).0,
            Vote::Abort(AbortReason::PresumedAbort)
        );
        assert!(matches!(b.commit("t1"), Err(PaymentError::Conflict { .. })));
    }

    #[test]
    fn commit_without_prepare_and_abort_after_capture_are_errors() {
        let mut b = PaymentBook::default();
        assert!(matches!(
            b.commit("t1"),
            Err(PaymentError::NotPrepared { .. })
        ));
        b.prepare("t2", 5, "visa", || false);
        b.commit("t2").unwrap();
        assert!(matches!(b.abort("t2"), Err(PaymentError::Conflict { .. })));
        assert_eq!(b.in_doubt().count(), 0);
    }

    #[test]
    fn settled_payments_beyond_the_window_are_forgotten_prepared_ones_never() {
        let mut book = PaymentBook::default();
        book.prepare("held", 100, "Visa", || false);
        for n in 0..SETTLED_WINDOW + 3 {
            let txn = format!("t{n}");
            book.prepare(&txn, 100, "Visa", || false);
            book.commit(&txn).expect("prepared");
        }
        assert_eq!(book.take_forgotten(), vec!["t0", "t1", "t2"]);
        assert!(book.take_forgotten().is_empty(), "handed over once");
        assert!(book.get("t0").is_none() && book.get("t3").is_some());
        assert_eq!(book.in_doubt().count(), 1, "the prepared one is kept");
        let restored = PaymentBook::from_records(book.records().cloned());
        assert_eq!(restored.records().count(), SETTLED_WINDOW + 1);
    }
}
