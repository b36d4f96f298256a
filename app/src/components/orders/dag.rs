//! One order's validation DAG as a small SVG: a ∥ b, c after a, d after b, e after c and d,
//! f after e. Each box is coloured by its state and shows its vector clock compactly; clicking
//! one shows its full clock and times below.
use engine::msg::DagEvent;
use engine::view::{EventState, OrderDagView};
use leptos::prelude::*;

use crate::state::format_virtual_time;
use crate::view_model::orders::{
    dag_edges, dag_nodes, node_origin, short_process, state_name, DagNodeView, DAG_HEIGHT,
    DAG_WIDTH, NODE_HEIGHT, NODE_WIDTH,
};

/// Names longer than this are squeezed to fit their box.
const NAME_CHARS_FIT: usize = 18;

#[component]
pub fn DagView(order: Memo<Option<OrderDagView>>) -> impl IntoView {
    let sim = crate::sim_context::use_sim();
    // The events' times are on the orchestrator's own clock.
    let now = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .find(|n| n.service == "orchestrator")
                .map_or(s.now_us, |n| n.local_now_us(s.now_us))
        })
    });
    let drawn = Memo::new(move |_| {
        order
            .with(|o| o.as_ref().map(|o| dag_nodes(o, now.get())))
            .unwrap_or_default()
    });
    let columns = Memo::new(move |_| drawn.with(|d| d.0.clone()));
    let selected = RwSignal::new(None::<DagEvent>);
    let state_of = move |e: DagEvent| {
        drawn.with(|d| {
            d.1.iter()
                .find(|n| n.event == e)
                .map_or(EventState::Waiting, |n| n.state)
        })
    };

    view! {
        <figure class="dag">
            <figcaption class="dag__legend">
                <span class="dag__legend-clock">
                    "clock ⟨"
                    {move || columns.get().iter().map(|c| short_process(c)).collect::<Vec<_>>().join(" ")}
                    "⟩ · "<b class="dag__ticked-sample">"bold"</b>" = the service that ran it"
                </span>
            </figcaption>
            <svg
                class="dag__svg"
                viewBox=format!("0 0 {DAG_WIDTH} {DAG_HEIGHT}")
                role="group"
                aria-label="Event DAG: a VerifyItems and b VerifyUserData in parallel; c after a; d after b; e after c and d; f after e"
            >
                <defs>
                    <marker id="dag-arrow-on" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="dag__arrowhead is-on" />
                    </marker>
                    <marker id="dag-arrow-off" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="dag__arrowhead" />
                    </marker>
                </defs>
                {dag_edges()
                    .into_iter()
                    .map(|e| {
                        let from = e.from;
                        let on = move || state_of(from) == EventState::Ok;
                        view! {
                            <line
                                class="dag__edge"
                                class:is-on=on
                                x1=e.x1
                                y1=e.y1
                                x2=e.x2
                                y2=e.y2
                                marker-end=move || if on() { "url(#dag-arrow-on)" } else { "url(#dag-arrow-off)" }
                            />
                        }
                    })
                    .collect_view()}
                {DagEvent::ALL
                    .into_iter()
                    .map(|event| {
                        let node = Memo::new(move |_| drawn.with(|d| d.1.iter().find(|n| n.event == event).cloned()));
                        view! { <DagBox event=event node=node selected=selected /> }
                    })
                    .collect_view()}
            </svg>
            <ul class="dag__states" aria-label="Event states">
                {["waiting", "running", "ok", "failed", "skipped"]
                    .into_iter()
                    .map(|st| view! { <li class=format!("dag__state is-{st}")><span class="dag__swatch" aria-hidden="true"></span>{st}</li> })
                    .collect_view()}
            </ul>
            <EventDetails order=order selected=selected columns=columns />
        </figure>
    }
}

