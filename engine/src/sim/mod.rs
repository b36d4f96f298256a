//! The deterministic simulated world: executor, virtual time, network, nodes, trace.
pub mod node_id;
pub mod rng;
pub use node_id::NodeId;
