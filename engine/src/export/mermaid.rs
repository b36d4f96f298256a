//! A Mermaid sequence diagram (<https://mermaid.js.org/syntax/sequenceDiagram.html>) of one
//! order or of a time window — the diagram language the seeds draw their flows in.
//!
//! Participants are the nodes that take part; each message is one arrow, written where it was
//! sent (`->>` delivered, `-x` lost, `-)` still on the wire when the run stopped); decisions
//! and milestones (2PC states, order statuses, payments, leadership, crashes) are notes over
//! their node. Lines follow the trace's order, which is a linearisation of happens-before (a
//! receive is recorded after its send, an event after the ones its node saw), so the arrows
//! read in causal order; the fate of each message comes from the space-time diagram
//! (`super::replay`), which paired sends with receives. A diagram of thousands of arrows is
//! unreadable and slow to render: at most `ARROWS_MAX` arrows, then a comment says it was cut.

use super::{one_line, replay, secs_label, NodeNames, Window};
use crate::facts::Fact;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::NodeId;
use crate::snapshot::spacetime::{MsgFate, StKind};
use std::collections::BTreeSet;

pub const ARROWS_MAX: usize = 1_000;

/// What to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every message and decision of one order (`ord-0001`).
    Order(String),
    /// Every message and milestone in a time window.
    Window(Window),
}

/// The diagram's text. An order that is not in the trace is an error naming it.
pub fn sequence_diagram<'a>(
    events: impl IntoIterator<Item = &'a TraceEvent>,
    names: &NodeNames,
    selection: &Selection,
    title: &str,
) -> Result<String, String> {
    let (window, order) = match selection {
        Selection::Window(w) => (*w, None),
        Selection::Order(id) => (Window::ALL, Some(id.as_str())),
    };
    let replayed = replay(events, window);
    let corr = match order {
        Some(id) => Some(corr_of(&replayed.events, id).ok_or_else(|| {
            format!("mermaid: order {id:?} is not in the trace (order ids look like ord-0001)")
        })?),
        None => None,
    };
    let mut body = Vec::new();
    let mut nodes = BTreeSet::new();
    let mut arrows = 0;
    for ev in &replayed.events {
        if let TraceKind::Send { to, label, .. } = &ev.kind {
            if corr.is_some_and(|c| c != ev.corr) {
                continue;
            }
            if arrows == ARROWS_MAX {
                body.push(format!("    %% cut after {ARROWS_MAX} messages"));
                break;
            }
            arrows += 1;
            nodes.extend([ev.node, *to]);
            body.push(arrow(ev, *to, label, &replayed.diagram, names));
        } else if let Some(note) = milestone(ev, order, corr) {
            nodes.insert(ev.node);
            let at = secs_label(ev.t_us);
            body.push(format!(
                "    Note over {}: {} · {at}",
                id(names, ev.node),
                text(&note)
            ));
        }
    }
    let mut out = vec![
        "sequenceDiagram".to_string(),
        format!("    %% {}", text(title)),
    ];
    if replayed.truncated {
        out.push("    %% the run had more events than one export holds: its first ones".into());
    }
    for node in nodes {
        out.push(format!(
            "    participant {} as {}",
            id(names, node),
            names.name(node)
        ));
    }
    out.extend(body);
    Ok(out.join("\n") + "\n")
}

/// One message: `from->>to: label`, with its fate from the space-time diagram.
fn arrow(
    ev: &TraceEvent,
    to: NodeId,
    label: &str,
    diagram: &crate::snapshot::spacetime::SpaceTime,
    names: &NodeNames,
) -> String {
    let fate = match diagram.event(ev.seq).map(|e| &e.kind) {
        Some(StKind::Send { fate, .. }) => *fate,
        _ => MsgFate::OnWire,
    };
    let (arrow, note) = match fate {
        MsgFate::Delivered(_) => ("->>", String::new()),
        MsgFate::Dropped(r) => ("-x", format!(" (lost: {})", r.as_str())),
        MsgFate::OnWire => ("-)", " (still on the wire)".to_string()),
    };
    let (from, to) = (id(names, ev.node), id(names, to));
    format!("    {from}{arrow}{to}: {}{note}", text(label))
}

/// The correlation id of `order_id`: the one its lifecycle events carry.
fn corr_of(events: &[&TraceEvent], order_id: &str) -> Option<u64> {
    events.iter().find_map(|ev| match &ev.kind {
        TraceKind::Order { order_id: o, .. } if o == order_id && ev.corr != 0 => Some(ev.corr),
        _ => None,
    })
}

/// The note a trace event deserves, if any: for an order, its own decisions and milestones;
/// for a window, every milestone.
fn milestone(ev: &TraceEvent, order: Option<&str>, corr: Option<u64>) -> Option<String> {
    let mine = |o: &str| order.is_none_or(|id| id == o);
    let txn_mine = |t: &str| order.is_none_or(|id| crate::protocol::two_pc::txn_id(id) == t);
    let in_order = corr.is_none_or(|c| c == ev.corr);
    match &ev.kind {
        TraceKind::Order { order_id, status } if mine(order_id) => {
            Some(format!("{order_id} {status}"))
        }
        TraceKind::Event { name } if in_order && corr.is_some() => Some(name.clone()),
        TraceKind::Dequeued { order_id, term, .. } if mine(order_id) => {
            Some(format!("{order_id} dequeued (term {term})"))
        }
        TraceKind::Fact(f) => match f.as_ref() {
            Fact::Txn { txn, .. } | Fact::Payment { txn, .. } if txn_mine(txn) => {
                Some(f.describe())
            }
            _ => None,
        },
        TraceKind::Leader { .. }
        | TraceKind::StepDown { .. }
        | TraceKind::Crash
        | TraceKind::Restart { .. }
            if order.is_none() =>
        {
            crate::snapshot::spacetime::local_label(&ev.kind)
        }
        _ => None,
    }
}

/// A Mermaid participant id: the node name with every character but letters, digits and `_`
/// made `_` (a `-` inside an id would read as the start of an arrow).
pub fn id(names: &NodeNames, node: NodeId) -> String {
    names
        .name(node)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Message and note text: one line, no `;` (a statement separator in Mermaid).
fn text(s: &str) -> String {
    one_line(s).replace(';', ",")
}
