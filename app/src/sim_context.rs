//! The one handle components use to reach the simulation: the latest snapshot (a signal,
//! published once per frame or after a verb) and the verbs themselves. Provided as context by
//! `App`; components call `use_sim()`.

use crate::driver::share::Shared;
use crate::driver::Driver;
use engine::sim::{Micros, NodeId};
use engine::snapshot::Snapshot;
use engine::system::config::ClusterConfig;
use engine::system::inputs::Action;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// The scenario a fresh page opens with.
pub const DEFAULT_SCENARIO: &str = "checkout";

#[derive(Clone, Copy)]
pub struct Sim {
    /// What the page draws; replaced (never mutated) once per frame.
    pub snapshot: RwSignal<Arc<Snapshot>>,
    /// A short message for the user: the last verb's error, or what a link restored.
    pub notice: RwSignal<Option<String>>,
    /// The node the inspector shows.
    pub selected: RwSignal<Option<NodeId>>,
    /// The built-in scenario running now.
    pub scenario_id: RwSignal<String>,
    /// What the narration step on show asks the diagrams to emphasise (None: nothing).
    pub highlight: RwSignal<Option<engine::scenario::narration::Highlight>>,
    driver: StoredValue<Rc<RefCell<Driver>>, LocalStorage>,
}

impl Sim {
    pub fn new(driver: Driver) -> Self {
        let mut d = driver;
        let snap = Arc::new(d.snapshot());
        let id = d.scenario_id().to_string();
        Self {
            snapshot: RwSignal::new(snap),
            notice: RwSignal::new(None),
            selected: RwSignal::new(None),
            scenario_id: RwSignal::new(id),
            highlight: RwSignal::new(None),
            driver: StoredValue::new_local(Rc::new(RefCell::new(d))),
        }
    }

    fn with_driver<R>(&self, f: impl FnOnce(&mut Driver) -> R) -> R {
        let rc = self.driver.get_value();
        let mut d = rc.borrow_mut();
        f(&mut d)
    }

    /// Publishes a fresh snapshot (after a frame or a verb).
    pub fn publish(&self) {
        let snap = self.with_driver(|d| d.snapshot());
        self.snapshot.set(Arc::new(snap));
    }

    fn report(&self, result: Result<(), String>) {
        match result {
            Ok(()) => self.notice.set(None),
            Err(e) => self.notice.set(Some(e)),
        }
        self.publish();
    }

    pub fn advance_us(&self, delta: Micros) {
        self.with_driver(|d| d.advance_us(delta));
        self.publish();
    }

    pub fn step(&self) {
        self.with_driver(|d| d.step());
        self.publish();
    }

    /// The space-time diagram for one viewport.
    pub fn spacetime_frame(
        &self,
        vp: &engine::snapshot::spacetime::layout::Viewport,
    ) -> engine::snapshot::spacetime::layout::Frame {
        self.with_driver(|d| d.spacetime_frame(vp))
    }

    /// A diagram event and its causal cone within `t0_us..t1_us` (None once forgotten).
    pub fn spacetime_event(
        &self,
        seq: u64,
        t0_us: Micros,
        t1_us: Micros,
    ) -> Option<(
        engine::snapshot::spacetime::StEvent,
        engine::snapshot::spacetime::Cone,
    )> {
        self.with_driver(|d| d.spacetime_event(seq, t0_us, t1_us))
    }

    /// How the receive `seq` merged its clock (an error says why there is nothing to show).
    pub fn spacetime_merge(
        &self,
        seq: u64,
    ) -> Result<
        engine::snapshot::spacetime::explain::MergeExplained,
        engine::snapshot::spacetime::explain::NoMerge,
    > {
        self.with_driver(|d| d.spacetime_merge(seq))
    }

    /// Applies a fault verb or submits a checkout; errors show as a notice.
    pub fn act(&self, action: Action) {
        let r = self.with_driver(|d| d.act(action));
        self.report(r);
    }

    pub fn reset(&self, seed: u64) {
        let r = self.with_driver(|d| d.reset(seed));
        self.selected.set(None);
        self.report(r);
    }

