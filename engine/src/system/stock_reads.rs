//! Judging stock reads honestly (seed 003: replica reads are "visibly stale"). A read is stale
//! when the value it returned is older than the newest value of that book acknowledged to any
//! client before the read was issued. Nobody inside the simulation can judge that — a reader
//! only knows its own writes, a replica only its own log — so the observer does, from the
//! trace:
//!
//! - `stock_changed` (index, book, copies after) says what each log entry did to a book;
//! - `db_acked` (index) says the primary acknowledged that entry to its client: from then on
//!   its value is the newest acknowledged one for those books;
//! - `read_issued` captures, at that moment, the newest acknowledged (index, copies) of the
//!   book; `read_answered` says which node answered from its state applied up to which index.
//!
//! Stale ⇔ the answering node's applied index is below the index of the acknowledged change:
//! it answered from a state that lacks a write somebody had already been told was done. The
//! applied index, not the copies, decides: a replica behind by a decrement and an increment
//! returns the right number from the wrong past. Acknowledged means the primary sent the
//! answer; a read issued while that answer is still on the wire is judged against it too,
//! which is strict but never misses a stale answer.

use crate::services::books_db::StockAnswer;
use crate::sim::{Micros, NodeId};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// How many judged reads are kept for the page: the newest, and the newest stale ones.
pub const READS_KEPT: usize = 40;
/// Reads issued and not yet answered that are remembered (a lost answer is forgotten).
const IN_FLIGHT_MAX: usize = 64;

/// The newest change of a book acknowledged to a client: at which log index, to how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Acked {
    pub index: u64,
    pub copies: u32,
}

/// One answered read, judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadRecord {
    /// The node that read (the shopper's).
    pub reader: NodeId,
    pub book: String,
    /// The node that answered.
    pub replica: NodeId,
    pub strong: bool,
    pub issued_us: Micros,
    pub answered_us: Micros,
    /// What it answered (None: no such book).
    pub copies: Option<u32>,
    pub applied_index: u64,
    /// The newest acknowledged change of the book when the read was issued (None: none since
    /// the start, so any answer is current).
    pub latest: Option<Acked>,
    pub stale: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReadCounts {
    pub issued: u32,
    pub answered: u32,
    pub stale: u32,
    /// Stale answers to strong reads (a primary that lost its place without knowing it yet).
    pub stale_strong: u32,
}

#[derive(Clone, Debug)]
struct Issued {
    book: String,
    strong: bool,
    issued_us: Micros,
    latest: Option<Acked>,
}

#[derive(Clone, Debug, Default)]
pub struct StockReadLedger {
    acked: BTreeMap<String, Acked>,
    /// Changes of entries applied but not acknowledged yet: index → [(book, copies after)].
    unacked: BTreeMap<u64, Vec<(String, u32)>>,
    max_acked: u64,
    in_flight: BTreeMap<(NodeId, u64), Issued>,
    pub counts: ReadCounts,
    /// Newest last.
    pub recent: VecDeque<ReadRecord>,
    pub stale: VecDeque<ReadRecord>,
    /// The newest answer per book (what the shop shows).
    pub latest_by_book: BTreeMap<String, ReadRecord>,
    /// Bumped whenever a read is issued or judged, so a page can skip copying unchanged lists.
    pub version: u64,
}

impl StockReadLedger {
    /// A replica applied entry `index`, which left `book` at `copies`. Every replica reports
    /// the same entry; the first report is kept.
    pub fn stock_changed(&mut self, index: u64, book: &str, copies: u32) {
        if index <= self.max_acked {
            return; // a backup catching up on an entry already acknowledged (or never to be)
        }
        let changes = self.unacked.entry(index).or_default();
        if !changes.iter().any(|(b, _)| b == book) {
            changes.push((book.to_string(), copies));
        }
    }

    /// The primary acknowledged entry `index` to its client.
    pub fn acked(&mut self, index: u64) {
        for (book, copies) in self.unacked.remove(&index).unwrap_or_default() {
            let newer = self.acked.get(&book).is_none_or(|a| a.index < index);
            if newer {
                self.acked.insert(book, Acked { index, copies });
            }
        }
        self.max_acked = self.max_acked.max(index);
        // Entries below an acknowledged one will never be acknowledged (a primary answers in
        // log order; a later primary only answers entries of its own, later term).
        self.unacked = self.unacked.split_off(&(self.max_acked + 1));
    }

