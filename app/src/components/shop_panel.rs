//! ShopPanel — placeholder until its panel is built (the UI helpers fill these in).
use leptos::prelude::*;

#[component]
pub fn ShopPanel() -> impl IntoView {
    view! { <section class="panel" aria-label="ShopPanel"></section> }
}
