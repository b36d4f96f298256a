//! Chrome trace-event JSON (the "Trace Event Format" of Chromium's catapult,
//! <https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU>), which
//! Perfetto (<https://ui.perfetto.dev>) and chrome://tracing open.
//!
//! Layout, and why. One *process* per node (pid = node id + 1, named after the node), so each
//! node is one collapsible track group in Perfetto. Inside it, thread 1 ("events") holds every
//! send and receive as a tiny complete slice ("X") and every local event as an instant ("i");
//! flow events ("s" at the send, "f" with binding point "e" at the receive, one id per
//! delivery) draw the messages as arrows between them — flows bind to slices, not instants,
//! hence the slices. Spans the trace knows both ends of go on threads of their own, one lane
//! per overlap, so each thread's slices nest properly (the format's rule for "X" events on one
//! thread): a 2PC transaction at its coordinator with its phases inside it, a leadership term,
//! and a storefront stock read (the one RPC whose request and answer the trace pairs: the
//! trace does not record which reply answers which request for other RPCs).
//!
//! Time: `ts` and `dur` are microseconds of virtual time, as the format wants. Several events
//! of one node at the same microsecond get consecutive 10 ns slots (5 ns slices) so that they
//! stay in trace order and never overlap; at most 100 per node and microsecond keep distinct
//! slots (the rest share the last one).

use super::{replay, secs_label, NodeNames, Replayed, Window};
use crate::facts::Fact;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use crate::snapshot::spacetime::{StEvent, StKind};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Thread (track) of each node's sends, receives and local events.
const EVENTS_TID: u32 = 1;
/// Width of one same-microsecond slot and of a message endpoint slice, in µs.
const SLOT_US: f64 = 0.01;
const ENDPOINT_DUR_US: f64 = 0.005;
const SLOTS_PER_US: u32 = 100;

/// The trace events of `window` as a Chrome trace-event JSON document.
pub fn trace_events<'a>(
    events: impl IntoIterator<Item = &'a TraceEvent>,
    names: &NodeNames,
    window: Window,
    title: &str,
) -> Value {
    let replayed = replay(events, window);
    let mut out = metadata(&replayed, names);
    let endpoint_ts = endpoints(&replayed, &mut out);
    flows(&replayed, &endpoint_ts, &mut out);
    drops(&replayed, &mut out);
    let end_us = replayed.events.last().map_or(0, |e| e.t_us);
    let spans = spans(&replayed.events, end_us);
    lanes(spans, names, &mut out);
    json!({
        "traceEvents": out,
        "displayTimeUnit": "ms",
        "otherData": {
            "title": title,
            "producer": "bookmesh",
            "truncated": replayed.truncated,
            "time": "virtual microseconds since the run started",
        },
    })
}

fn pid(node: NodeId) -> u32 {
    node.0 + 1
}

fn metadata(replayed: &Replayed, names: &NodeNames) -> Vec<Value> {
    let mut nodes: Vec<NodeId> = replayed.st_events().map(|e| e.node).collect();
    nodes.sort();
    nodes.dedup();
    let mut out = Vec::new();
    for node in nodes {
        let pid = pid(node);
        out.push(json!({"ph": "M", "pid": pid, "tid": EVENTS_TID, "name": "process_name", "args": {"name": names.name(node)}}));
        out.push(json!({"ph": "M", "pid": pid, "tid": EVENTS_TID, "name": "process_sort_index", "args": {"sort_index": node.0}}));
        out.push(json!({"ph": "M", "pid": pid, "tid": EVENTS_TID, "name": "thread_name", "args": {"name": "events"}}));
    }
    out
}

