//! The checkout deployment: orchestrator, validators, queue, executor cluster (+ lock node).
use super::config::{self, ClusterConfig, Election};
use crate::protocol::bully::BullyConfig;
use crate::protocol::lease::LeaseConfig;
use crate::protocol::raft::RaftConfig;
use crate::services::books_db::{add_books_db, BooksDbConfig};
use crate::services::executor::{add_executor_cluster, ElectionAlgorithm, ExecutorConfig};
use crate::services::llm_desk::{event_deadline_extra_us, LlmDesk};
use crate::services::lock::{add_lock, LockServiceConfig};
use crate::services::orchestrator::{orchestrator_node, OrchestratorConfig};
use crate::services::payment::{add_payment, DeclineTable, PaymentConfig, SharedDeclines};
use crate::services::queue::{add_queue, QueueServiceConfig};
use crate::services::validator_cache::ValidatorConfig;
use crate::services::{
    fraud::fraud_node, suggestions::suggestions_node, verification::verification_node,
};
use crate::sim::World;

/// Adds the services; returns the payment node's decline rates when it runs (so the system can
/// change them while the run goes).
pub fn add_checkout_services(
    world: &mut World,
    cfg: &ClusterConfig,
    llm: &LlmDesk,
) -> Result<Option<SharedDeclines>, String> {
    let orch = OrchestratorConfig {
        llm_event_extra_us: event_deadline_extra_us(cfg.llm_timeout_ms),
        ..OrchestratorConfig::default()
    };
    world.add_node("orchestrator", "orchestrator", move |ctx| {
        orchestrator_node(ctx, orch.clone())
    })?;
    let vcfg = ValidatorConfig {
        calendar_start: cfg.calendar(),
        ..ValidatorConfig::default()
    };
    let v = vcfg.clone();
    world.add_node("verification", "verification", move |ctx| {
        verification_node(ctx, v.clone())
    })?;
    // Only the two services the seeds had ask the LLM.
    let vcfg = ValidatorConfig {
        llm: Some(llm.clone()),
        ..vcfg
    };
    let v = vcfg.clone();
    world.add_node("fraud", "fraud", move |ctx| fraud_node(ctx, v.clone()))?;
    let v = vcfg;
    world.add_node("suggestions", "suggestions", move |ctx| {
        suggestions_node(ctx, v.clone())
    })?;
    let mut queue = QueueServiceConfig::default();
    queue.queue.lease_us = cfg.queue_lease_ms * 1_000;
    add_queue(world, queue)?;
    let declines = if cfg.db_nodes > 0 {
        Some(add_fulfilment(world, cfg)?)
    } else {
        None
    };
    let exec = ExecutorConfig {
        algorithm: algorithm(cfg),
        max_in_flight: cfg.max_in_flight,
        ..ExecutorConfig::default()
    };
    exec.validate(cfg.executors)?;
    if cfg.election == Election::Lease {
        add_lock(world, LockServiceConfig::default())?;
    }
    add_executor_cluster(world, cfg.executors, exec)?;
    Ok(declines)
}

/// The books database (Raft with the scenario's timings) and the payment node.
fn add_fulfilment(world: &mut World, cfg: &ClusterConfig) -> Result<SharedDeclines, String> {
    let catalog = crate::catalog::Catalog::embedded()?;
    let stock = crate::protocol::books_db::initial_stock(&catalog, &cfg.stock);
    let raft = match algorithm_for(cfg, Election::Raft) {
        ElectionAlgorithm::Raft(r) => r,
        _ => RaftConfig::default(),
    };
    let db = BooksDbConfig {
        raft,
        initial_stock: std::rc::Rc::new(stock),
        ..BooksDbConfig::default()
    };
    add_books_db(world, cfg.db_nodes, db)?;
    let declines = SharedDeclines::new(std::cell::RefCell::new(DeclineTable {
        default_ppm: config::ppm(cfg.decline_rate),
        by_method: cfg
            .decline_rates
            .iter()
            .map(|(k, v)| (k.clone(), config::ppm(*v)))
            .collect(),
    }));
    let pay = PaymentConfig {
        declines: declines.clone(),
        ..PaymentConfig::default()
    };
    add_payment(world, pay)?;
    Ok(declines)
}

/// The election algorithm with the scenario's timings.
fn algorithm(cfg: &ClusterConfig) -> ElectionAlgorithm {
    algorithm_for(cfg, cfg.election)
}

fn algorithm_for(cfg: &ClusterConfig, election: Election) -> ElectionAlgorithm {
    let (min, max, hb) = (
        cfg.election_timeout_min_ms * 1000,
        cfg.election_timeout_max_ms * 1000,
        cfg.heartbeat_ms * 1000,
    );
    match election {
        Election::Raft => ElectionAlgorithm::Raft(RaftConfig {
            election_timeout_min_us: min,
            election_timeout_max_us: max,
            heartbeat_interval_us: hb,
            pre_vote: cfg.pre_vote,
            ..RaftConfig::default()
        }),
        Election::Bully => ElectionAlgorithm::Bully(BullyConfig {
            heartbeat_interval_us: hb,
            leader_timeout_us: min,
            ..BullyConfig::default()
        }),
        Election::Lease => ElectionAlgorithm::Lease(LeaseConfig::default()),
    }
}
