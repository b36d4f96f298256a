//! bookmesh's page: a Leptos client-side-rendered shell (header, control bar, mesh, side
//! panel) around the engine. `App` and every component are public so browser tests in
//! `app/tests/` can mount them one by one.
pub mod app;
pub mod components;
pub mod download;
pub mod driver;
pub mod hooks;
pub mod llm_context;
pub mod panic_hook;
pub mod sim_context;
pub mod state;
pub mod view_model;

pub use app::{App, Shell};
