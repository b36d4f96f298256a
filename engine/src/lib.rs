//! bookmesh engine: a deterministic simulated world and the checkout services that run on it.
//! No web dependency: builds and tests natively and for wasm32.
#[cfg(test)]
pub mod bugs;
pub mod catalog;
pub mod checkout;
pub mod clock;
pub mod compare;
pub mod export;
pub mod facts;
pub mod fraud;
pub mod invariants;
pub mod llm;
pub mod msg;
pub mod nemesis;
pub mod order_step;
pub mod protocol;
pub mod scenario;
pub mod services;
pub mod sim;
pub mod snapshot;
pub mod study;
pub mod swarm;
pub mod system;
#[cfg(test)]
pub mod testing;
pub mod view;
