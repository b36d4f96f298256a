//! The state every replica rebuilds by applying the log in order: stock, reservations of
//! prepared transactions, finished transactions and recorded decisions. `apply` is a pure
//! function of the state and the command, so every replica that applies the same log holds
//! the same stock (the convergence the end-of-run check compares).

use super::command::{DbCommand, DbError, DbResult, TxnItem};
use crate::protocol::recent::{RecentList, RecentMap};
use crate::protocol::two_pc::{AbortReason, Decision, Vote};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Finished transactions remembered. A Prepare or Commit for a transaction arrives within
/// seconds of its coordinator's decision; one that arrives after 20,000 newer transactions
/// finished is treated as a transaction this replica never saw (a late Prepare reserves, and
/// the in-doubt chase asks the coordinators, who answer from their own window).
pub const FINISHED_WINDOW: usize = 20_000;
/// Decisions recorded here (for coordinators that keep them in the database), and results of
/// operations kept for their retries: a retry comes within seconds, a question about a
/// decision within the in-doubt chase's timeout.
pub const DECISIONS_WINDOW: usize = 10_000;
pub const OP_RESULTS_WINDOW: usize = 10_000;

/// Most copies one order line may ask for: a limit on everything, and it keeps sums in u32.
pub const MAX_QUANTITY: u32 = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxnFinal {
    Committed,
    Aborted,
}

/// One stock change a command made, for the trace (conservation is checked from these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedChange {
    pub book: String,
    pub delta: i64,
    pub stock_after: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BooksState {
    stock: BTreeMap<String, u32>,
    /// Copies held by prepared, undecided transactions, per book.
    reserved: BTreeMap<String, u32>,
    prepared: BTreeMap<String, Vec<TxnItem>>,
    finished: RecentMap<String, TxnFinal>,
    decisions: RecentMap<String, Decision>,
    /// Results of client operations that carried an op id, so a retry is answered, not redone.
    op_results: RecentMap<String, DbResult>,
}

/// `BooksState` as a Raft snapshot carries it (`protocol/raft/snapshot.rs`).
#[derive(Serialize, Deserialize)]
struct BooksSnapshot {
    stock: BTreeMap<String, u32>,
    reserved: BTreeMap<String, u32>,
    prepared: BTreeMap<String, Vec<TxnItem>>,
    finished: RecentList<String, TxnFinal>,
    decisions: RecentList<String, Decision>,
    op_results: RecentList<String, DbResult>,
}

impl Default for BooksState {
    fn default() -> Self {
        Self {
            stock: BTreeMap::new(),
            reserved: BTreeMap::new(),
            prepared: BTreeMap::new(),
            finished: RecentMap::new(FINISHED_WINDOW),
            decisions: RecentMap::new(DECISIONS_WINDOW),
            op_results: RecentMap::new(OP_RESULTS_WINDOW),
        }
    }
}

impl BooksState {
    pub fn new(initial: BTreeMap<String, u32>) -> Self {
        Self {
            stock: initial,
            ..Self::default()
        }
    }

    /// The whole state as JSON, for a Raft snapshot: O(stock + windows), taken once per
    /// `COMPACT_EVERY_ENTRIES` applied entries.
    pub fn to_snapshot(&self) -> Result<String, String> {
        let snapshot = BooksSnapshot {
            stock: self.stock.clone(),
            reserved: self.reserved.clone(),
            prepared: self.prepared.clone(),
            finished: self.finished.to_list(),
            decisions: self.decisions.to_list(),
            op_results: self.op_results.to_list(),
        };
        serde_json::to_string(&snapshot).map_err(|e| e.to_string())
    }

    /// The state a snapshot describes; an unreadable one is an error, never a guess.
    pub fn from_snapshot(data: &str) -> Result<Self, String> {
        let s: BooksSnapshot = serde_json::from_str(data).map_err(|e| e.to_string())?;
        Ok(Self {
            stock: s.stock,
            reserved: s.reserved,
            prepared: s.prepared,
            finished: RecentMap::from_list(FINISHED_WINDOW, s.finished),
            decisions: RecentMap::from_list(DECISIONS_WINDOW, s.decisions),
            op_results: RecentMap::from_list(OP_RESULTS_WINDOW, s.op_results),
        })
    }

    pub fn stock(&self, book: &str) -> Option<u32> {
        self.stock.get(book).copied()
    }

