//! NodeInspector — placeholder until its panel is built (the UI helpers fill these in).
use leptos::prelude::*;

#[component]
pub fn NodeInspector() -> impl IntoView {
    view! { <section class="panel" aria-label="NodeInspector"></section> }
}
