//! The services of bookmesh, each a task driving a plain protocol core.
pub mod books_db;
pub mod executor;
pub mod fraud;
pub mod fraud_llm;
pub mod in_doubt;
pub mod llm_desk;
pub mod lock;
pub mod orchestrator;
pub mod payment;
pub mod ping;
pub mod queue;
pub mod queue_store;
pub mod raft_storage;
pub mod stock_reader;
pub mod suggestions;
pub mod validator_cache;
pub mod verification;

#[cfg(test)]
mod checkout_tests;
#[cfg(test)]
mod cluster_tests;
#[cfg(test)]
mod queue_store_tests;
