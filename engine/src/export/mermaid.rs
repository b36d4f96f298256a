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
use crate::sim::{Micros, NodeId};
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
    let scope = match order {
        Some(id) => Some(OrderScope::of(&replayed.events, id).ok_or_else(|| {
            format!("mermaid: order {id:?} is not in the trace (order ids look like ord-0001)")
        })?),
        None => None,
    };
    let mut body = Vec::new();
    let mut nodes = BTreeSet::new();
    let mut arrows = 0;
    for ev in &replayed.events {
        if let TraceKind::Send { to, label, .. } = &ev.kind {
            if !scope.as_ref().is_none_or(|s| s.takes(ev, *to)) {
                continue;
            }
            if arrows == ARROWS_MAX {
                body.push(format!("    %% cut after {ARROWS_MAX} messages"));
                break;
            }
            arrows += 1;
            nodes.extend([ev.node, *to]);
            body.push(arrow(ev, *to, label, &replayed.diagram, names));
        } else if let Some(note) = milestone(ev, scope.as_ref()) {
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

/// What belongs to one order. Its checkout messages carry its correlation id; the messages
/// of its fulfilment (the dequeue, the 2PC RPCs, the database's replication of its entries)
/// carry none, so the order also takes every untagged message between the nodes that record
/// its milestones (queue, coordinator, payment, database replicas), sent while its
/// fulfilment runs: from its dequeue to the last fact of its transaction. Work of another
/// order running at the same time between the same nodes shows too; the notes say whose
/// milestones are whose.
#[derive(Clone, Debug)]
pub struct OrderScope {
    pub order_id: String,
    pub txn: String,
    pub corr: u64,
    pub fulfilment: Window,
    pub participants: BTreeSet<NodeId>,
}

impl OrderScope {
    pub fn of(events: &[&TraceEvent], order_id: &str) -> Option<OrderScope> {
        let corr = events.iter().find_map(|ev| match &ev.kind {
            TraceKind::Order { order_id: o, .. } if o == order_id && ev.corr != 0 => Some(ev.corr),
            _ => None,
        })?;
        let mut scope = OrderScope {
            order_id: order_id.to_string(),
            txn: crate::protocol::two_pc::txn_id(order_id),
            corr,
            fulfilment: Window {
                from_us: Micros::MAX,
                to_us: 0,
            },
            participants: BTreeSet::new(),
        };
        for ev in events {
            if milestone(ev, Some(&scope)).is_some() && ev.corr != corr {
                let w = &mut scope.fulfilment;
                w.from_us = w.from_us.min(ev.t_us);
                w.to_us = w.to_us.max(ev.t_us + 1);
                scope.participants.insert(ev.node);
            }
        }
        Some(scope)
    }

    /// Whether the message `send` (to `to`) is drawn for this order.
    pub fn takes(&self, send: &TraceEvent, to: NodeId) -> bool {
        send.corr == self.corr
            || (send.corr == 0
                && self.fulfilment.contains(send.t_us)
                && self.participants.contains(&send.node)
                && self.participants.contains(&to))
    }

    fn mine(&self, order_id: &str) -> bool {
        self.order_id == order_id
    }

    fn my_txn(&self, txn: Option<&String>) -> bool {
        txn.is_some_and(|t| *t == self.txn)
    }
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

/// The note a trace event deserves, if any: for an order, its own decisions and milestones;
/// for a window, every milestone.
fn milestone(ev: &TraceEvent, scope: Option<&OrderScope>) -> Option<String> {
    let mine = |o: &str| scope.is_none_or(|s| s.mine(o));
    let txn_mine = |t: &String| scope.is_none_or(|s| s.my_txn(Some(t)));
    match &ev.kind {
        TraceKind::Order { order_id, status } if mine(order_id) => {
            Some(format!("{order_id} {status}"))
        }
        TraceKind::Event { name } if scope.is_some_and(|s| s.corr == ev.corr) => Some(name.clone()),
        TraceKind::Dequeued { order_id, term, .. } if mine(order_id) => {
            Some(format!("{order_id} dequeued (term {term})"))
        }
        TraceKind::Fact(f) => match f.as_ref() {
            Fact::Txn { txn, .. } | Fact::Payment { txn, .. } if txn_mine(txn) => {
                Some(f.describe())
            }
            Fact::DbApplied { txn, .. } | Fact::StockChanged { txn, .. }
                if scope.is_some_and(|s| s.my_txn(txn.as_ref())) =>
            {
                Some(f.describe())
            }
            _ => None,
        },
        TraceKind::Leader { .. }
        | TraceKind::StepDown { .. }
        | TraceKind::Crash
        | TraceKind::Restart { .. }
            if scope.is_none() =>
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
