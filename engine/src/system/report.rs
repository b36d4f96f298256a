//! The headless runner's JSON report. Field names are a public interface (README "Headless
//! runner"): seed, until_ms, events, trace_hash, orders, leaders, queue, stock, payments,
//! violations.

use super::System;
use crate::checkout::CheckoutStatus;
use crate::view::NodeView;
use serde_json::{json, Value};

/// An order's final state: REJECTED, PENDING, COMMITTED or ABORTED (with a reason).
pub fn final_state(sys: &System, order_id: Option<&str>, status: Option<CheckoutStatus>) -> (&'static str, Option<String>) {
    match (order_id, status) {
        (_, Some(CheckoutStatus::Rejected)) => ("REJECTED", None),
        (Some(id), Some(CheckoutStatus::Approved)) if sys.observer.executed.contains_key(id) => ("COMMITTED", None),
        (Some(_), Some(CheckoutStatus::Approved)) => ("PENDING", None),
        _ => ("PENDING", Some("no answer from the orchestrator".to_string())),
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
            let name = w.nodes().get(s.node.0 as usize).map(|n| n.name.clone()).unwrap_or_default();
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
    let Some(id) = w.node_id("queue") else { return Value::Null };
    match w.view(id) {
        Some(NodeView::Queue(q)) => json!(q),
        Some(other) => json!({ "state": other }),
        None => Value::Null,
    }
}

pub fn report(sys: &System, until_ms: u64) -> Value {
    let w = sys.world();
    let finals = crate::invariants::Checker::final_violations(sys);
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
        // The books database and payment service arrive with the 2PC issue; until then the
        // world holds no stock and takes no payments, and these sections are empty.
        "stock": {},
        "payments": [],
        "violations": violations,
        "input_errors": sys.input_errors.iter().map(|(t, e)| json!({"t_ms": t / 1000, "error": e})).collect::<Vec<_>>(),
        "nodes": w.nodes().iter().map(|n| json!({"name": n.name, "service": n.service, "liveness": n.liveness, "incarnation": n.incarnation})).collect::<Vec<_>>(),
    })
}
