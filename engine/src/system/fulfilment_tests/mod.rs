//! The fulfilment half end to end on the full deployment: each of the seeds' 2PC diagrams as a
//! test (commit; abort on stock; abort on decline; participant timeout; coordinator crash after
//! and before the decision; database primary crash between prepare and commit; a race for the
//! last copies), for each election algorithm where it applies, and a swarm with faults on
//! every node followed by a healed phase. Every run ends with the end-of-run checkers.

mod compaction_tests;
mod conditional_input_tests;
mod disk_tests;
mod reads_tests;
mod scenario_tests;
mod swarm_tests;

use crate::checkout::{CheckoutRequest, OrderItem};
use crate::facts::Fact;
use crate::invariants::Checker;
use crate::sim::secs;
use crate::sim::trace::TraceKind;
use crate::system::config::{ClusterConfig, Election};
use crate::system::inputs::{Action, TimedInput};
use crate::system::System;

/// A Luhn-valid Visa number that differs per `n` (so card velocity never flags a test shopper).
pub fn card_number(n: u64) -> String {
    let body = format!("4{:014}", 100_000_000 + n * 7919);
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap_or(0)).collect();
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let x = if i % 2 == 0 { d * 2 } else { *d };
        sum += if x > 9 { x - 9 } else { x };
    }
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// A valid order for `quantity` × `book`, from shopper number `n`.
pub fn order(n: u64, book: &str, quantity: u32) -> String {
    let mut r = CheckoutRequest::example();
    r.items = vec![OrderItem {
        name: book.into(),
        quantity,
    }];
    r.user.name = format!(
        "Shopper {}",
        ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Leslie", "Tony", "Nancy"][n as usize % 8]
    );
    r.user.contact = format!("shopper{n}@example.org");
    r.credit_card.number = card_number(n);
    serde_json::to_string(&r).expect("a plain request serialises")
}

pub fn checkout(at_ms: u64, body: String) -> TimedInput {
    TimedInput::at(at_ms, Action::Checkout(body))
}

pub fn config(election: Election) -> ClusterConfig {
    ClusterConfig {
        election,
        decline_rate: 0.0,
        ..ClusterConfig::default()
    }
}

pub fn system(cfg: ClusterConfig, seed: u64, inputs: Vec<TimedInput>) -> System {
    let mut sys = System::new(cfg, seed).expect("valid config");
    sys.schedule(inputs).expect("valid inputs");
    sys
}

/// Runs until `pred` holds on a new trace event (checked after each visible step) or `limit_s`.
pub fn run_until_fact(
    sys: &mut System,
    limit_s: u64,
    pred: impl Fn(&crate::sim::trace::TraceEvent) -> bool,
) -> Option<crate::sim::NodeId> {
    let limit = secs(limit_s);
    while sys.now() < limit {
        let from = sys.observer.next_seq();
        sys.step_visible(limit);
        let hit = sys
            .world()
            .trace()
            .since(from)
            .find(|e| pred(e))
            .map(|e| e.node);
        if hit.is_some() {
            return hit;
        }
    }
    None
}

pub fn is_txn_state(
    ev: &crate::sim::trace::TraceEvent,
    state: crate::protocol::two_pc::TxnState,
) -> bool {
    matches!(&ev.kind, TraceKind::Fact(f) if matches!(f.as_ref(), Fact::Txn { state: s, .. } if *s == state))
}

/// Every live and end-of-run violation, as text.
pub fn violations(sys: &System) -> Vec<String> {
    sys.checker
        .violations
        .iter()
        .chain(Checker::final_violations(sys).iter())
        .map(|v| format!("{}: {}", v.invariant, v.detail))
        .collect()
}

/// (final, reason) per client order, from the report.
pub fn finals(sys: &System) -> Vec<(String, Option<String>)> {
    crate::system::report::orders(sys)
        .iter()
        .map(|o| {
            (
                o["final"].as_str().unwrap_or("").to_string(),
                o["reason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Stock of `book` on every database replica (view), in node order.
pub fn replica_stock(sys: &System, book: &str) -> Vec<u32> {
    let w = sys.world();
    w.nodes()
        .iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
        .filter_map(|n| match w.view(n.id) {
            Some(crate::view::NodeView::BooksDb(v)) => {
                Some(v.stock.get(book).copied().unwrap_or(0))
            }
            _ => None,
        })
        .collect()
}

pub const ALL: [Election; 3] = [Election::Raft, Election::Bully, Election::Lease];

pub use crate::invariants::stock_conservation::unconverged_replicas;
