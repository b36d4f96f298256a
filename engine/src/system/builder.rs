//! Puts the configured services on the world, in a fixed order (node ids follow it).
use super::client::client_node;
use super::config::ClusterConfig;
use crate::services::llm_desk::LlmDesk;
use crate::services::payment::SharedDeclines;
use crate::services::ping::{add_ring, PingConfig};
use crate::services::stock_reader::StockReader;
use crate::sim::{NodeId, World};
use std::rc::Rc;

/// What the system keeps a hand on after building: the shopper's node and the settings it may
/// change while the run goes.
#[derive(Default)]
pub struct Built {
    pub client: Option<NodeId>,
    /// The shopper's stock reader (when there is a books database to read).
    pub reader: Option<Rc<StockReader>>,
    /// The payment node's decline rates (when there is one).
    pub declines: Option<SharedDeclines>,
    /// Where fraud and suggestions leave their questions for the optional LLM.
    pub llm: Option<LlmDesk>,
}

/// Adds every node.
pub fn build(world: &mut World, cfg: &ClusterConfig) -> Result<Built, String> {
    let mut built = Built::default();
    if cfg.checkout {
        // Node ids follow the order nodes are added: the client first, always, so adding the
        // reader changed no existing id.
        let reader = (cfg.db_nodes > 0)
            .then(|| StockReader::new(cfg.stock_reads, cfg.stock.keys().rev().cloned()));
        let r = reader.clone();
        built.client =
            Some(world.add_node("client", "client", move |ctx| client_node(ctx, r.clone()))?);
        built.reader = reader;
        let desk = LlmDesk::new(cfg.llm_timeout_ms);
        built.declines = super::services::add_checkout_services(world, cfg, &desk)?;
        built.llm = Some(desk);
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
    Ok(built)
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
