//! The checkout deployment: orchestrator, validators, queue, executor cluster (+ lock node).
use super::config::ClusterConfig;
use crate::services::orchestrator::{orchestrator_node, OrchestratorConfig};
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
    Ok(())
}
