//! "Database & payment": the books database's size and primary, the switch for where the
//! storefront reads stock from, and the payment decline rate per card brand. Each control
//! calls one engine verb (a recorded input, so replays and shared links repeat it); the rules
//! live in `view_model::db_settings`.
use engine::services::stock_reader::StockReads;
use engine::system::inputs::Action;
use engine::system::live::LiveSettings;
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::db_settings::{
    decline_actions, decline_texts, read_mode_label, DbSummary, BRANDS,
};

#[component]
pub fn DbSettings() -> impl IntoView {
    let sim = use_sim();
    let live = Memo::new(move |_| sim.snapshot.with(|s| s.live.clone()));
    let summary = Memo::new(move |_| sim.snapshot.with(|s| DbSummary::of(&s.nodes)));
    view! {
        <section class="db-settings" aria-labelledby="db-settings-title" data-testid="db-settings"
            hidden=move || summary.with(|s| s.replicas == 0)>
            <h3 id="db-settings-title" class="stock__title">"Database & payment"</h3>
            <p class="db-settings__size" data-testid="db-size">
                "Books database: " {move || summary.with(DbSummary::text)}
            </p>
            <ReadSwitch live=live />
            <DeclineRates live=live />
        </section>
    }
}

#[component]
fn ReadSwitch(live: Memo<LiveSettings>) -> impl IntoView {
    let sim = use_sim();
    view! {
        <fieldset class="db-settings__group" role="radiogroup" aria-label="Stock reads">
            <legend class="db-settings__legend">"Stock reads"</legend>
            <p class="db-settings__note">
                "The shop reads the stock of ordered and scarce books twice a second: strongly from the primary, or round-robin from every replica, which may answer from the past."
            </p>
            <div class="db-settings__choices">
                {StockReads::ALL
                    .into_iter()
                    .map(|mode| view! {
                        <label class="db-settings__choice">
                            <input
                                type="radio"
                                name="stock-reads"
                                value=mode.as_str()
                                prop:checked=move || live.with(|l| l.stock_reads == mode)
                                on:change=move |_| sim.act(Action::StockReads(mode))
                            />
                            {read_mode_label(mode)}
                        </label>
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
fn DeclineRates(live: Memo<LiveSettings>) -> impl IntoView {
    let sim = use_sim();
    // The user's unapplied edits; None shows the rates in force.
    let edits = RwSignal::new(None::<Vec<String>>);
    let error = RwSignal::new(None::<String>);
    let shown = Memo::new(move |_| edits.get().unwrap_or_else(|| live.with(decline_texts)));
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match decline_actions(&live.get_untracked(), &shown.get_untracked()) {
            Ok(actions) => {
                for a in actions {
                    sim.act(a);
                }
                edits.set(None);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let field = move |i: usize, label: &'static str| {
        view! {
            <label class="db-settings__rate">
                <span>{label}</span>
                <input
                    class="control-bar__input mono"
                    type="text"
                    inputmode="decimal"
                    aria-label=format!("{label} decline rate (%)")
                    prop:value=move || shown.with(|t| t.get(i).cloned().unwrap_or_default())
                    on:change=move |ev| {
                        let mut t = shown.get_untracked();
                        if let Some(slot) = t.get_mut(i) {
                            *slot = event_target_value(&ev);
                        }
                        edits.set(Some(t));
                    }
                />
                <span aria-hidden="true">"%"</span>
            </label>
        }
    };
    view! {
        <form class="db-settings__group" aria-label="Payment decline rates" on:submit=apply>
            <p class="db-settings__legend">"Payment decline rate per card brand"</p>
            <p class="db-settings__note">"Applies to transactions prepared from now on."</p>
            <div class="db-settings__rates">
                {BRANDS.iter().enumerate().map(|(i, (_, label))| field(i, label)).collect_view()}
            </div>
            <p class="cluster-settings__error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <div class="cluster-settings__actions">
                <button type="submit" class="button button--small button--primary">"Apply rates"</button>
                <button type="button" class="button button--small" disabled=move || edits.with(Option::is_none)
                    on:click=move |_| {
                        edits.set(None);
                        error.set(None);
                    }>
                    "Discard"
                </button>
            </div>
        </form>
    }
}
