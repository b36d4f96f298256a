//! The books database cluster (seeds 001 and 003): 3–7 nodes, one primary elected by Raft,
//! primary-backup replication through Raft's log, per-key locks on the primary, 2PC
//! participant with durable, replicated reservations. See `protocol/books_db` for why the
//! replication is Raft's log and what that buys on failover.
//!
//! Each node runs one task (`node.rs`); in-doubt transactions are chased by short-lived tasks
//! (`services/in_doubt.rs`). Executors reach the cluster through the client library (`client.rs`).

pub mod client;
mod node;
mod ops;

pub use client::{DbClient, DbClientConfig, GaveUp, StockAnswer};

use crate::protocol::raft::RaftConfig;
use crate::sim::{secs, Micros, NodeId, World};
use std::collections::BTreeMap;
use std::rc::Rc;

pub const MIN_DB_NODES: u32 = 3;
pub const MAX_DB_NODES: u32 = 7;
/// The service name database nodes run under.
pub const SERVICE: &str = "books-db";
/// The cluster name in leadership facts (`TraceKind::Leader`).
pub const CLUSTER: &str = "books-db";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BooksDbConfig {
    pub raft: RaftConfig,
    /// Title → copies every replica starts from (shared: 297 books per node otherwise).
    pub initial_stock: Rc<BTreeMap<String, u32>>,
    /// A transaction prepared this long without a decision makes the primary ask the
    /// coordinator cluster for the outcome.
    pub in_doubt_after_us: Micros,
    /// How often the primary looks for in-doubt transactions.
    pub recovery_every_us: Micros,
    /// The coordinator cluster's service name (asked for outcomes).
    pub coordinator_service: String,
}

impl Default for BooksDbConfig {
    fn default() -> Self {
        Self {
            raft: RaftConfig::default(),
            initial_stock: Rc::new(BTreeMap::new()),
            in_doubt_after_us: secs(5),
            recovery_every_us: secs(1),
            coordinator_service: crate::services::executor::SERVICE.to_string(),
        }
    }
}

impl BooksDbConfig {
    pub fn validate(&self, members: u32) -> Result<(), String> {
        if !(MIN_DB_NODES..=MAX_DB_NODES).contains(&members) {
            return Err(format!(
                "a books database has {MIN_DB_NODES} to {MAX_DB_NODES} nodes, not {members}"
            ));
        }
        if self.in_doubt_after_us == 0 || self.recovery_every_us == 0 {
            return Err("in_doubt_after_us and recovery_every_us must be positive".into());
        }
        self.raft.validate().map_err(|e| e.to_string())
    }
}

/// Adds `count` database nodes named `books-db-0..count`.
pub fn add_books_db(
    world: &mut World,
    count: u32,
    cfg: BooksDbConfig,
) -> Result<Vec<NodeId>, String> {
    cfg.validate(count)?;
    (0..count)
        .map(|i| {
            let cfg = cfg.clone();
            world.add_node(&format!("books-db-{i}"), SERVICE, move |ctx| {
                node::db_node(ctx, cfg.clone())
            })
        })
        .collect()
}