    pub fn reserved(&self, book: &str) -> u32 {
        self.reserved.get(book).copied().unwrap_or(0)
    }

    pub fn all_reserved(&self) -> &BTreeMap<String, u32> {
        &self.reserved
    }

    pub fn prepared_count(&self) -> usize {
        self.prepared.len()
    }

    pub fn all_stock(&self) -> &BTreeMap<String, u32> {
        &self.stock
    }

    /// Transactions prepared and not yet decided here, in txn order.
    pub fn prepared_txns(&self) -> impl Iterator<Item = (&String, &Vec<TxnItem>)> {
        self.prepared.iter()
    }

    /// The items `txn` holds, if it is prepared and undecided here.
    pub fn reservation(&self, txn: &str) -> Option<&Vec<TxnItem>> {
        self.prepared.get(txn)
    }

    pub fn finished(&self, txn: &str) -> Option<TxnFinal> {
        self.finished.get(txn).copied()
    }

    pub fn decision(&self, txn: &str) -> Option<&Decision> {
        self.decisions.get(txn)
    }

    /// Applies one committed command; returns the answer and the stock it changed.
    pub fn apply(&mut self, cmd: &DbCommand) -> (DbResult, Vec<AppliedChange>) {
        match cmd {
            DbCommand::Write { book, stock } => self.write(book, *stock),
            DbCommand::Adjust { book, delta, op_id } => {
                if let Some(done) = op_id.as_ref().and_then(|id| self.op_results.get(id)) {
                    return (done.clone(), Vec::new());
                }
                let out = self.adjust(book, *delta);
                if let Some(id) = op_id {
                    self.op_results.insert_first(id.clone(), out.0.clone());
                }
                out
            }
            DbCommand::Prepare { txn, items } => (self.prepare(txn, items), Vec::new()),
            DbCommand::Commit { txn } => self.commit(txn),
            DbCommand::Abort { txn } => (self.abort(txn), Vec::new()),
            DbCommand::RecordDecision { txn, decision } => {
                self.decisions.insert_first(txn.clone(), decision.clone());
                let winner = self.decisions.get(txn).unwrap_or(decision).clone();
                (DbResult::Decision(winner), Vec::new())
            }
            DbCommand::ReadBarrier => (DbResult::Done, Vec::new()),
        }
    }

    fn write(&mut self, book: &str, stock: u32) -> (DbResult, Vec<AppliedChange>) {
        let reserved = self.reserved(book);
        let old = self.stock(book).unwrap_or(0);
        if stock < reserved {
            let delta = stock as i64 - old as i64;
            return (
                DbResult::Refused(DbError::WouldGoNegative {
                    book: book.into(),
                    stock: old,
                    reserved,
                    delta,
                }),
                Vec::new(),
            );
        }
        self.stock.insert(book.to_string(), stock);
        let change = AppliedChange {
            book: book.to_string(),
            delta: stock as i64 - old as i64,
            stock_after: stock,
        };
        (
            DbResult::Stock {
                book: book.into(),
                stock,
            },
            vec![change],
        )
    }

    fn adjust(&mut self, book: &str, delta: i64) -> (DbResult, Vec<AppliedChange>) {
        let Some(stock) = self.stock(book) else {
            return (
                DbResult::Refused(DbError::UnknownBook { book: book.into() }),
                Vec::new(),
            );
        };
        let reserved = self.reserved(book);
        let after = stock as i64 + delta;
        if after < reserved as i64
            || after > u32::MAX as i64
            || delta.unsigned_abs() > MAX_QUANTITY as u64
        {
            return (
                DbResult::Refused(DbError::WouldGoNegative {
                    book: book.into(),
                    stock,
                    reserved,
                    delta,
                }),
                Vec::new(),
            );
        }
        let after = after as u32;
        self.stock.insert(book.to_string(), after);
        (
            DbResult::Stock {
                book: book.into(),
                stock: after,
            },
            vec![AppliedChange {
                book: book.into(),
                delta,
                stock_after: after,
            }],
        )
    }

