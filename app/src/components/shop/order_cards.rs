//! "Your orders": the answer to every checkout the client sent, newest first — a spinner
//! while validating, then approved (suggestions, final vector clock, fulfilment) or rejected
//! (each error with its field).
use leptos::prelude::*;

use super::state::ShopState;
use crate::components::orders::state::use_nav;
use crate::sim_context::use_sim;
use crate::state::{format_virtual_time, Controls};
use crate::view_model::shop_orders::{
    checkout_cards, sent_from_page, sent_state, CardState, CheckoutCard, SentState,
};
use crate::view_model::txns::order_fate;

#[component]
pub fn OrderCards(state: ShopState) -> impl IntoView {
    let sim = use_sim();
    let records = Memo::new(move |_| sim.snapshot.with(|s| s.checkouts.clone()));
    let cards = Memo::new(move |_| records.with(|r| checkout_cards(r)));
    let slots = Memo::new(move |_| cards.with(|c| c.iter().map(|c| c.slot).collect::<Vec<_>>()));
    let waiting = Memo::new(move |_| {
        let now = sim.snapshot.with(|s| s.now_us);
        state
            .sent
            .with(|sent| records.with(|r| sent_state(sent.last(), now, r)))
    });
    view! {
        <section class="shop-orders" id="shop-orders" aria-label="Your orders">
            <h3 class="shop-subheading">"Your orders "<span class="shop-label__aside">"(every checkout in this run)"</span></h3>
            {move || waiting.get().map(|w| view! { <SentBanner state=w /> })}
            <p class="shop-orders__empty" hidden=move || !slots.with(Vec::is_empty) || waiting.get().is_some()>
                "Nothing sent yet. Place an order and watch it cross the mesh: the orchestrator runs six checks (the event DAG) before it answers."
            </p>
            <ol class="shop-orders__list">
                <For each=move || slots.get() key=|slot| *slot let:slot>
                    <OrderCard
                        card=Memo::new(move |_| cards.with(|c| c.iter().find(|c| c.slot == slot).cloned()))
                        mine=Memo::new(move |_| state.sent.with(|sent| records.with(|r| r.get(slot).is_some_and(|r| sent_from_page(r, sent)))))
                    />
                </For>
            </ol>
        </section>
    }
}

