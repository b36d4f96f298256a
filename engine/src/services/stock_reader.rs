//! The storefront's stock reader (seed 003: "read operations can be performed on any node
//! (primary or replica); round-robin load balancing is applied"). A task on the shopper's node
//! reads the copies left of the books the shopper cares about — the books of its orders and the
//! scenario's scarce books — once a round, either strongly from the primary or round-robin from
//! every replica, switchable while the run goes.
//!
//! It records each read as two typed facts, `ReadIssued` then `ReadAnswered`, and judges
//! nothing: whether an answer is stale depends on what had been acknowledged to *other*
//! clients when the read was issued, which only the observer of the whole trace knows
//! (`system/stock_reads.rs`). While reads are off the task waits on a signal, never on a timer,
//! so a world that never turns them on has the same trace as before the reader existed.

use crate::facts::Fact;
use crate::services::books_db::{DbClient, DbClientConfig};
use crate::services::executor::shared::Signal;
use crate::sim::futures::select_biased;
use crate::sim::trace::TraceKind;
use crate::sim::{ms, Micros, NodeCtx};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How often a round of reads starts (virtual time): often enough that a replica left behind
/// by a partition is caught answering within a second or two.
pub const READ_EVERY_US: Micros = ms(500);
/// The most books one round reads: a limit on everything.
pub const WATCH_MAX: usize = 6;

/// Where the storefront reads stock from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StockReads {
    /// No reads (the default: existing scenarios run as they always did).
    #[default]
    Off,
    /// Strong reads through the primary.
    Primary,
    /// Round-robin over every node, each answering from its own applied state.
    Replicas,
}

impl StockReads {
    pub const ALL: [StockReads; 3] = [StockReads::Off, StockReads::Primary, StockReads::Replicas];

    pub fn as_str(self) -> &'static str {
        match self {
            StockReads::Off => "off",
            StockReads::Primary => "primary",
            StockReads::Replicas => "replicas",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// The reader's settings, shared by the task and whoever switches it while the run goes (the
/// system's `stock_reads` input, the shopper's checkouts adding books to watch).
#[derive(Default)]
pub struct StockReader {
    mode: Cell<StockReads>,
    /// Titles to read each round, most recently ordered first.
    watch: RefCell<Vec<String>>,
    wake: Signal,
}

impl StockReader {
    pub fn new(mode: StockReads, watch: impl IntoIterator<Item = String>) -> Rc<Self> {
        let reader = Rc::new(StockReader {
            mode: Cell::new(mode),
            ..StockReader::default()
        });
        for title in watch {
            reader.watch(&title);
        }
        reader
    }

    pub fn mode(&self) -> StockReads {
        self.mode.get()
    }

    /// Takes effect at once: a waiting reader starts a round, a reading one stops after the
    /// read in flight.
    pub fn set_mode(&self, mode: StockReads) {
        self.mode.set(mode);
        self.wake.notify();
    }

    /// Puts `title` first in the watch list (the oldest falls off past `WATCH_MAX`).
    pub fn watch(&self, title: &str) {
        let mut w = self.watch.borrow_mut();
        w.retain(|t| t != title);
        w.insert(0, title.to_string());
        w.truncate(WATCH_MAX);
        drop(w);
        self.wake.notify();
    }

    pub fn watched(&self) -> Vec<String> {
        self.watch.borrow().clone()
    }
}

/// The reader task: runs on the shopper's node for as long as the node is up.
pub async fn run(ctx: NodeCtx, reader: Rc<StockReader>, db_service: String) {
    let cfg = DbClientConfig {
        // A shopper's page gives up sooner than the coordinator does.
        max_attempts: 3,
        ..DbClientConfig::default()
    };
    let db = DbClient::new(ctx.clone(), ctx.nodes_of(&db_service), cfg);
    let mut next_read: u64 = 0;
    loop {
        let mode = reader.mode();
        let books = reader.watched();
        if mode == StockReads::Off || books.is_empty() {
            reader.wake.wait().await;
            continue;
        }
        for book in books {
            if reader.mode() != mode {
                break;
            }
            next_read += 1;
            read_once(&ctx, &db, next_read, &book, mode == StockReads::Primary).await;
        }
        select_biased(reader.wake.wait(), ctx.sleep(READ_EVERY_US)).await;
    }
}

async fn read_once(ctx: &NodeCtx, db: &DbClient, read: u64, book: &str, strong: bool) {
    let fact = |f: Fact| ctx.trace(TraceKind::Fact(Box::new(f)), 0, None);
    fact(Fact::ReadIssued {
        read,
        book: book.to_string(),
        strong,
    });
    let answer = if strong {
        db.read_primary(book).await
    } else {
        db.read_replica(book).await
    };
    match answer {
        Ok(a) => fact(Fact::ReadAnswered {
            read,
            book: book.to_string(),
            strong,
            replica: a.node,
            copies: a.copies,
            applied_index: a.applied_index,
        }),
        Err(e) => ctx.log(format!("stock read of {book:?} failed: {e}")),
    }
}
