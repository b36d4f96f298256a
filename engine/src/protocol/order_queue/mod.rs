//! The order queue (seeds 000/001: a priority queue the executor leader drains), sans-IO.
//!
//! Priority = shipping method, then quantity, then gift wrap (and an optional country bonus),
//! plus aging so nothing starves (`priority.rs` proves the bound). Only the current leader,
//! identified by its fencing term (Raft term, Bully epoch or lease token), may dequeue; a
//! dequeue is a lease that comes back if not acknowledged in time; an acknowledged order is
//! never handed out again. `to_durable`/`from_durable` let a queue node restart losing nothing.
//!
//! Driver: call `expire_leases(now_us)` on every tick (wake at `next_lease_deadline_us()`),
//! persist `to_durable()` after every mutating call before replying.

mod durable;
mod entry;
mod priority;
mod queue;
mod types;

pub use durable::QueueDurable;
pub use entry::{
    QueueEntry, ShippingMethod, MAX_COUNTRY_BYTES, MAX_ORDER_ID_BYTES, MAX_PAYLOAD_BYTES,
};
pub use priority::PriorityConfig;
pub use queue::OrderQueue;
pub use types::{
    AckError, EnqueueError, Fenced, Lease, OrderState, QueueConfig, QueueStatus, QueuedOrder,
    QueuedView, ShippingCounts,
};

#[cfg(test)]
mod starvation_tests;
#[cfg(test)]
mod tests;
