//! Side by side: the same scenario, seed, workload and fault schedule under two cluster
//! configurations, and what differed — time without a leader, messages, orders committed and
//! aborted, stale reads, checkout latency.
//!
//! Why the two runs differ only by their `ClusterConfig`: the seed, the scenario's timed inputs
//! and the generated workload are the same values handed to two fresh systems, so any
//! difference in the summary comes from the configuration (and from where the two runs'
//! random draws diverge once the configurations make them take different paths — which is
//! the honest comparison: a real deployment would diverge the same way).
//!
//! Why the figures are counted from the trace as it is written (a sink, `tally.rs`) and not
//! read from the report afterwards: the trace ring and the observer's tables are bounded for
//! long runs, so an early leader change or message could have been forgotten by the end.
//!
//! `overrides.rs` reads `key=value,…` into a configuration; `tally.rs` counts; `summary.rs`
//! computes and prints the two-column table; `lanes.rs` draws who led when, both runs on one
//! time axis.

pub mod lanes;
pub mod overrides;
pub mod summary;
pub mod tally;
#[cfg(test)]
mod tests;

use crate::scenario::workload::Workload;
use crate::scenario::Scenario;
use crate::system::System;
pub use summary::{RunSummary, Side};

/// One side of a comparison: its label and its configuration changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// `key=value,…` as given (also the column heading).
    pub overrides: String,
}

/// What to run: the scenario, its seed and length, an optional generated workload.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub scenario: Scenario,
    pub seed: u64,
    pub until_ms: u64,
    pub checkouts_per_sec: Option<u32>,
}

impl Comparison {
    /// A system for one side, ready to run (nothing run yet), and its tally.
    pub fn build(&self, variant: &Variant, flag: &str) -> Result<Side, String> {
        let mut scenario = self.scenario.clone();
        scenario.cluster = overrides::apply(&scenario.cluster, &variant.overrides, flag)?;
        let mut sys: System = scenario.build(self.seed)?;
        if let Some(rate) = self.checkouts_per_sec {
            sys.stream_workload(Workload {
                checkouts_per_sec: rate,
                until_ms: self.until_ms,
                seed: self.seed,
            });
        }
        let tally = tally::install(&mut sys);
        Ok(Side {
            label: variant.overrides.clone(),
            sys,
            tally,
        })
    }

    /// Runs both sides to the end and summarises each.
    pub fn run(&self, a: &Variant, b: &Variant) -> Result<[RunSummary; 2], String> {
        let mut sides = [self.build(a, "--a")?, self.build(b, "--b")?];
        for side in &mut sides {
            side.sys.run_until(self.until_ms * 1_000);
        }
        Ok(sides.map(|s| s.summary(self.until_ms * 1_000)))
    }
}
