//! The queue's changes as small records: what the driver appends to its durable log after
//! every mutating call, and what a restart replays.
//!
//! Every change of `OrderQueue` goes through `apply`, both live (the public methods decide,
//! then apply the record they made) and at replay, so a replayed queue is the live one by
//! construction. A record names what was decided (which order, which lease id, which
//! deadline), never "do a dequeue now": replay must not depend on the time it runs at.

use super::durable::QueueDurable;
use super::queue::OrderQueue;
use super::types::{Lease, QueueConfig, QueuedOrder};
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueRecord {
    /// The whole state, written at compaction; replay starts at the newest one.
    Snapshot(QueueDurable),
    /// A new order, with the sequence number the queue gave it.
    Enqueued(QueuedOrder),
    /// The waiting order `order_id` was lent out.
    Leased {
        order_id: String,
        lease_id: u64,
        term: u64,
        executor: NodeId,
        leased_at_us: u64,
        deadline_us: u64,
    },
    Acked {
        order_id: String,
        lease_id: u64,
    },
    /// A lease ran out: its order waits again.
    Expired {
        order_id: String,
    },
    Extended {
        order_id: String,
        deadline_us: u64,
    },
    /// A higher fencing term was seen.
    Term {
        term: u64,
    },
}

impl OrderQueue {
    /// Rebuilds a queue from its log, oldest record first. The first record may be a snapshot;
    /// a record that does not fit the state before it (a corrupt or reordered log) is refused.
    pub fn replay<'a>(
        records: impl IntoIterator<Item = &'a QueueRecord>,
        cfg: QueueConfig,
    ) -> Result<Self, String> {
        let mut q = OrderQueue::new(cfg.clone());
        for (i, record) in records.into_iter().enumerate() {
            match record {
                QueueRecord::Snapshot(state) => {
                    q = OrderQueue::from_durable(state.clone(), cfg.clone())?
                }
                other => q.apply(other).map_err(|e| format!("log record {i}: {e}"))?,
            }
        }
        q.log.clear();
        Ok(q)
    }

    /// The records made since the last call: the driver writes them to disk, in order, before
    /// it answers the request that made them.
    pub fn take_records(&mut self) -> Vec<QueueRecord> {
        std::mem::take(&mut self.log)
    }

    /// Applies a decided change and keeps its record for `take_records`.
    pub(super) fn record(&mut self, record: QueueRecord) {
        let applied = self.apply(&record);
        // The public methods only make records that fit the current state.
        debug_assert!(applied.is_ok(), "{applied:?}");
        if applied.is_ok() {
            self.log.push(record);
        }
    }

    /// The one place the queue's state changes.
    pub(super) fn apply(&mut self, record: &QueueRecord) -> Result<(), String> {
        match record {
            QueueRecord::Snapshot(_) => return Err("a snapshot inside the log".into()),
            QueueRecord::Enqueued(order) => {
                let id = &order.entry.order_id;
                if self.state_of(id).is_some() {
                    return Err(format!("order {id} enqueued twice"));
                }
                self.next_seq = self.next_seq.max(order.seq.saturating_add(1));
                self.ready.insert(id.clone(), order.clone());
            }
            QueueRecord::Leased {
                order_id,
                lease_id,
                term,
                executor,
                leased_at_us,
                deadline_us,
            } => {
                let mut order = self
                    .ready
                    .remove(order_id)
                    .ok_or_else(|| format!("order {order_id} leased but not waiting"))?;
                order.deliveries = order.deliveries.saturating_add(1);
                self.next_lease_id = self.next_lease_id.max(lease_id.saturating_add(1));
                let lease = Lease {
                    lease_id: *lease_id,
                    term: *term,
                    executor: *executor,
                    leased_at_us: *leased_at_us,
                    deadline_us: *deadline_us,
                    order,
                };
                self.in_flight.insert(order_id.clone(), lease);
            }
            QueueRecord::Acked { order_id, lease_id } => {
                match self.in_flight.get(order_id) {
                    Some(l) if l.lease_id == *lease_id => self.in_flight.remove(order_id),
                    _ => return Err(format!("order {order_id} acked without lease {lease_id}")),
                };
                self.executed.remember(order_id.clone(), *lease_id);
            }
            QueueRecord::Expired { order_id } => {
                let lease = self
                    .in_flight
                    .remove(order_id)
                    .ok_or_else(|| format!("order {order_id} expired but not leased"))?;
                self.ready.insert(order_id.clone(), lease.order);
            }
            QueueRecord::Extended {
                order_id,
                deadline_us,
            } => {
                let lease = self
                    .in_flight
                    .get_mut(order_id)
                    .ok_or_else(|| format!("order {order_id} extended but not leased"))?;
                lease.deadline_us = *deadline_us;
            }
            QueueRecord::Term { term } => self.highest_term = self.highest_term.max(*term),
        }
        Ok(())
    }
}
