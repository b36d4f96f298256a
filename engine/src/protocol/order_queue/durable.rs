//! What the queue node writes to its disk after every change, so a crash loses nothing.

use super::queue::OrderQueue;
use super::types::{Lease, QueueConfig, QueuedOrder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueDurable {
    pub highest_term: u64,
    pub next_seq: u64,
    pub next_lease_id: u64,
    pub ready: Vec<QueuedOrder>,
    /// Leases keep their deadlines: virtual time goes on while the node is down, so an
    /// executor that finished during the outage can still ack, and an abandoned lease
    /// expires at the first `expire_leases` after the restart.
    pub in_flight: Vec<Lease>,
    /// (order id, lease id that acknowledged it) for the remembered window, oldest first.
    pub executed: Vec<(String, u64)>,
    /// Every ack ever made, including those older than the window.
    #[serde(default)]
    pub executed_total: u64,
}

impl OrderQueue {
    pub fn to_durable(&self) -> QueueDurable {
        QueueDurable {
            highest_term: self.highest_term,
            next_seq: self.next_seq,
            next_lease_id: self.next_lease_id,
            ready: self.ready.values().cloned().collect(),
            in_flight: self.in_flight.values().cloned().collect(),
            executed: self
                .executed
                .iter_oldest_first()
                .map(|(id, l)| (id.to_string(), l))
                .collect(),
            executed_total: self.executed.total(),
        }
    }

    /// Rebuilds a queue from its disk. Refuses a state in which one order id appears twice
    /// (that would be an order executed twice waiting to happen); repairs counters that lag
    /// behind the ids already issued, so no sequence or lease id is ever reused.
    pub fn from_durable(state: QueueDurable, cfg: QueueConfig) -> Result<Self, String> {
        let mut seen = BTreeSet::new();
        let ids = state
            .ready
            .iter()
            .map(|o| o.entry.order_id.as_str())
            .chain(state.in_flight.iter().map(|l| l.order_id()))
            .chain(state.executed.iter().map(|(id, _)| id.as_str()));
        for id in ids {
            if !seen.insert(id) {
                return Err(format!(
                    "order {id} appears more than once in the stored queue"
                ));
            }
        }
        let max_seq = state
            .ready
            .iter()
            .map(|o| o.seq)
            .chain(state.in_flight.iter().map(|l| l.order.seq))
            .max()
            .unwrap_or(0);
        let max_lease = state
            .in_flight
            .iter()
            .map(|l| l.lease_id)
            .chain(state.executed.iter().map(|(_, l)| *l))
            .max()
            .unwrap_or(0);
        let mut q = OrderQueue::new(cfg);
        q.highest_term = state.highest_term;
        q.next_seq = state.next_seq.max(max_seq.saturating_add(1));
        q.next_lease_id = state.next_lease_id.max(max_lease.saturating_add(1));
        q.ready = state
            .ready
            .into_iter()
            .map(|o| (o.entry.order_id.clone(), o))
            .collect();
        q.in_flight = state
            .in_flight
            .into_iter()
            .map(|l| (l.order_id().to_string(), l))
            .collect();
        for (id, lease_id) in state.executed {
            q.executed.remember(id, lease_id);
        }
        q.executed.set_total(state.executed_total);
        Ok(q)
    }
}
