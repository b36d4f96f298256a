//! The trace: everything that happens in the world, in order, with virtual time.
//!
//! Memory is bounded: the last `capacity` events are kept (default 200 000, about 20 MB at the
//! worst); older ones are only counted and folded into the running `hash`. A sink can receive
//! every event as it happens (the headless runner streams them to a JSONL file), and the page
//! reads the tail through `since(seq)` once per frame, which costs only the new events.

use super::rng::mix64;
use super::time::Micros;
use super::NodeId;
use crate::clock::VectorClock;
use serde::Serialize;
use std::collections::VecDeque;

pub const DEFAULT_TRACE_CAPACITY: usize = 200_000;

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    Loss,
    Partition,
    LinkCut,
    SenderDown,
    ReceiverDown,
    /// An RPC reply that came back after its caller gave up (deadline) or restarted.
    NoCaller,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Loss => "loss",
            DropReason::Partition => "partition",
            DropReason::LinkCut => "link cut",
            DropReason::SenderDown => "sender down",
            DropReason::ReceiverDown => "receiver down",
            DropReason::NoCaller => "no caller",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceKind {
    Send {
        msg: u64,
        to: NodeId,
        label: &'static str,
        deliver_at_us: Micros,
    },
    Deliver {
        msg: u64,
        from: NodeId,
        label: &'static str,
    },
    Drop {
        msg: u64,
        from: NodeId,
        to: NodeId,
        label: &'static str,
        reason: DropReason,
    },
    Duplicate {
        msg: u64,
        copy: u64,
        to: NodeId,
    },
    Held {
        msg: u64,
        to: NodeId,
    },
    Timer,
    Crash,
    Restart {
        incarnation: u32,
    },
    Pause,
    Resume,
    /// A network or node fault verb applied to the world (partition, heal, loss, latency, …).
    Fault {
        /// Harm, healing or a setting: what the timeline draws (the text is for people).
        fault: crate::order_step::FaultKind,
        text: String,
    },
    /// A named piece of protocol state changed (role, term, leader, order state, …).
    State {
        key: String,
        value: String,
    },
    /// A protocol event that ticks a vector clock (a DAG event of an order, say).
    Event {
        name: String,
    },
    Log {
        text: String,
    },
    /// `node` became leader of `cluster` for `term` (Raft term, Bully epoch, lease token).
    Leader {
        cluster: String,
        term: u64,
    },
    /// `node` stopped leading `cluster` (it stepped down, lost its lease, or saw a higher term).
    StepDown {
        cluster: String,
        term: u64,
    },
    /// The queue handed `order_id` to `executor`, who presented fencing token `term`.
    Dequeued {
        order_id: String,
        executor: NodeId,
        term: u64,
        lease_id: u64,
        /// When the executor sent the request: the moment it decided to dequeue, which is
        /// when it must have been leading (the grant comes one network delay later).
        requested_at_us: Micros,
    },
    /// The effects of `order_id` were applied (by the leader of `term`).
    Executed {
        order_id: String,
        term: u64,
    },
    /// An order's lifecycle: received, approved, rejected, enqueued, acked, …
    Order {
        order_id: String,
        status: crate::order_step::OrderStep,
    },
    /// A typed application fact (2PC, database, payment): see `crate::facts`.
    Fact(Box<crate::facts::Fact>),
}

