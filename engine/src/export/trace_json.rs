//! The JSON trace: one JSON object per trace event per line (JSON Lines), the event's own
//! serde form plus `t_ms` and `node_name` for people and tools that do not want to convert
//! units or look ids up. The headless runner streams it (`--trace`) and the page offers the
//! events it still holds; both write each line with `line` here, so the files agree.
//! Fields: `docs/exports.md` ("The JSON trace").

use super::NodeNames;
use crate::sim::trace::TraceEvent;
use serde_json::{json, Value};

/// One event as its JSON line (without the newline).
pub fn line(ev: &TraceEvent, names: &NodeNames) -> String {
    let mut value = serde_json::to_value(ev).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("t_ms".into(), json!(ev.t_us as f64 / 1000.0));
        let name = names
            .0
            .get(ev.node.0 as usize)
            .map_or("world", String::as_str);
        map.insert("node_name".into(), json!(name));
    }
    value.to_string()
}

/// Every event given, one line each.
pub fn jsonl<'a>(events: impl IntoIterator<Item = &'a TraceEvent>, names: &NodeNames) -> String {
    let mut out = String::new();
    for ev in events {
        out.push_str(&line(ev, names));
        out.push('\n');
    }
    out
}
