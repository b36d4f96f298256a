//! The timeline under the mesh: how far the run has reached, where each leader's reign and
//! each fault sits on a 0–100 % axis, and the axis's second marks. Pure functions.
use engine::order_step::FaultKind;
use engine::sim::{Micros, NodeId};
use engine::snapshot::observations::{Milestone, MilestoneKind};
use engine::system::observer::LeaderSpan;

/// The furthest virtual time reached in one run (scenario + seed). Travelling back keeps it, so
/// the slider can go forward again; another run starts over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Furthest {
    pub run: (String, u64),
    pub t_us: Micros,
}

impl Furthest {
    /// The next value given the previous one and the moment now.
    pub fn next(prev: Option<&Furthest>, scenario: &str, seed: u64, now: Micros) -> Furthest {
        match prev {
            Some(p) if p.run.0 == scenario && p.run.1 == seed => Furthest {
                run: p.run.clone(),
                t_us: p.t_us.max(now),
            },
            _ => Furthest {
                run: (scenario.to_string(), seed),
                t_us: now,
            },
        }
    }
}

/// The longest planned run the axis stretches to before the run gets there.
pub const MAX_PLANNED_US: Micros = 120_000_000;
/// The shortest axis (so the first frames don't draw one giant bar).
pub const MIN_HORIZON_US: Micros = 5_000_000;

/// The axis's end: the furthest time reached, or the scenario's planned length if it is longer
/// (and reasonable), never less than a few seconds.
pub fn horizon_us(furthest: Micros, planned: Micros) -> Micros {
    let planned = if planned <= MAX_PLANNED_US {
        planned
    } else {
        0
    };
    furthest.max(planned).max(MIN_HORIZON_US)
}

