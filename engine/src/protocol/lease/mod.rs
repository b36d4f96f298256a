//! Leader election by a lease lock (seed 002: Redis `SET key NX PX ttl`, renewed), sans-IO.
//!
//! One lock node runs a `LockServer`; every executor runs a `LeaseClient`. The executor that
//! holds the lock leads until its lease runs out by its own clock (minus a safety margin).
//! Each successful acquisition gets a strictly larger fencing token from a durable counter;
//! the order queue refuses any token lower than the highest it has seen, which is what makes
//! a paused or partitioned ex-leader harmless.
//!
//! Driver: the lock node answers each `LeaseRequest` with `LockServer::handle`; an executor
//! calls `tick(now_us, rng)` at `next_wakeup_us()`, `step(now_us, reply, rng)` per reply, and
//! carries out `take_outputs()` after each call.

mod client;
mod messages;
mod server;

pub use client::{LeaseClient, LeaseConfig, LeaseOutput, LossReason};
pub use messages::{LeaseReply, LeaseRequest};
pub use server::{
    AcquireOutcome, LeaseError, LockRecord, LockServer, LockServerState, ReleaseOutcome,
    RenewOutcome, MAX_KEYS, MAX_KEY_BYTES, MAX_TTL_US,
};

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod sim_tests;
