//! Timeline — placeholder until its panel is built (the UI helpers fill these in).
use leptos::prelude::*;

#[component]
pub fn Timeline() -> impl IntoView {
    view! { <section class="panel" aria-label="Timeline"></section> }
}
