//! The inspector for the node selected on the mesh: who it is, whether it is alive, its role
//! and what its view says, and buttons that break or mend it. Hidden when nothing is selected.
use engine::sim::Liveness;
use engine::system::inputs::Action;
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::mesh::{
    disk_fact, inspector_facts, liveness_label, node_face, NodeRole, RoleClass,
};
use crate::view_model::mesh_faults::isolate_action;

/// How much "Slow" adds to every link of the node.
pub const SLOW_MS: u64 = 200;

#[derive(Clone, Debug, PartialEq)]
struct Inspected {
    name: String,
    service: String,
    liveness: Liveness,
    incarnation: u32,
    role: NodeRole,
    status: String,
    facts: Vec<(&'static str, String)>,
    all: Vec<String>,
}

#[component]
pub fn NodeInspector() -> impl IntoView {
    let sim = use_sim();
    let inspected = Memo::new(move |_| {
        let id = sim.selected.get()?;
        sim.snapshot.with(|s| {
            let names: Vec<String> = s.nodes.iter().map(|n| n.name.clone()).collect();
            let n = s.nodes.iter().find(|n| n.id == id)?;
            let face = node_face(n, &names, &s.flags);
            Some(Inspected {
                name: n.name.clone(),
                service: n.service.clone(),
                liveness: n.liveness,
                incarnation: n.incarnation,
                role: face.role,
                status: face.status,
                facts: inspector_facts(n, &names, s.now_us)
                    .into_iter()
                    .chain(disk_fact(n.unsynced_bytes, n.disk_full))
                    .collect(),
                all: names,
            })
        })
    });
    move || {
        inspected
            .get()
            .map(|_| view! { <InspectorCard inspected=inspected /> })
    }
}

#[component]
fn InspectorCard(inspected: Memo<Option<Inspected>>) -> impl IntoView {
    let sim = use_sim();
    let get = move |f: fn(&Inspected) -> String| {
        inspected.with(|i| i.as_ref().map(f).unwrap_or_default())
    };
    let name = move || get(|i| i.name.clone());
    let liveness = Memo::new(move |_| {
        inspected.with(|i| i.as_ref().map(|i| i.liveness).unwrap_or(Liveness::Up))
    });
    let role = Memo::new(move |_| {
        inspected.with(|i| i.as_ref().map(|i| i.role).unwrap_or(NodeRole::Service))
    });
    let facts = Memo::new(move |_| {
        inspected.with(|i| i.as_ref().map(|i| i.facts.clone()).unwrap_or_default())
    });
    let act = move |make: fn(String) -> Action| {
        let n = name();
        if !n.is_empty() {
            sim.act(make(n));
        }
    };
    let isolate = move |_| {
        let (all, n) = inspected.with(|i| {
            i.as_ref()
                .map(|i| (i.all.clone(), i.name.clone()))
                .unwrap_or_default()
        });
        match isolate_action(&all, &n) {
            Ok(action) => sim.act(action),
            Err(e) => sim.notice.set(Some(e)),
        }
    };
    let crashed = move || liveness.get() == Liveness::Crashed;
    let paused = move || liveness.get() == Liveness::Paused;

    view! {
        <section class=move || format!("inspector {}", role.get().class()) aria-labelledby="inspector-title" data-testid="node-inspector">
            <header class="inspector__head">
                <span class="inspector__dot" aria-hidden="true"></span>
                <div class="inspector__titles">
                    <h2 id="inspector-title" class="inspector__name">{name}</h2>
                    <p class="inspector__service">
                        {move || get(|i| i.service.clone())}
                        " · "
                        <span class="inspector__liveness" data-testid="inspector-liveness">{move || liveness_label(liveness.get())}</span>
                        {move || {
                            let inc = inspected.with(|i| i.as_ref().map(|i| i.incarnation).unwrap_or(0));
                            (inc > 0).then(|| format!(" · incarnation {inc}"))
                        }}
                    </p>
                </div>
                <button type="button" class="inspector__close" aria-label="Close inspector" on:click=move |_| sim.selected.set(None)>
                    "×"
                </button>
            </header>
            <p class="inspector__status">{move || get(|i| i.status.clone())}</p>
            <dl class="inspector__facts">
                <For each=move || facts.with(|f| f.iter().map(|(k, _)| *k).collect::<Vec<_>>()) key=|k| *k let:label>
                    <dt>{label}</dt>
                    <dd class="mono">{move || facts.with(|f| f.iter().find(|(k, _)| *k == label).map(|(_, v)| v.clone()))}</dd>
                </For>
            </dl>
            <div class="inspector__actions" role="group" aria-label=move || format!("Faults for {}", name())>
                <button type="button" class="button button--small button--danger" disabled=crashed
                    on:click=move |_| act(Action::Crash)>"Crash"</button>
                <button type="button" class="button button--small" disabled=move || !crashed()
                    on:click=move |_| act(Action::Restart)>"Restart"</button>
                <button type="button" class="button button--small" disabled=move || crashed() || paused()
                    on:click=move |_| act(Action::Pause)>"Pause"</button>
                <button type="button" class="button button--small" disabled=move || !paused()
                    on:click=move |_| act(Action::Resume)>"Resume"</button>
                <button type="button" class="button button--small" title=format!("Slow: add {SLOW_MS} ms to every message to or from this node")
                    aria-label=format!("Slow +{SLOW_MS} ms")
                    on:click=move |_| act(|node| Action::Slow { node, extra_ms: SLOW_MS })>"Slow"</button>
                <button type="button" class="button button--small" title="Remove the extra delay"
                    on:click=move |_| act(|node| Action::Slow { node, extra_ms: 0 })>"Unslow"</button>
                <button type="button" class="button button--small button--warn" title="Partition this node from every other node"
                    on:click=isolate>"Isolate"</button>
                <button type="button" class="button button--small" title="Remove every partition and cut link"
                    on:click=move |_| sim.act(Action::Heal)>"Heal all"</button>
                <button type="button" class="button button--small button--warn" title="Fill this node's disk: every write is refused"
                    on:click=move |_| act(|node| Action::DiskFull { node, on: true })>"Fill disk"</button>
                <button type="button" class="button button--small" title="Give this node's disk space again"
                    on:click=move |_| act(|node| Action::DiskFull { node, on: false })>"Free disk"</button>
                <button type="button" class="button button--small button--danger" title="Tear the newest record on this node's disk: its checksum fails at the next restart"
                    on:click=move |_| act(Action::CorruptDisk)>"Tear record"</button>
            </div>
        </section>
    }
}
