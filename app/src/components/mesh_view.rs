//! The mesh: nodes and messages in flight (placeholder drawing until the mesh helper's pass).
use leptos::prelude::*;

use crate::sim_context::use_sim;

#[component]
pub fn MeshView() -> impl IntoView {
    let sim = use_sim();
    let nodes = Memo::new(move |_| sim.snapshot.with(|s| s.nodes.iter().map(|n| (n.id, n.name.clone(), n.at.x, n.at.y)).collect::<Vec<_>>()));
    view! {
        <section class="mesh" aria-labelledby="mesh-title">
            <h2 id="mesh-title" class="visually-hidden">"Service mesh"</h2>
            <svg class="mesh__canvas" viewBox="0 0 1000 560" preserveAspectRatio="xMidYMid meet" role="img" aria-label="Service mesh">
                <g class="mesh__nodes">
                    <For each=move || nodes.get() key=|n| n.0 let:n>
                        <circle cx=n.2 cy=n.3 r="18" class="mesh__node" />
                        <text x=n.2 y=n.3 + 34.0 class="mesh__label" text-anchor="middle">{n.1}</text>
                    </For>
                </g>
            </svg>
        </section>
    }
}