    pub fn issued(&mut self, reader: NodeId, read: u64, book: &str, strong: bool, t: Micros) {
        self.counts.issued += 1;
        self.version += 1;
        let latest = self.acked.get(book).copied();
        let issued = Issued {
            book: book.to_string(),
            strong,
            issued_us: t,
            latest,
        };
        self.in_flight.insert((reader, read), issued);
        if self.in_flight.len() > IN_FLIGHT_MAX {
            let oldest = self
                .in_flight
                .iter()
                .min_by_key(|(_, i)| i.issued_us)
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.in_flight.remove(&k);
            }
        }
    }

    /// Judges the answer to `read` against what was acknowledged when it was issued.
    pub fn answered(&mut self, reader: NodeId, read: u64, answer: StockAnswer, t: Micros) {
        let Some(issued) = self.in_flight.remove(&(reader, read)) else {
            return;
        };
        let StockAnswer {
            node: replica,
            copies,
            applied_index,
        } = answer;
        let stale = issued.latest.is_some_and(|a| applied_index < a.index);
        let record = ReadRecord {
            reader,
            book: issued.book,
            replica,
            strong: issued.strong,
            issued_us: issued.issued_us,
            answered_us: t,
            copies,
            applied_index,
            latest: issued.latest,
            stale,
        };
        self.counts.answered += 1;
        if stale {
            self.counts.stale += 1;
            self.counts.stale_strong += u32::from(record.strong);
            push_bounded(&mut self.stale, record.clone());
        }
        self.latest_by_book
            .insert(record.book.clone(), record.clone());
        push_bounded(&mut self.recent, record);
        self.version += 1;
    }

    /// The newest acknowledged change of `book`, if any since the start.
    pub fn latest_acked(&self, book: &str) -> Option<Acked> {
        self.acked.get(book).copied()
    }
}

fn push_bounded(list: &mut VecDeque<ReadRecord>, record: ReadRecord) {
    list.push_back(record);
    if list.len() > READS_KEPT {
        list.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const READER: NodeId = NodeId(0);
    const BACKUP: NodeId = NodeId(2);

    fn answer(applied_index: u64, copies: u32) -> StockAnswer {
        StockAnswer {
            node: BACKUP,
            copies: Some(copies),
            applied_index,
        }
    }

    /// Entry 7 took "Dune" from 5 to 4 and the primary acknowledged it.
    fn after_an_acknowledged_sale() -> StockReadLedger {
        let mut l = StockReadLedger::default();
        l.stock_changed(7, "Dune", 4);
        l.acked(7);
        l
    }

    #[test]
    fn an_answer_from_a_state_missing_an_acknowledged_write_is_stale() {
        let mut l = after_an_acknowledged_sale();
        l.issued(READER, 1, "Dune", false, 100);
        l.answered(READER, 1, answer(6, 5), 130);
        let r = &l.recent[0];
        assert!(r.stale);
        assert_eq!(
            (r.copies, r.latest),
            (
                Some(5),
                Some(Acked {
                    index: 7,
                    copies: 4
                })
            )
        );
        assert_eq!((l.counts.stale, l.stale.len()), (1, 1));
    }

    #[test]
    fn an_answer_from_a_state_with_every_acknowledged_write_is_current() {
        let mut l = after_an_acknowledged_sale();
        l.issued(READER, 1, "Dune", false, 100);
        l.answered(READER, 1, answer(9, 4), 130);
        assert!(!l.recent[0].stale);
        assert_eq!(
            l.counts,
            ReadCounts {
                issued: 1,
                answered: 1,
                stale: 0,
                stale_strong: 0
            }
        );
    }

    #[test]
    fn a_write_acknowledged_after_the_read_was_issued_does_not_make_it_stale() {
        let mut l = StockReadLedger::default();
        l.issued(READER, 1, "Dune", false, 100);
        l.stock_changed(7, "Dune", 4);
        l.acked(7);
        l.answered(READER, 1, answer(6, 5), 130);
        assert!(!l.recent[0].stale, "the read and the write overlapped");
    }

    #[test]
    fn only_changes_of_the_book_read_set_its_bar() {
        let mut l = after_an_acknowledged_sale();
        l.stock_changed(8, "Emma", 2);
        l.acked(8);
        l.issued(READER, 1, "Dune", false, 100);
        l.answered(READER, 1, answer(7, 4), 130);
        assert!(!l.recent[0].stale, "entry 8 did not touch Dune");
    }

    #[test]
    fn a_write_nobody_was_told_about_sets_no_bar() {
        let mut l = StockReadLedger::default();
        l.stock_changed(7, "Dune", 4); // e.g. a primary finishing an in-doubt commit itself
        l.issued(READER, 1, "Dune", false, 100);
        l.answered(READER, 1, answer(6, 5), 130);
        assert!(!l.recent[0].stale);
        assert_eq!(l.latest_acked("Dune"), None);
    }

    #[test]
    fn backups_catching_up_on_an_acknowledged_entry_change_nothing() {
        let mut l = after_an_acknowledged_sale();
        l.stock_changed(7, "Dune", 4);
        assert!(l.unacked.is_empty());
        assert_eq!(
            l.latest_acked("Dune"),
            Some(Acked {
                index: 7,
                copies: 4
            })
        );
    }

    #[test]
    fn an_answer_without_an_issue_and_lost_answers_are_bounded() {
        let mut l = StockReadLedger::default();
        l.answered(READER, 9, answer(1, 1), 10);
        assert_eq!(l.counts.answered, 0);
        for read in 0..200 {
            l.issued(READER, read, "Dune", true, read);
        }
        assert_eq!(l.in_flight.len(), IN_FLIGHT_MAX);
        assert!(l.in_flight.contains_key(&(READER, 199)));
    }
}
