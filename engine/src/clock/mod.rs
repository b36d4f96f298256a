//! Logical clocks.
pub mod vector_clock;
pub use vector_clock::{Causality, VectorClock};
