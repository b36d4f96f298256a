//! The deterministic simulated world: executor, virtual time, network, nodes, trace.
pub mod rng;
