//! The mesh, the page's hero: every node at its layout position with its role, the links
//! between services (red and dashed where a partition cuts them), messages in flight and recent
//! drops, a key and traffic counters. Layers live in `components/mesh/`.
use leptos::prelude::*;

use crate::components::mesh::legend::{MeshCounters, MeshLegend};
use crate::components::mesh::links::{DbRing, ExecutorRing, MeshCuts, MeshLinks};
use crate::components::mesh::messages::{MeshDrops, MeshMessages};
use crate::components::mesh::node_places;
use crate::components::mesh::nodes::MeshNodes;
use crate::sim_context::use_sim;

#[component]
pub fn MeshView() -> impl IntoView {
    let sim = use_sim();
    let places = node_places(sim);
    let view_box = Memo::new(move |_| {
        sim.snapshot
            .with(|s| format!("0 0 {} {}", s.width, s.height))
    });
    let summary = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            let leaders: Vec<&str> = s
                .nodes
                .iter()
                .filter(|n| n.role == engine::snapshot::observations::NodeRole::Leader)
                .map(|n| n.name.as_str())
                .collect();
            let crashed = s
                .nodes
                .iter()
                .filter(|n| n.liveness == engine::sim::Liveness::Crashed)
                .count();
            format!(
                "Service mesh: {} nodes{}{}",
                s.nodes.len(),
                if leaders.is_empty() {
                    ", no leader".to_string()
                } else {
                    format!(", leader {}", leaders.join(", "))
                },
                if crashed > 0 {
                    format!(", {crashed} crashed")
                } else {
                    String::new()
                },
            )
        })
    });
    view! {
        <section class="mesh" aria-labelledby="mesh-title">
            <h2 id="mesh-title" class="visually-hidden">"Service mesh"</h2>
            <svg class="mesh__canvas" viewBox=move || view_box.get() preserveAspectRatio="xMidYMid meet" role="group" aria-label=move || summary.get()>
                <ExecutorRing places=places />
                <DbRing places=places />
                <MeshLinks places=places />
                <MeshCuts places=places />
                <MeshDrops />
                <MeshNodes places=places />
                <MeshMessages places=places />
            </svg>
            <MeshCounters />
            <MeshLegend places=places />
        </section>
    }
}