    /// Checks every item against what is free (stock minus other reservations) and reserves
    /// them all, or none. Idempotent: a repeated Prepare answers as the first did.
    fn prepare(&mut self, txn: &str, items: &[TxnItem]) -> DbResult {
        match self.finished.get(txn) {
            Some(TxnFinal::Committed) => return DbResult::Vote(Vote::Commit),
            Some(TxnFinal::Aborted) => return DbResult::abort_vote(AbortReason::PresumedAbort),
            None => {}
        }
        if self.prepared.contains_key(txn) {
            return DbResult::Vote(Vote::Commit);
        }
        let wanted = match merge_items(items) {
            Ok(w) => w,
            Err(why) => return DbResult::abort_vote(AbortReason::InvalidOrder { why }),
        };
        for (book, qty) in &wanted {
            let Some(stock) = self.stock(book) else {
                return DbResult::abort_vote(AbortReason::UnknownBook { book: book.clone() });
            };
            let available = stock.saturating_sub(self.reserved(book));
            if available < *qty {
                return DbResult::abort_vote(AbortReason::InsufficientStock {
                    book: book.clone(),
                    available,
                    wanted: *qty,
                });
            }
        }
        for (book, qty) in &wanted {
            *self.reserved.entry(book.clone()).or_insert(0) += qty;
        }
        let merged = wanted
            .into_iter()
            .map(|(book, quantity)| TxnItem { book, quantity })
            .collect();
        self.prepared.insert(txn.to_string(), merged);
        DbResult::Vote(Vote::Commit)
    }

    fn commit(&mut self, txn: &str) -> (DbResult, Vec<AppliedChange>) {
        match self.finished.get(txn) {
            Some(TxnFinal::Committed) => return (DbResult::Done, Vec::new()),
            Some(TxnFinal::Aborted) => {
                return (
                    DbResult::Refused(DbError::AlreadyDecided {
                        txn: txn.into(),
                        committed: false,
                    }),
                    Vec::new(),
                )
            }
            None => {}
        }
        let Some(items) = self.prepared.remove(txn) else {
            return (
                DbResult::Refused(DbError::NotPrepared { txn: txn.into() }),
                Vec::new(),
            );
        };
        let mut changes = Vec::new();
        for item in items {
            self.release(&item);
            // Reservation guaranteed stock ≥ reserved ≥ quantity; saturating keeps a bug visible
            // in the conservation check instead of a wrap-around.
            let after = self
                .stock(&item.book)
                .unwrap_or(0)
                .saturating_sub(item.quantity);
            self.stock.insert(item.book.clone(), after);
            changes.push(AppliedChange {
                book: item.book,
                delta: -(item.quantity as i64),
                stock_after: after,
            });
        }
        self.finished
            .insert_first(txn.to_string(), TxnFinal::Committed);
        (DbResult::Done, changes)
    }

    /// Releases the reservation; an Abort before any Prepare is remembered, so a Prepare that
    /// arrives late (the coordinator already gave up on it) votes abort instead of reserving.
    fn abort(&mut self, txn: &str) -> DbResult {
        if self.finished.get(txn) == Some(&TxnFinal::Committed) {
            return DbResult::Refused(DbError::AlreadyDecided {
                txn: txn.into(),
                committed: true,
            });
        }
        if let Some(items) = self.prepared.remove(txn) {
            for item in &items {
                self.release(item);
            }
        }
        self.finished
            .insert_first(txn.to_string(), TxnFinal::Aborted);
        DbResult::Done
    }

    fn release(&mut self, item: &TxnItem) {
        if let Some(r) = self.reserved.get_mut(&item.book) {
            *r = r.saturating_sub(item.quantity);
            if *r == 0 {
                self.reserved.remove(&item.book);
            }
        }
    }
}

/// Sums quantities per book (an order may name a book twice) and refuses absurd lines.
fn merge_items(items: &[TxnItem]) -> Result<BTreeMap<String, u32>, String> {
    if items.is_empty() {
        return Err("no items".into());
    }
    let mut wanted: BTreeMap<String, u32> = BTreeMap::new();
    for item in items {
        if item.quantity == 0 || item.quantity > MAX_QUANTITY {
            return Err(format!(
                "quantity {} of {:?} is not between 1 and {MAX_QUANTITY}",
                item.quantity, item.book
            ));
        }
        let total = wanted.entry(item.book.clone()).or_insert(0);
        *total = total.saturating_add(item.quantity).min(MAX_QUANTITY + 1);
        if *total > MAX_QUANTITY {
            return Err(format!(
                "more than {MAX_QUANTITY} copies of {:?}",
                item.book
            ));
        }
    }
    Ok(wanted)
}
