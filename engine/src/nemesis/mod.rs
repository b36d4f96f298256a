//! The nemesis (Jepsen's word): faults injected at random from the seed, with an intensity and
//! a choice of fault kinds, and a receipt for each fault saying what it actually did.
//!
//! Why it is shaped like this. A fault is drawn as an *episode*: the verb that breaks something
//! and, some seconds later, the verb that undoes it (crash → restart, partition → heal, loss on
//! → loss off). Drawing whole episodes keeps a chaotic run from drifting into a world that is
//! simply off (every node crashed, loss at 100 %), where nothing is tested any more; and it
//! gives the swarm's shrinker a unit to drop (an episode, never half of one). Every episode is
//! made of the ordinary scenario inputs (`system/inputs.rs`), so a drawn schedule prints as a
//! scenario file that `bookmesh run` replays, and the page records it like any other input.
//! The same drawing code serves the swarm (`crate::swarm`), the headless runner
//! (`--nemesis`) and the page: one place decides what "a partition" means.
//!
//! Receipts (`receipts.rs`) exist so nobody mistakes an inert fault for resilience: a crash of
//! a node nobody was talking to, or a partition between two idle validators, "passes" without
//! testing anything, and its receipt says so.

pub mod draw;
pub mod live;
pub mod receipts;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// One kind of fault the nemesis can draw. Each names the verbs of one episode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// A node crashes, then restarts.
    Crash,
    /// Whoever leads the executors crashes (the case redelivery exists for); all crashed
    /// nodes restart at the end of the episode.
    CrashLeader,
    /// A node stops running (a GC pause, a stopped VM), then resumes.
    Pause,
    /// The nodes split into two groups that cannot talk, then heal.
    Partition,
    /// One node cannot send to another (the other way works), then heals.
    OneWay,
    /// One link is cut both ways, then healed.
    Cut,
    /// Messages on every link are lost with some probability, then not.
    Loss,
    /// Messages on every link are delivered twice with some probability, then not.
    Duplicate,
    /// Messages on a link may overtake each other, then FIFO again.
    Reorder,
    /// Every link gets slower, then back to the configured latency.
    Latency,
    /// Every link of one node gets slower, then normal again.
    Slow,
    /// The fraud or suggestions model is unavailable, then back.
    ModelOutage,
    /// A node's disk refuses writes, then has space again.
    DiskFull,
    /// The newest synced record on a replicated node's disk is torn, and the node crashes and
    /// restarts (so the checksum finds it).
    CorruptDisk,
    /// A node's clock jumps and drifts (within the lease bound), then drifts no more.
    Clock,
}

impl FaultKind {
    pub const ALL: [FaultKind; 15] = [
        FaultKind::Crash,
        FaultKind::CrashLeader,
        FaultKind::Pause,
        FaultKind::Partition,
        FaultKind::OneWay,
        FaultKind::Cut,
        FaultKind::Loss,
        FaultKind::Duplicate,
        FaultKind::Reorder,
        FaultKind::Latency,
        FaultKind::Slow,
        FaultKind::ModelOutage,
        FaultKind::DiskFull,
        FaultKind::CorruptDisk,
        FaultKind::Clock,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Crash => "crash",
            FaultKind::CrashLeader => "crash_leader",
            FaultKind::Pause => "pause",
            FaultKind::Partition => "partition",
            FaultKind::OneWay => "one_way",
            FaultKind::Cut => "cut",
            FaultKind::Loss => "loss",
            FaultKind::Duplicate => "duplicate",
            FaultKind::Reorder => "reorder",
            FaultKind::Latency => "latency",
            FaultKind::Slow => "slow",
            FaultKind::ModelOutage => "model_outage",
            FaultKind::DiskFull => "disk_full",
            FaultKind::CorruptDisk => "corrupt_disk",
            FaultKind::Clock => "clock",
        }
    }

    pub fn parse(s: &str) -> Option<FaultKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The most intensity the nemesis takes, in permille (1000 = 1.0: an episode every ~2 s).
pub const MAX_INTENSITY_PERMILLE: u32 = 1000;

/// How hard the nemesis hits and with what. Intensity is kept in permille (an integer) so the
/// schedule it draws is the same natively and in wasm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NemesisSettings {
    /// 0–1000: 0 is off; 1000 starts an episode about every 2 s of virtual time.
    pub intensity_permille: u32,
    /// The kinds it draws from, in the order given (an empty list is off).
    pub kinds: Vec<FaultKind>,
}

impl Default for NemesisSettings {
    fn default() -> Self {
        Self {
            intensity_permille: 500,
            kinds: FaultKind::ALL.to_vec(),
        }
    }
}

impl NemesisSettings {
    pub fn is_off(&self) -> bool {
        self.intensity_permille == 0 || self.kinds.is_empty()
    }

    /// Checks ranges and duplicates; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        if self.intensity_permille > MAX_INTENSITY_PERMILLE {
            return Err(format!(
                "nemesis.intensity: must be between 0 and 1, got {}",
                self.intensity_permille as f64 / 1000.0
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(k) = self.kinds.iter().find(|k| !seen.insert(**k)) {
            return Err(format!("nemesis.kinds: {} is listed twice", k.as_str()));
        }
        Ok(())
    }

    /// Reads the runner's `intensity=0.5,kinds=crash+partition` (either part may be left out:
    /// intensity 0.5, every kind).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut s = Self::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                format!("nemesis: expected key=value (intensity=0.5, kinds=crash+partition), got {part:?}")
            })?;
            match key.trim() {
                "intensity" => s.intensity_permille = parse_intensity(value.trim())?,
                "kinds" => s.kinds = parse_kinds(value.trim())?,
                other => {
                    return Err(format!(
                        "nemesis: unknown setting {other:?}; expected intensity or kinds"
                    ))
                }
            }
        }
        s.validate()?;
        Ok(s)
    }

    /// The same text `parse` reads.
    pub fn to_text(&self) -> String {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
        format!(
            "intensity={},kinds={}",
            self.intensity_permille as f64 / 1000.0,
            kinds.join("+")
        )
    }
}

/// "0.5" → 500 permille. Digits only, at most three decimals, so no float reaches a decision.
fn parse_intensity(value: &str) -> Result<u32, String> {
    let bad = || format!("nemesis.intensity: expected a number between 0 and 1, got {value:?}");
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 3
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac_permille: u32 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
    let permille = whole.saturating_mul(1000).saturating_add(frac_permille);
    if permille > MAX_INTENSITY_PERMILLE {
        return Err(bad());
    }
    Ok(permille)
}

/// "crash+partition" (or "all").
fn parse_kinds(value: &str) -> Result<Vec<FaultKind>, String> {
    if value == "all" {
        return Ok(FaultKind::ALL.to_vec());
    }
    value
        .split('+')
        .map(|k| {
            FaultKind::parse(k.trim()).ok_or_else(|| {
                let all: Vec<&str> = FaultKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "nemesis.kinds: unknown kind {k:?}; expected some of {} joined by +, or all",
                    all.join(", ")
                )
            })
        })
        .collect()
}