    /// Loads a built-in scenario; returns the seed it runs with.
    pub fn load(&self, scenario_id: &str) -> u64 {
        let r = self.with_driver(|d| d.load(scenario_id, None));
        if r.is_ok() {
            self.scenario_id.set(scenario_id.to_string());
            self.selected.set(None);
            // A shared link describes the old run; don't reopen it on reload.
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash("");
            }
        }
        self.report(r);
        self.with_driver(|d| d.seed())
    }

    /// Restarts the run with another cluster shape; a refused one shows as a notice.
    pub fn reconfigure(&self, cluster: ClusterConfig) {
        let r = self.with_driver(|d| d.reconfigure(cluster));
        self.selected.set(None);
        self.report(r);
    }

    pub fn cluster_config(&self) -> ClusterConfig {
        self.with_driver(|d| d.scenario().cluster.clone())
    }

    /// Time travel: back by deterministic replay, forward by running.
    pub fn seek(&self, t: Micros) {
        let r = self.with_driver(|d| d.seek(t));
        self.report(r);
    }

    /// Playing and stepping stop at `t` (a narration step) until it is cleared.
    pub fn set_pause_at(&self, t: Option<Micros>) {
        self.with_driver(|d| d.set_pause_at(t));
    }

    /// The running scenario's narration steps (empty when it has none).
    pub fn narration(&self) -> Vec<engine::scenario::narration::Step> {
        self.with_driver(|d| d.scenario().narration.clone())
    }

    /// The engine's verdicts on narration step `index`'s claims, judged now.
    pub fn narration_verdicts(
        &self,
        index: usize,
    ) -> Option<engine::scenario::narration_eval::StepResult> {
        self.with_driver(|d| {
            let step = d.scenario().narration.get(index)?.clone();
            Some(engine::scenario::narration_eval::evaluate_step(
                index,
                &step,
                d.system(),
            ))
        })
    }

    /// Virtual time now, read from the engine (not the last snapshot).
    pub fn now_us(&self) -> Micros {
        self.with_driver(|d| d.now())
    }

    /// A URL fragment that reproduces this run at this moment.
    pub fn share_fragment(&self) -> String {
        self.with_driver(|d| {
            Shared {
                scenario: d.scenario_id().to_string(),
                seed: d.seed(),
                t_ms: d.now() / 1000,
                inputs: d.user_inputs().to_vec(),
                cluster: d.custom_cluster(),
                step: None,
            }
            .to_fragment()
        })
    }

    pub fn seed(&self) -> u64 {
        self.with_driver(|d| d.seed())
    }

    /// One export of the run as it stands (file name, MIME type, contents).
    pub fn export(
        &self,
        format: engine::export::spec::Format,
        selection: Option<&engine::export::mermaid::Selection>,
    ) -> Result<(String, &'static str, String), String> {
        self.with_driver(|d| d.export(format, selection))
    }

    /// The linearizability verdicts over the stock reads and writes so far (a search, run on
    /// request; None without a books database).
    pub fn linearizability(&self) -> Option<engine::invariants::linearizability::Report> {
        self.with_driver(|d| d.system().linearizability())
    }

    /// LLM requests waiting for a reply now (read from the engine, not the last snapshot).
    pub fn llm_outstanding(&self) -> Vec<engine::llm::LlmRequest> {
        self.with_driver(|d| d.system().llm_outstanding())
    }
}

/// Builds the driver a page opens with: from a shared link in the URL fragment if there is a
/// valid one, else the default scenario. A broken link opens the default and says why.
pub fn initial_driver(fragment: &str) -> (Driver, Option<String>) {
    let fallback =
        || Driver::new(DEFAULT_SCENARIO, 1).expect("the default scenario is built in and valid");
    if fragment.trim_start_matches('#').is_empty() {
        return (fallback(), None);
    }
    match Shared::from_fragment(fragment) {
        Ok(link) => {
            let built = engine::scenario::builtin::get(&link.scenario)
                .ok_or_else(|| format!("unknown scenario {:?}", link.scenario))
                .and_then(|s| s)
                .and_then(|mut s| {
                    if let Some(c) = link.cluster.clone() {
                        s.cluster = c;
                    }
                    Driver::with_scenario(&link.scenario, s, link.seed, link.inputs.clone())
                });
            let built = built.and_then(|d| {
                let t_ms = link_time_ms(&link, &d.scenario().narration)?;
                Ok((d, t_ms))
            });
            match built {
                Ok((mut d, t_ms)) => match d.seek(t_ms * 1000) {
                    Ok(()) => (
                        d,
                        Some(match link.step {
                            Some(n) => format!(
                                "Opened {} at narration step {n} ({t_ms} ms)",
                                link.scenario
                            ),
                            None => format!(
                                "Replayed the shared run: {} · seed {} · {} ms",
                                link.scenario, link.seed, t_ms
                            ),
                        }),
                    ),
                    Err(e) => (fallback(), Some(format!("Could not replay the link: {e}"))),
                },
                Err(e) => (fallback(), Some(format!("Could not open the link: {e}"))),
            }
        }
        Err(e) => (fallback(), Some(format!("Could not read the link: {e}"))),
    }
}

/// The moment a link opens at: its narration step's, when it names one (`step` counts from 1
/// and must exist in the scenario's narration), else its `t`.
pub fn link_time_ms(
    link: &Shared,
    narration: &[engine::scenario::narration::Step],
) -> Result<u64, String> {
    let Some(n) = link.step else {
        return Ok(link.t_ms);
    };
    if narration.is_empty() {
        return Err(format!(
            "link step {n}: scenario {:?} has no narration",
            link.scenario
        ));
    }
    narration.get(n - 1).map(|s| s.at_ms).ok_or_else(|| {
        format!(
            "link step {n}: scenario {:?} has {} narrated steps (1–{})",
            link.scenario,
            narration.len(),
            narration.len()
        )
    })
}

pub fn use_sim() -> Sim {
    expect_context::<Sim>()
}
