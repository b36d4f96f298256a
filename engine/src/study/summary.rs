//! Per range: the downtimes sorted (the empirical cumulative distribution the plot draws) and
//! the figures the summary table prints. Percentiles are nearest-rank on integers, so the page
//! and the CLI print the same numbers. Censored trials sort last (their downtime is only known
//! to be at least the cap), so a percentile that lands on one reads "> cap", never a number
//! that looks measured.

use super::config::MsRange;
use super::trial::{Cut, TrialOutcome};
use crate::sim::Micros;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RangeSummary {
    pub range: MsRange,
    pub trials: u32,
    pub censored: u32,
    /// Of the censored, those cut before the crash (no settled first leader to crash).
    pub unsettled: u32,
    /// Downtimes of the uncensored trials, ascending.
    pub sorted_us: Vec<Micros>,
}

/// A percentile: a measured downtime, or beyond the cap (it fell on a censored trial).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantile {
    Measured(Micros),
    Censored,
}

impl Quantile {
    /// `"212.4"` ms, or `">cap"`.
    pub fn text(&self) -> String {
        match self {
            Quantile::Measured(us) => format!("{}.{}", us / 1_000, (us % 1_000) / 100),
            Quantile::Censored => ">cap".to_string(),
        }
    }
}

impl RangeSummary {
    pub fn of(range: MsRange, outcomes: &[&TrialOutcome]) -> Option<Self> {
        if outcomes.is_empty() {
            return None;
        }
        let mut sorted_us: Vec<Micros> = outcomes
            .iter()
            .filter(|o| !o.censored)
            .map(|o| o.downtime_us)
            .collect();
        sorted_us.sort_unstable();
        Some(Self {
            range,
            trials: outcomes.len() as u32,
            censored: outcomes.iter().filter(|o| o.censored).count() as u32,
            unsettled: outcomes
                .iter()
                .filter(|o| o.censored && o.cut != Some(Cut::NoNewLeader))
                .count() as u32,
            sorted_us,
        })
    }

    /// Nearest-rank percentile `p` (1–100) over all trials, censored ones counted as longest.
    pub fn percentile(&self, p: u32) -> Quantile {
        let n = self.trials as u64;
        let rank = (p as u64 * n).div_ceil(100).clamp(1, n) as usize;
        match self.sorted_us.get(rank - 1) {
            Some(us) => Quantile::Measured(*us),
            None => Quantile::Censored,
        }
    }

    pub fn max(&self) -> Quantile {
        self.percentile(100)
    }

    /// The CDF's steps: (downtime, fraction of all trials done by then, in parts per million).
    /// It ends below 1 when trials were censored.
    pub fn cdf_ppm(&self) -> Vec<(Micros, u64)> {
        let n = self.trials as u64;
        self.sorted_us
            .iter()
            .enumerate()
            .map(|(i, us)| (*us, (i as u64 + 1) * 1_000_000 / n))
            .collect()
    }
}

/// The summary table: range, trials, median, p90, p99, max (ms), censored, and of those the
/// ones cut before the crash.
pub fn table(summaries: &[RangeSummary]) -> String {
    let mut out = format!(
        "{:<11} {:>6} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9}\n",
        "range_ms", "trials", "median", "p90", "p99", "max", "censored", "unsettled"
    );
    for s in summaries {
        out.push_str(&format!(
            "{:<11} {:>6} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9}\n",
            s.range.label(),
            s.trials,
            s.percentile(50).text(),
            s.percentile(90).text(),
            s.percentile(99).text(),
            s.max().text(),
            s.censored,
            s.unsettled
        ));
    }
    out
}
