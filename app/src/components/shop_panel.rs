//! The shop (the default tab): pick books, fill in the checkout form (or any raw body), send
//! it through the mesh, and read the answer under "Your orders". The form → request mapping
//! and every hint live in `view_model::shop`; this file only wires them to the page.
use engine::system::inputs::Action;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::components::shop::cart::Cart;
use crate::components::shop::catalog_picker::CatalogPicker;
use crate::components::shop::fields::{CheckoutFields, FormNotes};
use crate::components::shop::order_cards::OrderCards;
use crate::components::shop::raw_editor::RawEditor;
use crate::components::shop::state::{use_shop_state, Mode};
use crate::sim_context::use_sim;
use crate::view_model::shop::Preset;
use crate::view_model::shop_catalog::{catalog, format_price};
use crate::view_model::shop_orders::{errors_for_body, Sent};

/// Scrolls the side panel (only it: never the page) so "Your orders" is at its top.
fn reveal_orders() {
    let Some(target) = document().get_element_by_id("shop-orders") else {
        return;
    };
    let Ok(Some(panel)) = target.closest(".side-panel") else {
        return;
    };
    let (target, panel): (HtmlElement, HtmlElement) =
        (target.unchecked_into(), panel.unchecked_into());
    panel.set_scroll_top(layout_top(&target) - layout_top(&panel) - 8);
}

/// An element's top in the page's layout (ignoring scrolling), through its offset parents.
fn layout_top(el: &HtmlElement) -> i32 {
    let mut top = el.offset_top();
    let mut parent = el.offset_parent();
    while let Some(p) = parent {
        let p: HtmlElement = p.unchecked_into();
        top += p.offset_top();
        parent = p.offset_parent();
    }
    top
}

#[component]
pub fn ShopPanel() -> impl IntoView {
    let sim = use_sim();
    let state = use_shop_state();
    let hints = Memo::new(move |_| state.form.with(|f| f.hints()));
    let body = Memo::new(move |_| state.form.with(|f| f.to_json()));
    let service = Memo::new(move |_| {
        body.with(|b| {
            sim.snapshot
                .with(|s| errors_for_body(&s.checkouts, b).to_vec())
        })
    });
    provide_context(FormNotes { hints, service });

    let fill = move |preset: Preset| {
        state.form.set(preset.form());
        state.mode.set(Mode::Form);
    };
    let submit = move |_| {
        let body = match state.mode.get_untracked() {
            Mode::Form => body.get_untracked(),
            Mode::Raw => state.raw.get_untracked(),
        };
        let now_us = sim.snapshot.with_untracked(|s| s.now_us);
        state.tried.set(true);
        sim.act(Action::Checkout(body.clone()));
        if sim.notice.with_untracked(Option::is_none) {
            state.sent.update(|sent| {
                sent.push(Sent {
                    at_us: now_us,
                    body,
                })
            });
            reveal_orders();
        }
    };
    let total = Memo::new(move |_| state.form.with(|f| f.total_cents(catalog()).0));
    let mode = move || state.mode.get();
    let has_shop = Memo::new(move |_| {
        sim.snapshot
            .with(|s| s.nodes.iter().any(|n| n.service == "orchestrator"))
    });

    view! {
        <section class="panel shop" aria-label="Shop">
            <header class="shop__head">
                <h2 class="shop__title">"The bookshop"</h2>
                <p class="shop__lead">
                    "Order a book, then watch the order cross the mesh: six checks with vector clocks, a priority queue, and the executor leader."
                </p>
            </header>
            <p class="shop__no-shop" role="note" hidden=move || has_shop.get()>
                "This scenario runs no checkout services, so orders have nowhere to go. Pick a checkout scenario (e.g. “Checkout: the seed's order”) in the header."
            </p>
            <div class="shop__quick" role="group" aria-label="Quick fill">
                <button type="button" class="button button--primary shop__example" on:click=move |_| fill(Preset::Example)>
                    "Fill with the seed's example"
                </button>
                <button type="button" class="button" title="The example with a mistyped card number: check c fails" on:click=move |_| fill(Preset::BadCard)>
                    "Add a bad card"
                </button>
                <button type="button" class="button" title="Five books, express, gift-wrapped: jumps the queue" on:click=move |_| fill(Preset::ExpressGift)>
                    "Express gift"
                </button>
            </div>
            <div class="shop__compose">
            <div class="shop__modes" role="group" aria-label="How to write the order">
                <button type="button" class="shop__mode" aria-pressed=move || (mode() == Mode::Form).to_string() on:click=move |_| state.mode.set(Mode::Form)>
                    "Form"
                </button>
                <button type="button" class="shop__mode" aria-pressed=move || (mode() == Mode::Raw).to_string() on:click=move |_| state.mode.set(Mode::Raw)>
                    "Raw JSON"
                </button>
            </div>
            {move || match mode() {
                Mode::Form => view! {
                    <div class="shop__form">
                        <CatalogPicker state=state />
                        <Cart state=state />
                        <CheckoutFields state=state />
                    </div>
                }
                .into_any(),
                Mode::Raw => view! { <RawEditor state=state /> }.into_any(),
            }}
            <div class="shop__submit">
                <button type="button" class="button button--primary shop__place" on:click=submit>
                    {move || if mode() == Mode::Raw { "Send this body".to_string() } else { "Place order".to_string() }}
                </button>
                <span class="shop__submit-total mono" hidden=move || mode() == Mode::Raw || total.get() == 0>
                    {move || format_price(total.get())}
                </span>
                <span class="shop__submit-note">"The services validate — hints here never block."</span>
            </div>
            </div>
            <OrderCards state=state />
        </section>
    }
}
