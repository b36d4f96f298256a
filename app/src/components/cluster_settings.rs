//! Cluster settings: the election algorithm, the number of executors and Raft's timings,
//! editable on the page. Applying restarts the run (same seed) with the new shape; the share
//! link carries it, so the run stays reproducible.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::cluster_settings::ClusterDraft;

#[component]
pub fn ClusterSettings() -> impl IntoView {
    let sim = use_sim();
    let current = Memo::new(move |_| sim.snapshot.with(|s| s.cluster.clone()));
    // The user's unapplied edits; None shows the configuration that runs now.
    let draft = RwSignal::new(None::<ClusterDraft>);
    let error = RwSignal::new(None::<String>);
    let shown = Memo::new(move |_| {
        draft
            .get()
            .unwrap_or_else(|| ClusterDraft::of(&current.get()))
    });
    let edit = move |set: fn(&mut ClusterDraft, String), value: String| {
        let mut d = shown.get_untracked();
        set(&mut d, value);
        draft.set(Some(d));
    };
    let apply = move |_| match shown.get_untracked().apply(&current.get_untracked()) {
        Ok(cfg) => {
            sim.reconfigure(cfg);
            draft.set(None);
            error.set(None);
        }
        Err(e) => error.set(Some(e)),
    };
    let number_field = move |label: &'static str,
                             get: fn(&ClusterDraft) -> String,
                             set: fn(&mut ClusterDraft, String)| {
        view! {
            <label class="cluster-settings__field">
                <span>{label}</span>
                <input
                    class="control-bar__input mono"
                    type="text"
                    inputmode="numeric"
                    aria-label=label
                    prop:value=move || shown.with(get)
                    on:change=move |ev| edit(set, event_target_value(&ev))
                />
            </label>
        }
    };
    view! {
        <details class="cluster-settings" hidden=move || !current.with(|c| c.checkout)>
            <summary class="cluster-settings__summary">"Cluster settings"</summary>
            <p class="cluster-settings__lead">"Change the election algorithm, the cluster size or Raft's timings. Applying restarts the run with the same seed."</p>
            <label class="cluster-settings__field">
                <span>"Algorithm"</span>
                <select
                    class="control-bar__select"
                    aria-label="Election algorithm"
                    on:change=move |ev| edit(|d, v| d.election = v, event_target_value(&ev))
                >
                    {[("raft", "Raft"), ("bully", "Bully"), ("lease", "Lease lock (TTL)")]
                        .into_iter()
                        .map(|(value, label)| view! {
                            <option value=value prop:selected=move || shown.with(|d| d.election == value)>{label}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            {number_field("Executors (3–7)", |d| d.executors.clone(), |d, v| d.executors = v)}
            {number_field("Election timeout min (ms)", |d| d.timeout_min_ms.clone(), |d, v| d.timeout_min_ms = v)}
            {number_field("Election timeout max (ms)", |d| d.timeout_max_ms.clone(), |d, v| d.timeout_max_ms = v)}
            {number_field("Heartbeat (ms)", |d| d.heartbeat_ms.clone(), |d, v| d.heartbeat_ms = v)}
            <p class="cluster-settings__error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <div class="cluster-settings__actions">
                <button type="button" class="button button--primary" on:click=apply>"Apply and restart"</button>
                <button
                    type="button"
                    class="button"
                    disabled=move || draft.with(Option::is_none)
                    on:click=move |_| {
                        draft.set(None);
                        error.set(None);
                    }
                >
                    "Discard"
                </button>
            </div>
        </details>
    }
}