/// `t` as a percentage of the axis (clamped to 0–100).
pub fn pct(t: Micros, horizon: Micros) -> f64 {
    if horizon == 0 {
        return 0.0;
    }
    (t.min(horizon) as f64 / horizon as f64 * 100.0).clamp(0.0, 100.0)
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeaderBar {
    /// Stable key for a keyed list: (term, node, start).
    pub key: (u64, NodeId, Micros),
    pub node: NodeId,
    pub name: String,
    pub term: u64,
    pub from_us: Micros,
    pub to_us: Option<Micros>,
    pub left_pct: f64,
    pub width_pct: f64,
    /// Which of the palette's colours (one per cluster member, by node id).
    pub colour: usize,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeaderRow {
    pub cluster: String,
    pub bars: Vec<LeaderBar>,
}

pub const PALETTE_SIZE: usize = 8;

/// One row per cluster (in order of first leader), each reign as a bar from when it began to
/// when it ended (or to now while it lasts). Reigns starting after `now` (none, unless the
/// caller passes a stale list) are left out.
pub fn leader_rows(
    spans: &[LeaderSpan],
    names: &[String],
    word: &str,
    now: Micros,
    horizon: Micros,
) -> Vec<LeaderRow> {
    let mut rows: Vec<LeaderRow> = Vec::new();
    for s in spans.iter().filter(|s| s.from_us <= now) {
        let end = s.to_us.unwrap_or(now).min(now).max(s.from_us);
        let name = names
            .get(s.node.0 as usize)
            .cloned()
            .unwrap_or_else(|| s.node.to_string());
        let left = pct(s.from_us, horizon);
        let colour = member_number(&name).unwrap_or(s.node.0 as usize) % PALETTE_SIZE;
        let bar = LeaderBar {
            key: (s.term, s.node, s.from_us),
            node: s.node,
            label: format!("{name} · {word} {}", s.term),
            name,
            term: s.term,
            from_us: s.from_us,
            to_us: s.to_us,
            left_pct: left,
            width_pct: (pct(end, horizon) - left).max(0.25),
            colour,
        };
        match rows.iter_mut().find(|r| r.cluster == s.cluster) {
            Some(r) => r.bars.push(bar),
            None => rows.push(LeaderRow {
                cluster: s.cluster.clone(),
                bars: vec![bar],
            }),
        }
    }
    rows
}

/// "executor-2" → 2: cluster members keep the same colour whatever their node id.
fn member_number(name: &str) -> Option<usize> {
    name.rsplit_once('-').and_then(|(_, n)| n.parse().ok())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TickKind {
    Crash,
    Restart,
    Pause,
    Resume,
    /// A network or model fault, or healing.
    Fault,
    /// Healing (heal all, a healed link, a model back up).
    Heal,
}

impl TickKind {
    pub fn class(self) -> &'static str {
        match self {
            TickKind::Crash => "tick--crash",
            TickKind::Restart => "tick--restart",
            TickKind::Pause => "tick--pause",
            TickKind::Resume => "tick--resume",
            TickKind::Fault => "tick--fault",
            TickKind::Heal => "tick--heal",
        }
    }

    pub fn glyph(self) -> &'static str {
        match self {
            TickKind::Crash => "✕",
            TickKind::Restart => "↻",
            TickKind::Pause => "‖",
            TickKind::Resume => "▶",
            TickKind::Fault => "⚡",
            TickKind::Heal => "✚",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FaultTick {
    pub seq: u64,
    pub t_us: Micros,
    pub left_pct: f64,
    pub kind: TickKind,
    pub text: String,
    /// How many faults this tick stands for (close ones are merged so none hides another).
    pub count: usize,
}

/// Crashes, restarts, pauses and network/model faults, from the snapshot's typed milestones
/// (thousands of them, so a long run keeps its ticks).
pub fn fault_ticks(milestones: &[Milestone], horizon: Micros) -> Vec<FaultTick> {
    milestones
        .iter()
        .filter_map(|m| {
            let (kind, text) = match &m.what {
                MilestoneKind::Crash => (TickKind::Crash, format!("{} crashed", m.node_name)),
                MilestoneKind::Restart { incarnation } => (
                    TickKind::Restart,
                    format!("{} restarted (incarnation {incarnation})", m.node_name),
                ),
                MilestoneKind::Pause => (TickKind::Pause, format!("{} paused", m.node_name)),
                MilestoneKind::Resume => (TickKind::Resume, format!("{} resumed", m.node_name)),
                MilestoneKind::Fault { kind, text } => (
                    match kind {
                        FaultKind::Heal => TickKind::Heal,
                        FaultKind::Harm | FaultKind::Setting => TickKind::Fault,
                    },
                    text.clone(),
                ),
                _ => return None,
            };
            Some(FaultTick {
                seq: m.seq,
                t_us: m.t_us,
                left_pct: pct(m.t_us, horizon),
                kind,
                text,
                count: 1,
            })
        })
        .fold(Vec::new(), |mut out: Vec<FaultTick>, tick| {
            match out.last_mut() {
                // Closer than a tick's width: one tick, named after the first fault, listing all.
                Some(last) if tick.left_pct - last.left_pct < MERGE_PCT => {
                    last.count += 1;
                    last.text = format!("{}; {}", last.text, tick.text);
                    if tick.kind == TickKind::Crash {
                        last.kind = TickKind::Crash;
                    }
                }
                _ => out.push(tick),
            }
            out
        })
}

/// Ticks closer than this (in % of the axis) are merged.
pub const MERGE_PCT: f64 = 1.5;

/// Second marks along the axis: a round step giving at most `max_marks` marks.
pub fn axis_marks(horizon: Micros, max_marks: u64) -> Vec<(Micros, f64, String)> {
    const STEPS_MS: [u64; 12] = [
        250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    ];
    let horizon_ms = horizon / 1000;
    let step_ms = STEPS_MS
        .into_iter()
        .find(|s| horizon_ms / s < max_marks.max(1))
        .unwrap_or(3_600_000);
    (0..=horizon_ms / step_ms)
        .map(|i| {
            let t = i * step_ms * 1000;
            (t, pct(t, horizon), seconds_label(t))
        })
        .collect()
}

/// "0s", "2.5s", "1m30s".
pub fn seconds_label(t: Micros) -> String {
    let ms = t / 1000;
    if ms >= 60_000 {
        let (m, s) = (ms / 60_000, (ms % 60_000) / 1000);
        return if s == 0 {
            format!("{m}m")
        } else {
            format!("{m}m{s:02}s")
        };
    }
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        let text = format!("{}.{:03}", ms / 1000, ms % 1000);
        format!("{}s", text.trim_end_matches('0'))
    }
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
