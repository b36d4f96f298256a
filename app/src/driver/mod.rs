//! The page's handle on the engine: owns the running `System`, advances it from the one
//! animation-frame loop, applies the user's verbs, and travels back in time by deterministic
//! replay (rebuild from scenario + seed + the user's inputs, run to the moment).
//! Protocol logic stays in the engine; this only calls its verbs.

pub mod llm_fetch;
pub mod llm_pump;
pub mod share;

use engine::export::mermaid::Selection;
use engine::export::spec::{self, Format};
use engine::scenario::{builtin, Scenario};
use engine::sim::Micros;
use engine::snapshot::spacetime::layout::{lay_out, Frame, Viewport};
use engine::snapshot::spacetime::{Cone, SpaceTime, StEvent};
use engine::snapshot::{Snapshot, SnapshotBuilder};
use engine::system::config::ClusterConfig;
use engine::system::inputs::{Action, TimedInput};
use engine::system::System;

/// At most this much virtual time per frame, so a slow frame never snowballs (the page then
/// runs slower than asked rather than freezing).
pub const MAX_VIRTUAL_US_PER_FRAME: Micros = 2_000_000;
/// How far ahead "Step" looks for the next visible event.
pub const STEP_HORIZON_US: Micros = 30_000_000;

pub struct Driver {
    scenario_id: String,
    scenario: Scenario,
    seed: u64,
    sys: System,
    builder: SnapshotBuilder,
    /// The space-time diagram's events, read from the trace only while the diagram is drawn.
    spacetime: SpaceTime,
    /// What the user did (faults, checkouts), with the virtual ms each took effect: with the
    /// scenario and seed, this reproduces the run exactly.
    user_inputs: Vec<TimedInput>,
    /// Where playing and stepping stop (see `set_pause_at`).
    pause_at: Option<Micros>,
}

impl Driver {
    pub fn new(scenario_id: &str, seed: u64) -> Result<Self, String> {
        let scenario =
            builtin::get(scenario_id).ok_or_else(|| format!("no scenario {scenario_id:?}"))??;
        Self::with_scenario(scenario_id, scenario, seed, Vec::new())
    }

    pub fn with_scenario(
        id: &str,
        scenario: Scenario,
        seed: u64,
        user_inputs: Vec<TimedInput>,
    ) -> Result<Self, String> {
        let mut sys = scenario.build(seed)?;
        sys.schedule(user_inputs.clone())?;
        Ok(Self {
            scenario_id: id.to_string(),
            scenario,
            seed,
            sys,
            builder: SnapshotBuilder::default(),
            spacetime: SpaceTime::default(),
            user_inputs,
            pause_at: None,
        })
    }

