//! Faint lines between services that talk, the executor cluster's ring with its caption, and
//! links a partition or cut blocks (red, dashed, with a ✕ where they are broken).
use leptos::prelude::*;

use super::{node_radius, route_between, NodePlace};
use crate::sim_context::use_sim;
use crate::view_model::mesh::{cut_view, service_links, CutLink};

#[component]
pub fn MeshLinks(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    let lines = Memo::new(move |_| {
        places.with(|ps| {
            let services: Vec<_> = ps.iter().map(|p| (p.id, p.service.clone())).collect();
            service_links(&services)
                .into_iter()
                .filter_map(|(a, b)| Some(((a, b), route_between(ps, a, b)?.path())))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="mesh-links" aria-hidden="true">
            <For each=move || lines.get() key=|l| l.clone() let:l>
                <path class="mesh-link" d=l.1 />
            </For>
        </g>
    }
}

/// The ring through an elected cluster's members (executors, database replicas) and a
/// caption naming it.
#[component]
pub fn ClusterRing(
    places: Memo<Vec<NodePlace>>,
    service: &'static str,
    caption: Signal<String>,
) -> impl IntoView {
    let ring = Memo::new(move |_| places.with(|ps| ring_through(ps, service)));
    move || {
        ring.get().map(|(cx, cy, r)| {
            view! {
                <g class=format!("mesh-cluster mesh-cluster--{service}") aria-hidden="true">
                    <circle class="mesh-cluster__ring" cx=cx cy=cy r=r />
                    <text class="mesh-cluster__caption" x=cx y=cy + r + 78.0 text-anchor="middle">
                        {move || caption.get()}
                    </text>
                </g>
            }
        })
    }
}

/// The executor cluster's ring, captioned with its election algorithm.
#[component]
pub fn ExecutorRing(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    let sim = use_sim();
    let caption = Signal::derive(move || {
        let algorithm = sim.snapshot.with(|s| {
            s.executors
                .iter()
                .find_map(|e| e.view.as_ref().map(|v| v.algorithm))
                .unwrap_or("raft")
        });
        format!("executor cluster · {algorithm}")
    });
    view! { <ClusterRing places=places service="executor" caption=caption /> }
}

/// The books database's ring of replicas.
#[component]
pub fn DbRing(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    view! { <ClusterRing places=places service="books-db" caption=Signal::derive(|| "books database · raft".to_string()) /> }
}

/// Centre and radius of the circle through `service`'s members, when there are two or more.
fn ring_through(ps: &[NodePlace], service: &str) -> Option<(f32, f32, f32)> {
    let members: Vec<&NodePlace> = ps.iter().filter(|p| p.service == service).collect();
    if members.len() < 2 {
        return None;
    }
    let n = members.len() as f32;
    let (cx, cy) = (
        members.iter().map(|p| p.x).sum::<f32>() / n,
        members.iter().map(|p| p.y).sum::<f32>() / n,
    );
    let r = members
        .iter()
        .map(|p| ((p.x - cx).powi(2) + (p.y - cy).powi(2)).sqrt())
        .fold(0.0f32, f32::max);
    Some((cx, cy, r))
}

#[component]
pub fn MeshCuts(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    let sim = use_sim();
    let cuts = Memo::new(move |_| {
        let (talk, ids) = places.with(|ps| {
            let services: Vec<_> = ps.iter().map(|p| (p.id, p.service.clone())).collect();
            (
                service_links(&services),
                ps.iter().map(|p| p.id).collect::<Vec<_>>(),
            )
        });
        sim.snapshot.with(|s| cut_view(&s.links_down, &talk, &ids))
    });
    let drawn = Memo::new(move |_| {
        let lines = cuts.with(|c| c.lines.clone());
        places.with(|ps| {
            lines
                .into_iter()
                .filter_map(|c| {
                    let name = |id: engine::sim::NodeId| {
                        ps.iter()
                            .find(|p| p.id == id)
                            .map(|p| p.name.clone())
                            .unwrap_or_default()
                    };
                    let route = route_between(ps, c.from, c.to)?;
                    // The ✕ sits mid-link when both ways are cut, near the receiver when only
                    // one direction is.
                    let mark = route.at(if c.both_ways { 0.5 } else { 0.7 });
                    Some((
                        c,
                        route.path(),
                        mark,
                        format!(
                            "{} {} {}",
                            name(c.from),
                            if c.both_ways { "↔" } else { "→" },
                            name(c.to)
                        ),
                    ))
                })
                .collect::<Vec<(CutLink, String, (f32, f32), String)>>()
        })
    });
    let isolated = Memo::new(move |_| {
        let ids = cuts.with(|c| c.isolated.clone());
        places.with(|ps| {
            ids.iter()
                .filter_map(|id| {
                    ps.iter()
                        .find(|p| p.id == *id)
                        .map(|p| (p.name.clone(), p.x, p.y))
                })
                .collect::<Vec<_>>()
        })
    });
    let radius = Memo::new(move |_| places.with(|p| node_radius(p.len())));
    view! {
        <g class="mesh-cuts">
            <For each=move || drawn.get() key=|c| (c.0.from, c.0.to, c.0.both_ways, c.1.clone(), c.3.clone()) let:c>
                {
                    let (link, path, (mx, my), names) = c;
                    let what = if link.both_ways { "blocked both ways" } else { "blocked one way" };
                    view! {
                        <g class="mesh-cut" class:is-one-way=!link.both_ways>
                            <title>{format!("{names}: {what}")}</title>
                            <path class="mesh-cut__line" d=path />
                            <g class="mesh-cut__mark" transform=format!("translate({mx:.1},{my:.1})")>
                                <circle r="7" />
                                <path d="M-3,-3 L3,3 M3,-3 L-3,3" />
                            </g>
                        </g>
                    }
                }
            </For>
            <For each=move || isolated.get() key=|i| (i.0.clone(), i.1 as i32, i.2 as i32) let:i>
                {
                    let (name, x, y) = i;
                    view! {
                        <g class="mesh-isolated" transform=format!("translate({x:.1},{y:.1})") data-isolated=name.clone()>
                            <title>{format!("{name} is partitioned from every other node")}</title>
                            <circle class="mesh-isolated__ring" r=move || radius.get() + 20.0 />
                            <text class="mesh-isolated__label" text-anchor="middle" y=move || -radius.get() - 26.0>"isolated"</text>
                        </g>
                    }
                }
            </For>
        </g>
    }
}