/// Writes every diagram event on its node's events track; returns each send's and receive's
/// slice start (by trace seq), where flows attach.
fn endpoints(replayed: &Replayed, out: &mut Vec<Value>) -> BTreeMap<u64, f64> {
    let mut slot: BTreeMap<(NodeId, Micros), u32> = BTreeMap::new();
    let mut at = BTreeMap::new();
    for e in replayed.st_events() {
        let k = slot.entry((e.node, e.t_us)).or_insert(0);
        let ts = e.t_us as f64 + f64::from(*k) * SLOT_US;
        *k = (*k + 1).min(SLOTS_PER_US - 1);
        // A correlation id is a u64: as hex text, since JSON readers hold numbers as doubles.
        let args =
            json!({"seq": e.seq, "t": secs_label(e.t_us), "corr": format!("{:016x}", e.corr)});
        let base = json!({"pid": pid(e.node), "tid": EVENTS_TID, "ts": ts, "args": args});
        let mut ev = base;
        match &e.kind {
            StKind::Send { label, .. } | StKind::Receive { label, .. } => {
                let verb = if matches!(e.kind, StKind::Send { .. }) {
                    "send"
                } else {
                    "receive"
                };
                ev["ph"] = json!("X");
                ev["dur"] = json!(ENDPOINT_DUR_US);
                ev["name"] = json!(format!("{verb} {label}"));
                ev["cat"] = json!("message");
                at.insert(e.seq, ts);
            }
            StKind::Local { label, kind } => {
                ev["ph"] = json!("i");
                ev["s"] = json!("t");
                ev["name"] = json!(label);
                ev["cat"] = json!(format!("{kind:?}"));
            }
        }
        out.push(ev);
    }
    at
}

/// One flow per delivery: "s" inside the send's slice, "f" inside the receive's (bp "e").
fn flows(replayed: &Replayed, at: &BTreeMap<u64, f64>, out: &mut Vec<Value>) {
    let sender: BTreeMap<u64, &StEvent> = replayed.st_events().map(|e| (e.seq, e)).collect();
    for e in replayed.st_events() {
        let StKind::Receive {
            label,
            send_seq: Some(send_seq),
            ..
        } = &e.kind
        else {
            continue;
        };
        let (Some(send), Some(s_ts), Some(f_ts)) =
            (sender.get(send_seq), at.get(send_seq), at.get(&e.seq))
        else {
            continue;
        };
        let inside = ENDPOINT_DUR_US / 2.0;
        out.push(
            json!({"ph": "s", "id": e.seq, "cat": "message", "name": label,
            "pid": pid(send.node), "tid": EVENTS_TID, "ts": s_ts + inside}),
        );
        out.push(
            json!({"ph": "f", "bp": "e", "id": e.seq, "cat": "message", "name": label,
            "pid": pid(e.node), "tid": EVENTS_TID, "ts": f_ts + inside}),
        );
    }
}

fn drops(replayed: &Replayed, out: &mut Vec<Value>) {
    for d in replayed.drops() {
        out.push(
            json!({"ph": "i", "s": "t", "pid": pid(d.from), "tid": EVENTS_TID,
            "ts": d.t_us as f64, "cat": "drop",
            "name": format!("lost {} ({})", d.label, d.reason.as_str()),
            "args": {"msg": d.msg, "to": d.to.0}}),
        );
    }
}

/// A span the trace knows both ends of, with the phases inside it.
#[derive(Clone, Debug)]
pub struct Span {
    pub node: NodeId,
    /// Spans of one family share lanes ("2PC", "leadership", "stock reads").
    pub family: &'static str,
    pub name: String,
    pub from_us: Micros,
    pub to_us: Micros,
    pub phases: Vec<(String, Micros, Micros)>,
    pub finished: bool,
}

