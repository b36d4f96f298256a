//! Pieces of the Orders tab: the order list state, the DAG drawing, the journey, the LLM calls.
pub mod dag;
pub mod journey;
pub mod llm_calls;
pub mod state;
