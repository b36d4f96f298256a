//! The raw JSON mode: any body at all — a tweaked request, a hostile string, not even JSON —
//! sent as is, to see how the orchestrator answers it.
use leptos::prelude::*;

use super::state::ShopState;
use crate::view_model::shop::MALFORMED_BODY;

#[component]
pub fn RawEditor(state: ShopState) -> impl IntoView {
    let from_form = move |_| state.raw.set(state.form.with(|f| f.to_json_pretty()));
    let malformed = move |_| state.raw.set(MALFORMED_BODY.to_string());
    let parses = Memo::new(move |_| {
        state.raw.with(|r| {
            serde_json::from_str::<serde_json::Value>(r)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    });
    view! {
        <div class="shop-raw">
            <p class="shop-raw__intro">
                "Send any body to the orchestrator, exactly as typed. Bad input must get a clear error — never a crash."
            </p>
            <div class="shop-raw__tools">
                <button type="button" class="button" on:click=from_form>"Copy from the form"</button>
                <button type="button" class="button" on:click=malformed>"Malformed JSON"</button>
            </div>
            <label class="shop-label" for="shop-raw-body">"Request body"</label>
            <textarea
                id="shop-raw-body"
                class="shop-input shop-raw__text mono"
                rows="14"
                spellcheck="false"
                placeholder="{\"items\": [{\"name\": \"Dune\", \"quantity\": 1}], …}"
                prop:value=move || state.raw.get()
                on:input=move |ev| state.raw.set(event_target_value(&ev))
            ></textarea>
            <p class="shop-note__line" class:is-warn=move || parses.with(Result::is_err) class:is-fine=move || parses.with(Result::is_ok)>
                {move || match parses.get() {
                    Ok(()) => "✓ Valid JSON — the services will check the rest".to_string(),
                    Err(e) => format!("⚠ Not valid JSON ({e}) — send it anyway to see the error"),
                }}
            </p>
        </div>
    }
}
