//! The election timing study (the Raft paper's Figure 16) in the page: the settings, a progress
//! bar with Cancel, the CDF plot and the summary table — all from `engine::study`; this file
//! only wires them to the DOM.
//!
//! Why slices and not a Web Worker: the study runs here on the page's thread, a slice of trials
//! at a time (`state::study_form::SLICE_MS` of wall time), yielding to the browser between
//! slices, so clicks, the progress bar and Cancel stay live. A worker would need a second wasm
//! binary carrying the whole engine (doubling the download) and trunk's worker pipeline; the
//! engine's `StudyRun` already runs one trial per call, so moving it into a worker later only
//! changes who calls `step`.

use std::time::Duration;

use leptos::prelude::*;

use crate::state::study_form::{StudyForm, SLICE_MS};
use engine::study::summary::RangeSummary;
use engine::study::{self, StudyRun};

#[derive(Clone, Copy)]
struct Handles {
    run: StoredValue<Option<StudyRun>, LocalStorage>,
    /// Bumped by Run and Cancel: a slice of an older run stops at once.
    generation: StoredValue<u64>,
    progress: RwSignal<(u64, u64)>,
    running: RwSignal<bool>,
    svg: RwSignal<String>,
    summaries: RwSignal<Vec<RangeSummary>>,
    /// Wall-clock time the study took in the page (shown, for comparison with the CLI).
    took_ms: RwSignal<Option<f64>>,
    started_ms: StoredValue<f64>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Redraws the plot and table from the trials done so far.
fn redraw(h: Handles) {
    h.run.with_value(|run| {
        if let Some(run) = run {
            h.svg.set(study::svg(run));
            h.summaries.set(run.summaries());
        }
    });
}

/// Runs trials for one slice of wall time, then yields to the browser and comes back.
fn slice(h: Handles, generation: u64) {
    if h.generation.get_value() != generation {
        return;
    }
    let start = now_ms();
    let stepped = h.run.try_update_value(|run| {
        let run = run.as_mut()?;
        let trials = run.config().trials as u64;
        let mut range_done = false;
        while now_ms() - start < SLICE_MS && run.step() {
            range_done |= run.progress().0 % trials == 0;
        }
        Some((run.progress(), range_done))
    });
    let Some(Some(((done, total), range_done))) = stepped else {
        return;
    };
    h.progress.set((done, total));
    if range_done || done == total {
        redraw(h);
    }
    if done < total {
        set_timeout(move || slice(h, generation), Duration::ZERO);
    } else {
        h.running.set(false);
        h.took_ms.set(Some(now_ms() - h.started_ms.get_value()));
    }
}

#[component]
pub fn StudyView() -> impl IntoView {
    let form = RwSignal::new(StudyForm::default());
    let error = RwSignal::new(None::<String>);
    let h = Handles {
        run: StoredValue::new_local(None),
        generation: StoredValue::new(0),
        progress: RwSignal::new((0, 0)),
        running: RwSignal::new(false),
        svg: RwSignal::new(String::new()),
        summaries: RwSignal::new(Vec::new()),
        took_ms: RwSignal::new(None),
        started_ms: StoredValue::new(0.0),
    };
    let start = move |_| match form
        .with_untracked(|f| f.to_config())
        .and_then(StudyRun::new)
    {
        Err(why) => error.set(Some(why)),
        Ok(run) => {
            error.set(None);
            h.progress.set(run.progress());
            h.run.set_value(Some(run));
            h.svg.set(String::new());
            h.summaries.set(Vec::new());
            h.took_ms.set(None);
            h.started_ms.set_value(now_ms());
            h.running.set(true);
            let generation = h.generation.get_value() + 1;
            h.generation.set_value(generation);
            set_timeout(move || slice(h, generation), Duration::ZERO);
        }
    };
    let cancel = move |_| {
        h.generation.update_value(|g| *g += 1);
        h.running.set(false);
        redraw(h);
    };
    view! {
        <section class="study" aria-labelledby="study-title" data-testid="study">
            <h2 id="study-title" class="study__title">"Election timing study"</h2>
            <p class="study__intro">
                "The Raft paper's Figure 16: five Raft nodes elect a leader; the leader crashes at a random moment within its heartbeat interval; how long until a majority knows a new leader? Repeated over many seeds for each election-timeout range. Narrow ranges split the vote again and again; wide ones elect at once."
            </p>
            <StudySettings form=form running=h.running />
            <div class="study__actions">
                <button type="button" data-testid="study-run" disabled=move || h.running.get() on:click=start>"Run study"</button>
                <button type="button" data-testid="study-cancel" disabled=move || !h.running.get() on:click=cancel>"Cancel"</button>
                <progress data-testid="study-progress" max=move || h.progress.get().1.max(1) value=move || h.progress.get().0></progress>
                <span class="study__count">{move || { let (d, t) = h.progress.get(); format!("{d} / {t} trials") }}</span>
                <span class="study__took">{move || h.took_ms.get().map(|ms| format!("took {:.1} s", ms / 1_000.0))}</span>
            </div>
            {move || error.get().map(|e| view! { <p class="study__error" role="alert">{e}</p> })}
            <div class="study__plot" data-testid="study-plot" inner_html=move || h.svg.get()></div>
            <StudyTable summaries=h.summaries />
        </section>
    }
}

#[component]
fn StudySettings(form: RwSignal<StudyForm>, running: RwSignal<bool>) -> impl IntoView {
    let field = move |label: &'static str,
                      testid: &'static str,
                      get: fn(&StudyForm) -> String,
                      set: fn(&mut StudyForm, String)| {
        view! {
            <label class="study__field">
                <span>{label}</span>
                <input type="text" data-testid=testid disabled=move || running.get()
                    prop:value=move || form.with(get)
                    on:change=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            </label>
        }
    };
    view! {
        <fieldset class="study__settings">
            <legend>"Settings (the assumed network and disk are part of the result)"</legend>
            {field("election timeouts (ms)", "study-ranges", |f| f.ranges.clone(), |f, v| f.ranges = v)}
            {field("trials per range", "study-trials", |f| f.trials.clone(), |f, v| f.trials = v)}
            {field("first seed", "study-seed", |f| f.seed.clone(), |f, v| f.seed = v)}
            {field("one-way latency (ms)", "study-latency", |f| f.latency_ms.clone(), |f, v| f.latency_ms = v)}
            {field("disk sync (ms)", "study-disk", |f| f.disk_sync_ms.clone(), |f, v| f.disk_sync_ms = v)}
            <label class="study__field study__field--check">
                <input type="checkbox" data-testid="study-prevote" disabled=move || running.get()
                    prop:checked=move || form.with(|f| f.pre_vote)
                    on:change=move |ev| form.update(|f| f.pre_vote = event_target_checked(&ev)) />
                <span>"pre-vote"</span>
            </label>
        </fieldset>
    }
}

#[component]
fn StudyTable(summaries: RwSignal<Vec<RangeSummary>>) -> impl IntoView {
    view! {
        <table class="study__table" data-testid="study-table">
            <thead><tr>
                <th>"timeout (ms)"</th><th>"trials"</th><th>"median"</th><th>"p90"</th>
                <th>"p99"</th><th>"max"</th><th>"cut at the cap"</th>
            </tr></thead>
            <tbody>
                {move || summaries.get().into_iter().map(|s| view! {
                    <tr>
                        <td>{s.range.label()}</td>
                        <td>{s.trials}</td>
                        <td>{s.percentile(50).text()}</td>
                        <td>{s.percentile(90).text()}</td>
                        <td>{s.percentile(99).text()}</td>
                        <td>{s.max().text()}</td>
                        <td>{s.censored}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
