//! The Orders tab: every order the orchestrator knows, newest first. The opened order shows
//! its event DAG (state and vector clock of every event), its journey through the queue to an
//! executor and its two-phase commit, and its errors and clock conflicts. Opening an order also
//! narrows the Log tab to it. Below the list, the 2PC transactions table.
use engine::msg::DagEvent;
use engine::view::{EventState, OrderDagView};
use leptos::prelude::*;

use crate::components::orders::dag::DagView;
use crate::components::orders::journey::Journey;
use crate::components::orders::state::{use_nav, use_orders_ui};
use crate::sim_context::use_sim;
use crate::state::format_virtual_time;
use crate::view_model::log::corr_label;
use crate::view_model::log_filter::use_log_filter;
use crate::view_model::orders::{format_clock, refused_at_the_door, state_name};
use crate::view_model::txns::order_fate;

#[component]
pub fn OrdersPanel() -> impl IntoView {
    let sim = use_sim();
    let ui = use_orders_ui();
    // Newest first; ids only, so the list re-renders only when an order arrives.
    let ids = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.orders
                .iter()
                .rev()
                .map(|o| o.order_id.clone())
                .collect::<Vec<_>>()
        })
    });
    // Nothing chosen (or a vanished order): the newest is open; "" means all are closed.
    let opened = Memo::new(move |_| match ui.selected.get() {
        Some(id) if id.is_empty() => None,
        Some(id) if ids.with(|ids| ids.contains(&id)) => Some(id),
        _ => ids.with(|ids| ids.first().cloned()),
    });
    view! {
        <section class="panel orders" aria-label="Orders">
            <header class="orders__head">
                <h2 class="orders__title">"Orders " <span class="orders__count">{move || ids.with(Vec::len)}</span></h2>
                <p class="orders__lead">
                    "Each checkout runs six checks as a DAG: a and b in parallel, then c and d, then e, then f. Every check ticks the vector clock of the service that runs it."
                </p>
            </header>
            <p class="orders__empty" hidden=move || !ids.with(Vec::is_empty)>
                "No orders yet. Place one in the Shop tab, or press Play: this scenario sends the seed's example at 2.5 s."
            </p>
            <ol class="orders__list">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <OrderItem id=id opened=opened />
                </For>
            </ol>
            <crate::components::TxnsPanel />
        </section>
    }
}

#[component]
fn OrderItem(id: String, opened: Memo<Option<String>>) -> impl IntoView {
    let sim = use_sim();
    let ui = use_orders_ui();
    let log_filter = use_log_filter();
    let nav = use_nav();
    let order = {
        let id = id.clone();
        Memo::new(move |_| {
            sim.snapshot
                .with(|s| s.orders.iter().find(|o| o.order_id == id).cloned())
        })
    };
    let fate = {
        let id = id.clone();
        Memo::new(move |_| sim.snapshot.with(|s| order_fate(s, &id)))
    };
    let is_open = {
        let id = id.clone();
        Memo::new(move |_| opened.with(|o| o.as_deref() == Some(id.as_str())))
    };
    let open = {
        let id = id.clone();
        move |_| {
            if is_open.get_untracked() {
                ui.selected.set(Some(String::new())); // closes it (no order has an empty id)
            } else {
                ui.selected.set(Some(id.clone()));
                log_filter.order.set(Some(id.clone()));
            }
        }
    };
    let body_id = format!("order-{id}");
    let id_log = id.clone();
    view! {
        <li class="orders-item" class:is-open=move || is_open.get()>
            <button type="button" class="orders-item__head" aria-expanded=move || is_open.get().to_string() aria-controls=body_id.clone() on:click=open>
                <span class="orders-item__chevron" aria-hidden="true">"▸"</span>
                <span class="orders-item__id mono">{id.clone()}</span>
                <span class=move || format!("orders-fate {}", fate.get().map_or("", |f| f.class()))>
                    {move || fate.get().map(|f| f.label()).unwrap_or_default()}
                </span>
                <span class="orders-fate__reason" hidden=move || fate.with(|f| f.as_ref().and_then(|f| f.reason()).is_none())>
                    {move || fate.with(|f| f.as_ref().and_then(|f| f.reason()).map(str::to_string))}
                </span>
                <EventDots order=order />
                <span class="orders-item__time mono">
                    {move || order.with(|o| o.as_ref().map(|o| format_virtual_time(o.received_at_us))).unwrap_or_default()}
                </span>
            </button>
            <Show when=move || is_open.get()>
                <div class="orders-item__body" id=format!("order-{}", id_log.clone())>
                    <p class="orders-item__facts">
                        {move || order.with(|o| o.as_ref().map(|o| format!("correlation id {} · received {}", corr_label(o.corr), format_virtual_time(o.received_at_us)))).unwrap_or_default()}
                        <button type="button" class="shop-link" hidden=!nav.has_tabs() on:click={
                            let id = id_log.clone();
                            move |_| nav.show_log(&id)
                        }>"Its log lines ›"</button>
                    </p>
                    <DagView order=order />
                    <crate::components::orders::llm_calls::LlmCalls order_id=id_log.clone() />
                    <h3 class="orders-item__subheading">"Journey"</h3>
                    <Journey order_id=id_log.clone() />
                    <Problems order=order />
                </div>
            </Show>
        </li>
    }
}

