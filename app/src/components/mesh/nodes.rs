//! The nodes: a circle per node coloured by role, a monogram, the name and a status line;
//! the leader wears a crown and a term badge, candidates pulse, crashed nodes are grey with a
//! ✕, paused ones show ⏸. Followers and candidates carry their election timer as a ring that
//! runs down. Clicking (or Enter on) a node selects it for the inspector.
use leptos::prelude::*;

use super::{node_radius, NodePlace};
use crate::sim_context::use_sim;
use crate::view_model::mesh::{election_timer, node_face, NodeFace, NodeRole, RoleClass};

#[component]
pub fn MeshNodes(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    let sim = use_sim();
    // Faces change when a role, term or status changes: a few times a second at most.
    let faces = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            let names: Vec<String> = s.nodes.iter().map(|n| n.name.clone()).collect();
            s.nodes
                .iter()
                .map(|n| node_face(n, &names, &s.flags))
                .collect::<Vec<NodeFace>>()
        })
    });
    // Election timers run down every frame; executors and database replicas have one.
    let timers = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .map(|n| election_timer(&n.view, n.liveness, n.local_now_us(s.now_us)))
                .collect::<Vec<Option<u32>>>()
        })
    });
    let radius = Memo::new(move |_| places.with(|p| node_radius(p.len())));
    view! {
        <g class="mesh-nodes">
            <For each=move || places.get() key=|p| (p.id, p.name.clone(), p.service.clone(), p.x as i32, p.y as i32) let:place>
                <MeshNode place=place faces=faces timers=timers radius=radius />
            </For>
        </g>
    }
}

#[component]
fn MeshNode(
    place: NodePlace,
    faces: Memo<Vec<NodeFace>>,
    timers: Memo<Vec<Option<u32>>>,
    radius: Memo<f32>,
) -> impl IntoView {
    let sim = use_sim();
    let id = place.id;
    let index = id.0 as usize;
    let face = Memo::new(move |_| {
        faces.with(|f| {
            f.get(index)
                .filter(|f| f.id == id)
                .or_else(|| f.iter().find(|f| f.id == id))
                .cloned()
        })
    });
    let role =
        Memo::new(move |_| face.with(|f| f.as_ref().map(|f| f.role).unwrap_or(NodeRole::Starting)));
    let term = Memo::new(move |_| face.with(|f| f.as_ref().and_then(|f| f.leader_term)));
    let status = move || face.with(|f| f.as_ref().map(|f| f.status.clone()).unwrap_or_default());
    let degraded = move || face.with(|f| f.as_ref().is_some_and(|f| f.degraded));
    let clock = move || face.with(|f| f.as_ref().and_then(|f| f.clock.clone()));
    let selected = Memo::new(move |_| sim.selected.get() == Some(id));
    let narrated = {
        let name = place.name.clone();
        Memo::new(move |_| {
            sim.highlight
                .with(|h| h.as_ref().is_some_and(|h| h.nodes.contains(&name)))
        })
    };
    let r = move || radius.get();
    let toggle = move || {
        sim.selected
            .update(|s| *s = if *s == Some(id) { None } else { Some(id) })
    };
    let name = place.name.clone();
    let aria = {
        let name = name.clone();
        move || format!("{name}: {}. Select to inspect.", status())
    };
    let timer_circ = move || 2.0 * std::f32::consts::PI * (r() + 6.0);
    let timer_dash = move || {
        timers
            .with(|t| t.get(index).copied().flatten())
            .map(|left| {
                let c = timer_circ();
                format!("{:.1} {:.1}", c * left as f32 / 1000.0, c)
            })
    };
    let service_class = format!("mesh-node mesh-node--{}", place.service);

    view! {
        <g
            class=move || format!("{service_class} {}", role.get().class())
            class:is-selected=move || selected.get()
            class:is-narrated=move || narrated.get()
            class:is-degraded=degraded
            transform=format!("translate({:.1},{:.1})", place.x, place.y)
            data-node=name.clone()
            role="button"
            tabindex="0"
            aria-label=aria
            aria-pressed=move || if selected.get() { "true" } else { "false" }
            on:click=move |_| toggle()
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    toggle();
                }
            }
        >
            <circle class="mesh-node__halo" r=move || r() + 12.0 />
            {move || {
                timer_dash()
                    .map(|dash| {
                        view! {
                            <circle class="mesh-node__timer-track" r=move || r() + 6.0 />
                            <circle
                                class="mesh-node__timer"
                                r=move || r() + 6.0
                                stroke-dasharray=dash
                                transform="rotate(-90)"
                            />
                        }
                    })
            }}
            <circle class="mesh-node__body" r=r />
            <text class="mesh-node__glyph" text-anchor="middle" dy="0.36em">{place.glyph.clone()}</text>
            {move || (role.get() == NodeRole::Crashed).then(|| view! {
                <path class="mesh-node__cross" d=move || { let k = r() * 0.62; format!("M{0},{0} L{1},{1} M{1},{0} L{0},{1}", -k, k) } />
            })}
            {move || (role.get() == NodeRole::Paused).then(|| view! {
                <g class="mesh-node__pause" transform=move || format!("translate({:.1},{:.1})", r() * 0.72, -r() * 0.72)>
                    <circle r="9" />
                    <rect x="-4" y="-4.5" width="3" height="9" rx="0.8" />
                    <rect x="1" y="-4.5" width="3" height="9" rx="0.8" />
                </g>
            })}
            {move || term.get().map(|t| view! {
                <g class="mesh-node__crown" transform=move || format!("translate(0,{:.1})", -r() - 14.0)>
                    <path d="M-11,5 L-11,-5 L-5.5,0 L0,-9 L5.5,0 L11,-5 L11,5 Z" />
                </g>
                <g class="mesh-node__term" transform=move || format!("translate({:.1},{:.1})", r() * 0.85, -r() * 0.78)>
                    <rect x="-2" y="-9" width=format!("{}", 16 + 7 * t.to_string().len()) height="18" rx="9" />
                    <text x=format!("{}", 6.0 + 3.5 * t.to_string().len() as f32) text-anchor="middle" dy="0.35em">{format!("T{t}")}</text>
                </g>
            })}
            <text class="mesh-node__name" text-anchor="middle" y=move || r() + 17.0>{name.clone()}</text>
            <text class="mesh-node__status" text-anchor="middle" y=move || r() + 31.0>{status}</text>
            {move || clock().map(|c| view! {
                <text class="mesh-node__clock" text-anchor="middle" y=move || r() + 45.0>{c}</text>
            })}
        </g>
    }
}
