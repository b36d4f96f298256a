//! Puts the configured services on the world, in a fixed order (node ids follow it).
use super::client::client_node;
use super::config::ClusterConfig;
use crate::services::ping::{add_ring, PingConfig};
use crate::sim::{NodeId, World};

/// Adds every node; returns the client's id when the checkout services run.
pub fn build(world: &mut World, cfg: &ClusterConfig) -> Result<Option<NodeId>, String> {
    let mut client = None;
    if cfg.checkout {
        client = Some(world.add_node("client", "client", client_node)?);
        super::services::add_checkout_services(world, cfg)?;
    }
    if cfg.ping_nodes > 0 {
        add_ring(
            world,
            cfg.ping_nodes,
            PingConfig {
                interval_us: cfg.ping_interval_ms * 1000,
            },
        )?;
    }
    Ok(client)
}