/// Six small dots, a to f, coloured by state: the DAG at a glance in the collapsed row.
#[component]
fn EventDots(order: Memo<Option<OrderDagView>>) -> impl IntoView {
    let states = Memo::new(move |_| {
        order.with(|o| {
            DagEvent::ALL
                .iter()
                .map(|e| {
                    o.as_ref()
                        .and_then(|o| o.events.iter().find(|x| x.event == *e))
                        .map_or(EventState::Waiting, |x| x.state)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <span class="orders-dots" aria-hidden="true">
            {move || {
                states
                    .get()
                    .into_iter()
                    .zip(DagEvent::ALL)
                    .map(|(s, e)| view! { <span class=format!("orders-dots__dot is-{}", state_name(s)) title=format!("{} {}: {}", e.letter(), e.name(), state_name(s))></span> })
                    .collect_view()
            }}
        </span>
    }
}

/// Why the order was rejected, and any clock conflicts flagged while clearing caches.
#[component]
fn Problems(order: Memo<Option<OrderDagView>>) -> impl IntoView {
    let errors = Memo::new(move |_| {
        order.with(|o| o.as_ref().map(|o| o.errors.clone()).unwrap_or_default())
    });
    let conflicts = Memo::new(move |_| {
        order.with(|o| o.as_ref().map(|o| o.conflicts.clone()).unwrap_or_default())
    });
    let final_vc = Memo::new(move |_| {
        order.with(|o| {
            o.as_ref()
                .and_then(|o| o.final_vc.as_ref().map(format_clock))
        })
    });
    let at_the_door =
        Memo::new(move |_| order.with(|o| o.as_ref().is_some_and(refused_at_the_door)));
    view! {
        <div class="orders-problems">
            <p class="orders-door" hidden=move || !at_the_door.get()>
                "Refused at the door: the orchestrator could not read a checkout in the body, so no check ran (all six are skipped)."
            </p>
            <Show when=move || !errors.with(Vec::is_empty)>
                <h3 class="orders-item__subheading">"Why it was rejected"</h3>
                <ul class="shop-errors">
                    {move || errors.get().into_iter().map(|e| view! {
                        <li class="shop-errors__item"><code class="shop-errors__field">{e.field}</code><span class="shop-errors__message">{e.message}</span></li>
                    }).collect_view()}
                </ul>
            </Show>
            <Show when=move || !conflicts.with(Vec::is_empty)>
                <div class="orders-conflict" role="alert">
                    <strong>"Clock conflict: "</strong>
                    {move || conflicts.get().join(", ")}
                    " held a clock not covered by the final clock when clearing its cache, so it kept the order's data."
                </div>
            </Show>
            <p class="orders-final" hidden=move || final_vc.with(Option::is_none)>
                "Final clock " <span class="mono">{move || final_vc.get().unwrap_or_default()}</span>
                " — broadcast so each service clears its cache only if its own clock ≤ this one."
            </p>
        </div>
    }
}
