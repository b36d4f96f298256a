//! The headless runner's JSON report. Field names are a public interface (README "Headless
//! runner"): seed, until_ms, events, trace_hash, orders, leaders, queue, stock, payments,
//! transactions, stock_reads, linearizability, violations, nemesis, receipts, input_errors,
//! waiting_inputs, nodes.

use super::System;
use crate::checkout::CheckoutStatus;
use crate::view::NodeView;
use serde_json::{json, Value};

/// An order's final state: REJECTED, PENDING, COMMITTED or ABORTED (with a reason).
pub fn final_state(
    sys: &System,
    order_id: Option<&str>,
    status: Option<CheckoutStatus>,
) -> (&'static str, Option<String>) {
    match (order_id, status) {
        (_, Some(CheckoutStatus::Rejected)) => ("REJECTED", None),
        (Some(id), Some(CheckoutStatus::Approved)) if sys.config().db_nodes > 0 => {
            match sys.observer.outcome(id) {
                Some((true, _)) => ("COMMITTED", None),
                Some((false, reason)) => ("ABORTED", reason.map(|r| r.to_string())),
                None => ("PENDING", None),
            }
        }
        (Some(id), Some(CheckoutStatus::Approved)) if sys.observer.executed.contains_key(id) => {
            ("COMMITTED", None)
        }
        (Some(_), Some(CheckoutStatus::Approved)) => ("PENDING", None),
        _ => (
            "PENDING",
            Some("no answer from the orchestrator".to_string()),
        ),
    }
}

pub fn orders(sys: &System) -> Vec<Value> {
    sys.client_records()
        .iter()
        .map(|r| {
            let order_id = r.response.as_ref().map(|x| x.order_id.as_str());
            let (fin, reason) = final_state(sys, order_id, r.response.as_ref().map(|x| x.status));
            let request = serde_json::from_str::<Value>(&r.body).unwrap_or_else(|_| json!(r.body));
            let mut o = json!({
                "orderId": order_id,
                "request": request,
                "response": r.response,
                "final": fin,
                "submitted_ms": r.submitted_at_us / 1000,
            });
            if let Some(reason) = reason.or_else(|| r.error.clone()) {
                o["reason"] = json!(reason);
            }
            o
        })
        .collect()
}

pub fn leaders(sys: &System) -> Vec<Value> {
    let w = sys.world();
    sys.observer
        .leaders
        .iter()
        .map(|s| {
            let name = w
                .nodes()
                .get(s.node.0 as usize)
                .map(|n| n.name.clone())
                .unwrap_or_default();
            json!({
                "cluster": s.cluster,
                "term": s.term,
                "node": name,
                "from_ms": s.from_us / 1000,
                "to_ms": s.to_us.map(|t| t / 1000),
            })
        })
        .collect()
}

pub fn queue(sys: &System) -> Value {
    let w = sys.world();
    let Some(id) = w.node_id("queue") else {
        return Value::Null;
    };
    match w.view(id) {
        Some(NodeView::Queue(q)) => json!(q),
        Some(other) => json!({ "state": other }),
        None => Value::Null,
    }
}

pub fn report(sys: &System, until_ms: u64) -> Value {
    let w = sys.world();
    let linearizability = sys.linearizability();
    let finals = crate::invariants::Checker::final_violations_with(sys, linearizability.as_ref());
    let violations: Vec<Value> = sys
        .checker
        .violations
        .iter()
        .chain(finals.iter())
        .map(|v| json!({"invariant": v.invariant, "t_ms": v.t_us / 1000, "detail": v.detail}))
        .collect();
    json!({
        "seed": sys.seed(),
        "until_ms": until_ms,
        "events": w.trace().total(),
        "trace_hash": format!("{:016x}", w.trace_hash()),
        "delivered": w.delivered(),
        "dropped": w.dropped(),
        "orders": orders(sys),
        "leaders": leaders(sys),
        "queue": queue(sys),
        "stock": stock(sys),
        "payments": payments(sys),
        "transactions": sys.observer.txns.values().collect::<Vec<_>>(),
        "stock_reads": stock_reads(sys),
        "linearizability": linearizability,
        "violations": violations,
        "nemesis": sys.nemesis().map(|n| n.to_text()),
        "receipts": receipts(sys),
        "input_errors": sys.input_errors.iter().map(|(t, e)| json!({"t_ms": t / 1000, "error": e})).collect::<Vec<_>>(),
        "waiting_inputs": sys.waiting_inputs().iter().map(super::inputs::TimedInput::to_json).collect::<Vec<_>>(),
        "nodes": w.nodes().iter().map(|n| json!({"name": n.name, "service": n.service, "liveness": n.liveness, "incarnation": n.incarnation})).collect::<Vec<_>>(),
    })
}

/// A receipt per fault carried out (see `nemesis/receipts.rs`); windows still open at the end
/// of the run are closed here with what they saw.
pub fn receipts(sys: &System) -> Vec<crate::nemesis::receipts::Receipt> {
    let mut ledger = sys.receipts.clone();
    ledger.close_all();
    ledger.receipts
}

/// Every database replica's final stock of the books that changed or are held, with its role
/// and applied index (all 297 books per replica would drown the report).
pub fn stock(sys: &System) -> Value {
    let w = sys.world();
    let initial = sys.initial_stock().unwrap_or_default();
    let mut out = serde_json::Map::new();
    for n in w
        .nodes()
        .iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
    {
        let entry = match w.view(n.id) {
            Some(NodeView::BooksDb(v)) => {
                let changed: serde_json::Map<String, Value> = v
                    .stock
                    .iter()
                    .filter(|(b, s)| initial.get(*b) != Some(*s) || v.reserved.contains_key(*b))
                    .map(|(b, s)| (b.clone(), json!(s)))
                    .collect();
                json!({"role": v.role, "term": v.term, "applied_index": v.applied_index, "changed": changed, "reserved": *v.reserved})
            }
            Some(other) => json!({ "state": other }),
            None => Value::Null,
        };
        out.insert(n.name.clone(), entry);
    }
    Value::Object(out)
}

/// The storefront's stock reads: where from (now), how many, and the newest stale ones.
pub fn stock_reads(sys: &System) -> Value {
    let reads = &sys.observer.reads;
    let name = |id: crate::sim::NodeId| {
        sys.world()
            .nodes()
            .get(id.0 as usize)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    let stale: Vec<Value> = reads
        .stale
        .iter()
        .map(|r| {
            json!({"book": r.book, "replica": name(r.replica), "strong": r.strong,
                "copies": r.copies, "applied_index": r.applied_index, "latest": r.latest,
                "issued_ms": r.issued_us / 1000})
        })
        .collect();
    json!({
        "mode": sys.live_settings().stock_reads,
        "issued": reads.counts.issued,
        "answered": reads.counts.answered,
        "stale": reads.counts.stale,
        "stale_strong": reads.counts.stale_strong,
        "newest_stale": stale,
    })
}

pub fn payments(sys: &System) -> Vec<Value> {
    sys.observer
        .payments
        .iter()
        .map(|(txn, (state, amount, method))| json!({"txn": txn, "state": state, "amount_cents": amount, "method": method}))
        .collect()
}
