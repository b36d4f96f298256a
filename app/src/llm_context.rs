//! The page's side of the optional LLM: the endpoint settings (kept in this browser's local
//! storage only), the requests in flight, and the "Test connection" result. Provided as context
//! by `Shell`; components call `use_llm()`.
//!
//! The flow: the engine lists the requests that wait for a reply (`Snapshot::llm`); `sync`
//! sends each once (`driver::llm_fetch`), and when the answer — or the error, or the wall-clock
//! timeout — comes back, records it as an `llm_reply` input at the virtual moment the world is
//! at (the run has been waiting there). The key is read only when a request is sent.

use crate::driver::llm_fetch::post_chat;
use crate::driver::llm_pump::LlmPump;
use crate::sim_context::Sim;
use crate::state::llm_settings::{LlmSettings, STORAGE_KEY};
use engine::llm::{chat_completions_body, LlmPrompt, LlmRequest};
use engine::system::inputs::Action;
use leptos::prelude::*;

/// What "Test connection" found: reachable and answering, or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestStatus {
    Testing,
    Ok(String),
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct LlmPage {
    /// What is saved (and used for requests).
    pub settings: RwSignal<LlmSettings>,
    /// What the fields show, saved or not (kept here so switching tabs keeps the edits).
    pub draft: RwSignal<LlmSettings>,
    pub test: RwSignal<Option<TestStatus>>,
    pump: StoredValue<LlmPump>,
}

impl Default for LlmPage {
    fn default() -> Self {
        Self::new()
    }
}

impl LlmPage {
    /// The settings saved in this browser (the defaults if none).
    pub fn new() -> Self {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let settings = LlmSettings::from_stored(stored.as_deref());
        Self {
            draft: RwSignal::new(settings.clone()),
            settings: RwSignal::new(settings),
            test: RwSignal::new(None),
            pump: StoredValue::new(LlmPump::default()),
        }
    }

    /// Keeps `settings` in this browser's local storage (and nowhere else).
    pub fn save(&self, settings: LlmSettings) -> Result<(), String> {
        let store = storage().ok_or("this browser offers no local storage")?;
        store
            .set_item(STORAGE_KEY, &settings.to_stored())
            .map_err(|_| "local storage refused the settings (full or disabled)".to_string())?;
        self.settings.set(settings);
        Ok(())
    }

    /// Sends every outstanding request not sent yet.
    pub fn sync(&self, sim: Sim) {
        let (outstanding, timeout_ms) = sim
            .snapshot
            .with_untracked(|s| (s.llm.outstanding.clone(), s.llm.timeout_ms));
        if outstanding.is_empty() && self.pump.with_value(|p| p.waiting_ms(0.0).is_none()) {
            return;
        }
        let new = self
            .pump
            .try_update_value(|p| p.to_send(&outstanding, wall_ms()))
            .unwrap_or_default();
        for request in new {
            self.send(sim, request, timeout_ms);
        }
    }

    fn send(&self, sim: Sim, request: LlmRequest, timeout_ms: u64) {
        let settings = self.settings.get_untracked();
        let pump = self.pump;
        leptos::task::spawn_local(async move {
            let body = chat_completions_body(&request.prompt, settings.model());
            let reply = post_chat(&settings, &body, timeout_ms as u32).await;
            let still_waiting = sim.llm_outstanding();
            let record = pump
                .try_update_value(|p| p.finish(&request, &still_waiting))
                .unwrap_or(false);
            if record {
                sim.act(Action::LlmReply {
                    request: request.id,
                    reply,
                });
            }
        });
    }

    /// How long the oldest request in flight has waited (wall ms).
    pub fn waiting_ms(&self) -> Option<f64> {
        self.pump.with_value(|p| p.waiting_ms(wall_ms()))
    }

    /// Asks the endpoint for a one-word JSON answer and says whether it came.
    pub fn test_connection(&self, settings: LlmSettings, timeout_ms: u64) {
        let test = self.test;
        test.set(Some(TestStatus::Testing));
        leptos::task::spawn_local(async move {
            let prompt = LlmPrompt {
                system: "Answer with exactly this JSON object and nothing else: {\"ok\": true}"
                    .into(),
                user: "{}".into(),
                allowed_titles: Vec::new(),
            };
            let body = chat_completions_body(&prompt, settings.model());
            let reply = post_chat(&settings, &body, timeout_ms as u32).await;
            // The engine reads the reply as it would a service's: status, shape, message text.
            let status = match reply.content(timeout_ms) {
                Ok(text) => TestStatus::Ok(format!(
                    "Connected: {} answered {}",
                    settings.model(),
                    text.chars().take(60).collect::<String>()
                )),
                Err(e) => TestStatus::Failed(format!("No usable answer: {e}")),
            };
            test.set(Some(status));
        });
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The page's LLM context; a component mounted on its own (a test) gets a fresh one.
pub fn use_llm() -> LlmPage {
    use_context::<LlmPage>().unwrap_or_else(|| {
        let page = LlmPage::new();
        provide_context(page);
        page
    })
}
