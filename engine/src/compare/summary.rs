//! One side's figures at the end of its run, and the two-column table (or JSON) that sets them
//! side by side. Latencies are nearest-rank percentiles over the checkouts the client got an
//! answer to (the newest `client::RECORDS_KEPT`), in integer microseconds.

use super::tally::Tally;
use crate::sim::Micros;
use crate::system::System;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// One side while it runs: its system and the tally counting its trace.
pub struct Side {
    pub label: String,
    pub sys: System,
    pub tally: Rc<RefCell<Tally>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    pub label: String,
    pub executor_leaderless_ms: u64,
    pub executor_elections: u32,
    /// None when the deployment has no books database.
    pub db_primaryless_ms: Option<u64>,
    pub messages_sent: u64,
    pub messages_dropped: u64,
    pub checkouts_sent: u64,
    pub checkouts_answered: u64,
    pub orders_committed: u64,
    pub orders_aborted: u64,
    pub stock_reads: u32,
    pub stale_reads: u32,
    pub checkout_p50_ms: Option<u64>,
    pub checkout_p99_ms: Option<u64>,
    pub invariant_violations: usize,
    pub trace_hash: String,
    /// Who led the executors when (for the two runs' lanes, `lanes.rs`).
    pub executor_reigns: Vec<ReignBar>,
}

/// One reign as drawn: the leader's name, its term, and when (ms; `to_ms` = the run's end if
/// it still led then).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReignBar {
    pub node: String,
    pub term: u64,
    pub from_ms: u64,
    pub to_ms: u64,
}

impl Side {
    pub fn summary(&self, end_us: Micros) -> RunSummary {
        let tally = self.tally.borrow();
        let sys = &self.sys;
        let has_db = tally
            .clusters
            .contains_key(crate::services::books_db::CLUSTER)
            || sys.config().db_nodes > 0;
        let records = sys.client_records();
        let mut latencies: Vec<Micros> = records
            .iter()
            .filter_map(|r| {
                r.answered_at_us
                    .map(|t| t.saturating_sub(r.submitted_at_us))
            })
            .collect();
        latencies.sort_unstable();
        let reads = &sys.observer.reads.counts;
        RunSummary {
            label: self.label.clone(),
            executor_leaderless_ms: tally
                .leaderless_us(crate::services::executor::shared::CLUSTER, end_us)
                / 1_000,
            executor_elections: tally
                .clusters
                .get(crate::services::executor::shared::CLUSTER)
                .map_or(0, |g| g.elections_won),
            db_primaryless_ms: has_db
                .then(|| tally.leaderless_us(crate::services::books_db::CLUSTER, end_us) / 1_000),
            messages_sent: tally.sent,
            messages_dropped: tally.dropped,
            checkouts_sent: sys.checkouts_submitted() as u64,
            checkouts_answered: latencies.len() as u64,
            orders_committed: sys.observer.txns_committed,
            orders_aborted: sys.observer.txns_aborted,
            stock_reads: reads.answered,
            stale_reads: reads.stale,
            checkout_p50_ms: percentile(&latencies, 50).map(|us| us / 1_000),
            checkout_p99_ms: percentile(&latencies, 99).map(|us| us / 1_000),
            invariant_violations: sys.checker.violations.len(),
            trace_hash: format!("{:016x}", sys.world().trace_hash()),
            executor_reigns: reigns(&tally, sys, end_us),
        }
    }
}

fn reigns(tally: &Tally, sys: &System, end_us: Micros) -> Vec<ReignBar> {
    let nodes = sys.world().nodes();
    let name = |id: crate::sim::NodeId| {
        nodes
            .get(id.0 as usize)
            .map_or_else(|| id.to_string(), |n| n.name.clone())
    };
    tally
        .clusters
        .get(crate::services::executor::shared::CLUSTER)
        .map(|g| {
            g.spans
                .iter()
                .map(|r| ReignBar {
                    node: name(r.node),
                    term: r.term,
                    from_ms: r.from_us / 1_000,
                    to_ms: r.to_us.unwrap_or(end_us).min(end_us) / 1_000,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[Micros], p: u64) -> Option<Micros> {
    let n = sorted.len() as u64;
    let rank = (p * n).div_ceil(100).clamp(1, n.max(1));
    sorted.get(rank as usize - 1).copied()
}

/// (row name, value on A, value on B) for every figure, in print order.
pub fn rows(a: &RunSummary, b: &RunSummary) -> Vec<(&'static str, String, String)> {
    let opt = |v: Option<u64>| v.map_or("-".to_string(), |x| x.to_string());
    let row = |name, f: &dyn Fn(&RunSummary) -> String| (name, f(a), f(b));
    vec![
        row("executors without a leader (ms)", &|s| {
            s.executor_leaderless_ms.to_string()
        }),
        row("executor elections won", &|s| {
            s.executor_elections.to_string()
        }),
        row("books db without a primary (ms)", &|s| {
            opt(s.db_primaryless_ms)
        }),
        row("messages sent", &|s| s.messages_sent.to_string()),
        row("messages dropped", &|s| s.messages_dropped.to_string()),
        row("checkouts sent", &|s| s.checkouts_sent.to_string()),
        row("checkouts answered", &|s| s.checkouts_answered.to_string()),
        row("orders committed", &|s| s.orders_committed.to_string()),
        row("orders aborted", &|s| s.orders_aborted.to_string()),
        row("stock reads answered", &|s| s.stock_reads.to_string()),
        row("stale reads", &|s| s.stale_reads.to_string()),
        row("checkout latency p50 (ms)", &|s| opt(s.checkout_p50_ms)),
        row("checkout latency p99 (ms)", &|s| opt(s.checkout_p99_ms)),
        row("invariant violations", &|s| {
            s.invariant_violations.to_string()
        }),
        row("trace hash", &|s| s.trace_hash.clone()),
    ]
}

/// The two-column table, headed by each side's overrides (or "(scenario as is)").
pub fn table(a: &RunSummary, b: &RunSummary) -> String {
    let head = |s: &RunSummary| {
        if s.label.is_empty() {
            "(scenario as is)".to_string()
        } else {
            s.label.clone()
        }
    };
    let all = rows(a, b);
    let w1 = all
        .iter()
        .map(|r| r.1.len())
        .chain([head(a).len()])
        .max()
        .unwrap_or(0);
    let mut out = format!("{:<34} {:<w1$}  {}\n", "", head(a), head(b));
    for (name, va, vb) in all {
        let mark = if va != vb && name != "trace hash" {
            "  *"
        } else {
            ""
        };
        out.push_str(&format!("{name:<34} {va:<w1$}  {vb}{mark}\n"));
    }
    out
}
