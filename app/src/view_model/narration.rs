//! The narration panel's state and what it shows, on plain types.
//!
//! Why a small state machine here rather than in the component: the walk through a story has
//! rules that are easy to get wrong in closures — stop at the next step's moment and only
//! there, show a step exactly once per arrival, go back by replaying to the previous step's
//! moment, stop narrating without losing the run — and each is unit-tested below. The claims
//! themselves are never judged here: the verdicts come from the engine's evaluator
//! (`engine::scenario::narration_eval`), the same one the headless runner asserts in CI.

use engine::scenario::narration::Step;
use engine::scenario::narration_eval::StepResult;
use engine::sim::Micros;

/// Where a narrated walk is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Narrator {
    pub scenario: String,
    /// Each step's moment, in order.
    pub at_ms: Vec<u64>,
    /// The step on show (its card is up and the run is paused there).
    pub shown: Option<usize>,
    /// The next step the run stops at.
    pub next: usize,
}

impl Narrator {
    /// A walk that plays from wherever the run is to `first` and stops there.
    pub fn start(scenario: &str, steps: &[Step], first: usize) -> Self {
        Self {
            scenario: scenario.to_string(),
            at_ms: steps.iter().map(|s| s.at_ms).collect(),
            shown: None,
            next: first.min(steps.len()),
        }
    }

    /// Where the run must stop next (None once every step has been reached).
    pub fn pause_at_us(&self) -> Option<Micros> {
        self.at_ms.get(self.next).map(|ms| ms * 1000)
    }

    /// Called with the run's time after it moved: the step reached now, if one was (shown once).
    pub fn reached(&mut self, now_us: Micros) -> Option<usize> {
        let at = self.pause_at_us()?;
        (now_us >= at).then(|| {
            self.shown = Some(self.next);
            self.next += 1;
            self.shown.unwrap_or(0)
        })
    }

    /// Shows step `index` at once (after the run was taken to its moment).
    pub fn show(&mut self, index: usize) {
        self.shown = Some(index);
        self.next = index + 1;
    }

    /// The step Back goes to, with its moment: the one before the step on show.
    pub fn back_target(&self) -> Option<(usize, Micros)> {
        let prev = self.shown?.checked_sub(1)?;
        Some((prev, self.at_ms[prev] * 1000))
    }

    /// True while a step is on show and another follows it.
    pub fn can_continue(&self) -> bool {
        self.shown.is_some() && self.next < self.at_ms.len()
    }

    /// "Step 2 of 5".
    pub fn position(&self) -> String {
        match self.shown {
            Some(s) => format!("Step {} of {}", s + 1, self.at_ms.len()),
            None => format!("Playing to step {} of {}", self.next + 1, self.at_ms.len()),
        }
    }

    /// The link that opens this scenario at the step on show.
    pub fn deep_link(&self) -> Option<String> {
        self.shown.map(|s| step_link(&self.scenario, s))
    }
}

/// `#scenario=NAME&step=N` (steps count from 1 in links).
pub fn step_link(scenario: &str, index: usize) -> String {
    format!(
        "#scenario={}&step={}",
        crate::driver::share::encode(scenario),
        index + 1
    )
}

/// One claim as the panel lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimLine {
    pub passed: bool,
    /// "✓ executor-2 leads executors" or "✗ executor-2 leads executors — found: …".
    pub text: String,
}

/// What the card of one step shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepCard {
    pub title: String,
    pub text: String,
    pub rule: String,
    pub at: String,
    pub claims: Vec<ClaimLine>,
    /// "All 3 claims hold" or "1 of 3 claims does not hold".
    pub verdict: String,
    pub all_passed: bool,
}

/// The card for `step`, with the engine's verdicts on its claims.
pub fn step_card(step: &Step, result: &StepResult) -> StepCard {
    let claims: Vec<ClaimLine> = result
        .claims
        .iter()
        .map(|c| ClaimLine {
            passed: c.passed,
            text: if c.passed {
                format!("✓ {}", c.expected)
            } else {
                format!("✗ {} — found: {}", c.expected, c.actual)
            },
        })
        .collect();
    let failed = claims.iter().filter(|c| !c.passed).count();
    let verdict = match (failed, claims.len()) {
        (0, 1) => "The claim holds (checked by the engine)".to_string(),
        (0, n) => format!("All {n} claims hold (checked by the engine)"),
        (1, n) => format!("1 of {n} claims does not hold"),
        (f, n) => format!("{f} of {n} claims do not hold"),
    };
    StepCard {
        title: step.title.clone(),
        text: step.text.clone(),
        rule: step.rule.clone(),
        at: format!("{}.{:03} s", step.at_ms / 1000, step.at_ms % 1000),
        claims,
        all_passed: failed == 0,
        verdict,
    }
}

