//! Plain-Rust view models: what a panel shows, computed from the engine's snapshot (or from a
//! form) without touching the DOM, so every rule is unit-tested natively.
pub mod clock_merge;
pub mod cluster_settings;
pub mod db_settings;
pub mod latency;
pub mod linearizability;
pub mod llm;
pub mod log;
pub mod log_filter;
pub mod mesh;
pub mod mesh_checks;
pub mod mesh_faults;
pub mod narration;
pub mod nemesis;
pub mod orders;
pub mod orders_cluster;
pub mod shop;
pub mod shop_catalog;
pub mod shop_orders;
pub mod spacetime;
pub mod stock;
pub mod stock_reads;
pub mod timeline;
pub mod txns;
