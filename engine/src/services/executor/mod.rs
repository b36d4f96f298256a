//! The order-executor cluster (seeds 000/001/002/004): 3–7 nodes elect a leader — Raft by
//! default, Bully or a lease lock as alternatives — and only the leader dequeues and executes
//! orders. Each node runs two tasks: an election driver (one per algorithm, feeding a sans-IO
//! core from `protocol/`) and the work loop (`execution.rs`), which reads the driver's
//! leadership through [`shared::ExecHandle`].
//!
//! Until the two-phase-commit issue lands, executing an order means recording
//! `TraceKind::Executed` exactly once per order id; see `execution.rs` for how each mode keeps
//! that promise across leader crashes.

mod bully_driver;
mod coordinator;
mod execution;
mod lease_driver;
mod raft_driver;
pub(crate) mod shared;

use crate::protocol::bully::BullyConfig;
use crate::protocol::lease::LeaseConfig;
use crate::protocol::raft::RaftConfig;
use crate::sim::{ms, secs, Micros, NodeCtx, NodeId, World};

pub const MIN_EXECUTORS: u32 = 3;
pub const MAX_EXECUTORS: u32 = 7;
/// The service name executor nodes run under (`ctx.nodes_of(SERVICE)` = the members).
pub const SERVICE: &str = "executor";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElectionAlgorithm {
    Raft(RaftConfig),
    Bully(BullyConfig),
    Lease(LeaseConfig),
}

impl ElectionAlgorithm {
    pub fn name(&self) -> &'static str {
        match self {
            ElectionAlgorithm::Raft(_) => "raft",
            ElectionAlgorithm::Bully(_) => "bully",
            ElectionAlgorithm::Lease(_) => "lease",
        }
    }
}

