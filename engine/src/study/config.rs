//! What one election timing study runs: the election-timeout ranges, the trials per range, the
//! seed the trials' seeds derive from, and the network and disk it assumes. Parsed from the
//! CLI's and the page's text (`150-300`, `5-10`), every error naming the field.

use crate::sim::Micros;

/// The ranges of the Raft paper's Figure 16: no randomness through wide (top graph), then
/// shorter timeouts (bottom graph).
pub const PAPER_RANGES: &str =
    "150-150,150-151,150-155,150-175,150-200,150-300,12-24,25-50,50-100,100-200";
pub const MAX_TRIALS: u32 = 10_000;
pub const MAX_RANGES: usize = 32;
/// Timeouts and latencies above this are not what the study is about (and would make each
/// trial take minutes of virtual time).
pub const MAX_MS: u64 = 10_000;

/// An inclusive range of whole milliseconds, `lo-hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct MsRange {
    pub lo_ms: u64,
    pub hi_ms: u64,
}

impl MsRange {
    pub const fn new(lo_ms: u64, hi_ms: u64) -> Self {
        Self { lo_ms, hi_ms }
    }

    /// `"150-300"` (or one number, `"150"`, for `150-150`). `field` names the option in errors.
    pub fn parse(field: &str, text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (lo, hi) = text.split_once('-').unwrap_or((text, text));
        let num = |s: &str| {
            s.trim().parse::<u64>().map_err(|_| {
                format!("{field}: {text:?} is not a range of whole milliseconds like 150-300")
            })
        };
        let range = Self::new(num(lo)?, num(hi)?);
        if range.lo_ms > range.hi_ms {
            return Err(format!("{field}: {text:?} starts above where it ends"));
        }
        if range.hi_ms > MAX_MS {
            return Err(format!("{field}: {text:?} goes above {MAX_MS} ms"));
        }
        Ok(range)
    }

    pub fn lo_us(&self) -> Micros {
        self.lo_ms * 1_000
    }

    pub fn hi_us(&self) -> Micros {
        self.hi_ms * 1_000
    }

    /// `150-300`, the form `parse` reads and the CSV writes.
    pub fn label(&self) -> String {
        format!("{}-{}", self.lo_ms, self.hi_ms)
    }
}

/// A comma-separated list of election-timeout ranges.
pub fn parse_ranges(field: &str, text: &str) -> Result<Vec<MsRange>, String> {
    let ranges = text
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| MsRange::parse(field, s))
        .collect::<Result<Vec<_>, _>>()?;
    if ranges.is_empty() {
        return Err(format!("{field}: give at least one range, like 150-300"));
    }
    if ranges.len() > MAX_RANGES {
        return Err(format!("{field}: at most {MAX_RANGES} ranges"));
    }
    for r in &ranges {
        // The heartbeat is half the minimum timeout (as in the paper); it must be positive.
        if r.lo_ms < 2 {
            return Err(format!(
                "{field}: {} is too short: the minimum election timeout must be at least 2 ms",
                r.label()
            ));
        }
    }
    Ok(ranges)
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StudyConfig {
    pub ranges: Vec<MsRange>,
    pub trials: u32,
    /// Trial `i` of every range runs on seed `seed + i`: the ranges are compared on the same
    /// draws of boot order, crash moment and network (common random numbers).
    pub seed: u64,
    /// One-way network latency, drawn uniformly per message.
    pub latency: MsRange,
    /// How long a disk sync takes, drawn uniformly per sync; a vote is persisted before it is
    /// sent, so this adds to every vote's round trip.
    pub disk_sync: MsRange,
    /// Pre-vote (thesis §9.6); off in the paper's experiment.
    pub pre_vote: bool,
    /// A trial with no new leader this long after the crash is censored.
    pub cap_ms: u64,
}

impl Default for StudyConfig {
    /// The paper's ranges, 200 trials, one-way latency 5–10 ms (a broadcast round trip of
    /// 10–20 ms; the paper's was about 15 ms) and 1–2 ms disk syncs.
    fn default() -> Self {
        Self {
            ranges: parse_ranges("ranges", PAPER_RANGES).expect("the paper's ranges parse"),
            trials: 200,
            seed: 1,
            latency: MsRange::new(5, 10),
            disk_sync: MsRange::new(1, 2),
            pre_vote: false,
            cap_ms: 10_000,
        }
    }
}

impl StudyConfig {
    pub fn validate(&self) -> Result<(), String> {
        if self.ranges.is_empty() || self.ranges.len() > MAX_RANGES {
            return Err(format!("ranges: give 1 to {MAX_RANGES} ranges"));
        }
        if !(1..=MAX_TRIALS).contains(&self.trials) {
            return Err(format!(
                "trials: must be 1–{MAX_TRIALS}, not {}",
                self.trials
            ));
        }
        if self.latency.hi_ms > 1_000 || self.disk_sync.hi_ms > 1_000 {
            return Err("latency-ms and disk-sync-ms: at most 1000 ms".to_string());
        }
        if !(100..=60_000).contains(&self.cap_ms) {
            return Err(format!("cap-ms: must be 100–60000, not {}", self.cap_ms));
        }
        Ok(())
    }

    pub fn total_trials(&self) -> u64 {
        self.ranges.len() as u64 * self.trials as u64
    }
}
