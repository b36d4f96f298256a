//! The faults tab: what the current scenario shows, one-click cluster faults (crash or isolate
//! the leader, restart the crashed, heal), the network's loss and latency, a partition builder,
//! a one-way cut, model outages, and the nemesis with its receipts. Every control calls one
//! engine verb.
use engine::system::inputs::Action;
use leptos::html::{Input, Select};
use leptos::prelude::*;

use crate::components::nemesis_panel::NemesisPanel;
use crate::sim_context::use_sim;
use crate::view_model::mesh_faults::{
    loss_from_percent, model_down, one_way_action, parse_ms, partition_action, NetworkSettings,
    MAX_LOSS, MODELS,
};

/// The cluster the leader buttons act on.
const CLUSTER: &str = "executors";

#[component]
pub fn FaultsPanel() -> impl IntoView {
    let sim = use_sim();
    let scenario = Memo::new(move |_| {
        sim.scenario_id
            .with(|id| match engine::scenario::builtin::get(id) {
                Some(Ok(s)) => Some((s.name, s.description)),
                _ => None,
            })
    });
    let names = Memo::new(move |_| {
        sim.snapshot
            .with(|s| s.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>())
    });
    let has_cluster = Memo::new(move |_| sim.snapshot.with(|s| !s.executors.is_empty()));
    let leader = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .find(|n| {
                    n.service == "executor"
                        && n.role == engine::snapshot::observations::NodeRole::Leader
                        && n.liveness == engine::sim::Liveness::Up
                })
                .map(|n| n.name.clone())
        })
    });
    let crashed = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .filter(|n| n.liveness == engine::sim::Liveness::Crashed)
                .count()
        })
    });
    let cuts = Memo::new(move |_| sim.snapshot.with(|s| s.links_down.len()));

    view! {
        <section class="faults" aria-labelledby="faults-title">
            <h2 id="faults-title" class="visually-hidden">"Faults"</h2>
            {move || scenario.get().map(|(name, description)| view! {
                <div class="faults__scenario">
                    <p class="faults__scenario-kicker">"Now playing"</p>
                    <h3 class="faults__scenario-name">{name}</h3>
                    <p class="faults__scenario-text">{description}</p>
                </div>
            })}

            {move || has_cluster.get().then(|| view! {
                <div class="faults__section">
                    <h3 class="faults__heading">"Executor cluster"</h3>
                    <p class="faults__note">
                        {move || match leader.get() {
                            Some(l) => format!("Leader now: {l}."),
                            None => "No leader right now: an election is under way.".to_string(),
                        }}
                    </p>
                    <div class="faults__buttons">
                        <button type="button" class="button button--small button--danger" disabled=move || leader.get().is_none()
                            on:click=move |_| sim.act(Action::CrashLeader(CLUSTER.into()))>"Crash leader"</button>
                        <button type="button" class="button button--small button--warn" disabled=move || leader.get().is_none()
                            on:click=move |_| sim.act(Action::IsolateLeader(CLUSTER.into()))>"Isolate leader"</button>
                        <button type="button" class="button button--small" disabled=move || crashed.get() == 0
                            on:click=move |_| sim.act(Action::RestartCrashed)>
                            {move || match crashed.get() {
                                0 => "Restart all crashed".to_string(),
                                n => format!("Restart all crashed ({n})"),
                            }}
                        </button>
                    </div>
                </div>
            })}

            <NetworkControls />
            <PartitionBuilder names=names />

            <div class="faults__section">
                <h3 class="faults__heading">"Heal"</h3>
                <p class="faults__note">
                    {move || match cuts.get() {
                        0 => "Every link is up.".to_string(),
                        n => format!("{n} blocked direction{} between nodes.", if n == 1 { "" } else { "s" }),
                    }}
                </p>
                <button type="button" class="button button--small button--ok" disabled=move || cuts.get() == 0
                    on:click=move |_| sim.act(Action::Heal)>"Heal all links"</button>
            </div>

            <ModelOutages names=names />
            <NemesisPanel />
        </section>
    }
}

#[component]
fn NetworkControls() -> impl IntoView {
    let sim = use_sim();
    let current = Memo::new(move |_| sim.snapshot.with(|s| NetworkSettings::of(&s.link)));
    let loss_pct = move || (current.get().loss * 100.0).round() as u32;
    // What the slider shows while it is being dragged.
    let dragging = RwSignal::new(None::<u32>);
    let shown_loss = move || dragging.get().unwrap_or_else(loss_pct);
    let base: NodeRef<Input> = NodeRef::new();
    let jitter: NodeRef<Input> = NodeRef::new();
    let apply_latency = move |_| {
        let read = |r: NodeRef<Input>, field: &str| {
            r.get()
                .map(|i| i.value())
                .ok_or_else(|| format!("{field}: missing"))
                .and_then(|v| parse_ms(field, &v))
        };
        match (read(base, "base latency"), read(jitter, "jitter")) {
            (Ok(base_ms), Ok(jitter_ms)) => sim.act(Action::Latency { base_ms, jitter_ms }),
            (Err(e), _) | (_, Err(e)) => sim.notice.set(Some(e)),
        }
    };
    view! {
        <div class="faults__section">
            <h3 class="faults__heading">"Network"</h3>
            <label class="faults__field">
                <span class="faults__field-label">"Message loss"</span>
                <input
                    class="faults__range"
                    type="range"
                    min="0"
                    max=format!("{}", (MAX_LOSS * 100.0) as u32)
                    step="1"
                    prop:value=move || shown_loss().to_string()
                    aria-label="Message loss percent"
                    aria-valuetext=move || format!("{}%", shown_loss())
                    on:input=move |ev| dragging.set(event_target_value(&ev).parse().ok())
                    on:change=move |ev| {
                        dragging.set(None);
                        match loss_from_percent(&event_target_value(&ev)) {
                            Ok(p) => sim.act(Action::Loss(p)),
                            Err(e) => sim.notice.set(Some(e)),
                        }
                    }
                />
                <output class="faults__value mono" class:is-bad=move || { shown_loss() > 0 }>{move || format!("{}%", shown_loss())}</output>
            </label>
            <div class="faults__latency">
                <label class="faults__field faults__field--small">
                    <span class="faults__field-label">"Latency"</span>
                    <input node_ref=base class="faults__number mono" type="number" min="0" max="10000" step="1" inputmode="numeric"
                        aria-label="Base latency in milliseconds" prop:value=move || current.get().base_ms.to_string() />
                    <span class="faults__unit">"ms ±"</span>
                </label>
                <label class="faults__field faults__field--small">
                    <span class="visually-hidden">"Jitter"</span>
                    <input node_ref=jitter class="faults__number mono" type="number" min="0" max="10000" step="1" inputmode="numeric"
                        aria-label="Latency jitter in milliseconds" prop:value=move || current.get().jitter_ms.to_string() />
                    <span class="faults__unit">"ms"</span>
                </label>
                <button type="button" class="button button--small" on:click=apply_latency>"Apply"</button>
            </div>
            <p class="faults__note">"Applies to every link. Slow a single node from its inspector (click it on the mesh)."</p>
        </div>
    }
}

