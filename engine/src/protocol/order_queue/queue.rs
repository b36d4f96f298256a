//! The order queue: priority with aging, lease-based dequeue, fencing, exactly-once acks.
//!
//! Delivery is at-least-once: an order whose lease runs out comes back (with its original
//! enqueue time, so it keeps its aging) and may be handed out again. What the queue promises
//! is that an acknowledged order is never handed out again and that only the current leader
//! (the highest term seen) can take or acknowledge orders. An executor whose ack is refused
//! must assume its order will be redelivered, so execution must be idempotent by order id.
//!
//! Picking the head scans the waiting orders (O(n), n ≤ `capacity`): aging is floored to whole
//! intervals, so the order between two entries can change over time and no fixed heap key exists.

use super::acked::{AckedWindow, ACKED_WINDOW};
use super::entry::QueueEntry;
use super::log::QueueRecord;
use super::types::{
    AckError, EnqueueError, Fenced, Lease, OrderState, QueueConfig, QueueStatus, QueuedOrder,
    QueuedView, ShippingCounts,
};
use crate::protocol::recent::RecentMap;
use crate::sim::NodeId;
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// (highest effective priority, earliest enqueue, lowest seq): unique per waiting order.
type RankKey = (Reverse<u64>, u64, u64);

#[derive(Clone, Debug)]
pub struct OrderQueue {
    pub(super) cfg: QueueConfig,
    pub(super) ready: BTreeMap<String, QueuedOrder>,
    pub(super) in_flight: BTreeMap<String, Lease>,
    /// Acknowledged order ids and the lease that acknowledged each: the newest `ACKED_WINDOW`
    /// of them (see the module docs for why forgetting older ones is safe).
    pub(super) executed: AckedWindow,
    pub(super) highest_term: u64,
    pub(super) next_seq: u64,
    pub(super) next_lease_id: u64,
    /// Records of changes not yet taken by the driver (`take_records`).
    pub(super) log: Vec<QueueRecord>,
    /// Which lease answered each recent (executor, request id): a retried dequeue whose
    /// answer was lost gets that lease again instead of waiting out its whole length. Not
    /// persisted: after a restart a retry is answered as a new dequeue, as before.
    answered: RecentMap<(NodeId, u64), (String, u64)>,
}

/// How many answered dequeues the queue remembers for retries (a retry comes within one RPC
/// timeout of its first attempt, so a few per executor would do).
pub const ANSWERED_WINDOW: usize = 1_024;

/// A lease handed out by `dequeue_request`, and whether it is a repeat of an earlier answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseAnswer {
    pub lease: Lease,
    pub repeated: bool,
}

impl OrderQueue {
    pub fn new(cfg: QueueConfig) -> Self {
        Self {
            cfg,
            ready: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            executed: AckedWindow::new(ACKED_WINDOW),
            highest_term: 0,
            next_seq: 1,
            next_lease_id: 1,
            log: Vec::new(),
            answered: RecentMap::new(ANSWERED_WINDOW),
        }
    }

    pub fn config(&self) -> &QueueConfig {
        &self.cfg
    }

    /// Accepts an approved order; returns its 0-based position in priority order right now
    /// (at `entry.enqueued_at_us`). The same order id is refused forever after, whatever
    /// state it is in, so a retried enqueue never makes a second copy.
    pub fn enqueue(&mut self, entry: QueueEntry) -> Result<u32, EnqueueError> {
        entry
            .validate()
            .map_err(|reason| EnqueueError::Invalid { reason })?;
        if let Some(state) = self.state_of(&entry.order_id) {
            return Err(EnqueueError::Duplicate {
                order_id: entry.order_id,
                state,
            });
        }
        let held = self.ready.len() + self.in_flight.len();
        if held >= self.cfg.capacity as usize {
            return Err(EnqueueError::Full {
                capacity: self.cfg.capacity,
            });
        }
        let now_us = entry.enqueued_at_us;
        let order = QueuedOrder {
            entry,
            seq: self.next_seq,
            deliveries: 0,
        };
        let key = self.rank_key(&order, now_us);
        let position = self
            .ready
            .values()
            .filter(|o| self.rank_key(o, now_us) < key)
            .count();
        self.record(QueueRecord::Enqueued(order));
        Ok(position as u32)
    }

