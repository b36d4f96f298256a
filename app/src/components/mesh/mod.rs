//! The mesh's layers, drawn inside one SVG by `MeshView`: links (and cut links), nodes,
//! messages in flight, drops, plus an HTML legend and traffic counters on top.
//!
//! Performance: the snapshot changes every frame, so every layer reads it through narrow
//! memos. The node list and link list change only when the world's shape changes; message
//! lists change when messages are sent or delivered; only the position memo changes every
//! frame, and each keyed item reads just its own entry from it.
pub mod legend;
pub mod links;
pub mod messages;
pub mod nodes;

use engine::sim::NodeId;
use leptos::prelude::*;

use crate::sim_context::Sim;
use crate::view_model::mesh::{clearance, monogram, route, Route};

/// Where a node sits and what never changes about it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodePlace {
    pub id: NodeId,
    pub name: String,
    pub service: String,
    pub glyph: String,
    pub x: f32,
    pub y: f32,
}

/// The world's shape: one memo shared by the layers (changes only when nodes come or go).
pub fn node_places(sim: Sim) -> Memo<Vec<NodePlace>> {
    Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .map(|n| NodePlace {
                    id: n.id,
                    name: n.name.clone(),
                    service: n.service.clone(),
                    glyph: monogram(&n.name, &n.service),
                    x: n.at.x,
                    y: n.at.y,
                })
                .collect()
        })
    })
}

/// The position of node `id` in `places` (ids index the node list).
pub fn place_of(places: &[NodePlace], id: NodeId) -> Option<(f32, f32)> {
    places
        .get(id.0 as usize)
        .filter(|p| p.id == id)
        .or_else(|| places.iter().find(|p| p.id == id))
        .map(|p| (p.x, p.y))
}

/// The route between two nodes, bowed around any node in the way.
pub fn route_between(places: &[NodePlace], a: NodeId, b: NodeId) -> Option<Route> {
    let (pa, pb) = (place_of(places, a)?, place_of(places, b)?);
    let others: Vec<(f32, f32)> = places
        .iter()
        .filter(|p| p.id != a && p.id != b)
        .map(|p| (p.x, p.y))
        .collect();
    Some(route(pa, pb, &others, clearance(node_radius(places.len()))))
}

/// Node radius: smaller when many nodes share the canvas.
pub fn node_radius(count: usize) -> f32 {
    if count > 12 {
        17.0
    } else {
        24.0
    }
}
