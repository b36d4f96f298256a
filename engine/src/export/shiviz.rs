//! A ShiViz log (Beschastnikh et al., "Debugging distributed systems", CACM 59(8), 2016;
//! <https://github.com/DistributedClocks/shiviz>): one line per event — the host, its vector
//! clock as JSON, the event text — parsed by a regular expression the user gives ShiViz.
//!
//! Why this shape. ShiViz rebuilds the whole space-time diagram from the clocks alone, and it
//! refuses a log unless (read from its `js/model/modelGraph.js` and `vectorTimestamp.js`):
//! every clock holds its own host's entry; each host's own entry runs 1, 2, 3, … with no gap;
//! every other host named has at least that many events; and each clock is exactly the
//! element-wise maximum of its predecessor on the host and the sends it received (so a
//! receive's clock dominates its send's). The space-time diagram's world clocks are exactly
//! that (Fidge/Mattern), counted over the events the diagram keeps, so the clocks are copied
//! from a fresh diagram of the exported events (`super::replay`), never recomputed here.
//! Zero entries are left out, as ShiViz itself drops them.
//!
//! Several runs go in one file for ShiViz's comparison view: each starts with a delimiter line
//! `=== label ===`. The file opens with the two lines ShiViz's "select a file" reads first: the
//! parsing regex and the delimiter regex (ShiViz adds `^` and `$` to both).

use super::{one_line, replay, secs_label, NodeNames, Window};
use crate::sim::trace::TraceEvent;
use crate::snapshot::spacetime::{StEvent, StKind};

/// The regex to give ShiViz (first line of the file; ShiViz wraps it in `^…$`, multi-line).
pub const REGEX: &str = r"(?<host>\S+) (?<clock>\{[^}]*\}) (?<event>.*)";
/// The multiple-executions delimiter (second line of the file).
pub const DELIMITER: &str = r"=== (?<trace>.*) ===";

/// One run's events, ready to write.
#[derive(Clone, Debug)]
pub struct Execution {
    /// Unique within a file (ShiViz refuses two executions with one name): "seed 3", say.
    pub label: String,
    pub lines: Vec<String>,
    /// The run had more events than one export holds; the lines are its first ones.
    pub truncated: bool,
}

/// The events of `window` as ShiViz lines.
pub fn execution<'a>(
    label: &str,
    events: impl IntoIterator<Item = &'a TraceEvent>,
    names: &NodeNames,
    window: Window,
) -> Execution {
    let replayed = replay(events, window);
    let lines = replayed.st_events().map(|e| event_line(e, names)).collect();
    Execution {
        label: one_line(label),
        lines,
        truncated: replayed.truncated,
    }
}

/// The whole file: regex line, delimiter line, then each execution under its delimiter.
pub fn log(executions: &[Execution]) -> String {
    let mut out = format!("{REGEX}\n{DELIMITER}\n");
    for exec in executions {
        out.push_str(&format!("=== {} ===\n", exec.label));
        for line in &exec.lines {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn event_line(e: &StEvent, names: &NodeNames) -> String {
    let host = names.name(e.node);
    let clock: Vec<String> = e
        .clock
        .0
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let name = names.name(crate::sim::NodeId(i as u32));
            format!("{}:{n}", serde_json::Value::String(name))
        })
        .collect();
    format!("{host} {{{}}} {}", clock.join(","), describe(e, names))
}

/// The event text: time, then what happened.
fn describe(e: &StEvent, names: &NodeNames) -> String {
    let what = match &e.kind {
        StKind::Send { msg, to, label, .. } => {
            format!("send {label} to {} (m{msg})", names.name(*to))
        }
        StKind::Receive {
            msg, from, label, ..
        } => format!("receive {label} from {} (m{msg})", names.name(*from)),
        StKind::Local { label, .. } => label.clone(),
    };
    one_line(&format!("[{}] {what}", secs_label(e.t_us)))
}
