//! The storefront's stock reads as the page draws them: counts, the newest reads, the newest
//! stale ones and the newest answer per book, all typed records judged by the observer
//! (`system/stock_reads.rs`). Copied only when a read was issued or answered since last frame.
use crate::system::stock_reads::{ReadCounts, ReadRecord, StockReadLedger};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StockReadsSnap {
    pub counts: ReadCounts,
    /// Newest last.
    pub recent: Vec<ReadRecord>,
    /// Newest last.
    pub stale: Vec<ReadRecord>,
    /// The newest answer per book (what the shop shows).
    pub by_book: BTreeMap<String, ReadRecord>,
}

/// Keeps the last copy and the ledger version it was made from.
#[derive(Default)]
pub struct ReadsCache {
    made_from: Option<u64>,
    shared: Arc<StockReadsSnap>,
}

impl ReadsCache {
    pub fn get(&mut self, ledger: &StockReadLedger) -> Arc<StockReadsSnap> {
        if self.made_from != Some(ledger.version) {
            self.shared = Arc::new(StockReadsSnap {
                counts: ledger.counts,
                recent: ledger.recent.iter().cloned().collect(),
                stale: ledger.stale.iter().cloned().collect(),
                by_book: ledger.latest_by_book.clone(),
            });
            self.made_from = Some(ledger.version);
        }
        self.shared.clone()
    }
}
