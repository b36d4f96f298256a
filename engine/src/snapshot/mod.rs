//! What the page draws, computed in plain Rust once per frame: nodes with positions, messages
//! with their current point along the wire, recent drops, a formatted log tail, and the
//! protocol views. Components only render this; nothing here touches the web.

pub mod layout;
pub mod log_tail;
pub mod observations;
pub mod reads;
pub mod spacetime;
pub mod txns;

#[cfg(test)]
mod tests;

use crate::invariants::Violation;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{ClockReading, Liveness, Micros, NodeId};
use crate::system::client::ClientRecord;
use crate::system::observer::LeaderSpan;
use crate::system::System;
use crate::view::{ExecutorView, NodeView, OrderDagView, QueueView};
use layout::{Point, MESH_HEIGHT, MESH_WIDTH};
use log_tail::{LogLine, LogTail};
use observations::{MilestoneTail, MsgLook, NodeRole, OrderTrack, Tracks};
use reads::{ReadsCache, StockReadsSnap};
use std::collections::BTreeMap;
use std::sync::Arc;
use txns::{TxnEvent, TxnTail};

/// How long (virtual time) a dropped message stays drawn as a cross where it fell.
pub const DROP_VISIBLE_US: Micros = 400_000;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeSnap {
    pub id: NodeId,
    pub name: String,
    pub service: String,
    pub liveness: Liveness,
    pub incarnation: u32,
    pub view: NodeView,
    pub at: Point,
    /// How the node is drawn: crashed, paused, leader, candidate, follower, or a plain service.
    pub role: NodeRole,
    /// Bytes written but not yet synced (a crash now would lose them), and whether the disk is
    /// full (refusing writes).
    pub unsynced_bytes: u64,
    pub disk_full: bool,
    /// The node's own clock against true time. Times in `view` are on that clock.
    pub clock: ClockReading,
}

