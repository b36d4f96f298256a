//! Protocol cores as plain, sans-IO types: the service tasks drive them with time, messages and
//! randomness, and carry out what they emit.
pub mod books_db;
pub mod bully;
pub mod lease;
pub mod order_queue;
pub mod payment;
pub mod raft;
pub mod recent;
pub mod two_pc;