    /// Lends the best waiting order to `executor` until `now_us + lease_us`. A `term` below
    /// the highest seen is refused (a deposed leader); a higher one becomes the new highest.
    pub fn dequeue(
        &mut self,
        now_us: u64,
        term: u64,
        executor: NodeId,
    ) -> Result<Option<Lease>, Fenced> {
        self.check_term(term)?;
        let Some(order_id) = self.head_id(now_us) else {
            return Ok(None);
        };
        self.record(QueueRecord::Leased {
            order_id: order_id.clone(),
            lease_id: self.next_lease_id,
            term,
            executor,
            leased_at_us: now_us,
            deadline_us: now_us.saturating_add(self.cfg.lease_us),
        });
        Ok(self.in_flight.get(&order_id).cloned())
    }

    /// `dequeue`, idempotent per `(executor, request_id)`: a repeated request whose lease is
    /// still that executor's, in that term, gets the same lease again (the first reply was
    /// lost); otherwise it is a new dequeue.
    pub fn dequeue_request(
        &mut self,
        now_us: u64,
        term: u64,
        executor: NodeId,
        request_id: u64,
    ) -> Result<Option<LeaseAnswer>, Fenced> {
        self.check_term(term)?;
        let key = (executor, request_id);
        if let Some((order_id, lease_id)) = self.answered.get(&key) {
            match self.in_flight.get(order_id) {
                Some(l) if l.lease_id == *lease_id && l.term == term && l.executor == executor => {
                    let lease = l.clone();
                    return Ok(Some(LeaseAnswer {
                        lease,
                        repeated: true,
                    }));
                }
                _ => {}
            }
        }
        let lease = self.dequeue(now_us, term, executor)?;
        Ok(lease.map(|lease| {
            let answer = (lease.order_id().to_string(), lease.lease_id);
            self.answered.insert_first(key, answer);
            LeaseAnswer {
                lease,
                repeated: false,
            }
        }))
    }

    /// Marks the order executed. Only the exact lease still in flight can do it; repeating
    /// the same ack (a lost reply) is answered `Ok` again without any further effect.
    pub fn ack(&mut self, order_id: &str, lease_id: u64, term: u64) -> Result<(), AckError> {
        self.check_term(term).map_err(|f| AckError::Fenced {
            highest_term: f.highest_term,
        })?;
        if self.executed.lease_of(order_id) == Some(lease_id) {
            return Ok(());
        }
        match self.in_flight.get(order_id) {
            Some(lease) if lease.lease_id == lease_id => {
                self.record(QueueRecord::Acked {
                    order_id: order_id.to_string(),
                    lease_id,
                });
                Ok(())
            }
            _ => Err(AckError::UnknownLease {
                order_id: order_id.to_string(),
                lease_id,
            }),
        }
    }

    /// Pushes a lease's deadline to `now_us + lease_us` (a long two-phase commit); same
    /// checks as `ack`. Returns the new deadline.
    pub fn extend_lease(
        &mut self,
        order_id: &str,
        lease_id: u64,
        term: u64,
        now_us: u64,
    ) -> Result<u64, AckError> {
        self.check_term(term).map_err(|f| AckError::Fenced {
            highest_term: f.highest_term,
        })?;
        match self.in_flight.get(order_id) {
            Some(lease) if lease.lease_id == lease_id => {
                let deadline_us = lease
                    .deadline_us
                    .max(now_us.saturating_add(self.cfg.lease_us));
                self.record(QueueRecord::Extended {
                    order_id: order_id.to_string(),
                    deadline_us,
                });
                Ok(deadline_us)
            }
            _ => Err(AckError::UnknownLease {
                order_id: order_id.to_string(),
                lease_id,
            }),
        }
    }

    /// Returns every order whose lease ran out by `now_us` to the waiting set, with its
    /// original enqueue time and sequence. Returns their ids in order-id order.
    pub fn expire_leases(&mut self, now_us: u64) -> Vec<String> {
        let expired: Vec<String> = self
            .in_flight
            .iter()
            .filter(|(_, l)| l.deadline_us <= now_us)
            .map(|(id, _)| id.clone())
            .collect();
        for id in &expired {
            self.record(QueueRecord::Expired {
                order_id: id.clone(),
            });
        }
        expired
    }

    /// Observes a term without dequeuing (e.g. a new leader announcing itself), so that the
    /// old leader is fenced from now on.
    pub fn observe_term(&mut self, term: u64) -> Result<(), Fenced> {
        self.check_term(term)
    }

