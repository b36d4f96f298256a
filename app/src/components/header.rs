//! The page header: what this page is.
use leptos::prelude::*;

#[component]
pub fn Header(
    /// Called with a built-in scenario's id when the user picks one.
    on_scenario: Callback<String>,
) -> impl IntoView {
    let sim = crate::sim_context::use_sim();
    let scenarios: Vec<(String, String)> = engine::scenario::builtin::all()
        .into_iter()
        .filter_map(|(id, s)| s.ok().map(|s| (id.to_string(), s.name)))
        .collect();
    view! {
        <header class="app-header">
            <div class="app-header__brand">
                <svg class="app-header__mark" viewBox="0 0 32 32" aria-hidden="true">
                    <line x1="7" y1="9" x2="25" y2="9" />
                    <line x1="7" y1="9" x2="16" y2="25" />
                    <line x1="25" y1="9" x2="16" y2="25" />
                    <circle cx="7" cy="9" r="4" />
                    <circle cx="25" cy="9" r="4" />
                    <circle cx="16" cy="25" r="4" />
                </svg>
                <h1 class="app-header__title">"bookmesh"</h1>
            </div>
            <p class="app-header__tagline">
                "A distributed bookstore checkout, simulated in your browser tab"
            </p>
            <label class="app-header__scenario">
                <span class="app-header__scenario-label">"Scenario"</span>
                <select
                    class="control-bar__select"
                    aria-label="Scenario"
                    on:change=move |ev| on_scenario.run(event_target_value(&ev))
                >
                    {scenarios
                        .into_iter()
                        .map(|(id, name)| {
                            let selected_id = id.clone();
                            view! {
                                <option value=id.clone() prop:selected=move || sim.scenario_id.with(|s| *s == selected_id)>
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <span class="app-header__badge" title="Every run is a pure function of its seed">
                "deterministic · virtual time"
            </span>
        </header>
    }
}
