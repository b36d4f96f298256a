//! The catalog picker: a search box over the shipped catalog and the matching books, each
//! with an "Add" button.
use leptos::prelude::*;

use super::read_stock::ReadStock;
use super::state::ShopState;
use crate::view_model::shop_catalog::{catalog, format_price, search, RESULTS_MAX};

#[component]
pub fn CatalogPicker(state: ShopState) -> impl IntoView {
    let count = catalog().map_or(0, |c| c.len());
    // Indices into the catalog: cheap to compare, so the list re-renders only when they change.
    let results = Memo::new(move |_| {
        let Some(c) = catalog() else {
            return Vec::new();
        };
        let books = c.books();
        state
            .query
            .with(|q| search(books, q, RESULTS_MAX))
            .into_iter()
            .map(|b| b.id)
            .collect::<Vec<u32>>()
    });
    let empty = move || results.with(Vec::is_empty);
    view! {
        <div class="shop-picker">
            <label class="shop-label" for="shop-search">
                "Find a book " <span class="shop-label__aside">{format!("{count} real books · try “Dune” or “Tolkien”")}</span>
            </label>
            <input
                id="shop-search"
                class="shop-input shop-picker__search"
                type="search"
                placeholder="Title, author or category"
                autocomplete="off"
                aria-controls="shop-results"
                prop:value=move || state.query.get()
                on:input=move |ev| state.query.set(event_target_value(&ev))
            />
            <ul id="shop-results" class="shop-picker__results" aria-label="Matching books">
                <For each=move || results.get() key=|id| *id let:id>
                    <BookRow id=id state=state />
                </For>
            </ul>
            <p class="shop-picker__empty" hidden=move || !empty()>
                "No book matches. The orchestrator would refuse an unknown title anyway — try the raw JSON mode to see how."
            </p>
        </div>
    }
}

#[component]
fn BookRow(id: u32, state: ShopState) -> impl IntoView {
    let Some(book) = catalog().and_then(|c| c.by_id(id)) else {
        return ().into_any();
    };
    let title = book.title.clone();
    let in_cart = {
        let title = title.clone();
        Memo::new(move |_| {
            state
                .form
                .with(|f| f.cart.iter().find(|l| l.title == title).map(|l| l.quantity))
        })
    };
    let add = {
        let title = title.clone();
        move |_| state.form.update(|f| f.add(&title))
    };
    view! {
        <li class="shop-book">
            <div class="shop-book__text">
                <span class="shop-book__title">{title.clone()}</span>
                <span class="shop-book__meta">
                    {format!("{} · {} · {}", book.author, book.category, book.year)}
                </span>
                <ReadStock title=title.clone() />
            </div>
            <span class="shop-book__price mono">{format_price(book.price_cents)}</span>
            <button
                type="button"
                class="button shop-book__add"
                class:is-in-cart=move || in_cart.get().is_some()
                aria-label=format!("Add {title} to the cart")
                on:click=add
            >
                {move || match in_cart.get() {
                    Some(n) => format!("+1 ({n})"),
                    None => "Add".to_string(),
                }}
            </button>
        </li>
    }
    .into_any()
}
