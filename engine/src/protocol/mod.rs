//! Protocol cores as plain, sans-IO types: the service tasks drive them with time, messages and
//! randomness, and carry out what they emit.
pub mod bully;
pub mod lease;
pub mod order_queue;
pub mod raft;
pub mod books_db;
pub mod payment;
pub mod two_pc;