/// 2PC transactions per coordinator, leadership terms and stock reads, from the trace;
/// what is still open at `end_us` ends there, marked unfinished.
pub fn spans(events: &[&TraceEvent], end_us: Micros) -> Vec<Span> {
    let mut txns: BTreeMap<(NodeId, String), Vec<(Micros, &'static str)>> = BTreeMap::new();
    let mut leading: BTreeMap<NodeId, (String, Micros)> = BTreeMap::new();
    let mut reads: BTreeMap<(NodeId, u64), (String, Micros)> = BTreeMap::new();
    let mut out = Vec::new();
    for ev in events {
        match &ev.kind {
            TraceKind::Leader { cluster, term } => {
                let name = format!("leads {cluster} (term {term})");
                if let Some(open) = leading.insert(ev.node, (name, ev.t_us)) {
                    out.push(simple(ev.node, "leadership", open, ev.t_us, true));
                }
            }
            TraceKind::StepDown { .. } | TraceKind::Crash => {
                if let Some(open) = leading.remove(&ev.node) {
                    out.push(simple(ev.node, "leadership", open, ev.t_us, true));
                }
            }
            TraceKind::Fact(fact) => match fact.as_ref() {
                Fact::Txn { txn, state, .. } => txns
                    .entry((ev.node, txn.clone()))
                    .or_default()
                    .push((ev.t_us, state.as_str())),
                Fact::ReadIssued { read, book, strong } => {
                    let from = if *strong { "primary" } else { "replica" };
                    reads.insert(
                        (ev.node, *read),
                        (format!("read {book:?} ({from})"), ev.t_us),
                    );
                }
                Fact::ReadAnswered { read, .. } => {
                    if let Some(open) = reads.remove(&(ev.node, *read)) {
                        out.push(simple(ev.node, "stock reads", open, ev.t_us, true));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    for (node, open) in leading {
        out.push(simple(node, "leadership", open, end_us, false));
    }
    for ((node, _), open) in reads {
        out.push(simple(node, "stock reads", open, end_us, false));
    }
    out.extend(
        txns.into_iter()
            .map(|((node, txn), states)| txn_span(node, txn, &states)),
    );
    out.sort_by_key(|s| (s.node, s.from_us, std::cmp::Reverse(s.to_us)));
    out
}

fn simple(
    node: NodeId,
    family: &'static str,
    open: (String, Micros),
    to_us: Micros,
    finished: bool,
) -> Span {
    Span {
        node,
        family,
        name: open.0,
        from_us: open.1,
        to_us,
        phases: Vec::new(),
        finished,
    }
}

/// A transaction as one coordinator saw it: from its first state to its last, each state a
/// phase lasting until the next.
fn txn_span(node: NodeId, txn: String, states: &[(Micros, &'static str)]) -> Span {
    let from_us = states.first().map_or(0, |s| s.0);
    let to_us = states.last().map_or(from_us, |s| s.0);
    let phases = states
        .windows(2)
        .map(|w| (w[0].1.to_string(), w[0].0, w[1].0))
        .collect();
    let finished = states
        .last()
        .is_some_and(|s| s.1 == "COMMITTED" || s.1 == "ABORTED");
    Span {
        node,
        family: "2PC",
        name: format!("2PC {txn}"),
        from_us,
        to_us,
        phases,
        finished,
    }
}

/// Puts each span on the first lane of its node and family that is free by its start (a
/// thread per lane, named), so slices on one thread never overlap.
fn lanes(spans: Vec<Span>, names: &NodeNames, out: &mut Vec<Value>) {
    let mut next_tid: BTreeMap<NodeId, u32> = BTreeMap::new();
    let mut lanes: BTreeMap<(NodeId, &'static str), Vec<(u32, Micros)>> = BTreeMap::new();
    for span in spans {
        let family = lanes.entry((span.node, span.family)).or_default();
        let tid = match family
            .iter_mut()
            .find(|(_, free_at)| *free_at <= span.from_us)
        {
            Some(lane) => {
                lane.1 = span.to_us;
                lane.0
            }
            None => {
                let tid = next_tid.entry(span.node).or_insert(EVENTS_TID + 1);
                let lane_tid = *tid;
                *tid += 1;
                family.push((lane_tid, span.to_us));
                let label = format!("{} · lane {}", span.family, family.len());
                out.push(json!({"ph": "M", "pid": pid(span.node), "tid": lane_tid, "name": "thread_name", "args": {"name": label}}));
                out.push(json!({"ph": "M", "pid": pid(span.node), "tid": lane_tid, "name": "process_name", "args": {"name": names.name(span.node)}}));
                lane_tid
            }
        };
        write_span(&span, tid, out);
    }
}

fn write_span(span: &Span, tid: u32, out: &mut Vec<Value>) {
    let slice = |name: &str, from: Micros, to: Micros, cat: &str| {
        json!({"ph": "X", "pid": pid(span.node), "tid": tid, "ts": from as f64,
            "dur": (to - from) as f64, "name": name, "cat": cat,
            "args": {"from": secs_label(from), "to": secs_label(to), "finished": span.finished}})
    };
    out.push(slice(&span.name, span.from_us, span.to_us, span.family));
    for (name, from, to) in &span.phases {
        out.push(slice(name, *from, *to, "phase"));
    }
}