#[component]
fn PartitionBuilder(names: Memo<Vec<String>>) -> impl IntoView {
    let sim = use_sim();
    // Form state: which nodes the user ticked for group A.
    let group_a = RwSignal::new(Vec::<String>::new());
    let from: NodeRef<Select> = NodeRef::new();
    let to: NodeRef<Select> = NodeRef::new();
    let partition = move |_| match names.with(|all| group_a.with(|a| partition_action(all, a))) {
        Ok(action) => {
            sim.act(action);
            group_a.set(Vec::new());
        }
        Err(e) => sim.notice.set(Some(e)),
    };
    let one_way = move |_| {
        let value = |r: NodeRef<Select>| r.get().map(|s| s.value()).unwrap_or_default();
        match one_way_action(&value(from), &value(to)) {
            Ok(action) => sim.act(action),
            Err(e) => sim.notice.set(Some(e)),
        }
    };
    // The two ends start on different nodes, so "Cut" works at once.
    let options = move |preselect: usize| {
        names
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                let v = n.clone();
                view! { <option value=v selected=i == preselect>{n}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="faults__section">
            <h3 class="faults__heading">"Partition"</h3>
            <p class="faults__note">"Tick the nodes of group A; they lose contact with every other node."</p>
            <fieldset class="faults__nodes">
                <legend class="visually-hidden">"Group A"</legend>
                <For each=move || names.get() key=|n| n.clone() let:n>
                    {
                        let checked_name = n.clone();
                        let toggle_name = n.clone();
                        view! {
                            <label class="faults__node">
                                <input
                                    type="checkbox"
                                    prop:checked=move || group_a.with(|a| a.contains(&checked_name))
                                    on:change=move |_| group_a.update(|a| {
                                        if let Some(i) = a.iter().position(|x| *x == toggle_name) {
                                            a.remove(i);
                                        } else {
                                            a.push(toggle_name.clone());
                                        }
                                    })
                                />
                                <span>{n}</span>
                            </label>
                        }
                    }
                </For>
            </fieldset>
            <div class="faults__buttons">
                <button type="button" class="button button--small button--warn" disabled=move || group_a.with(Vec::is_empty) on:click=partition>
                    {move || match group_a.with(Vec::len) {
                        0 => "Partition group A".to_string(),
                        n => format!("Partition {n} node{} from the rest", if n == 1 { "" } else { "s" }),
                    }}
                </button>
                <button type="button" class="button button--small" disabled=move || group_a.with(Vec::is_empty)
                    on:click=move |_| group_a.set(Vec::new())>"Clear"</button>
            </div>

            <h4 class="faults__subheading">"One-way cut"</h4>
            <div class="faults__one-way">
                <select node_ref=from class="faults__select" aria-label="Cut from node">{move || options(0)}</select>
                <span class="faults__arrow" aria-hidden="true">"↛"</span>
                <select node_ref=to class="faults__select" aria-label="Cut to node">{move || options(1)}</select>
                <button type="button" class="button button--small button--warn" on:click=one_way>"Cut"</button>
            </div>
            <p class="faults__note">"Messages from the first node to the second are lost; replies still get through."</p>
        </div>
    }
}

#[component]
fn ModelOutages(names: Memo<Vec<String>>) -> impl IntoView {
    let sim = use_sim();
    let flags = Memo::new(move |_| sim.snapshot.with(|s| s.flags.clone()));
    let present = move || {
        names.with(|n| {
            MODELS
                .iter()
                .filter(|(m, _)| n.iter().any(|x| x == m))
                .copied()
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || {
            let models = present();
            (!models.is_empty()).then(|| view! {
                <div class="faults__section">
                    <h3 class="faults__heading">"Model outages"</h3>
                    <p class="faults__note">"A down model makes its service fall back to rules."</p>
                    {models.into_iter().map(|(model, label)| {
                        let down = move || flags.with(|f| model_down(f, model));
                        view! {
                            <label class="faults__switch" class:is-on=down>
                                <input
                                    type="checkbox"
                                    role="switch"
                                    prop:checked=down
                                    aria-checked=move || if down() { "true" } else { "false" }
                                    on:change=move |_| sim.act(Action::ModelOutage { model: model.to_string(), on: !down() })
                                />
                                <span class="faults__switch-track" aria-hidden="true"></span>
                                <span>{format!("{label} down")}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            })
        }}
    }
}
