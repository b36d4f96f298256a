//! The checkout deployment: orchestrator, validators, queue, executor cluster (+ lock node).
use super::config::ClusterConfig;
use crate::sim::World;

pub fn add_checkout_services(_world: &mut World, _cfg: &ClusterConfig) -> Result<(), String> {
    Ok(())
}
