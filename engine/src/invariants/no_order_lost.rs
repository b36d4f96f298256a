//! No approved order is lost: every order the client was told is approved has an outcome —
//! its transaction finished COMMITTED or ABORTED (or, without the fulfilment services, it was
//! executed) — or is still held by the queue, waiting or leased. An acknowledgement alone is
//! not an outcome. Checked at the end of a run against the queue's durable store, so a crashed
//! queue still counts what it wrote to disk.
//! shared/SPEC.md (order queue: "nothing approved is ever lost"; invariants).

use crate::protocol::order_queue::QueueConfig;
use crate::services::queue_store::QueueStore;
use crate::system::System;
use std::collections::BTreeSet;

pub const NAME: &str = "no approved order lost";
pub const SOURCE: &str = "SPEC order queue: nothing approved is ever lost";

/// Order ids approved to the client but neither executed nor in the queue.
pub fn lost_orders(sys: &System) -> Vec<String> {
    let w = sys.world();
    // Acks older than the queue's window are not on its disk any more; those orders were
    // executed, so the observer's executed set below counts them.
    let held: BTreeSet<String> = w
        .node_id("queue")
        .and_then(|q| w.durable(q))
        .and_then(|d| QueueStore::load(&d, QueueConfig::default()).ok())
        .map(|(q, _)| {
            let q = q.to_durable();
            let waiting = q.ready.into_iter().map(|o| o.entry.order_id);
            let leased = q.in_flight.into_iter().map(|l| l.order.entry.order_id);
            waiting.chain(leased).collect()
        })
        .unwrap_or_default();
    sys.approved_order_ids()
        .into_iter()
        .filter(|id| !has_outcome(sys, id) && !held.contains(id))
        .collect()
}

/// Whether `order_id`'s fate is settled (its transaction finished, or without the fulfilment
/// services, it was executed): such an order can never be lost any more.
pub(crate) fn has_outcome(sys: &System, order_id: &str) -> bool {
    if sys.config().db_nodes > 0 {
        sys.observer.outcome(order_id).is_some()
    } else {
        sys.observer.executed.contains_key(order_id)
    }
}
