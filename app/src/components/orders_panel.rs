//! OrdersPanel — placeholder until its panel is built (the UI helpers fill these in).
use leptos::prelude::*;

#[component]
pub fn OrdersPanel() -> impl IntoView {
    view! { <section class="panel" aria-label="OrdersPanel"></section> }
}