    pub fn scenario_id(&self) -> &str {
        &self.scenario_id
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> Micros {
        self.sys.now()
    }

    pub fn user_inputs(&self) -> &[TimedInput] {
        &self.user_inputs
    }

    pub fn system(&self) -> &System {
        &self.sys
    }

    /// One export of the run as it stands: (file name, MIME type, contents). The engine writes
    /// the file (`engine::export::spec::render`); this only names it.
    pub fn export(
        &self,
        format: Format,
        selection: Option<&Selection>,
    ) -> Result<(String, &'static str, String), String> {
        let title = format!("{} · seed {}", self.scenario_id, self.seed);
        let text = spec::render(format, selection, &self.sys, &title)?;
        let name = spec::file_name(format, &self.scenario_id, self.seed, self.now(), selection);
        Ok((name, spec::mime(format), text))
    }

    /// Advances virtual time by `delta` (capped per frame). The page computes `delta` from
    /// wall time × speed with integer math (`state::VirtualClock`). While an LLM request waits
    /// for the page to fetch its answer, virtual time waits too: the run stops at the step that
    /// issued it and stays there until the reply is recorded.
    pub fn advance_us(&mut self, delta: Micros) {
        let t = self.sys.now() + delta.min(MAX_VIRTUAL_US_PER_FRAME);
        self.sys.run_until_llm_asks(self.capped(t));
    }

    /// A moment the run must not pass while the page plays or steps (a narration step: the
    /// page stops there to show it). Time travel and loading clear it.
    pub fn set_pause_at(&mut self, t: Option<Micros>) {
        self.pause_at = t;
    }

    /// `t`, or the pause point if `t` is beyond it (and the run has not passed it already).
    fn capped(&self, t: Micros) -> Micros {
        match self.pause_at {
            Some(p) if p >= self.sys.now() => t.min(p),
            _ => t,
        }
    }

    /// Whether the run waits for the page to fetch an LLM answer.
    pub fn waits_for_llm(&self) -> bool {
        self.sys.llm_needs_reply()
    }

    /// Runs to the next event that shows (a message, a timer, a fault…), unless the run waits
    /// for an LLM answer.
    pub fn step(&mut self) {
        if self.waits_for_llm() {
            return;
        }
        let limit = self.capped(self.sys.now() + STEP_HORIZON_US);
        self.sys.step_visible(limit);
    }

    /// Starts the same scenario again, with `seed`, keeping nothing the user did.
    pub fn reset(&mut self, seed: u64) -> Result<(), String> {
        *self = Self::with_scenario(
            &self.scenario_id.clone(),
            self.scenario.clone(),
            seed,
            Vec::new(),
        )?;
        Ok(())
    }

    /// Loads another built-in scenario (its own seed unless `seed` is given).
    pub fn load(&mut self, scenario_id: &str, seed: Option<u64>) -> Result<(), String> {
        let scenario =
            builtin::get(scenario_id).ok_or_else(|| format!("no scenario {scenario_id:?}"))??;
        let seed = seed.unwrap_or(scenario.seed);
        *self = Self::with_scenario(scenario_id, scenario, seed, Vec::new())?;
        Ok(())
    }

    /// Restarts the scenario with another cluster shape (algorithm, size, timeouts), same seed.
    /// A configuration the engine refuses changes nothing and says why.
    pub fn reconfigure(&mut self, cluster: ClusterConfig) -> Result<(), String> {
        let mut scenario = self.scenario.clone();
        scenario.cluster = cluster;
        *self = Self::with_scenario(&self.scenario_id.clone(), scenario, self.seed, Vec::new())?;
        Ok(())
    }

    /// The cluster configuration when it differs from the built-in scenario's (for links).
    pub fn custom_cluster(&self) -> Option<ClusterConfig> {
        let builtin = builtin::get(&self.scenario_id)
            .and_then(Result::ok)
            .map(|s| s.cluster);
        (builtin.as_ref() != Some(&self.scenario.cluster)).then(|| self.scenario.cluster.clone())
    }

    /// Applies a verb at the next whole virtual millisecond and remembers it for replay.
    /// Acting after travelling back in time forgets the user's old future (a new branch).
    pub fn act(&mut self, action: Action) -> Result<(), String> {
        let at_ms = self.sys.act(action.clone())?;
        self.user_inputs.retain(|i| i.at_ms <= at_ms);
        self.user_inputs.push(TimedInput::at(at_ms, action));
        // Take effect now, even while paused: at most one virtual millisecond away.
        self.sys.run_until(at_ms * 1000);
        Ok(())
    }

    /// Goes to virtual time `t`: forward by running, backward by replaying from the start.
    pub fn seek(&mut self, t: Micros) -> Result<(), String> {
        if t < self.sys.now() {
            let inputs = self.user_inputs.clone();
            *self = Self::with_scenario(
                &self.scenario_id.clone(),
                self.scenario.clone(),
                self.seed,
                inputs,
            )?;
        }
        self.sys.run_until(t);
        Ok(())
    }

    pub fn snapshot(&mut self) -> Snapshot {
        self.builder.build(&self.sys)
    }

    /// The space-time diagram for one viewport (catching up with the trace first).
    pub fn spacetime_frame(&mut self, vp: &Viewport) -> Frame {
        self.spacetime.catch_up(&self.sys.world().trace());
        lay_out(&self.spacetime, vp)
    }

    /// An event of the diagram and its cone within the window `t0_us..t1_us`.
    pub fn spacetime_event(
        &self,
        seq: u64,
        t0_us: Micros,
        t1_us: Micros,
    ) -> Option<(StEvent, Cone)> {
        let ev = self.spacetime.event(seq)?.clone();
        let cone = self.spacetime.cone(seq, t0_us, t1_us)?;
        Some((ev, cone))
    }

    /// The vector-clock merge of the receive `seq`, step by step.
    pub fn spacetime_merge(
        &self,
        seq: u64,
    ) -> Result<
        engine::snapshot::spacetime::explain::MergeExplained,
        engine::snapshot::spacetime::explain::NoMerge,
    > {
        self.spacetime.explain_receive(seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travelling_back_and_forth_reproduces_the_same_trace() {
        let mut d = Driver::new("leader-crash", 3).expect("loads");
        d.seek(4_000_000).expect("runs");
        d.act(Action::Checkout(r#"{"bad": "#.into()))
            .expect("accepted");
        d.seek(9_000_000).expect("runs");
        let (hash, total) = (
            d.system().world().trace_hash(),
            d.system().world().trace().total(),
        );
        d.seek(1_000_000).expect("back");
        assert!(d.now() == 1_000_000);
        d.seek(9_000_000).expect("forward again");
        assert_eq!(
            (
                d.system().world().trace_hash(),
                d.system().world().trace().total()
            ),
            (hash, total)
        );
    }

    /// The nemesis control is a recorded setting: going back in time and forward again, or
    /// opening a share link, draws the same faults.
    #[test]
    fn the_nemesis_replays_the_same_faults_after_travelling_back() {
        let mut d = Driver::new("checkout", 4).expect("loads");
        d.seek(3_000_000).expect("runs");
        let settings = engine::nemesis::NemesisSettings::parse("intensity=1").expect("valid");
        d.act(Action::Nemesis(settings)).expect("accepted");
        d.seek(30_000_000).expect("runs");
        let receipts = d.system().receipts.receipts.len();
        assert!(receipts >= 6, "the nemesis drew only {receipts} faults");
        let hash = d.system().world().trace_hash();
        d.seek(2_000_000).expect("back");
        d.seek(30_000_000).expect("forward again");
        assert_eq!(d.system().world().trace_hash(), hash);
        assert_eq!(d.system().receipts.receipts.len(), receipts);
    }

    #[test]
    fn a_frame_advances_by_its_delta_but_never_more_than_the_cap() {
        let mut d = Driver::new("initial-election", 1).expect("loads");
        d.advance_us(160_000);
        assert_eq!(d.now(), 160_000);
        d.advance_us(u64::MAX / 4);
        assert_eq!(d.now(), 160_000 + MAX_VIRTUAL_US_PER_FRAME);
    }

    #[test]
    fn reconfiguring_restarts_with_the_new_cluster_and_a_bad_one_changes_nothing() {
        let mut d = Driver::new("initial-election", 1).expect("loads");
        assert_eq!(d.custom_cluster(), None);
        let mut c = d.scenario().cluster.clone();
        c.executors = 5;
        c.election = engine::system::config::Election::Bully;
        d.reconfigure(c.clone()).expect("valid");
        assert_eq!(
            d.system()
                .world()
                .nodes()
                .iter()
                .filter(|n| n.service == "executor")
                .count(),
            5
        );
        assert_eq!(d.custom_cluster(), Some(c.clone()));
        let mut bad = c;
        bad.executors = 9;
        assert!(d.reconfigure(bad).is_err());
        assert_eq!(
            d.scenario().cluster.executors,
            5,
            "a refused configuration keeps the old one"
        );
    }

    #[test]
    fn settings_changed_while_running_replay_when_travelling_back_in_time() {
        use engine::services::stock_reader::StockReads;
        let mut d = Driver::new("checkout", 1).expect("loads");
        d.seek(1_000_000).expect("runs");
        d.act(Action::StockReads(StockReads::Replicas))
            .expect("a database runs");
        d.act(Action::DeclineRate {
            brand: Some("visa".into()),
            rate: 0.5,
        })
        .expect("valid rate");
        assert!(d
            .act(Action::DeclineRate {
                brand: None,
                rate: -0.1
            })
            .is_err());
        assert_eq!(d.user_inputs().len(), 2, "the refused rate is not an input");
        d.seek(8_000_000).expect("runs");
        let before = (d.system().world().trace_hash(), d.snapshot().reads.counts);
        assert!(before.1.answered > 0, "reads happened: {:?}", before.1);
        d.seek(500_000).expect("back");
        assert_eq!(d.snapshot().live.stock_reads, StockReads::Off);
        d.seek(8_000_000).expect("forward again");
        assert_eq!(
            (d.system().world().trace_hash(), d.snapshot().reads.counts),
            before
        );
        assert_eq!(d.snapshot().live.decline_rate_of("visa"), 0.5);
    }

    #[test]
    fn virtual_time_waits_for_an_llm_answer_and_the_recorded_answer_replays() {
        use engine::llm::{LlmReply, LlmService};
        let mut d = Driver::new("checkout", 1).expect("loads");
        d.act(Action::Llm { on: true })
            .expect("checkout services run");
        let mut frames = 0;
        while d.snapshot().llm.outstanding.is_empty() {
            d.advance_us(50_000);
            frames += 1;
            assert!(frames < 400, "the scenario's order asks the LLM");
        }
        let asked = d.snapshot().llm.outstanding[0].clone();
        assert_eq!(asked.service, LlmService::Fraud);
        assert_eq!(asked.issued_at_us, d.now(), "stopped where it was asked");
        let waiting_at = d.now();
        d.advance_us(1_000_000);
        d.step();
        assert_eq!(d.now(), waiting_at, "virtual time waits for the answer");
        assert!(d.waits_for_llm());
        let body = serde_json::json!({"choices": [{"message": {"content":
            r#"{"fraud": false, "confidence": 0.8, "reasons": []}"#}}]});
        d.act(Action::LlmReply {
            request: asked.id,
            reply: LlmReply::Http {
                status: 200,
                body: body.to_string(),
            },
        })
        .expect("a valid reply");
        assert!(!d.waits_for_llm());
        d.seek(6_000_000).expect("runs");
        let calls = d.snapshot().llm.calls;
        assert!(
            calls[0].settled.as_ref().is_some_and(|s| s.used),
            "{calls:?}"
        );
        let hash = d.system().world().trace_hash();
        d.seek(0).expect("back");
        d.seek(6_000_000).expect("replays");
        assert_eq!(
            d.system().world().trace_hash(),
            hash,
            "the recorded answer replays"
        );
    }

    #[test]
    fn a_verb_naming_a_missing_node_is_refused_and_changes_nothing() {
        let mut d = Driver::new("initial-election", 1).expect("loads");
        assert!(d.act(Action::Crash("nobody".into())).is_err());
        assert!(d.user_inputs().is_empty());
    }
}