    pub fn state_of(&self, order_id: &str) -> Option<OrderState> {
        if self.ready.contains_key(order_id) {
            Some(OrderState::Queued)
        } else if self.in_flight.contains_key(order_id) {
            Some(OrderState::InFlight)
        } else if self.executed.contains(order_id) {
            Some(OrderState::Executed)
        } else {
            None
        }
    }

    pub fn highest_term(&self) -> u64 {
        self.highest_term
    }

    /// The lease that acknowledged `order_id`, while it is in the acknowledged window.
    pub fn acknowledged_by(&self, order_id: &str) -> Option<u64> {
        self.executed.lease_of(order_id)
    }

    /// Acknowledged ids remembered now (bounded by `ACKED_WINDOW`).
    pub fn acknowledged_remembered(&self) -> usize {
        self.executed.len()
    }

    /// The earliest lease deadline, for the driver's next wakeup.
    pub fn next_lease_deadline_us(&self) -> Option<u64> {
        self.in_flight.values().map(|l| l.deadline_us).min()
    }

    pub fn status(&self, now_us: u64) -> QueueStatus {
        let mut by_shipping = ShippingCounts::default();
        for o in self.ready.values() {
            by_shipping.add(o.entry.shipping);
        }
        QueueStatus {
            length: self.ready.len() as u32,
            in_flight: self.in_flight.len() as u32,
            executed: u32::try_from(self.executed.total()).unwrap_or(u32::MAX),
            head: self.head_id(now_us),
            by_shipping,
            highest_term: self.highest_term,
        }
    }

    /// Waiting orders, best first, as the next dequeues would hand them out if nothing changed.
    pub fn snapshot_in_priority_order(&self, now_us: u64) -> Vec<QueuedView> {
        self.top_in_priority_order(now_us, usize::MAX)
    }

    /// The best `limit` waiting orders, best first. O(n + limit·log limit): the page's view is
    /// rebuilt after every message, so it must not sort the whole backlog each time. Rank keys
    /// are unique (they end with `seq`), so the result is exactly the full sort's prefix.
    pub fn top_in_priority_order(&self, now_us: u64, limit: usize) -> Vec<QueuedView> {
        let p = &self.cfg.priority;
        let mut ranked: Vec<(RankKey, &QueuedOrder)> = self
            .ready
            .values()
            .map(|o| (self.rank_key(o, now_us), o))
            .collect();
        if limit < ranked.len() {
            ranked.select_nth_unstable_by_key(limit, |(key, _)| *key);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by_key(|(key, _)| *key);
        ranked
            .into_iter()
            .map(|(_, o)| QueuedView {
                order_id: o.entry.order_id.clone(),
                shipping: o.entry.shipping,
                total_quantity: o.entry.total_quantity,
                gift_wrap: o.entry.gift_wrap,
                country: o.entry.country.clone(),
                enqueued_at_us: o.entry.enqueued_at_us,
                seq: o.seq,
                deliveries: o.deliveries,
                base_priority: p.base_priority(&o.entry),
                effective_priority: p.effective_priority(&o.entry, now_us),
            })
            .collect()
    }

    /// Leases in flight, by lease id.
    pub fn in_flight_leases(&self) -> Vec<Lease> {
        let mut leases: Vec<Lease> = self.in_flight.values().cloned().collect();
        leases.sort_by_key(|l| l.lease_id);
        leases
    }

    fn check_term(&mut self, term: u64) -> Result<(), Fenced> {
        if term < self.highest_term {
            return Err(Fenced {
                highest_term: self.highest_term,
            });
        }
        if term > self.highest_term {
            self.record(QueueRecord::Term { term });
        }
        Ok(())
    }

    /// Smaller is served first: highest effective priority, then earliest enqueue, then seq.
    fn rank_key(&self, o: &QueuedOrder, now_us: u64) -> RankKey {
        let eff = self.cfg.priority.effective_priority(&o.entry, now_us);
        (Reverse(eff), o.entry.enqueued_at_us, o.seq)
    }

    fn head_id(&self, now_us: u64) -> Option<String> {
        self.ready
            .values()
            .min_by_key(|o| self.rank_key(o, now_us))
            .map(|o| o.entry.order_id.clone())
    }
}
