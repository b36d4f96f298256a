//! The mesh's key (roles, message colours, drops, cut links) and its traffic counters.
use leptos::prelude::*;

use super::NodePlace;
use crate::sim_context::use_sim;
use crate::view_model::mesh::{FamilyStyle, MsgKind};

#[component]
pub fn MeshLegend(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    let kinds = Memo::new(move |_| {
        places.with(|ps| {
            let has = |svc: &str| ps.iter().any(|p| p.service == svc);
            MsgKind::ALL
                .into_iter()
                .filter(|k| match k {
                    MsgKind::Election | MsgKind::Replication => has("executor") || has("books-db"),
                    MsgKind::Order | MsgKind::Queue => has("orchestrator"),
                    MsgKind::Lease => has("lock"),
                    MsgKind::Txn => has("payment") || has("books-db"),
                    MsgKind::Db => has("books-db"),
                    MsgKind::Ping => has("ping"),
                    MsgKind::Other => false,
                })
                .collect::<Vec<_>>()
        })
    });
    let has_cluster = Memo::new(move |_| {
        places.with(|ps| {
            ps.iter()
                .any(|p| p.service == "executor" || p.service == "books-db")
        })
    });
    let has_db = Memo::new(move |_| places.with(|ps| ps.iter().any(|p| p.service == "books-db")));
    view! {
        <div class="mesh-legend" role="note" aria-label="Key">
            <span class="mesh-legend__title" aria-hidden="true">"Key"</span>
            <ul class="mesh-legend__list" aria-label="Node roles">
                {move || has_cluster.get().then(|| view! {
                    <li><span class="swatch swatch--leader" aria-hidden="true"></span>{move || if has_db.get() { "leader / DB primary (♛, T = term)" } else { "leader (♛, T = term)" }}</li>
                    <li><span class="swatch swatch--follower" aria-hidden="true"></span>"follower (ring = election timer)"</li>
                    <li><span class="swatch swatch--candidate" aria-hidden="true"></span>"candidate"</li>
                })}
                <li><span class="swatch swatch--service" aria-hidden="true"></span>"service"</li>
                <li><span class="swatch swatch--crashed" aria-hidden="true"></span>"crashed ✕ · paused ‖"</li>
            </ul>
            <span class="mesh-legend__sep" aria-hidden="true"></span>
            <ul class="mesh-legend__list" aria-label="Messages">
                <For each=move || kinds.get() key=|k| *k let:k>
                    <li><span class=format!("dot {}", k.class()) aria-hidden="true"></span>{k.legend()}</li>
                </For>
                <li><span class="mesh-legend__cross" aria-hidden="true">"✕"</span>"dropped"</li>
                <li><span class="mesh-legend__cut" aria-hidden="true"></span>"partitioned"</li>
            </ul>
        </div>
    }
}

#[component]
pub fn MeshCounters() -> impl IntoView {
    let sim = use_sim();
    let counts = Memo::new(move |_| {
        sim.snapshot
            .with(|s| (s.messages.len(), s.delivered, s.dropped))
    });
    view! {
        <dl class="mesh-counters" aria-label="Traffic">
            <div><dt>"in flight"</dt><dd class="mono">{move || counts.get().0}</dd></div>
            <div><dt>"delivered"</dt><dd class="mono">{move || counts.get().1}</dd></div>
            <div class:is-bad=move || { counts.get().2 > 0 }><dt>"dropped"</dt><dd class="mono">{move || counts.get().2}</dd></div>
        </dl>
    }
}