/// The built-in scenarios that tell a story, as (id, name, steps), in the built-in order.
pub fn narrated_scenarios() -> Vec<(String, String, usize)> {
    engine::scenario::builtin::all()
        .into_iter()
        .filter_map(|(id, s)| s.ok().map(|s| (id, s)))
        .filter(|(_, s)| !s.narration.is_empty())
        .map(|(id, s)| (id.to_string(), s.name, s.narration.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::scenario::builtin;

    fn steps(id: &str) -> Vec<Step> {
        builtin::get(id)
            .expect("built in")
            .expect("parses")
            .narration
    }

    #[test]
    fn the_walk_stops_at_each_step_once_and_only_there() {
        let s = steps("initial-election");
        let mut n = Narrator::start("initial-election", &s, 0);
        assert_eq!(n.pause_at_us(), Some(1_000_000));
        assert_eq!(n.reached(999_999), None);
        assert_eq!(n.reached(1_000_000), Some(0));
        assert_eq!(n.reached(1_000_000), None, "shown once");
        assert_eq!(n.position(), "Step 1 of 5");
        assert_eq!(n.pause_at_us(), Some(1_600_000));
        assert!(n.can_continue());
        for i in 1..5 {
            assert_eq!(n.reached(n.pause_at_us().expect("more")), Some(i));
        }
        assert_eq!(n.pause_at_us(), None);
        assert!(!n.can_continue(), "the last step has nothing after it");
    }

    #[test]
    fn back_goes_to_the_previous_steps_moment_and_none_from_the_first() {
        let s = steps("leader-crash");
        let mut n = Narrator::start("leader-crash", &s, 0);
        n.reached(u64::MAX);
        assert_eq!(n.back_target(), None);
        n.show(2);
        assert_eq!(n.back_target(), Some((1, 5_500_000)));
        assert_eq!(n.pause_at_us(), Some(7_400_000));
        assert_eq!(
            n.deep_link().as_deref(),
            Some("#scenario=leader-crash&step=3")
        );
    }

    #[test]
    fn a_card_lists_each_claim_with_the_engines_verdict() {
        let s = builtin::get("initial-election")
            .expect("built in")
            .expect("parses");
        let mut sys = s.build(s.seed).expect("builds");
        sys.run_until(s.narration[2].at_ms * 1000);
        let mut step = s.narration[2].clone();
        let result = engine::scenario::narration_eval::evaluate_step(2, &step, &sys);
        let card = step_card(&step, &result);
        assert!(card.all_passed);
        assert_eq!(card.verdict, "The claim holds (checked by the engine)");
        assert_eq!(card.at, "1.700 s");
        assert_eq!(
            card.claims[0].text,
            "✓ executor-2 leads executors in term 1"
        );
        // A false claim shows what the engine found instead.
        step.expect =
            serde_json::from_str(r#"[{"leader": {"cluster": "executors", "node": "executor-0"}}]"#)
                .expect("claim");
        let result = engine::scenario::narration_eval::evaluate_step(2, &step, &sys);
        let card = step_card(&step, &result);
        assert!(!card.all_passed);
        assert_eq!(card.verdict, "1 of 1 claims does not hold");
        assert_eq!(
            card.claims[0].text,
            "✗ executor-0 leads executors — found: executor-2 leads executors (term 1)"
        );
    }

    #[test]
    fn the_picker_lists_every_narrated_scenario() {
        let listed = narrated_scenarios();
        assert!(listed.len() >= 21, "{}", listed.len());
        assert!(listed
            .iter()
            .any(|(id, _, n)| id == "split-vote" && *n == 5));
        assert!(!listed.iter().any(|(id, _, _)| id == "ping-ring"));
    }

    #[test]
    fn a_step_link_opens_at_its_steps_moment_and_a_bad_step_says_why() {
        use crate::driver::share::Shared;
        use crate::sim_context::link_time_ms;
        let s = steps("leader-crash");
        let link = Shared::from_fragment("#scenario=leader-crash&step=3").expect("parses");
        assert_eq!(link_time_ms(&link, &s), Ok(6_500));
        let link = Shared::from_fragment("#scenario=leader-crash&step=9").expect("parses");
        assert_eq!(
            link_time_ms(&link, &s),
            Err("link step 9: scenario \"leader-crash\" has 5 narrated steps (1–5)".into())
        );
        let link = Shared::from_fragment("#scenario=ping-ring&step=1").expect("parses");
        assert_eq!(
            link_time_ms(&link, &[]),
            Err("link step 1: scenario \"ping-ring\" has no narration".into())
        );
    }
}
