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
    apply_clocks(world, cfg)?;
    Ok(client)
}

/// Gives each node the clock `cluster.clocks` names for it; every name must be a node or a
/// service of this world. With no clocks configured nothing is touched (runs stay identical).
fn apply_clocks(world: &mut World, cfg: &ClusterConfig) -> Result<(), String> {
    let nodes = world.nodes();
    if let Some(unknown) = cfg
        .clocks
        .keys()
        .find(|k| !nodes.iter().any(|n| &n.name == *k || &n.service == *k))
    {
        return Err(format!(
            "cluster.clocks: no node or service named {unknown:?} in this world"
        ));
    }
    for n in &nodes {
        if let Some(c) = cfg.clock_for(&n.name, &n.service) {
            world
                .configure_clock(n.id, c.skew_us(), c.drift_ppm)
                .map_err(|e| format!("cluster.clocks.{}: {e}", n.name))?;
        }
    }
    Ok(())
}
