//! Pieces of the Orders tab: the order list state, the DAG drawing, the journey.
pub mod dag;
pub mod journey;
pub mod state;
