//! The space-time diagram (Lamport's picture): one lane per node, time to the right, every
//! send, receive and local event a dot, messages as arrows, drops as crosses. Click (or focus
//! and press Enter on) a dot to select it: its causal past and future light up, the rest is
//! concurrent, and the box below shows its world vector clock. Geometry comes from the engine;
//! this component only draws it.
use leptos::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::components::clock_merge::ClockMerge;
use crate::sim_context::use_sim;
use crate::view_model::spacetime::{details, lanes, viewport, Window, LANE_HEIGHT_PX, WIDTH_PX};
use engine::sim::NodeId;
use engine::snapshot::spacetime::layout::{ConeRole, Frame};

/// Room on the left for lane names, in SVG units.
const LABEL_PX: f64 = 120.0;

#[component]
pub fn SpaceTimeView() -> impl IntoView {
    let sim = use_sim();
    let window = RwSignal::new(Window::default());
    let selected = RwSignal::new(None::<u64>);
    let hidden = RwSignal::new(BTreeSet::<NodeId>::new());
    let now = Memo::new(move |_| sim.snapshot.with(|s| s.now_us));
    let nodes = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .map(|n| (n.id, n.service.clone(), n.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let lane_ids = Memo::new(move |_| {
        let pairs: Vec<(NodeId, String)> =
            nodes.with(|n| n.iter().map(|(id, s, _)| (*id, s.clone())).collect());
        hidden.with(|h| lanes(&pairs, h))
    });
    let frame = Memo::new(move |_| {
        let vp = viewport(window.get(), now.get(), lane_ids.get(), selected.get());
        Arc::new(sim.spacetime_frame(&vp))
    });
    let names = Memo::new(move |_| {
        nodes.with(|n| {
            n.iter()
                .map(|(_, _, name)| name.clone())
                .collect::<Vec<_>>()
        })
    });
    let height = move || {
        lane_ids
            .with(|l| l.len() as f64 * LANE_HEIGHT_PX)
            .max(LANE_HEIGHT_PX)
    };
    let view_box = move || format!("{} 0 {} {}", -LABEL_PX, WIDTH_PX + LABEL_PX, height());
    let details_box = move || {
        let seq = selected.get()?;
        let (t0, t1) = window.get().bounds(now.get());
        let (ev, cone) = sim.spacetime_event(seq, t0, t1)?;
        Some(names.with(|n| details(&ev, &cone, n)))
    };
    view! {
        <section class="spacetime" aria-labelledby="spacetime-title">
            <h2 id="spacetime-title" class="visually-hidden">"Space-time diagram"</h2>
            <SpaceTimeControls window=window now=now selected=selected />
            <svg class="spacetime__canvas" viewBox=view_box preserveAspectRatio="none"
                role="group" aria-label="Space-time diagram: one lane per node, time to the right"
                style=move || format!("height: {}px", height())>
                <Lanes frame=frame names=names hidden=hidden />
                <Arrows frame=frame />
                <Dots frame=frame selected=selected />
            </svg>
            <p class="spacetime__note" hidden=move || frame.with(|f| f.arrows_hidden == 0)>
                {move || frame.with(|f| format!("{} messages not drawn at this zoom: select an event to see its own, or zoom in.", f.arrows_hidden))}
            </p>
            {move || details_box().map(|d| view! {
                <div class="spacetime__details" role="region" aria-live="polite" aria-label="Selected event">
                    <p class="spacetime__title">{d.title}</p>
                    <p>{format!("Causal past: {} events · future: {} · concurrent: {} (in this window)", d.past, d.future, d.concurrent)}</p>
                    <p class="spacetime__clock">"Vector clock: "
                        {d.clock.into_iter().map(|(n, c)| view! { <span class="spacetime__entry">{format!("{n}: {c}")}</span> }).collect_view()}
                    </p>
                    <p class="spacetime__rule">"e happened before f exactly when every entry of e's clock is ≤ f's and one is smaller; otherwise they are concurrent (Fidge, Mattern 1988)."</p>
                </div>
            })}
            <ClockMerge selected=selected names=names />
        </section>
    }
}

#[component]
fn SpaceTimeControls(
    window: RwSignal<Window>,
    now: Memo<u64>,
    selected: RwSignal<Option<u64>>,
) -> impl IntoView {
    let following = move || window.with(|w| w.parked_t1_us.is_none());
    view! {
        <div class="spacetime__controls" role="toolbar" aria-label="Space-time diagram controls">
            <button type="button" aria-label="Earlier" on:click=move |_| window.update(|w| *w = w.pan(now.get_untracked(), false))>"◀"</button>
            <button type="button" aria-label="Later" on:click=move |_| window.update(|w| *w = w.pan(now.get_untracked(), true))>"▶"</button>
            <button type="button" aria-label="Zoom in" on:click=move |_| window.update(|w| *w = w.zoom(true))>"+"</button>
            <button type="button" aria-label="Zoom out" on:click=move |_| window.update(|w| *w = w.zoom(false))>"-"</button>
            <button type="button" aria-pressed=move || if following() { "true" } else { "false" }
                on:click=move |_| window.update(|w| w.parked_t1_us = None)>"Follow now"</button>
            <button type="button" aria-label="Clear selection" disabled=move || selected.get().is_none()
                on:click=move |_| selected.set(None)>"Clear"</button>
            <span class="spacetime__span">{move || format!("window {:.2} s", window.with(|w| w.span_us) as f64 / 1e6)}</span>
        </div>
    }
}

#[component]
fn Lanes(
    frame: Memo<Arc<Frame>>,
    names: Memo<Vec<String>>,
    hidden: RwSignal<BTreeSet<NodeId>>,
) -> impl IntoView {
    let sim = use_sim();
    view! {
        <g class="spacetime__lanes">
            {move || frame.with(|f| f.lanes.iter().map(|(id, y)| {
                let (id, y) = (*id, *y);
                let name = names.with(|n| n.get(id.0 as usize).cloned().unwrap_or_default());
                // The narration step on show emphasises its nodes' lanes.
                let narrated = sim.highlight.with(|h| h.as_ref().is_some_and(|h| h.nodes.contains(&name)));
                view! {
                    <g class:is-narrated=narrated>
                        <line x1="0" x2=WIDTH_PX y1=y y2=y class="spacetime__lane" />
                        <text x=-6 y=y + 4.0 text-anchor="end" class="spacetime__name"
                            role="button" tabindex="0" aria-label=format!("Hide lane {name}")
                            on:click=move |_| hidden.update(|h| { h.insert(id); })>{name.clone()}</text>
                    </g>
                }
            }).collect_view())}
            <text x=-6 y=-2 class="spacetime__hint" hidden=move || hidden.with(BTreeSet::is_empty)
                role="button" tabindex="0" on:click=move |_| hidden.set(BTreeSet::new())>"show all lanes"</text>
        </g>
    }
}

#[component]
fn Arrows(frame: Memo<Arc<Frame>>) -> impl IntoView {
    let sim = use_sim();
    let narrated = move |label: &str| {
        sim.highlight.with(|h| {
            h.as_ref()
                .is_some_and(|h| h.messages.iter().any(|m| m == label))
        })
    };
    view! {
        <g class="spacetime__arrows">
            {move || frame.with(|f| f.arrows.iter().map(|a| view! {
                <line x1=a.x1 y1=a.y1 x2=a.x2 y2=a.y2 class:is-narrated=narrated(a.label)
                    class=format!("spacetime__arrow {}{}{}", role_class(a.role),
                        if a.dropped { " is-dropped" } else { "" },
                        if a.arrived { "" } else { " is-on-wire" })>
                    <title>{a.label}</title>
                </line>
            }).collect_view())}
        </g>
    }
}

#[component]
fn Dots(frame: Memo<Arc<Frame>>, selected: RwSignal<Option<u64>>) -> impl IntoView {
    view! {
        <g class="spacetime__dots">
            {move || frame.with(|f| f.dots.iter().map(|d| {
                let seq = d.seq;
                let r = if d.count > 1 { 4.5 } else { 3.5 };
                let label = match (d.count, d.receive) {
                    (1, true) => format!("receive, event {seq}"),
                    (1, false) => format!("event {seq}"),
                    (n, _) => format!("{n} events"),
                };
                view! {
                    <circle cx=d.x cy=d.y r=r tabindex="0" role="button"
                        class=format!("spacetime__dot {}", role_class(d.role))
                        data-receive=d.receive.then_some("true")
                        aria-label=label
                        on:click=move |_| selected.set(Some(seq))
                        on:keydown=move |e| if e.key() == "Enter" { selected.set(Some(seq)) } />
                }
            }).collect_view())}
        </g>
    }
}

fn role_class(role: ConeRole) -> &'static str {
    match role {
        ConeRole::None => "",
        ConeRole::Selected => "is-selected",
        ConeRole::Past => "is-past",
        ConeRole::Future => "is-future",
        ConeRole::Concurrent => "is-concurrent",
    }
}
