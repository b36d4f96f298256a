//! The queue's value types: leases, errors and the read-only views shown on the page.

use super::entry::{QueueEntry, ShippingMethod};
use super::priority::PriorityConfig;
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueConfig {
    pub priority: PriorityConfig,
    /// How long a dequeued order stays with its executor before it comes back unacknowledged.
    pub lease_us: u64,
    /// Most orders held at once (queued + in flight); enqueue beyond it is refused.
    pub capacity: u32,
}

impl Default for QueueConfig {
    fn default() -> Self {
        Self {
            priority: PriorityConfig::default(),
            lease_us: 10_000_000,
            capacity: 10_000,
        }
    }
}

/// An order inside the queue: the entry plus what the queue adds to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedOrder {
    pub entry: QueueEntry,
    /// Arrival order at this queue, the last tie-break; kept across redeliveries.
    pub seq: u64,
    /// How many times it has been handed out.
    pub deliveries: u32,
}

/// A dequeued order, lent to one executor until `deadline_us`. Both times are on the queue's
/// clock: an executor, whose clock may be skewed and drift, can use only their difference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// Unique across the queue's life (durable counter): an ack must name this exact lease.
    pub lease_id: u64,
    /// The fencing token the executor dequeued with.
    pub term: u64,
    pub executor: NodeId,
    pub leased_at_us: u64,
    pub deadline_us: u64,
    pub order: QueuedOrder,
}

impl Lease {
    pub fn order_id(&self) -> &str {
        &self.order.entry.order_id
    }
}

/// Where an order id stands in this queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    Queued,
    InFlight,
    Executed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnqueueError {
    /// Already accepted (the retry of an enqueue is harmless: nothing changes).
    Duplicate {
        order_id: String,
        state: OrderState,
    },
    Full {
        capacity: u32,
    },
    Invalid {
        reason: String,
    },
}

/// A term below the highest the queue has seen: the caller is a deposed leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fenced {
    pub highest_term: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AckError {
    Fenced {
        highest_term: u64,
    },
    /// No such lease in flight: it expired (the order went back to the queue, maybe to another
    /// executor) or the id is wrong. The caller must not treat its order as acknowledged.
    UnknownLease {
        order_id: String,
        lease_id: u64,
    },
}

impl fmt::Display for EnqueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnqueueError::Duplicate { order_id, state } => {
                write!(f, "order {order_id} is already in the queue ({state:?})")
            }
            EnqueueError::Full { capacity } => write!(f, "the queue is full ({capacity} orders)"),
            EnqueueError::Invalid { reason } => write!(f, "invalid order: {reason}"),
        }
    }
}

impl fmt::Display for Fenced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fenced: a leader with term {} has already been seen",
            self.highest_term
        )
    }
}

impl fmt::Display for AckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AckError::Fenced { highest_term } => {
                write!(
                    f,
                    "fenced: a leader with term {highest_term} has already been seen"
                )
            }
            AckError::UnknownLease { order_id, lease_id } => {
                write!(f, "order {order_id} has no lease {lease_id} in flight")
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingCounts {
    pub standard: u32,
    pub priority: u32,
    pub express: u32,
}

impl ShippingCounts {
    pub fn add(&mut self, shipping: ShippingMethod) {
        let slot = match shipping {
            ShippingMethod::Standard => &mut self.standard,
            ShippingMethod::Priority => &mut self.priority,
            ShippingMethod::Express => &mut self.express,
        };
        *slot = slot.saturating_add(1);
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueStatus {
    /// Orders waiting to be dequeued.
    pub length: u32,
    pub in_flight: u32,
    pub executed: u32,
    /// The order the next dequeue would hand out.
    pub head: Option<String>,
    /// Waiting orders by shipping method.
    pub by_shipping: ShippingCounts,
    pub highest_term: u64,
}

/// One waiting order as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedView {
    pub order_id: String,
    pub shipping: ShippingMethod,
    pub total_quantity: u32,
    pub gift_wrap: bool,
    pub country: Option<String>,
    pub enqueued_at_us: u64,
    pub seq: u64,
    pub deliveries: u32,
    pub base_priority: u64,
    pub effective_priority: u64,
}
