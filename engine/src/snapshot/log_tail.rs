//! The last few hundred trace events as readable lines, formatted once as they arrive.
use crate::sim::fmt_secs;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::Micros;
use std::collections::VecDeque;
use std::sync::Arc;

pub const LOG_LINES: usize = 400;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub seq: u64,
    pub t_us: Micros,
    pub node: String,
    pub kind: &'static str,
    pub text: String,
    pub corr: u64,
}

pub struct LogTail {
    lines: VecDeque<LogLine>,
    shared: Option<Arc<Vec<LogLine>>>,
    capacity: usize,
}

impl Default for LogTail {
    fn default() -> Self {
        Self {
            lines: VecDeque::new(),
            shared: None,
            capacity: LOG_LINES,
        }
    }
}

impl LogTail {
    pub fn absorb<'a>(&mut self, events: impl Iterator<Item = &'a TraceEvent>, names: &[String]) {
        let name = |id: u32| {
            names
                .get(id as usize)
                .cloned()
                .unwrap_or_else(|| "world".into())
        };
        for ev in events {
            // Message sends and deliveries are drawn on the mesh; the log keeps what a reader
            // wants in words (drops, faults, roles, orders, protocol events, logs).
            let text = match &ev.kind {
                TraceKind::Send { .. } | TraceKind::Deliver { .. } | TraceKind::Timer => continue,
                TraceKind::Drop {
                    label, to, reason, ..
                } => format!("{label} to {} dropped ({})", name(to.0), reason.as_str()),
                TraceKind::Duplicate { msg, .. } => format!("message {msg} duplicated"),
                TraceKind::Held { msg, to } => format!("message {msg} to {} held", name(to.0)),
                TraceKind::Crash => "crashed".into(),
                TraceKind::Restart { incarnation } => {
                    format!("restarted (incarnation {incarnation})")
                }
                TraceKind::Pause => "paused".into(),
                TraceKind::Resume => "resumed".into(),
                TraceKind::Fault { text, .. } => text.clone(),
                TraceKind::State { key, value } => format!("{key} = {value}"),
                TraceKind::Event { name } => match &ev.vc {
                    Some(vc) => format!("{name} {vc}"),
                    None => name.clone(),
                },
                TraceKind::Log { text } => text.clone(),
                TraceKind::Leader { cluster, term } => {
                    format!("became leader of {cluster} (term {term})")
                }
                TraceKind::StepDown { cluster, term } => {
                    format!("stepped down in {cluster} (term {term})")
                }
                TraceKind::Dequeued {
                    order_id,
                    executor,
                    term,
                    ..
                } => format!("{order_id} leased to {} (term {term})", name(executor.0)),
                TraceKind::Executed { order_id, term } => {
                    format!("executed {order_id} (term {term})")
                }
                TraceKind::Order { order_id, status } => format!("{order_id} {status}"),
                TraceKind::Fact(fact) => fact.describe(),
            };
            self.lines.push_back(LogLine {
                seq: ev.seq,
                t_us: ev.t_us,
                node: name(ev.node.0),
                kind: ev.kind.name(),
                text,
                corr: ev.corr,
            });
            if self.lines.len() > self.capacity {
                self.lines.pop_front();
            }
            self.shared = None;
        }
    }

    /// The lines, shared: frames without new lines hand out the same allocation.
    pub fn lines(&mut self) -> Arc<Vec<LogLine>> {
        self.shared
            .get_or_insert_with(|| Arc::new(self.lines.iter().cloned().collect()))
            .clone()
    }
}

/// For the page: "12.345s".
pub fn time_label(t: Micros) -> String {
    fmt_secs(t)
}
