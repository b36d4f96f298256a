//! The services of bookmesh, each a task driving a plain protocol core.
pub mod ping;
