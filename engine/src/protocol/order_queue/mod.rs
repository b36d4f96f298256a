//! The order queue (seeds 000/001: a priority queue the executor leader drains), sans-IO.
//!
//! Priority = shipping method, then quantity, then gift wrap (and an optional country bonus),
//! plus aging so nothing starves (`priority.rs` proves the bound). Only the current leader,
//! identified by its fencing term (Raft term, Bully epoch or lease token), may dequeue; a
//! dequeue is a lease that comes back if not acknowledged in time; an acknowledged order is
//! never handed out again.
//!
//! Durability is a log of small records (`log.rs`): every mutating call leaves its records in
//! `take_records()`, the driver appends them to disk before replying, and `replay` rebuilds the
//! queue at boot; `to_durable`/`from_durable` are the snapshot a compaction writes. So the cost
//! of persisting one operation does not grow with the queue's history.
//!
//! Driver: call `expire_leases(now_us)` on every tick (wake at `next_lease_deadline_us()`),
//! persist `take_records()` after every mutating call before replying.
//!
//! Acknowledged orders are remembered in a bounded window (`ACKED_WINDOW`, the newest 50,000
//! ids with their acknowledging lease) plus a count of all acks. Within the window everything is
//! exact: a duplicate enqueue is refused as `Duplicate` (state `Executed`), and an ack for the
//! very lease that acknowledged an order is answered `Ok` again. About an order older than the
//! window the queue knows nothing: an enqueue of its id would be accepted as a new order, and an
//! ack naming one of its leases is refused as `UnknownLease`. Why that is safe:
//! * Enqueue: ids are never reused (the orchestrator's durable counter), and the only enqueues
//!   of one id are the orchestrator's few retries of one checkout, seconds apart. A copy would
//!   have to arrive after 50,000 later orders were acknowledged — hours at the executors' pace.
//! * Ack: a refusal is final for the executor, which then does not record the effect; nothing
//!   is ever executed twice. The question "did my lease L win?" comes from an executor that
//!   crashed between sending an ack and hearing the answer, and it asks first thing after its
//!   restart; it would be answered wrongly only if it stayed down while 50,000 other orders
//!   were acknowledged, and then the order shows up as lost (the no-order-lost check says so),
//!   never as executed twice.

mod acked;
mod durable;
mod entry;
mod log;
mod priority;
mod queue;
mod types;

pub use acked::{AckedWindow, ACKED_WINDOW};
pub use durable::QueueDurable;
pub use entry::{
    QueueEntry, ShippingMethod, MAX_COUNTRY_BYTES, MAX_ORDER_ID_BYTES, MAX_PAYLOAD_BYTES,
};
pub use log::QueueRecord;
pub use priority::PriorityConfig;
pub use queue::{LeaseAnswer, OrderQueue, ANSWERED_WINDOW};
pub use types::{
    AckError, EnqueueError, Fenced, Lease, OrderState, QueueConfig, QueueStatus, QueuedOrder,
    QueuedView, ShippingCounts,
};

#[cfg(test)]
mod log_tests;
#[cfg(test)]
mod starvation_tests;
#[cfg(test)]
mod tests;
