//! bookmesh engine: a deterministic simulated world and the checkout services that run on it.
//! No web dependency: builds and tests natively and for wasm32.
pub mod catalog;
pub mod clock;
pub mod msg;
pub mod services;
pub mod sim;
pub mod view;
