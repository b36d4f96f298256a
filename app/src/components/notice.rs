//! A one-line notice under the control bar: the last verb's error or what a link restored.
use leptos::prelude::*;

use crate::sim_context::use_sim;

#[component]
pub fn Notice() -> impl IntoView {
    let sim = use_sim();
    let text = move || sim.notice.get();
    view! {
        <div class="notice" role="status" aria-live="polite" hidden=move || text().is_none()>
            <span class="notice__text">{move || text().unwrap_or_default()}</span>
            <button type="button" class="notice__close" aria-label="Dismiss notice" on:click=move |_| sim.notice.set(None)>
                "×"
            </button>
        </div>
    }
}