impl TraceKind {
    pub fn name(&self) -> &'static str {
        match self {
            TraceKind::Send { .. } => "send",
            TraceKind::Deliver { .. } => "deliver",
            TraceKind::Drop { .. } => "drop",
            TraceKind::Duplicate { .. } => "duplicate",
            TraceKind::Held { .. } => "held",
            TraceKind::Timer => "timer",
            TraceKind::Crash => "crash",
            TraceKind::Restart { .. } => "restart",
            TraceKind::Pause => "pause",
            TraceKind::Resume => "resume",
            TraceKind::Fault { .. } => "fault",
            TraceKind::State { .. } => "state",
            TraceKind::Event { .. } => "event",
            TraceKind::Log { .. } => "log",
            TraceKind::Leader { .. } => "leader",
            TraceKind::StepDown { .. } => "step_down",
            TraceKind::Dequeued { .. } => "dequeued",
            TraceKind::Executed { .. } => "executed",
            TraceKind::Order { .. } => "order",
            TraceKind::Fact(_) => "fact",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceEvent {
    pub seq: u64,
    pub t_us: Micros,
    pub node: NodeId,
    #[serde(flatten)]
    pub kind: TraceKind,
    /// Correlation ID of the order this event belongs to (0 = none).
    #[serde(skip_serializing_if = "is_zero")]
    pub corr: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vc: Option<VectorClock>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

pub type TraceSink = Box<dyn FnMut(&TraceEvent)>;

pub struct Trace {
    events: VecDeque<TraceEvent>,
    capacity: usize,
    total: u64,
    hash: u64,
    sink: Option<TraceSink>,
}

impl Trace {
    pub fn new(capacity: usize) -> Self {
        Self {
            events: VecDeque::new(),
            capacity: capacity.max(1),
            total: 0,
            hash: 0x6a09_e667_f3bc_c908,
            sink: None,
        }
    }

    pub fn set_sink(&mut self, sink: Option<TraceSink>) {
        self.sink = sink;
    }

    pub fn record(
        &mut self,
        t_us: Micros,
        node: NodeId,
        kind: TraceKind,
        corr: u64,
        vc: Option<VectorClock>,
    ) {
        let ev = TraceEvent {
            seq: self.total,
            t_us,
            node,
            kind,
            corr,
            vc,
        };
        self.hash = fold_event(self.hash, &ev);
        self.total += 1;
        if let Some(sink) = self.sink.as_mut() {
            sink(&ev);
        }
        if self.events.len() == self.capacity {
            self.events.pop_front();
        }
        self.events.push_back(ev);
    }

    /// Number of events ever recorded (including those evicted).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Running hash of every event ever recorded: equal hashes mean equal runs.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Events with `seq >= from` still held in memory, oldest first.
    pub fn since(&self, from: u64) -> impl Iterator<Item = &TraceEvent> {
        let first = self.total - self.events.len() as u64;
        let skip = from.saturating_sub(first).min(self.events.len() as u64) as usize;
        self.events.iter().skip(skip)
    }

    pub fn last(&self, n: usize) -> impl Iterator<Item = &TraceEvent> {
        self.events.iter().skip(self.events.len().saturating_sub(n))
    }
}

/// Folds one event into the running hash. Only platform-independent values go in (u64s and
/// bytes), so native and wasm32 runs hash the same.
fn fold_event(mut h: u64, ev: &TraceEvent) -> u64 {
    let mut put = |x: u64| h = mix64(h ^ x);
    put(ev.t_us);
    put(ev.node.0 as u64);
    put(ev.corr);
    match &ev.kind {
        TraceKind::Send {
            msg,
            to,
            label,
            deliver_at_us,
        } => {
            put(1);
            put(*msg);
            put(to.0 as u64);
            put(*deliver_at_us);
            put(str_hash(label));
        }
        TraceKind::Deliver { msg, from, label } => {
            put(2);
            put(*msg);
            put(from.0 as u64);
            put(str_hash(label));
        }
        TraceKind::Drop {
            msg,
            from,
            to,
            label,
            reason,
        } => {
            put(3);
            put(*msg);
            put(((from.0 as u64) << 32) | to.0 as u64);
            put(str_hash(label));
            put(*reason as u64);
        }
        TraceKind::Duplicate { msg, copy, to } => {
            put(4);
            put(*msg);
            put(*copy);
            put(to.0 as u64);
        }
        TraceKind::Held { msg, to } => {
            put(5);
            put(*msg);
            put(to.0 as u64);
        }
        TraceKind::Timer => put(6),
        TraceKind::Crash => put(7),
        TraceKind::Restart { incarnation } => {
            put(8);
            put(*incarnation as u64);
        }
        TraceKind::Pause => put(9),
        TraceKind::Resume => put(10),
        // The kind is not hashed: it follows from the verb, as the text does.
        TraceKind::Fault { text, .. } => {
            put(11);
            put(str_hash(text));
        }
        TraceKind::State { key, value } => {
            put(12);
            put(str_hash(key));
            put(str_hash(value));
        }
        TraceKind::Event { name } => {
            put(13);
            put(str_hash(name));
        }
        TraceKind::Log { text } => {
            put(14);
            put(str_hash(text));
        }
        TraceKind::Leader { cluster, term } => {
            put(15);
            put(str_hash(cluster));
            put(*term);
        }
        TraceKind::StepDown { cluster, term } => {
            put(16);
            put(str_hash(cluster));
            put(*term);
        }
        // `requested_at_us` is left out: it is the time of the request's Send event, which is
        // folded in already (and leaving it out keeps the golden hashes of earlier runs).
        TraceKind::Dequeued {
            order_id,
            executor,
            term,
            lease_id,
            ..
        } => {
            put(17);
            put(str_hash(order_id));
            put(executor.0 as u64);
            put(*term);
            put(*lease_id);
        }
        TraceKind::Executed { order_id, term } => {
            put(18);
            put(str_hash(order_id));
            put(*term);
        }
        TraceKind::Order { order_id, status } => {
            put(19);
            put(str_hash(order_id));
            put(str_hash(status.as_str()));
        }
        TraceKind::Fact(fact) => {
            put(20);
            put(fact.digest());
        }
    }
    if let Some(vc) = &ev.vc {
        for (p, n) in vc.iter() {
            put(str_hash(p));
            put(n);
        }
    }
    h
}

fn str_hash(s: &str) -> u64 {
    super::rng::fnv1a64(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_only_the_newest_events_but_counts_and_hashes_all() {
        let mut a = Trace::new(3);
        let mut b = Trace::new(100);
        for i in 0..10 {
            a.record(i, NodeId(0), TraceKind::Timer, 0, None);
            b.record(i, NodeId(0), TraceKind::Timer, 0, None);
        }
        assert_eq!(a.total(), 10);
        assert_eq!(a.since(0).map(|e| e.seq).collect::<Vec<_>>(), vec![7, 8, 9]);
        assert_eq!(a.since(9).count(), 1);
        assert_eq!(a.hash(), b.hash(), "capacity must not change the hash");
    }

    #[test]
    fn different_events_give_different_hashes() {
        let mut a = Trace::new(10);
        let mut b = Trace::new(10);
        a.record(1, NodeId(0), TraceKind::Crash, 0, None);
        b.record(1, NodeId(1), TraceKind::Crash, 0, None);
        assert_ne!(a.hash(), b.hash());
    }
}
