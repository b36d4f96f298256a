//! The stock on every books-database replica, as plain Rust: one column per replica (primary
//! marked, a replica whose applied index trails the primary's marked lagging), one row per book
//! with activity — reserved copies, replicas that disagree, stock that moved from its initial
//! count, or a scenario's scarce book — and the cells that differ from the primary marked stale.
use engine::sim::{Liveness, NodeId};
use engine::snapshot::NodeSnap;
use engine::view::{BooksDbView, NodeView};
use std::collections::BTreeMap;

/// At most this many rows are drawn; the rest are counted.
pub const STOCK_ROWS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaColumn {
    pub id: NodeId,
    pub name: String,
    pub primary: bool,
    /// Applied fewer entries than the primary has.
    pub lagging: bool,
    /// Crashed or not yet started: no stock to show.
    pub down: bool,
    pub applied: u64,
}

impl ReplicaColumn {
    /// Words for the column header's second line.
    pub fn caption(&self) -> String {
        match (self.down, self.primary, self.lagging) {
            (true, _, _) => "down".into(),
            (_, true, _) => format!("primary · #{}", self.applied),
            (_, _, true) => format!("lagging · #{}", self.applied),
            _ => format!("#{}", self.applied),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockCell {
    pub copies: Option<u32>,
    /// Copies held by prepared transactions on this replica.
    pub reserved: u32,
    /// Differs from the primary's count.
    pub stale: bool,
}

impl StockCell {
    pub fn text(&self) -> String {
        match (self.copies, self.reserved) {
            (None, _) => "—".into(),
            (Some(c), 0) => c.to_string(),
            (Some(c), r) => format!("{c} ({r} held)"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockRow {
    pub book: String,
    pub initial: Option<u32>,
    pub cells: Vec<StockCell>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StockTable {
    pub replicas: Vec<ReplicaColumn>,
    pub rows: Vec<StockRow>,
    /// Rows that matched but were not drawn (over `STOCK_ROWS`).
    pub more: usize,
}

/// The replicas' columns, in node order.
pub fn replica_columns(nodes: &[NodeSnap]) -> Vec<(ReplicaColumn, Option<&BooksDbView>)> {
    let views: Vec<(&NodeSnap, Option<&BooksDbView>)> = nodes
        .iter()
        .filter(|n| n.service == "books-db")
        .map(|n| match (&n.view, n.liveness) {
            (NodeView::BooksDb(d), Liveness::Up | Liveness::Paused) => (n, Some(d)),
            _ => (n, None),
        })
        .collect();
    // The primary is the leader of the highest term: a deposed primary cut off in a minority
    // may still believe it leads for a while (until check-quorum), in an older term.
    let primary_node = views
        .iter()
        .filter_map(|(n, v)| v.map(|d| (n.id, d)))
        .filter(|(_, d)| d.standing == engine::view::Standing::Leader)
        .max_by_key(|(id, d)| (d.term, d.applied_index, std::cmp::Reverse(*id)))
        .map(|(id, _)| id);
    let primary_applied = views
        .iter()
        .find(|(n, _)| Some(n.id) == primary_node)
        .and_then(|(_, v)| v.map(|d| d.applied_index));
    views
        .into_iter()
        .map(|(n, v)| {
            let primary = v.is_some() && Some(n.id) == primary_node;
            let applied = v.map_or(0, |d| d.applied_index);
            let lagging = v.is_some() && primary_applied.is_some_and(|p| applied < p);
            (
                ReplicaColumn {
                    id: n.id,
                    name: n.name.clone(),
                    primary,
                    lagging,
                    down: v.is_none(),
                    applied,
                },
                v,
            )
        })
        .collect()
}

/// Whether `book` is worth a row: held, disputed between replicas, moved, or scarce by design.
fn has_activity(
    book: &str,
    views: &[Option<&BooksDbView>],
    initial: &BTreeMap<String, u32>,
    scarce: &BTreeMap<String, u32>,
) -> bool {
    let counts: Vec<Option<u32>> = views
        .iter()
        .flatten()
        .map(|d| d.stock.get(book).copied())
        .collect();
    let reserved = views
        .iter()
        .flatten()
        .any(|d| d.reserved.get(book).is_some_and(|r| *r > 0));
    let disagree = counts.windows(2).any(|w| w[0] != w[1]);
    let moved = counts.iter().any(|c| *c != initial.get(book).copied());
    reserved || disagree || moved || scarce.contains_key(book)
}

/// The table: rows with activity, or every book matching `filter` (case-insensitive) when set.
pub fn stock_table(
    nodes: &[NodeSnap],
    initial: &BTreeMap<String, u32>,
    scarce: &BTreeMap<String, u32>,
    filter: &str,
) -> StockTable {
    let columns = replica_columns(nodes);
    let views: Vec<Option<&BooksDbView>> = columns.iter().map(|(_, v)| *v).collect();
    let primary = columns
        .iter()
        .find(|(c, _)| c.primary)
        .and_then(|(_, v)| *v);
    let needle = filter.trim().to_lowercase();
    let mut titles: Vec<&String> = views
        .iter()
        .flatten()
        .flat_map(|d| d.stock.keys())
        .collect();
    titles.sort();
    titles.dedup();
    let matching: Vec<&String> = titles
        .into_iter()
        .filter(|t| {
            if needle.is_empty() {
                has_activity(t, &views, initial, scarce)
            } else {
                t.to_lowercase().contains(&needle)
            }
        })
        .collect();
    let more = matching.len().saturating_sub(STOCK_ROWS);
    let rows = matching
        .into_iter()
        .take(STOCK_ROWS)
        .map(|book| stock_row(book, &views, primary, initial))
        .collect();
    StockTable {
        replicas: columns.into_iter().map(|(c, _)| c).collect(),
        rows,
        more,
    }
}

fn stock_row(
    book: &str,
    views: &[Option<&BooksDbView>],
    primary: Option<&BooksDbView>,
    initial: &BTreeMap<String, u32>,
) -> StockRow {
    let truth = primary.map(|p| p.stock.get(book).copied());
    let cells = views
        .iter()
        .map(|v| {
            let copies = v.and_then(|d| d.stock.get(book).copied());
            let reserved = v.and_then(|d| d.reserved.get(book).copied()).unwrap_or(0);
            let stale = v.is_some() && truth.is_some_and(|t| t != copies);
            StockCell {
                copies,
                reserved,
                stale,
            }
        })
        .collect();
    StockRow {
        book: book.to_string(),
        initial: initial.get(book).copied(),
        cells,
    }
}

#[cfg(test)]
#[path = "stock_tests.rs"]
mod tests;
