//! The checkout deployment: orchestrator, validators, queue, executor cluster (+ lock node).
use super::config::{ClusterConfig, Election};
use crate::protocol::bully::BullyConfig;
use crate::protocol::lease::LeaseConfig;
use crate::protocol::raft::RaftConfig;
use crate::services::executor::{add_executor_cluster, ElectionAlgorithm, ExecutorConfig};
use crate::services::lock::{add_lock, LockServiceConfig};
use crate::services::orchestrator::{orchestrator_node, OrchestratorConfig};
use crate::services::queue::{add_queue, QueueServiceConfig};
use crate::services::validator_cache::ValidatorConfig;
use crate::services::{fraud::fraud_node, suggestions::suggestions_node, verification::verification_node};
use crate::sim::World;

pub fn add_checkout_services(world: &mut World, cfg: &ClusterConfig) -> Result<(), String> {
    let orch = OrchestratorConfig::default();
    world.add_node("orchestrator", "orchestrator", move |ctx| orchestrator_node(ctx, orch.clone()))?;
    let vcfg = ValidatorConfig { calendar_start: cfg.calendar(), ..ValidatorConfig::default() };
    let v = vcfg.clone();
    world.add_node("verification", "verification", move |ctx| verification_node(ctx, v.clone()))?;
    let v = vcfg.clone();
    world.add_node("fraud", "fraud", move |ctx| fraud_node(ctx, v.clone()))?;
    let v = vcfg;
    world.add_node("suggestions", "suggestions", move |ctx| suggestions_node(ctx, v.clone()))?;
    add_queue(world, QueueServiceConfig::default())?;
    let exec = ExecutorConfig { algorithm: algorithm(cfg), ..ExecutorConfig::default() };
    exec.validate(cfg.executors)?;
    if cfg.election == Election::Lease {
        add_lock(world, LockServiceConfig::default())?;
    }
    add_executor_cluster(world, cfg.executors, exec)?;
    Ok(())
}

/// The election algorithm with the scenario's timings.
fn algorithm(cfg: &ClusterConfig) -> ElectionAlgorithm {
    let (min, max, hb) = (cfg.election_timeout_min_ms * 1000, cfg.election_timeout_max_ms * 1000, cfg.heartbeat_ms * 1000);
    match cfg.election {
        Election::Raft => ElectionAlgorithm::Raft(RaftConfig {
            election_timeout_min_us: min,
            election_timeout_max_us: max,
            heartbeat_interval_us: hb,
            ..RaftConfig::default()
        }),
        Election::Bully => ElectionAlgorithm::Bully(BullyConfig { heartbeat_interval_us: hb, leader_timeout_us: min, ..BullyConfig::default() }),
        Election::Lease => ElectionAlgorithm::Lease(LeaseConfig::default()),
    }
}
