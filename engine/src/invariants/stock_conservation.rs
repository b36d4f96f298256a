//! Stock is conserved and replicas converge (SPEC invariants: "stock never negative and
//! replicas converge"; seed 003: every replica holds the primary's data once replication
//! catches up). At the end of a run, after healing: every live replica's stock equals the
//! initial stock plus every change the log applied (each log index counted once), which is
//! initial − committed quantities for an order stream; and no replica ever shows a stock
//! below zero or below what it reserved.

use crate::system::observer::Observer;
use crate::system::System;
use crate::view::NodeView;
use std::collections::BTreeMap;

pub const NAME: &str = "stock conserved on every replica";
pub const SOURCE: &str =
    "SPEC invariants: stock never negative and replicas converge; seed 003 replication";

/// Differences between each live replica's stock and initial + the changes of every log
/// entry up to the one it has applied. Judging each replica at its own applied index keeps the
/// check honest mid-stream too: a backup that has not yet heard of the latest commit is behind,
/// not wrong (lagging is what the page's replica table shows, not a violation).
pub fn stock_mismatches(sys: &System, initial: &BTreeMap<String, u32>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(total) = expected_upto(initial, &sys.observer, u64::MAX) else {
        return out;
    };
    if let Some((book, n)) = total.iter().find(|(_, n)| **n < 0) {
        out.push(format!(
            "{book:?} would stand at {n}: stock went below zero"
        ));
    }
    let w = sys.world();
    for node in w
        .nodes()
        .iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
    {
        let Some(NodeView::BooksDb(v)) = w.view(node.id) else {
            continue;
        };
        // A replica further behind than the observer's window cannot be judged exactly.
        let Some(expected) = expected_upto(initial, &sys.observer, v.applied_index) else {
            continue;
        };
        for (book, want) in &expected {
            let have = v.stock.get(book).copied().map_or(0, |n| n as i64);
            if have != *want {
                out.push(format!(
                    "{} holds {have} × {book:?}, expected {want} (applied #{})",
                    node.name, v.applied_index
                ));
                break;
            }
        }
        if let Some((book, r)) = v
            .reserved
            .iter()
            .find(|(b, r)| v.stock.get(*b).copied().unwrap_or(0) < **r)
        {
            out.push(format!(
                "{} reserves {r} × {book:?}, more than its stock",
                node.name
            ));
        }
    }
    out
}

/// Initial stock plus the changes of every log entry at or below `index` (the observer keeps
/// the oldest ones summed: `system/observer_window.rs`); None for an index inside that sum.
fn expected_upto(
    initial: &BTreeMap<String, u32>,
    facts: &Observer,
    index: u64,
) -> Option<BTreeMap<String, i64>> {
    let (folded, folded_through) = facts.folded_db_changes();
    if index < folded_through {
        return None;
    }
    let mut expected: BTreeMap<String, i64> = initial
        .iter()
        .map(|(k, v)| (k.clone(), *v as i64))
        .collect();
    for (book, delta) in folded {
        *expected.entry(book.clone()).or_insert(0) += delta;
    }
    let changes = facts.db_changes.range(..=index).flat_map(|(_, c)| c);
    for (book, delta) in changes {
        *expected.entry(book.clone()).or_insert(0) += delta;
    }
    Some(expected)
}

/// Live database replicas whose stock differs from the most advanced replica's, after a healed
/// quiet phase (seed 003: every replica holds the primary's data once replication catches up).
/// The stock checker judges each replica at its own applied index, so a replica left behind
/// for good would pass it; this is the convergence half.
pub fn unconverged_replicas(sys: &System) -> Vec<String> {
    let w = sys.world();
    let views: Vec<(String, crate::view::BooksDbView)> = w
        .nodes()
        .iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
        .filter(|n| n.liveness == crate::sim::Liveness::Up)
        .filter_map(|n| match &n.view {
            NodeView::BooksDb(v) => Some((n.name.clone(), v.clone())),
            _ => None,
        })
        .collect();
    let Some((_, ahead)) = views.iter().max_by_key(|(_, v)| v.applied_index) else {
        return Vec::new();
    };
    views
        .iter()
        .filter(|(_, v)| v.stock != ahead.stock)
        .map(|(name, v)| {
            format!(
                "{name} (applied #{}) differs from the most advanced replica (#{})",
                v.applied_index, ahead.applied_index
            )
        })
        .collect()
}