impl NodeSnap {
    /// What this node's clock reads when the world's is `now_us`: compare the times in its view
    /// (timer deadlines, lease expiries) with this, not with true time.
    pub fn local_now_us(&self, now_us: Micros) -> Micros {
        now_us.saturating_add_signed(self.clock.offset_us)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MessageSnap {
    pub id: u64,
    pub label: &'static str,
    /// Its family, tone and short label, from `label` (`observations::family`).
    pub look: MsgLook,
    pub from: NodeId,
    pub to: NodeId,
    pub at: Point,
    /// 0 at the sender, 1 at the receiver.
    pub progress_permille: u32,
    pub corr: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DropSnap {
    pub msg: u64,
    pub label: &'static str,
    pub look: MsgLook,
    pub at: Point,
    pub reason: crate::sim::trace::DropReason,
    pub age_permille: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExecutorSnap {
    pub id: NodeId,
    pub name: String,
    pub liveness: Liveness,
    pub view: Option<ExecutorView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now_us: Micros,
    pub seed: u64,
    /// The deployment's shape (services, executors, election algorithm and timings).
    pub cluster: crate::system::config::ClusterConfig,
    pub width: u32,
    pub height: u32,
    pub nodes: Vec<NodeSnap>,
    pub links_down: Vec<(NodeId, NodeId)>,
    /// The network's default link settings now (loss, latency, jitter…).
    pub link: crate::sim::LinkConfig,
    /// Slowed nodes and their extra latency.
    pub node_delays: Vec<(NodeId, Micros)>,
    pub messages: Vec<MessageSnap>,
    pub drops: Vec<DropSnap>,
    pub log: Arc<Vec<LogLine>>,
    /// Milestones only (faults, leadership, order steps), typed, reaching much further back
    /// than `log`: what the timeline is drawn from.
    pub milestones: Arc<Vec<observations::Milestone>>,
    /// Each recent order's steps, leases and execution, by order id (the journey and fate).
    pub tracks: Arc<BTreeMap<String, Arc<OrderTrack>>>,
    /// Every 2PC transaction's state changes (typed `Fact::Txn`), oldest first, bounded.
    pub txns: Arc<Vec<TxnEvent>>,
    pub leaders: Vec<LeaderSpan>,
    pub violations: Vec<Violation>,
    pub invariants: Vec<(&'static str, &'static str)>,
    pub orders: Vec<OrderDagView>,
    pub checkouts: Vec<ClientRecord>,
    pub queue: Option<QueueView>,
    pub executors: Vec<ExecutorSnap>,
    pub flags: Vec<String>,
    /// Settings changed while running: where stock is read from, the decline rates.
    pub live: crate::system::live::LiveSettings,
    /// The newest fault receipts (at most `RECEIPTS_SHOWN`), oldest first: what each fault
    /// did in the window after it, and a warning for a fault that did nothing.
    pub receipts: Vec<crate::nemesis::receipts::Receipt>,
    /// The storefront's stock reads, each judged stale or current.
    pub reads: Arc<StockReadsSnap>,
    /// The optional LLM: requests waiting for a reply, and every request's outcome.
    pub llm: LlmSnap,
    pub trace_total: u64,
    /// The running hash of every trace event so far: equal hashes at equal times, equal runs
    /// (a replayed or shared run shows the same one).
    pub trace_hash: u64,
    pub delivered: u64,
    pub dropped: u64,
}

/// What the page needs about the optional LLM (on or off is in `live.llm`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LlmSnap {
    /// How long a service waits for an answer (virtual ms).
    pub timeout_ms: u64,
    /// Requests issued and not answered yet, oldest first, with their prompts: the page's
    /// driver fetches these, and the page shows "waiting for LLM".
    pub outstanding: Vec<crate::llm::LlmRequest>,
    /// Every remembered request and how it settled, oldest first.
    pub calls: Arc<Vec<crate::system::llm_calls::LlmCall>>,
}

/// How many fault receipts a snapshot carries (the newest).
pub const RECEIPTS_SHOWN: usize = 12;

fn recent_receipts(sys: &System) -> Vec<crate::nemesis::receipts::Receipt> {
    let all = &sys.receipts.receipts;
    all[all.len().saturating_sub(RECEIPTS_SHOWN)..].to_vec()
}

/// Builds snapshots; keeps the formatted log and recent drops between frames so each frame
/// only formats what is new.
#[derive(Default)]
pub struct SnapshotBuilder {
    log: LogTail,
    milestones: MilestoneTail,
    tracks: Tracks,
    txns: TxnTail,
    reads: ReadsCache,
    /// The last LLM call list and the observer version it was copied at.
    llm_calls: (u64, Arc<Vec<crate::system::llm_calls::LlmCall>>),
    drops: Vec<(
        Micros,
        u64,
        &'static str,
        NodeId,
        NodeId,
        Micros,
        crate::sim::trace::DropReason,
    )>,
    seen: u64,
}

impl SnapshotBuilder {
    pub fn build(&mut self, sys: &System) -> Snapshot {
        let w = sys.world();
        let now = w.now();
        let summaries = w.nodes();
        let positions = layout::place(&summaries);
        let pos = |id: NodeId| {
            positions
                .get(id.0 as usize)
                .copied()
                .unwrap_or(Point::CENTER)
        };
        self.absorb(sys, now);

        let nodes: Vec<NodeSnap> = summaries
            .iter()
            .map(|n| NodeSnap {
                id: n.id,
                name: n.name.clone(),
                service: n.service.clone(),
                liveness: n.liveness,
                incarnation: n.incarnation,
                role: NodeRole::of(n.liveness, &n.view),
                view: n.view.clone(),
                at: pos(n.id),
                unsynced_bytes: n.unsynced_bytes,
                disk_full: n.disk_full,
                clock: n.clock,
            })
            .collect();
        let messages = w
            .in_flight()
            .into_iter()
            .map(|m| {
                let p = layout::progress_permille(m.sent_at_us, m.deliver_at_us, now);
                MessageSnap {
                    id: m.id,
                    label: m.label,
                    look: observations::look(m.label),
                    from: m.from,
                    to: m.to,
                    at: layout::along(pos(m.from), pos(m.to), p),
                    progress_permille: p,
                    corr: m.corr,
                }
            })
            .collect();
        let drops = self
            .drops
            .iter()
            .map(|(t, msg, label, from, to, sent, reason)| {
                let p = layout::progress_permille(*sent, t + 1, *t);
                DropSnap {
                    msg: *msg,
                    label,
                    look: observations::look(label),
                    at: layout::along(pos(*from), pos(*to), p.max(500)),
                    reason: *reason,
                    age_permille: ((now.saturating_sub(*t)) * 1000 / DROP_VISIBLE_US).min(1000)
                        as u32,
                }
            })
            .collect();
        let links_down: Vec<(NodeId, NodeId)> = w.network().partitioned_pairs().copied().collect();
        let (link, node_delays) = (w.network().default_link, w.network().node_delays());
        let orders = nodes
            .iter()
            .find_map(|n| match &n.view {
                NodeView::Orchestrator(o) => Some(o.orders.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let queue = nodes.iter().find_map(|n| match &n.view {
            NodeView::Queue(q) => Some(q.clone()),
            _ => None,
        });
        let executors = nodes
            .iter()
            .filter(|n| n.service == "executor")
            .map(|n| ExecutorSnap {
                id: n.id,
                name: n.name.clone(),
                liveness: n.liveness,
                view: match &n.view {
                    NodeView::Executor(e) => Some(e.clone()),
                    _ => None,
                },
            })
            .collect();
        Snapshot {
            now_us: now,
            seed: sys.seed(),
            cluster: sys.config().clone(),
            width: MESH_WIDTH,
            height: MESH_HEIGHT,
            nodes,
            links_down,
            link,
            node_delays,
            messages,
            drops,
            log: self.log.lines(),
            milestones: self.milestones.items(),
            tracks: self.tracks.all(),
            txns: self.txns.events(),
            leaders: sys.observer.leaders.clone(),
            violations: sys.checker.violations.clone(),
            invariants: sys.checker.catalogue(),
            orders,
            checkouts: sys.client_records(),
            queue,
            executors,
            flags: w.flags(),
            live: sys.live_settings().clone(),
            receipts: recent_receipts(sys),
            reads: self.reads.get(&sys.observer.reads),
            llm: self.llm_snap(sys),
            trace_total: w.trace().total(),
            trace_hash: w.trace_hash(),
            delivered: w.delivered(),
            dropped: w.dropped(),
        }
    }

    fn llm_snap(&mut self, sys: &System) -> LlmSnap {
        let ledger = &sys.observer.llm;
        if ledger.version != self.llm_calls.0 {
            self.llm_calls = (
                ledger.version,
                Arc::new(ledger.calls.values().cloned().collect()),
            );
        }
        LlmSnap {
            timeout_ms: sys.config().llm_timeout_ms,
            outstanding: sys.llm_outstanding(),
            calls: self.llm_calls.1.clone(),
        }
    }

    /// Takes in trace events since the last frame: log lines and drops.
    fn absorb(&mut self, sys: &System, now: Micros) {
        let w = sys.world();
        let names: Vec<String> = w.nodes().into_iter().map(|n| n.name).collect();
        let trace = w.trace();
        let new: Vec<&TraceEvent> = trace.since(self.seen).collect();
        for ev in &new {
            if let TraceKind::Drop {
                msg,
                from,
                to,
                label,
                reason,
            } = &ev.kind
            {
                self.drops
                    .push((ev.t_us, *msg, label, *from, *to, ev.t_us, *reason));
            }
        }
        self.log.absorb(new.iter().copied(), &names);
        for ev in &new {
            if let Some(m) = self.milestones.absorb(ev, &names) {
                self.tracks.absorb(m);
            }
        }
        self.txns.absorb(new.iter().copied());
        self.seen = trace.total();
        self.drops
            .retain(|d| now.saturating_sub(d.0) < DROP_VISIBLE_US && d.0 <= now);
    }
}
