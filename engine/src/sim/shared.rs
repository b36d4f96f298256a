//! The part of the world that node tasks reach through their context: clock, scheduled events,
//! nodes, network, trace. Held in one `Rc<RefCell<_>>`; no borrow is ever held across an await.

use super::envelope::{Envelope, RpcTag};
use super::local_clock::LocalClock;
use super::net::{Network, Route};
use super::node_state::NodeState;
use super::rng::SimRng;
use super::time::Micros;
use super::trace::{DropReason, Trace, TraceKind};
use super::NodeId;
use crate::clock::VectorClock;
use crate::msg::Msg;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::task::Waker;

/// Boxed envelope: the heap sifts these on every push and pop, and a `Msg` can be hundreds of
/// bytes (a whole checkout request), so the heap holds a pointer instead.
pub enum EventKind {
    /// `node`: whose timer it is, so a change of that node's clock can re-aim it.
    Timer {
        id: u64,
        node: NodeId,
        waker: Waker,
    },
    Deliver(Box<Envelope>),
    /// An fsync of `node` completes (ignored if the node crashed since: another generation).
    Fsync {
        node: NodeId,
        generation: u32,
    },
}

/// An event due at `at`; ties break by `seq` (the order they were scheduled in).
pub struct Scheduled {
    pub at: Micros,
    pub seq: u64,
    pub kind: EventKind,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

pub struct Shared {
    pub root_seed: u64,
    pub now: Micros,
    pub seq: u64,
    pub events: BinaryHeap<Scheduled>,
    pub cancelled_timers: BTreeSet<u64>,
    pub nodes: Vec<NodeState>,
    pub net: Network,
    pub net_rng: SimRng,
    pub trace: Trace,
    pub next_msg_id: u64,
    pub next_rpc_id: u64,
    /// Messages stopped by `hold`, released in order.
    pub held: Vec<Envelope>,
    /// Futures spawned by node tasks, adopted by the executor after the current poll.
    pub spawn_queue: Vec<(NodeId, super::executor::LocalFuture)>,
    /// Counts for benchmarks and the page.
    pub delivered: u64,
    pub dropped: u64,
    /// World-level switches services read, e.g. "model-down:fraud" (an injectable fault).
    pub flags: BTreeSet<String>,
    /// Nodes that stopped themselves during the current poll (`NodeCtx::fail_stop`); the world
    /// crashes them once the poll is over.
    pub halts: Vec<NodeId>,
    /// Nodes whose clock is not true time (`local_clock.rs`); the others read `now` itself.
    pub clocks: BTreeMap<NodeId, LocalClock>,
}

impl Shared {
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn schedule(&mut self, at: Micros, kind: EventKind) {
        let seq = self.next_seq();
        self.events.push(Scheduled { at, seq, kind });
    }

    /// What `node`'s own clock reads now.
    pub fn local_now(&self, node: NodeId) -> Micros {
        match self.clocks.get(&node) {
            Some(c) => c.local(self.now),
            None => self.now,
        }
    }

    /// The first true instant (not before now) at which `node`'s clock reads `local_us`.
    pub fn true_time_at(&self, node: NodeId, local_us: Micros) -> Micros {
        match self.clocks.get(&node) {
            Some(c) => c.true_at(local_us, self.now),
            None => local_us,
        }
    }