#[component]
fn DagBox(
    event: DagEvent,
    node: Memo<Option<DagNodeView>>,
    selected: RwSignal<Option<DagEvent>>,
) -> impl IntoView {
    let (x, y) = node_origin(event);
    let state = move || node.with(|n| n.as_ref().map_or(EventState::Waiting, |n| n.state));
    let name = event.name();
    let squeeze = (name.len() > NAME_CHARS_FIT).then_some(NODE_WIDTH - 34);
    let toggle =
        move || selected.update(|s| *s = if *s == Some(event) { None } else { Some(event) });
    view! {
        <g
            class=move || format!("dag-node is-{}", state_name(state()))
            class:is-selected=move || selected.get() == Some(event)
            data-event=event.letter().to_string()
            data-state=move || state_name(state())
            transform=format!("translate({x} {y})")
            role="button"
            tabindex="0"
            aria-pressed=move || (selected.get() == Some(event)).to_string()
            aria-label=move || format!("{} {}: {}", event.letter(), name, state_name(state()))
            on:click=move |_| toggle()
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    toggle();
                }
            }
        >
            <title>{format!("{} · {} (runs on {})", event.letter(), name, event.service())}</title>
            <rect class="dag-node__box" width=NODE_WIDTH height=NODE_HEIGHT rx="8" />
            <circle class="dag-node__badge" cx="14" cy="15" r="10" />
            <text class="dag-node__letter" x="14" y="19" text-anchor="middle">{event.letter().to_string()}</text>
            <text class="dag-node__name" x="29" y="19" textLength=squeeze.map(|w| w.to_string()) lengthAdjust="spacingAndGlyphs">
                {name}
            </text>
            <text class="dag-node__meta" x="29" y="33">
                {move || {
                    let what = match state() {
                        EventState::Waiting => "waiting".to_string(),
                        EventState::Skipped => "skipped".to_string(),
                        EventState::Failed => "failed".to_string(),
                        _ => node.with(|n| n.as_ref().and_then(|n| n.duration.clone())).unwrap_or_default(),
                    };
                    format!("{} · {what}", event.service())
                }}
            </text>
            <text class="dag-node__clock" x="10" y="50">
                {move || match node.with(|n| n.as_ref().and_then(|n| n.clock.clone())) {
                    None => view! { <tspan class="dag-node__no-clock">"no clock yet"</tspan> }.into_any(),
                    Some(cells) => {
                        let last = cells.len().saturating_sub(1);
                        view! {
                            <tspan>"⟨"</tspan>
                            {cells
                                .into_iter()
                                .enumerate()
                                .map(|(i, (n, ticked))| {
                                    let sep = if i < last { " " } else { "" };
                                    view! { <tspan class:is-ticked=ticked>{n.to_string()}</tspan><tspan>{sep}</tspan> }
                                })
                                .collect_view()}
                            <tspan>"⟩"</tspan>
                        }
                        .into_any()
                    }
                }}
            </text>
        </g>
    }
}

/// The clicked event: its service, dependencies, times and full vector clock.
#[component]
fn EventDetails(
    order: Memo<Option<OrderDagView>>,
    selected: RwSignal<Option<DagEvent>>,
    columns: Memo<Vec<String>>,
) -> impl IntoView {
    let details = Memo::new(move |_| {
        let event = selected.get()?;
        order.with(|o| {
            o.as_ref()
                .and_then(|o| o.events.iter().find(|e| e.event == event).cloned())
        })
    });
    view! {
        <div class="dag-details" aria-live="polite">
            {move || match details.get() {
                None => view! { <p class="dag-details__hint">"Click an event to see its full vector clock and times."</p> }.into_any(),
                Some(ev) => {
                    let e = ev.event;
                    let deps = e.depends_on().iter().map(|d| format!("{} {}", d.letter(), d.name())).collect::<Vec<_>>();
                    let deps = if deps.is_empty() { "nothing (starts at once)".to_string() } else { deps.join(" and ") };
                    let times = match (ev.started_at_us, ev.finished_at_us) {
                        (Some(s), Some(f)) => format!("{} → {} ({} ms)", format_virtual_time(s), format_virtual_time(f), f.saturating_sub(s).div_ceil(1000)),
                        (Some(s), None) => format!("started {}", format_virtual_time(s)),
                        _ => "not started".to_string(),
                    };
                    let clock_rows = ev.vc.clone().map(|vc| {
                        columns
                            .get()
                            .into_iter()
                            .map(|p| {
                                let mine = p == e.service();
                                let n = vc.get(&p);
                                view! {
                                    <tr class:is-ticked=mine>
                                        <th scope="row">{p.clone()}</th>
                                        <td class="mono">{n}</td>
                                        <td class="dag-details__why">{if mine { format!("{p} ran it: its own counter ticked") } else { String::new() }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    });
                    view! {
                        <div class="dag-details__card">
                            <p class="dag-details__title">
                                <b>{format!("{} · {}", e.letter(), e.name())}</b>
                                <span class=format!("dag-state is-{}", state_name(ev.state))>{state_name(ev.state)}</span>
                            </p>
                            <dl class="dag-details__facts">
                                <dt>"runs on"</dt><dd>{e.service()}</dd>
                                <dt>"after"</dt><dd>{deps}</dd>
                                <dt>"time"</dt><dd class="mono">{times}</dd>
                            </dl>
                            {match clock_rows {
                                Some(rows) => view! {
                                    <table class="dag-details__clock">
                                        <caption>"vector clock"</caption>
                                        <tbody>{rows}</tbody>
                                    </table>
                                }.into_any(),
                                None => view! { <p class="dag-details__hint">"No clock: the event has not run."</p> }.into_any(),
                            }}
                        </div>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
