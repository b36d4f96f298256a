//! FaultsPanel — placeholder until its panel is built (the UI helpers fill these in).
use leptos::prelude::*;

#[component]
pub fn FaultsPanel() -> impl IntoView {
    view! { <section class="panel" aria-label="FaultsPanel"></section> }
}
