//! The study as a sequence of trials that can be run one at a time: the CLI runs them in a
//! loop, the page runs a few per frame (with a progress bar and Cancel) without the engine
//! knowing about either. Range-major order, so a cancelled study has whole ranges done.

use super::config::{MsRange, StudyConfig};
use super::summary::RangeSummary;
use super::trial::{run_trial, TrialOutcome};

pub struct StudyRun {
    cfg: StudyConfig,
    next: u64,
    outcomes: Vec<TrialOutcome>,
}

impl StudyRun {
    pub fn new(cfg: StudyConfig) -> Result<Self, String> {
        cfg.validate()?;
        Ok(Self {
            cfg,
            next: 0,
            outcomes: Vec::new(),
        })
    }

    pub fn config(&self) -> &StudyConfig {
        &self.cfg
    }

    /// Trials done and trials in all.
    pub fn progress(&self) -> (u64, u64) {
        (self.next, self.cfg.total_trials())
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.cfg.total_trials()
    }

    /// Runs the next trial; false once every trial has run.
    pub fn step(&mut self) -> bool {
        if self.is_done() {
            return false;
        }
        let trials = self.cfg.trials as u64;
        let range = self.cfg.ranges[(self.next / trials) as usize];
        let trial = (self.next % trials) as u32;
        let seed = self.cfg.seed.wrapping_add(trial as u64);
        self.outcomes.push(run_trial(&self.cfg, range, trial, seed));
        self.next += 1;
        true
    }

    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    pub fn outcomes(&self) -> &[TrialOutcome] {
        &self.outcomes
    }

    /// One summary per range that has at least one trial done, in the configured order.
    pub fn summaries(&self) -> Vec<RangeSummary> {
        summarise(&self.cfg.ranges, &self.outcomes)
    }
}

pub fn summarise(ranges: &[MsRange], outcomes: &[TrialOutcome]) -> Vec<RangeSummary> {
    ranges
        .iter()
        .filter_map(|r| {
            let mine: Vec<&TrialOutcome> = outcomes.iter().filter(|o| o.range == *r).collect();
            RangeSummary::of(*r, &mine)
        })
        .collect()
}
