//! Keeps the observer's per-order tables bounded on a long run. The observer learns one entry
//! per order (its transaction, payment, status, execution) and per database log index; a
//! 100,000-order run would hold them all. So, every `FORGET_EVERY_EVENTS` trace events, the
//! oldest *settled* entries beyond each window are forgotten — after being judged: a
//! transaction that broke atomicity is kept as a violation message before its facts go — and
//! the database's per-index stock changes older than the window are folded into one running
//! sum, so stock conservation still judges every replica that is less than the window behind.
//!
//! What a window costs is named with it: a checker cannot connect an event to facts older than
//! its window (an order executed again after 50,000 newer orders, a replica more than 50,000
//! log entries behind).

use super::observer::Observer;
use crate::invariants::atomic_commitment;
use std::collections::{BTreeMap, VecDeque};

/// How often (in trace events) the windows are enforced: amortises the work, and each table
/// overshoots its window by at most this many events' worth of entries.
pub const FORGET_EVERY_EVENTS: u64 = 8_192;
/// Finished transactions whose facts are kept (and payments and stock commits with them).
pub const TXN_WINDOW: usize = 20_000;
/// Orders whose execution count and lifecycle status are kept.
pub const ORDER_WINDOW: usize = 50_000;
/// Dequeue facts kept.
pub const DEQUEUE_WINDOW: usize = 20_000;
/// Database log indexes whose changes and terms are kept one by one.
pub const DB_INDEX_WINDOW: usize = 50_000;

#[derive(Clone, Debug, Default)]
pub struct WindowState {
    /// Insertion order of each table, oldest first.
    pub(super) finished_txns: VecDeque<String>,
    pub(super) executed: VecDeque<String>,
    pub(super) orders: VecDeque<String>,
    /// Stock changes of every index at or below `folded_through`, summed per book.
    pub folded: BTreeMap<String, i64>,
    pub folded_through: u64,
    /// Atomicity violations of transactions forgotten since (kept as text).
    pub broken: Vec<String>,
}

impl Observer {
    pub fn forget_settled(&mut self) {
        self.forget_txns();
        while self.window.executed.len() > ORDER_WINDOW {
            if let Some(id) = self.window.executed.pop_front() {
                self.executed.remove(&id);
            }
        }
        while self.window.orders.len() > ORDER_WINDOW {
            if let Some(id) = self.window.orders.pop_front() {
                self.order_status.remove(&id);
            }
        }
        if self.dequeues.len() > DEQUEUE_WINDOW {
            let excess = self.dequeues.len() - DEQUEUE_WINDOW;
            self.dequeues.drain(..excess);
        }
        self.fold_db_changes();
    }

    fn forget_txns(&mut self) {
        while self.window.finished_txns.len() > TXN_WINDOW {
            let Some(txn) = self.window.finished_txns.pop_front() else {
                break;
            };
            if let Some(facts) = self.txns.get(&txn) {
                if let Some(why) = atomic_commitment::broken(facts, self) {
                    self.window.broken.push(why);
                }
            }
            self.txns.remove(&txn);
            self.payments.remove(&txn);
            self.db_committed.remove(&txn);
        }
    }

    fn fold_db_changes(&mut self) {
        while self.db_changes.len() > DB_INDEX_WINDOW {
            let Some((index, changes)) = self.db_changes.pop_first() else {
                break;
            };
            for (book, delta) in changes {
                *self.window.folded.entry(book).or_insert(0) += delta;
            }
            self.window.folded_through = index;
        }
        let through = self.window.folded_through;
        if through > 0 {
            self.db_applied_terms = self.db_applied_terms.split_off(&(through + 1));
        }
    }

    /// Stock changes summed through `folded_through`, and that index (0: nothing folded).
    pub fn folded_db_changes(&self) -> (&BTreeMap<String, i64>, u64) {
        (&self.window.folded, self.window.folded_through)
    }

    /// Atomicity violations found in transactions already forgotten.
    pub fn forgotten_broken_transactions(&self) -> &[String] {
        &self.window.broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Fact;
    use crate::invariants::atomic_commitment::broken_transactions;
    use crate::protocol::payment::PaymentState;
    use crate::protocol::two_pc::TxnState;
    use crate::sim::trace::{TraceEvent, TraceKind};
    use crate::sim::NodeId;

    fn feed(o: &mut Observer, fact: Fact) {
        let ev = TraceEvent {
            seq: o.next_seq(),
            t_us: 0,
            node: NodeId(1),
            kind: TraceKind::Fact(Box::new(fact)),
            corr: 0,
            vc: None,
        };
        o.observe(&ev);
    }

    /// Transaction `n`: committed with stock and payment taken, except `torn`, whose payment
    /// was never captured.
    fn finish(o: &mut Observer, n: usize, torn: bool) {
        let txn = format!("t{n}");
        let state = if torn {
            PaymentState::Released
        } else {
            PaymentState::Captured
        };
        feed(
            o,
            Fact::Payment {
                txn: txn.clone(),
                state,
                amount_cents: 1,
                method: "Visa".into(),
            },
        );
        let index = n as u64 + 1;
        let book = "Dune".to_string();
        let txn_of = Some(txn.clone());
        feed(
            o,
            Fact::StockChanged {
                index,
                book,
                delta: -1,
                txn: txn_of,
                stock_after: 0,
            },
        );
        let order_id = format!("o{n}");
        feed(
            o,
            Fact::Txn {
                txn,
                order_id,
                state: TxnState::Committed,
                reason: None,
            },
        );
    }

    #[test]
    fn forgotten_transactions_are_judged_first_and_stock_changes_fold_into_one_sum() {
        let mut o = Observer::default();
        let total = TXN_WINDOW + 10;
        for n in 0..total {
            finish(&mut o, n, n == 3);
        }
        let before = broken_transactions(&o);
        assert_eq!(before.len(), 1, "{before:?}");
        o.forget_settled();
        assert_eq!(o.txns.len(), TXN_WINDOW);
        assert!(o.payments.len() <= TXN_WINDOW && o.db_committed.len() <= TXN_WINDOW);
        assert_eq!(
            broken_transactions(&o),
            before,
            "the torn one is still reported"
        );
        // Fewer indexes than the window: nothing folded; the sum is unchanged either way.
        let (folded, through) = o.folded_db_changes();
        let kept: i64 = o.db_changes.values().flatten().map(|(_, d)| d).sum();
        let summed = folded.values().sum::<i64>() + kept;
        assert_eq!(summed, -(total as i64));
        assert_eq!(through == 0, total <= DB_INDEX_WINDOW);
    }

    #[test]
    fn stock_changes_beyond_the_window_fold_into_a_sum_that_judges_the_same() {
        let mut o = Observer::default();
        let total = DB_INDEX_WINDOW as u64 + 7;
        for index in 1..=total {
            let book = if index % 2 == 0 { "Dune" } else { "Emma" }.to_string();
            feed(
                &mut o,
                Fact::StockChanged {
                    index,
                    book,
                    delta: -1,
                    txn: None,
                    stock_after: 0,
                },
            );
        }
        o.forget_settled();
        let (folded, through) = o.folded_db_changes();
        assert_eq!(through, 7);
        assert_eq!(folded.values().sum::<i64>(), -7);
        assert_eq!(o.db_changes.len(), DB_INDEX_WINDOW);
        assert_eq!(o.db_changes.keys().next(), Some(&8));
    }
}