    /// Wakes every pending timer of `node`, earliest first, so each re-aims itself at the true
    /// instant its deadline now falls on (its node's clock just changed).
    pub fn wake_timers_of(&mut self, node: NodeId) {
        let mut due: Vec<(Micros, u64, &Waker)> = self
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Timer { id, node: n, waker }
                    if *n == node && !self.cancelled_timers.contains(id) =>
                {
                    Some((e.at, e.seq, waker))
                }
                _ => None,
            })
            .collect();
        due.sort_by_key(|(at, seq, _)| (*at, *seq));
        for (_, _, waker) in due {
            waker.wake_by_ref();
        }
    }

    pub fn record(&mut self, node: NodeId, kind: TraceKind, corr: u64, vc: Option<VectorClock>) {
        self.trace.record(self.now, node, kind, corr, vc);
    }

    pub fn node(&self, id: NodeId) -> Option<&NodeState> {
        self.nodes.get(id.0 as usize)
    }

    pub fn node_mut(&mut self, id: NodeId) -> Option<&mut NodeState> {
        self.nodes.get_mut(id.0 as usize)
    }

    /// Puts a message on the wire: the network decides whether, when and how often it arrives.
    pub fn send(&mut self, from: NodeId, to: NodeId, msg: Msg, rpc: RpcTag, corr: u64) -> u64 {
        self.next_msg_id += 1;
        let id = self.next_msg_id;
        let label = msg.label();
        let now = self.now;
        let mut env = Envelope {
            id,
            from,
            to,
            sent_at: now,
            deliver_at: now,
            rpc,
            corr,
            msg,
        };
        if self.node(to).is_none() {
            self.dropped += 1;
            self.record(
                from,
                TraceKind::Drop {
                    msg: id,
                    from,
                    to,
                    label,
                    reason: DropReason::ReceiverDown,
                },
                corr,
                None,
            );
            return id;
        }
        match self.net.route(&mut self.net_rng, now, from, to) {
            Route::Drop(reason) => {
                self.dropped += 1;
                self.record(
                    from,
                    TraceKind::Send {
                        msg: id,
                        to,
                        label,
                        deliver_at_us: now,
                    },
                    corr,
                    None,
                );
                self.record(
                    from,
                    TraceKind::Drop {
                        msg: id,
                        from,
                        to,
                        label,
                        reason,
                    },
                    corr,
                    None,
                );
            }
            Route::Hold => {
                self.record(
                    from,
                    TraceKind::Send {
                        msg: id,
                        to,
                        label,
                        deliver_at_us: now,
                    },
                    corr,
                    None,
                );
                self.record(from, TraceKind::Held { msg: id, to }, corr, None);
                self.held.push(env);
            }
            Route::Deliver { at, duplicate_at } => {
                env.deliver_at = at;
                self.record(
                    from,
                    TraceKind::Send {
                        msg: id,
                        to,
                        label,
                        deliver_at_us: at,
                    },
                    corr,
                    None,
                );
                if let Some(dup_at) = duplicate_at {
                    self.next_msg_id += 1;
                    let copy = self.next_msg_id;
                    let mut dup = env.clone();
                    dup.id = copy;
                    dup.deliver_at = dup_at;
                    self.record(from, TraceKind::Duplicate { msg: id, copy, to }, corr, None);
                    self.schedule(dup_at, EventKind::Deliver(Box::new(dup)));
                }
                self.schedule(at, EventKind::Deliver(Box::new(env)));
            }
        }
        id
    }

    /// A scheduled message reaches its receiver — unless the world changed while it flew.
    pub fn deliver(&mut self, env: Envelope) {
        let (from, to, label, corr) = (env.from, env.to, env.msg.label(), env.corr);
        let reason = if let Some(r) = self.net.blocked(from, to) {
            Some(r)
        } else if !self.node(to).is_some_and(|n| n.is_up()) {
            Some(DropReason::ReceiverDown)
        } else if let RpcTag::Reply(rpc) = env.rpc {
            if self.node(to).is_some_and(|n| n.rpcs.contains_key(&rpc)) {
                None
            } else {
                Some(DropReason::NoCaller)
            }
        } else {
            None
        };
        if let Some(reason) = reason {
            self.dropped += 1;
            self.record(
                to,
                TraceKind::Drop {
                    msg: env.id,
                    from,
                    to,
                    label,
                    reason,
                },
                corr,
                None,
            );
            return;
        }
        self.delivered += 1;
        self.record(
            to,
            TraceKind::Deliver {
                msg: env.id,
                from,
                label,
            },
            corr,
            None,
        );
        let Some(node) = self.node_mut(to) else {
            return;
        };
        match env.rpc {
            RpcTag::Reply(rpc) => {
                if let Some(slot) = node.rpcs.get_mut(&rpc) {
                    slot.reply = Some(env);
                    if let Some(w) = slot.waker.take() {
                        w.wake();
                    }
                }
            }
            _ => {
                node.inbox.push_back(env);
                if let Some(w) = node.inbox_waker.take() {
                    w.wake();
                }
            }
        }
    }

    /// Re-sends held messages of a link that is no longer held (they leave now).
    pub fn release_held(&mut self) {
        let held = std::mem::take(&mut self.held);
        for env in held {
            if self.net.is_held(env.from, env.to) {
                self.held.push(env);
                continue;
            }
            match self
                .net
                .route(&mut self.net_rng, self.now, env.from, env.to)
            {
                Route::Deliver { at, .. } => {
                    let mut env = env;
                    env.deliver_at = at;
                    self.schedule(at, EventKind::Deliver(Box::new(env)));
                }
                Route::Hold => self.held.push(env),
                Route::Drop(reason) => {
                    self.dropped += 1;
                    let (id, from, to, label, corr) =
                        (env.id, env.from, env.to, env.msg.label(), env.corr);
                    self.record(
                        from,
                        TraceKind::Drop {
                            msg: id,
                            from,
                            to,
                            label,
                            reason,
                        },
                        corr,
                        None,
                    );
                }
            }
        }
    }
}
