//! The storefront's stock reads as rows: which replica answered, what it said, what had been
//! acknowledged when the read was issued, stale or not — all read from the engine's typed,
//! already judged records (`Snapshot::reads`), never from log text. Also what the shop shows
//! beside a book: the copies its newest read returned.
use crate::view_model::orders_cluster::node_name;
use engine::services::stock_reader::StockReads;
use engine::sim::fmt_secs;
use engine::snapshot::reads::StockReadsSnap;
use engine::snapshot::NodeSnap;
use engine::system::stock_reads::ReadRecord;

/// How many rows each reads table draws (the counts cover all).
pub const READ_ROWS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadRow {
    /// Unique per read: (reader, issued at) — a reader issues one read at a time.
    pub key: (u32, u64),
    pub when: String,
    pub book: String,
    pub replica: String,
    pub kind: &'static str,
    pub read: String,
    /// What had been acknowledged when the read was issued ("unchanged" if nothing since the
    /// start).
    pub latest: String,
    pub stale: bool,
}

fn copies_text(copies: Option<u32>) -> String {
    copies.map_or_else(|| "no such book".to_string(), |c| c.to_string())
}

pub fn read_row(r: &ReadRecord, nodes: &[NodeSnap]) -> ReadRow {
    ReadRow {
        key: (r.reader.0, r.issued_us),
        when: fmt_secs(r.issued_us),
        book: r.book.clone(),
        replica: node_name(nodes, r.replica),
        kind: if r.strong { "strong" } else { "replica" },
        read: format!("{} (#{})", copies_text(r.copies), r.applied_index),
        latest: r.latest.map_or_else(
            || "unchanged".to_string(),
            |a| format!("{} (#{})", a.copies, a.index),
        ),
        stale: r.stale,
    }
}

/// The newest reads first, at most `READ_ROWS`; only the stale ones when `stale_only`.
pub fn read_rows(reads: &StockReadsSnap, nodes: &[NodeSnap], stale_only: bool) -> Vec<ReadRow> {
    let list = if stale_only {
        &reads.stale
    } else {
        &reads.recent
    };
    list.iter()
        .rev()
        .take(READ_ROWS)
        .map(|r| read_row(r, nodes))
        .collect()
}

/// The line above the tables.
pub fn counts_text(reads: &StockReadsSnap, mode: StockReads) -> String {
    let c = reads.counts;
    let share = match c.answered {
        0 => String::new(),
        n => format!(" ({}%)", (c.stale as u64 * 100 + n as u64 / 2) / n as u64),
    };
    let off = if mode == StockReads::Off {
        " · reads are off"
    } else {
        ""
    };
    format!(
        "{} issued · {} answered · {} stale{share}{off}",
        c.issued, c.answered, c.stale
    )
}

/// What the shop shows beside a book while reads are on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopStock {
    pub text: String,
    /// Where it came from and when, for the tooltip and screen readers.
    pub source: String,
    pub stale: bool,
}

pub fn shop_stock(
    reads: &StockReadsSnap,
    mode: StockReads,
    title: &str,
    nodes: &[NodeSnap],
) -> Option<ShopStock> {
    if mode == StockReads::Off {
        return None;
    }
    let r = reads.by_book.get(title)?;
    let text = match r.copies {
        Some(0) => "out of stock".to_string(),
        Some(c) => format!("{c} in stock"),
        None => "not stocked".to_string(),
    };
    let mut source = format!(
        "read from {} ({}) at {}",
        node_name(nodes, r.replica),
        if r.strong { "primary" } else { "replica" },
        fmt_secs(r.answered_us)
    );
    if let (true, Some(a)) = (r.stale, r.latest) {
        source.push_str(&format!("; stale: {} was acknowledged", a.copies));
    }
    Some(ShopStock {
        text,
        source,
        stale: r.stale,
    })
}

#[cfg(test)]
#[path = "stock_reads_tests.rs"]
mod tests;
