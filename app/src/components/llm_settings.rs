//! "LLM (optional)": the endpoint fields, Save, Test connection, and the switch that turns the
//! option on or off for the run (a recorded input, so replays and links repeat it). The
//! endpoint and key live in this browser's local storage only; the rules are in
//! `state::llm_settings`, the I/O in `llm_context`.
use engine::system::inputs::Action;
use leptos::prelude::*;

use crate::llm_context::{use_llm, TestStatus};
use crate::sim_context::use_sim;
use crate::state::llm_settings::LlmSettings;

#[component]
pub fn LlmSettingsPanel() -> impl IntoView {
    let sim = use_sim();
    let llm = use_llm();
    let on = Memo::new(move |_| sim.snapshot.with(|s| s.live.llm));
    let available = Memo::new(move |_| {
        sim.snapshot
            .with(|s| s.nodes.iter().any(|n| n.service == "fraud"))
    });
    let timeout_ms = Memo::new(move |_| sim.snapshot.with(|s| s.llm.timeout_ms));
    let hash = Memo::new(move |_| sim.snapshot.with(|s| format!("{:016x}", s.trace_hash)));
    let draft = llm.draft;
    let error = RwSignal::new(None::<String>);
    // Re-reads `on` into the switch after a refused change (the DOM kept the user's click).
    let refresh = RwSignal::new(0u32);
    let save = move || -> Result<LlmSettings, String> {
        let s = draft.get_untracked();
        s.endpoint()?;
        llm.save(s.clone())?;
        Ok(s)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(save().err());
    };
    let on_test = move |_| match save() {
        Ok(s) => {
            error.set(None);
            llm.test_connection(s, timeout_ms.get_untracked());
        }
        Err(e) => error.set(Some(e)),
    };
    let on_switch = move |ev: leptos::ev::Event| {
        let want = event_target_checked(&ev);
        let ready = if want { save().map(|_| ()) } else { Ok(()) };
        match ready {
            Ok(()) => {
                error.set(None);
                sim.act(Action::Llm { on: want });
            }
            Err(e) => error.set(Some(e)),
        }
        refresh.update(|n| *n += 1);
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      get: fn(&LlmSettings) -> String,
                      set: fn(&mut LlmSettings, String)| {
        view! {
            <label class="llm-settings__field" for=id>
                <span>{label}</span>
                <input id=id class="control-bar__input mono" type=kind autocomplete="off" spellcheck="false"
                    prop:value=move || draft.with(get)
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev))) />
            </label>
        }
    };
    view! {
        <section class="llm-settings" aria-labelledby="llm-settings-title" data-testid="llm-settings"
            hidden=move || !available.get()>
            <h3 id="llm-settings-title" class="stock__title">"LLM (optional)"</h3>
            <p class="db-settings__note">
                "Fraud and suggestions can ask an OpenAI-compatible chat-completions endpoint instead of their local models. While the page waits for an answer, virtual time waits too; the answer is recorded in the run, so time travel and shared links replay it without asking again. A timeout, an HTTP error or a malformed answer falls back to the local model, visibly."
            </p>
            <form class="db-settings__group llm-settings__form" aria-label="LLM endpoint" on:submit=on_submit>
                {field("llm-base-url", "LLM base URL", "url", |s| s.base_url.clone(), |s, v| s.base_url = v)}
                {field("llm-model", "LLM model", "text", |s| s.model.clone(), |s, v| s.model = v)}
                {field("llm-api-key", "LLM API key", "password", |s| s.api_key.clone(), |s, v| s.api_key = v)}
                <p class="llm-settings__privacy" data-testid="llm-key-note">
                    "The key is kept only in this browser's local storage. It is never put in a share link, an export or the trace."
                </p>
                <p class="cluster-settings__error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
                <div class="cluster-settings__actions">
                    <button type="submit" class="button button--small button--primary">"Save"</button>
                    <button type="button" class="button button--small" on:click=on_test>"Test connection"</button>
                </div>
                <TestResult />
            </form>
            <label class="llm-settings__switch">
                <input type="checkbox" role="switch" data-testid="llm-switch"
                    prop:checked=move || { refresh.track(); on.get() }
                    on:change=on_switch />
                <span>"Ask the LLM for fraud verdicts and suggestions"</span>
            </label>
            <p class="db-settings__note">
                "Answers wait up to " {move || timeout_ms.get()} " ms of virtual time. Trace hash now: "
                <span class="mono" data-testid="trace-hash">{move || hash.get()}</span>
            </p>
        </section>
    }
}

#[component]
fn TestResult() -> impl IntoView {
    let llm = use_llm();
    let text = move || {
        llm.test.with(|t| match t {
            Some(TestStatus::Testing) => ("is-testing", "Testing…".to_string()),
            Some(TestStatus::Ok(m)) => ("is-ok", m.clone()),
            Some(TestStatus::Failed(m)) => ("is-failed", m.clone()),
            None => ("", String::new()),
        })
    };
    view! {
        <p class=move || format!("llm-settings__test {}", text().0) role="status" data-testid="llm-test"
            hidden=move || llm.test.with(Option::is_none)>{move || text().1}</p>
    }
}

/// "waiting for LLM (1.2 s): …" while the run waits for an answer the page is fetching.
#[component]
pub fn LlmWaiting() -> impl IntoView {
    let sim = use_sim();
    let llm = use_llm();
    let text = Memo::new(move |_| {
        sim.snapshot
            .with(|s| crate::view_model::llm::waiting_text(&s.llm.outstanding, llm.waiting_ms()))
    });
    view! {
        <p class="llm-waiting" role="status" data-testid="llm-waiting" hidden=move || text.with(Option::is_none)>
            <span class="llm-waiting__dot" aria-hidden="true"></span>
            {move || text.get()}
        </p>
    }
}
