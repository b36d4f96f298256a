//! The cart: one line per title with a quantity stepper and a remove button, and the running
//! total from catalog prices.
use leptos::prelude::*;

use super::fields::FieldNote;
use super::read_stock::ReadStock;
use super::state::ShopState;
use crate::view_model::shop::{FormField, QUANTITY_INPUT_MAX};
use crate::view_model::shop_catalog::{catalog, format_price, unit_price_cents};

#[component]
pub fn Cart(state: ShopState) -> impl IntoView {
    let titles = Memo::new(move |_| {
        state
            .form
            .with(|f| f.cart.iter().map(|l| l.title.clone()).collect::<Vec<_>>())
    });
    let total = Memo::new(move |_| state.form.with(|f| (f.total_cents(catalog()), f.copies())));
    view! {
        <div class="shop-cart" id=FormField::Cart.dom_id() tabindex="-1">
            <h3 class="shop-subheading">"Your cart"</h3>
            <p class="shop-cart__empty" hidden=move || !titles.with(Vec::is_empty)>
                "Empty — add a book above, or press “Fill with the seed’s example”."
            </p>
            <ul class="shop-cart__lines" aria-label="Cart lines">
                <For each=move || titles.get() key=|t| t.clone() let:title>
                    <CartRow title=title state=state />
                </For>
            </ul>
            <div class="shop-cart__total" hidden=move || titles.with(Vec::is_empty)>
                <span>
                    {move || {
                        let copies = total.get().1;
                        format!("Total · {copies} {}", if copies == 1 { "copy" } else { "copies" })
                    }}
                </span>
                <span class="mono shop-cart__sum">
                    {move || {
                        let ((cents, all_priced), _) = total.get();
                        if all_priced { format_price(cents) } else { format!("{} + unpriced", format_price(cents)) }
                    }}
                </span>
            </div>
            <FieldNote state=state field=FormField::Cart />
        </div>
    }
}

#[component]
fn CartRow(title: String, state: ShopState) -> impl IntoView {
    let unit = unit_price_cents(catalog(), &title);
    let quantity = {
        let title = title.clone();
        Memo::new(move |_| {
            state.form.with(|f| {
                f.cart
                    .iter()
                    .find(|l| l.title == title)
                    .map_or(0, |l| l.quantity)
            })
        })
    };
    let t = title.clone();
    let minus = move |_| state.form.update(|f| f.step(&t, false));
    let t = title.clone();
    let plus = move |_| state.form.update(|f| f.step(&t, true));
    let t = title.clone();
    let typed = move |ev| {
        state
            .form
            .update(|f| f.set_quantity(&t, &event_target_value(&ev)))
    };
    let t = title.clone();
    let remove = move |_| state.form.update(|f| f.remove(&t));
    view! {
        <li class="shop-line">
            <div class="shop-line__text">
                <span class="shop-line__title">{title.clone()}</span>
                <span class="shop-line__price mono">
                    {match unit {
                        Some(p) => format!("{} each", format_price(p)),
                        None => "not in the catalog".to_string(),
                    }}
                </span>
                <ReadStock title=title.clone() />
            </div>
            <div class="shop-stepper" role="group" aria-label=format!("Quantity of {title}")>
                <button
                    type="button"
                    class="shop-stepper__button"
                    aria-label=format!("One fewer {title}")
                    disabled=move || quantity.get() <= 1
                    on:click=minus
                >
                    "−"
                </button>
                <input
                    class="shop-stepper__value mono"
                    type="number"
                    min="0"
                    max=QUANTITY_INPUT_MAX.to_string()
                    inputmode="numeric"
                    aria-label=format!("Copies of {title}")
                    prop:value=move || quantity.get().to_string()
                    on:change=typed
                />
                <button type="button" class="shop-stepper__button" aria-label=format!("One more {title}") on:click=plus>
                    "+"
                </button>
            </div>
            <span class="shop-line__subtotal mono">
                {move || unit.map(|p| format_price(p.saturating_mul(quantity.get() as u64))).unwrap_or_default()}
            </span>
            <button type="button" class="shop-line__remove" aria-label=format!("Remove {title}") title="Remove" on:click=remove>
                "×"
            </button>
        </li>
    }
}