impl Default for ElectionAlgorithm {
    fn default() -> Self {
        ElectionAlgorithm::Raft(RaftConfig::default())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorConfig {
    pub algorithm: ElectionAlgorithm,
    /// The leader asks the queue for work this often while the queue is empty.
    pub poll_interval_us: Micros,
    /// Deadline of every Dequeue / AckOrder RPC.
    pub rpc_timeout_us: Micros,
    /// Lease mode: dequeue only while the lease stays valid at least this much longer.
    pub lead_margin_us: Micros,
    pub queue_name: String,
    /// Lease mode: the node running the lock server.
    pub lock_name: String,
    /// Transactions the leader runs at once.
    pub max_in_flight: u32,
    /// A participant that has not voted after this long votes abort (2PC's timeout rule).
    pub prepare_timeout_us: Micros,
    /// The 2PC participants: the books database's service name and the payment node's name.
    pub db_service: String,
    pub payment_name: String,
}

impl Default for ExecutorConfig {
    fn default() -> Self {
        Self {
            algorithm: ElectionAlgorithm::default(),
            poll_interval_us: ms(300),
            rpc_timeout_us: secs(1),
            lead_margin_us: ms(500),
            queue_name: "queue".to_string(),
            lock_name: "lock".to_string(),
            max_in_flight: 16,
            prepare_timeout_us: secs(2),
            db_service: crate::services::books_db::SERVICE.to_string(),
            payment_name: "payment".to_string(),
        }
    }
}

impl ExecutorConfig {
    /// Checks the settings and the cluster size (3–7 members).
    pub fn validate(&self, members: u32) -> Result<(), String> {
        if !(MIN_EXECUTORS..=MAX_EXECUTORS).contains(&members) {
            return Err(format!(
                "an executor cluster has {MIN_EXECUTORS} to {MAX_EXECUTORS} nodes, not {members}"
            ));
        }
        if self.poll_interval_us == 0 || self.rpc_timeout_us == 0 || self.prepare_timeout_us == 0 {
            return Err(
                "poll_interval_us, rpc_timeout_us and prepare_timeout_us must be positive"
                    .to_string(),
            );
        }
        if !(1..=64).contains(&self.max_in_flight) {
            return Err(format!(
                "max_in_flight must be 1–64, not {}",
                self.max_in_flight
            ));
        }
        match &self.algorithm {
            ElectionAlgorithm::Raft(cfg) => cfg.validate().map_err(|e| e.to_string()),
            ElectionAlgorithm::Bully(cfg) => {
                if cfg.heartbeat_interval_us == 0
                    || cfg.leader_timeout_us <= cfg.heartbeat_interval_us
                {
                    Err(
                        "bully: leader_timeout_us must exceed a positive heartbeat_interval_us"
                            .to_string(),
                    )
                } else {
                    Ok(())
                }
            }
            ElectionAlgorithm::Lease(cfg) => {
                if cfg.ttl_us == 0
                    || cfg.safety_margin_us >= cfg.ttl_us
                    || cfg.renew_every_us >= cfg.ttl_us
                {
                    Err("lease: renew_every_us and safety_margin_us must be below a positive ttl_us".to_string())
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// Runs one executor node: the election driver of `cfg.algorithm` plus the work loop.
/// A configuration error is logged and leaves the node idle (never a panic).
pub async fn executor_node(ctx: NodeCtx, cfg: ExecutorConfig) {
    let members = ctx.nodes_of(SERVICE);
    if let Err(why) = cfg.validate(members.len() as u32) {
        ctx.log(format!("executor not started: {why}"));
        return;
    }
    let Some(queue) = ctx.lookup(&cfg.queue_name) else {
        ctx.log(format!(
            "executor not started: no node named {:?}",
            cfg.queue_name
        ));
        return;
    };
    let handle = shared::ExecHandle::default();
    let mode = match &cfg.algorithm {
        ElectionAlgorithm::Raft(_) => execution::Mode::Replicated,
        _ => execution::Mode::Local,
    };
    let coordinator = coordinator_for(&ctx, &cfg, &handle, mode);
    let worker = execution::Worker::new(
        ctx.clone(),
        cfg.clone(),
        handle.clone(),
        mode,
        queue,
        coordinator,
    );
    ctx.spawn(execution::work_loop(worker));
    match cfg.algorithm {
        ElectionAlgorithm::Raft(raft) => raft_driver::run(ctx, raft, members, handle).await,
        ElectionAlgorithm::Bully(bully) => bully_driver::run(ctx, bully, members, handle).await,
        ElectionAlgorithm::Lease(lease) => {
            let Some(lock) = ctx.lookup(&cfg.lock_name) else {
                ctx.log(format!(
                    "executor idle: no lock node named {:?}",
                    cfg.lock_name
                ));
                return;
            };
            lease_driver::run(ctx, lease, lock, handle).await
        }
    }
}

/// The 2PC coordinator, if the world has both participants (a books database and a payment
/// node); executor-only deployments execute an order by recording it, as before 2PC.
fn coordinator_for(
    ctx: &NodeCtx,
    cfg: &ExecutorConfig,
    handle: &shared::ExecHandle,
    mode: execution::Mode,
) -> Option<coordinator::Coordinator> {
    let db_nodes = ctx.nodes_of(&cfg.db_service);
    let payment = ctx.lookup(&cfg.payment_name)?;
    if db_nodes.is_empty() {
        return None;
    }
    let catalog = match crate::catalog::Catalog::embedded() {
        Ok(c) => std::rc::Rc::new(c),
        Err(why) => {
            ctx.log(format!("2PC off: the catalog does not load: {why}"));
            return None;
        }
    };
    Some(coordinator::Coordinator {
        ctx: ctx.clone(),
        cfg: cfg.clone(),
        handle: handle.clone(),
        db: crate::services::books_db::DbClient::new(ctx.clone(), db_nodes, Default::default()),
        payment,
        catalog,
        active: Default::default(),
        replicated: mode == execution::Mode::Replicated,
    })
}

/// Adds `count` executor nodes named `executor-0..count` (3–7) to the world.
pub fn add_executor_cluster(
    world: &mut World,
    count: u32,
    cfg: ExecutorConfig,
) -> Result<Vec<NodeId>, String> {
    cfg.validate(count)?;
    (0..count)
        .map(|i| {
            let cfg = cfg.clone();
            world.add_node(&format!("executor-{i}"), SERVICE, move |ctx| {
                executor_node(ctx, cfg.clone())
            })
        })
        .collect()
}
