//! Plain-Rust state behind the page. Components only wire these types to the DOM, so every
//! rule here (speed choices, seed parsing, how wall time becomes virtual time) is unit-tested
//! natively without a browser.
pub mod compare_link;
pub mod controls;
pub mod llm_settings;
pub mod seed;
pub mod speed;
pub mod study_form;
pub mod virtual_clock;

pub use controls::{Controls, SimCommand};
pub use seed::{fresh_seed, parse_seed, SeedField, DEFAULT_SEED};
pub use speed::Speed;
pub use virtual_clock::{format_virtual_time, VirtualClock};
