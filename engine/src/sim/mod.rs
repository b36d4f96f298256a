//! The deterministic simulated world: executor, virtual time, nodes' own clocks, network,
//! disks, nodes, trace.
pub mod ctx;
pub mod disk;
pub mod envelope;
pub mod executor;
pub mod futures;
pub mod local_clock;
pub mod net;
pub mod node_id;
pub mod node_state;
pub mod rng;
pub mod shared;
pub mod time;
pub mod trace;
pub mod world;
mod world_disk;

pub use ctx::{NodeCtx, RpcError};
pub use disk::{DiskConfig, DiskError, DurableStore};
pub use envelope::{Envelope, RpcTag};
pub use local_clock::{ClockReading, LocalClock};
pub use net::LinkConfig;
pub use node_id::NodeId;
pub use node_state::Liveness;
pub use time::{fmt_secs, ms, secs, Micros};
pub use world::{InFlight, NodeSummary, World, WorldConfig};

#[cfg(test)]
mod clock_tests;
#[cfg(test)]
mod world_tests;