/// The order just sent, before the world has taken it in.
#[component]
fn SentBanner(state: SentState) -> impl IntoView {
    let controls = use_context::<RwSignal<Controls>>();
    match state {
        SentState::WaitingForPlay => view! {
            <div class="shop-sent is-paused" role="status">
                <span class="shop-sent__pause" aria-hidden="true"></span>
                <p>
                    <strong>"Order sent, but the simulation is paused."</strong>
                    " Press Play to move it through the mesh."
                </p>
                {controls.map(|c| view! {
                    <button type="button" class="button button--primary" on:click=move |_| c.update(|c| c.playing = true)>
                        "▶ Play"
                    </button>
                })}
            </div>
        }
        .into_any(),
        SentState::Arriving => view! {
            <div class="shop-sent" role="status">
                <span class="shop-spinner" aria-hidden="true"></span>
                <p>"Sending to the orchestrator…"</p>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn OrderCard(card: Memo<Option<CheckoutCard>>, mine: Memo<bool>) -> impl IntoView {
    let sim = use_sim();
    let nav = use_nav();
    let state =
        Memo::new(move |_| card.with(|c| c.as_ref().map_or(CardState::Pending, |c| c.state)));
    let order_id = Memo::new(move |_| card.with(|c| c.as_ref().and_then(|c| c.order_id.clone())));
    // Where the approved order is now: queued, at an executor, committed.
    let fulfilment = Memo::new(move |_| {
        let id = order_id.get()?;
        sim.snapshot.with(|s| order_fate(s, &id))
    });
    let c = move || card.get();
    view! {
        <li class=move || format!("shop-order {}", state.get().class())>
            <header class="shop-order__head">
                <span class="shop-order__icon" aria-hidden="true">
                    {move || match state.get() {
                        CardState::Pending => view! { <span class="shop-spinner"></span> }.into_any(),
                        CardState::Approved => "✓".into_any(),
                        CardState::Rejected => "✕".into_any(),
                        CardState::Failed => "!".into_any(),
                    }}
                </span>
                <strong class="shop-order__title">{move || c().map(|c| c.title).unwrap_or_default()}</strong>
                <span class="shop-order__origin" class:is-mine=move || mine.get()>
                    {move || if mine.get() { "yours" } else { "scenario" }}
                </span>
                <span class="shop-order__id mono">{move || order_id.get().unwrap_or_default()}</span>
            </header>
            <p class="shop-order__summary">
                {move || c().map(|c| {
                    let answered = c.answered_at_us.map(|a| format!(" · answered in {} ms", a.saturating_sub(c.submitted_at_us) / 1000)).unwrap_or_default();
                    format!("{} · sent {}{answered}", c.summary, format_virtual_time(c.submitted_at_us))
                })}
            </p>
            <p class="shop-order__message">{move || c().map(|c| c.message)}</p>
            {move || order_id.get().map(|id| {
                let id_log = id.clone();
                let fate = fulfilment.get().filter(|_| state.get() == CardState::Approved);
                view! {
                    <p class="shop-order__fulfil">
                        {fate.map(|f| view! {
                            "Fulfilment: " <span class=format!("shop-fate {}", f.class())>{f.label()}</span>
                            {f.reason().map(|r| format!(" — {r} "))}
                        })}
                        <button type="button" class="shop-link" on:click=move |_| nav.show_order(&id) hidden=!nav.has_tabs()>
                            "See its DAG ›"
                        </button>
                        <button type="button" class="shop-link" on:click=move |_| nav.show_log(&id_log) hidden=!nav.has_tabs()>
                            "Log ›"
                        </button>
                    </p>
                }
            })}
            <Suggestions card=card />
            <Errors card=card />
            <FinalClock card=card />
        </li>
    }
}

#[component]
fn Suggestions(card: Memo<Option<CheckoutCard>>) -> impl IntoView {
    let books = Memo::new(move |_| {
        card.with(|c| {
            c.as_ref()
                .map(|c| c.suggestions.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="shop-suggest" hidden=move || books.with(Vec::is_empty)>
            <h4 class="shop-suggest__heading">"You might also like"</h4>
            <ol class="shop-suggest__list" aria-label="Suggested books">
                {move || {
                    books
                        .get()
                        .into_iter()
                        .map(|b| view! {
                            <li class="shop-suggest__book">
                                <span class="shop-suggest__title">{b.title}</span>
                                <span class="shop-suggest__meta">{format!("{} · {}", b.author, b.category)}</span>
                            </li>
                        })
                        .collect_view()
                }}
            </ol>
        </div>
    }
}

#[component]
fn Errors(card: Memo<Option<CheckoutCard>>) -> impl IntoView {
    let errors =
        Memo::new(move |_| card.with(|c| c.as_ref().map(|c| c.errors.clone()).unwrap_or_default()));
    view! {
        <ul class="shop-errors" aria-label="Problems found" hidden=move || errors.with(Vec::is_empty)>
            {move || {
                errors
                    .get()
                    .into_iter()
                    .map(|e| view! {
                        <li class="shop-errors__item">
                            <code class="shop-errors__field">{e.field}</code>
                            <span class="shop-errors__message">{e.message}</span>
                        </li>
                    })
                    .collect_view()
            }}
        </ul>
    }
}

#[component]
fn FinalClock(card: Memo<Option<CheckoutCard>>) -> impl IntoView {
    let clock = Memo::new(move |_| {
        card.with(|c| {
            c.as_ref()
                .map(|c| c.final_clock.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="shop-clock" hidden=move || clock.with(Vec::is_empty)>
            <span class="shop-clock__label" title="The orchestrator's clock after the last event: every service's counter">
                "Final vector clock"
            </span>
            <span class="shop-clock__entries">
                {move || {
                    clock
                        .get()
                        .into_iter()
                        .map(|(p, n)| view! { <span class="shop-clock__entry mono">{format!("{p} ")}<b>{n}</b></span> })
                        .collect_view()
                }}
            </span>
        </div>
    }
}
