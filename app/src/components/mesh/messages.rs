//! Messages in flight (a coloured dot with a short label, keyed by message id) and recent drops
//! (a red ✕ that fades where the message fell). Hovering a message names it and its order.
use std::collections::HashMap;

use engine::sim::NodeId;
use leptos::prelude::*;

use super::{node_radius, route_between, NodePlace};
use crate::sim_context::use_sim;
use crate::view_model::log::corr_label;
use crate::view_model::mesh::FamilyStyle;
use engine::sim::trace::DropReason;
use engine::snapshot::observations::MsgLook;

/// What does not change while a message travels.
#[derive(Clone, Debug, PartialEq)]
struct Flight {
    id: u64,
    label: &'static str,
    look: MsgLook,
    from: NodeId,
    to: NodeId,
    corr: u64,
}

#[component]
pub fn MeshMessages(places: Memo<Vec<NodePlace>>) -> impl IntoView {
    let sim = use_sim();
    // Changes when a message is sent or delivered.
    let flights = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.messages
                .iter()
                .map(|m| Flight {
                    id: m.id,
                    label: m.label,
                    look: m.look,
                    from: m.from,
                    to: m.to,
                    corr: m.corr,
                })
                .collect::<Vec<_>>()
        })
    });
    // Changes every frame; each dot reads only its own entry.
    let positions = Memo::new(move |_| {
        places.with(|ps| {
            let radius = node_radius(ps.len()) + 3.0;
            sim.snapshot.with(|s| {
                s.messages
                    .iter()
                    .map(|m| {
                        let at = match route_between(ps, m.from, m.to) {
                            Some(r) => r.message_at(m.progress_permille, radius),
                            None => (m.at.x, m.at.y),
                        };
                        (m.id, at)
                    })
                    .collect::<HashMap<u64, (f32, f32)>>()
            })
        })
    });
    let names = Memo::new(move |_| {
        sim.snapshot
            .with(|s| s.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>())
    });
    let orders = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.orders
                .iter()
                .map(|o| (o.corr, o.order_id.clone()))
                .collect::<Vec<_>>()
        })
    });
    let hovered = RwSignal::new(None::<u64>);

    let tooltip = move || {
        let id = hovered.get()?;
        let (x, y) = positions.with(|p| p.get(&id).copied())?;
        let text = flights.with(|f| {
            f.iter().find(|m| m.id == id).map(|m| {
                let name =
                    |n: NodeId| names.with(|ns| ns.get(n.0 as usize).cloned().unwrap_or_default());
                let order = orders.with(|o| {
                    o.iter()
                        .find(|(c, _)| *c == m.corr && m.corr != 0)
                        .map(|(_, id)| format!(" · {id}"))
                });
                let corr = if m.corr == 0 {
                    String::new()
                } else {
                    format!("{} {}", order.unwrap_or_default(), corr_label(m.corr))
                };
                format!("{} {} → {}{corr}", m.label, name(m.from), name(m.to))
            })
        })?;
        let width = 14.0 + 6.4 * text.chars().count() as f32;
        // Keep the tooltip inside the canvas.
        let tx = (x + 12.0).min(1000.0 - width - 4.0).max(4.0);
        let ty = if y < 40.0 { y + 14.0 } else { y - 34.0 };
        Some(view! {
            <g class="mesh-tooltip" transform=format!("translate({tx:.1},{ty:.1})") aria-hidden="true">
                <rect width=width height="22" rx="5" />
                <text x="7" y="15">{text}</text>
            </g>
        })
    };

    view! {
        <g class="mesh-messages">
            <For each=move || flights.get() key=|m| m.id let:m>
                {
                    let id = m.id;
                    let kind = m.look.family;
                    let chatty = m.look.chatty;
                    let class = format!(
                        "msg {}{}{}",
                        kind.class(),
                        if chatty { " is-chatty" } else { "" },
                        if m.look.negative { " is-negative" } else { "" },
                    );
                    let label = m.label;
                    let narrated = move || {
                        sim.highlight.with(|h| h.as_ref().is_some_and(|h| h.messages.iter().any(|x| x == label)))
                    };
                    let at = move || {
                        positions
                            .with(|p| p.get(&id).copied())
                            .map(|(x, y)| format!("translate({x:.1},{y:.1})"))
                            .unwrap_or_else(|| "translate(-50,-50)".into())
                    };
                    view! {
                        <g
                            class=class
                            class:is-narrated=narrated
                            transform=at
                            data-msg=id.to_string()
                            data-label=m.label
                            on:mouseenter=move |_| hovered.set(Some(id))
                            on:mouseleave=move |_| hovered.set(None)
                        >
                            <circle class="msg__hit" r="11" />
                            <circle class="msg__dot" r=if chatty { "4" } else { "5.5" } />
                            {(!chatty).then(|| view! {
                                <text class="msg__label" x="8" y="-7">{m.look.short}</text>
                            })}
                        </g>
                    }
                }
            </For>
            {tooltip}
        </g>
    }
}

#[component]
pub fn MeshDrops() -> impl IntoView {
    let sim = use_sim();
    let drops = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.drops
                .iter()
                .map(|d| (d.msg, d.label, d.reason, d.at.x, d.at.y))
                .collect::<Vec<_>>()
        })
    });
    let ages = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.drops
                .iter()
                .map(|d| (d.msg, d.age_permille))
                .collect::<HashMap<u64, u32>>()
        })
    });
    view! {
        <g class="mesh-drops">
            <For each=move || drops.get() key=|d| d.0 let:d>
                {
                    let (msg, label, reason, x, y) = d;
                    let opacity = move || {
                        let age = ages.with(|a| a.get(&msg).copied().unwrap_or(1000));
                        format!("{:.2}", 1.0 - age as f32 / 1000.0)
                    };
                    view! {
                        <g class="mesh-drop" transform=format!("translate({x:.1},{y:.1})") opacity=opacity data-drop=msg.to_string()>
                            <title>{format!("{label} dropped: {}", reason.as_str())}</title>
                            <path d="M-6,-6 L6,6 M6,-6 L-6,6" />
                            // A dead node says so itself; the other reasons are written where it fell.
                            {(!matches!(reason, DropReason::SenderDown | DropReason::ReceiverDown))
                                .then(|| view! { <text x="9" y="4">{reason.as_str()}</text> })}
                        </g>
                    }
                }
            </For>
        </g>
    }
}
