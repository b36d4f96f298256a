//! The world: the executor plus the shared state, and the verbs that drive and break it.
//!
//! `run_until(t)` runs every task that is ready, then jumps virtual time to the next scheduled
//! event (a timer or a message arrival) and repeats, until the next event lies after `t`.

use super::ctx::NodeCtx;
use super::disk::{DiskConfig, Fsync};
use super::executor::{Executor, LocalFuture, Polled};
use super::local_clock::{ClockReading, LocalClock};
use super::net::{LinkConfig, Network};
use super::node_state::{DurableStore, Liveness, NodeState};
use super::rng::SimRng;
use super::shared::{EventKind, Shared};
use super::time::Micros;
use super::trace::{Trace, TraceKind, TraceSink, DEFAULT_TRACE_CAPACITY};
use super::NodeId;
use crate::order_step::FaultKind;
use crate::view::NodeView;
use std::cell::{Ref, RefCell};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::future::Future;
use std::rc::Rc;

/// Builds a node's main task; called at start and again on every restart.
pub type NodeMain = Rc<dyn Fn(NodeCtx) -> LocalFuture>;

#[derive(Clone, Debug)]
pub struct WorldConfig {
    pub seed: u64,
    pub link: LinkConfig,
    pub trace_capacity: usize,
    /// Every node's disk, unless `World::set_disk_config` says otherwise for one.
    pub disk: DiskConfig,
}

impl WorldConfig {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            link: LinkConfig::default(),
            trace_capacity: DEFAULT_TRACE_CAPACITY,
            disk: DiskConfig::default(),
        }
    }
}

/// A message on its way, for drawing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InFlight {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at_us: Micros,
    pub deliver_at_us: Micros,
    pub label: &'static str,
    pub corr: u64,
}

/// One node as the page and the report see it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NodeSummary {
    pub id: NodeId,
    pub name: String,
    pub service: String,
    pub liveness: Liveness,
    pub incarnation: u32,
    pub view: NodeView,
    /// Bytes written but not yet synced: what a crash now would lose.
    pub unsynced_bytes: u64,
    pub disk_full: bool,
    /// Its own clock against true time (zero unless skewed or drifting).
    pub clock: ClockReading,
}

pub struct World {
    pub(super) shared: Rc<RefCell<Shared>>,
    exec: Executor,
    mains: Vec<Option<NodeMain>>,
    disk: DiskConfig,
}

impl World {
    pub fn new(cfg: WorldConfig) -> Self {
        let shared = Shared {
            root_seed: cfg.seed,
            now: 0,
            seq: 0,
            events: BinaryHeap::new(),
            cancelled_timers: BTreeSet::new(),
            nodes: Vec::new(),
            net: Network::new(cfg.link),
            net_rng: SimRng::derive(cfg.seed, "network"),
            trace: Trace::new(cfg.trace_capacity),
            next_msg_id: 0,
            next_rpc_id: 0,
            held: Vec::new(),
            spawn_queue: Vec::new(),
            delivered: 0,
            dropped: 0,
            flags: BTreeSet::new(),
            halts: Vec::new(),
            clocks: BTreeMap::new(),
        };
        Self {
            shared: Rc::new(RefCell::new(shared)),
            exec: Executor::default(),
            mains: Vec::new(),
            disk: cfg.disk,
        }
    }

    pub fn seed(&self) -> u64 {
        self.shared.borrow().root_seed
    }

    /// Adds a node and starts its main task. Names must be unique.
    pub fn add_node<F, Fut>(&mut self, name: &str, service: &str, main: F) -> Result<NodeId, String>
    where
        F: Fn(NodeCtx) -> Fut + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        if self.node_id(name).is_some() {
            return Err(format!("a node named {name:?} already exists"));
        }
        let id = {
            let mut s = self.shared.borrow_mut();
            let id = NodeId(s.nodes.len() as u32);
            let rng = SimRng::derive(s.root_seed, &format!("node/{name}"));
            // Its own stream, so fsync draws never shift what the node's services draw.
            let disk_rng = SimRng::derive(s.root_seed, &format!("disk/{name}"));
            let now = s.now;
            s.nodes.push(NodeState {
                name: name.to_string(),
                service: service.to_string(),
                liveness: Liveness::Up,
                incarnation: 0,
                started_at: now,
                inbox: VecDeque::new(),
                inbox_waker: None,
                rpcs: Default::default(),
                durable: DurableStore::default(),
                fsync: Fsync::new(self.disk, disk_rng),
                rng,
                view: NodeView::Starting,
                view_source: None,
                parked: Vec::new(),
            });
            id
        };
        let main: NodeMain = Rc::new(move |ctx| Box::pin(main(ctx)));
        self.mains.push(Some(main));
        self.start_main(id);
        Ok(id)
    }

    fn start_main(&mut self, id: NodeId) {
        if let Some(Some(main)) = self.mains.get(id.0 as usize) {
            let fut = main(NodeCtx {
                id,
                shared: self.shared.clone(),
            });
            self.exec.spawn(Some(id), fut);
        }
    }

    /// A context for code outside any node (tests, the client of the page) to act as `id`.
    pub fn ctx(&self, id: NodeId) -> NodeCtx {
        NodeCtx {
            id,
            shared: self.shared.clone(),
        }
    }

    /// Spawns a task owned by no node (it survives every crash): drivers and test harnesses.
    pub fn spawn_detached(&mut self, fut: impl Future<Output = ()> + 'static) {
        self.exec.spawn(None, Box::pin(fut));
    }

    pub fn now(&self) -> Micros {
        self.shared.borrow().now
    }

    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.shared
            .borrow()
            .nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| NodeId(i as u32))
    }

    pub fn node_count(&self) -> usize {
        self.shared.borrow().nodes.len()
    }

    /// Runs until nothing is left before `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Micros) {
        while self.step_before(t) {}
        let mut s = self.shared.borrow_mut();
        if s.now < t {
            s.now = t;
        }
    }

    pub fn run_for(&mut self, d: Micros) {
        let t = self.now().saturating_add(d);
        self.run_until(t);
    }

    /// Does one unit of work due at or before `t`; false when there is none.
    pub fn step_before(&mut self, t: Micros) -> bool {
        if self.poll_one() {
            return true;
        }
        let next = {
            let mut s = self.shared.borrow_mut();
            purge_cancelled(&mut s);
            match s.events.peek() {
                Some(ev) if ev.at <= t => s.events.pop(),
                _ => None,
            }
        };
        let Some(ev) = next else { return false };
        let mut s = self.shared.borrow_mut();
        s.now = s.now.max(ev.at);
        match ev.kind {
            EventKind::Timer { waker, .. } => waker.wake(),
            EventKind::Deliver(env) => s.deliver(*env),
            EventKind::Fsync { node, generation } => s.complete_fsync(node, generation),
        }
        true
    }

    /// Advances to the next thing that shows in the trace (for the page's Step button).
    /// Returns false when the world has nothing left to do before `limit`.
    pub fn step_visible(&mut self, limit: Micros) -> bool {
        let before = self.shared.borrow().trace.total();
        while self.shared.borrow().trace.total() == before {
            if !self.step_before(limit) {
                return false;
            }
        }
        true
    }

    fn poll_one(&mut self) -> bool {
        let shared = self.shared.clone();
        let polled = self.exec.poll_next(|n| {
            shared
                .borrow()
                .node(n)
                .is_some_and(|s| s.liveness == Liveness::Paused)
        });
        match polled {
            Polled::Idle => false,
            Polled::Parked(task, node) => {
                if let Some(n) = self.shared.borrow_mut().node_mut(node) {
                    n.parked.push(task);
                }
                true
            }
            Polled::Ran => {
                let spawned = std::mem::take(&mut self.shared.borrow_mut().spawn_queue);
                for (owner, fut) in spawned {
                    self.exec.spawn(Some(owner), fut);
                }
                let halts = std::mem::take(&mut self.shared.borrow_mut().halts);
                for id in halts {
                    // Checked ids: a node's own context names a node that exists.
                    let _ = self.crash(id);
                }
                true
            }
        }
    }

    /// Time of the next scheduled event, if any (ready tasks run "now").
    pub fn next_event_at(&self) -> Option<Micros> {
        if self.exec.has_ready() {
            return Some(self.now());
        }
        let mut s = self.shared.borrow_mut();
        purge_cancelled(&mut s);
        s.events.peek().map(|e| e.at)
    }

    // ---- faults -------------------------------------------------------------------------

    pub(super) fn check(&self, id: NodeId) -> Result<(), String> {
        if (id.0 as usize) < self.node_count() {
            Ok(())
        } else {
            Err(format!("no node {id}"))
        }
    }

    /// The node stops: its tasks are dropped, its inbox and RPCs lost, messages to it dropped.
    /// Its durable store survives.
    pub fn crash(&mut self, id: NodeId) -> Result<(), String> {
        self.check(id)?;
        {
            let mut s = self.shared.borrow_mut();
            let node = s.node_mut(id).expect("checked");
            if node.liveness == Liveness::Crashed {
                return Ok(());
            }
            node.liveness = Liveness::Crashed;
            node.lose_volatile_state();
            s.record(id, TraceKind::Crash, 0, None);
        }
        // Dropped outside the borrow: their destructors cancel timers in the shared state.
        drop(self.exec.remove_node_tasks(id));
        Ok(())
    }

    /// A crashed node boots again from its disk (volatile state starts empty) — unless a
    /// record on the disk fails its checksum: then it stays down, and the trace says why.
    pub fn restart(&mut self, id: NodeId) -> Result<(), String> {
        self.check(id)?;
        {
            let mut s = self.shared.borrow_mut();
            let now = s.now;
            let node = s.node_mut(id).expect("checked");
            if node.liveness != Liveness::Crashed {
                return Err(format!("{} is not crashed", node.name));
            }
            if let Err(why) = node.durable.check() {
                let text = format!("{} refused to start: {why}", node.name);
                s.record(id, TraceKind::Log { text: text.clone() }, 0, None);
                return Err(text);
            }
            let node = s.node_mut(id).expect("checked");
            node.liveness = Liveness::Up;
            node.incarnation += 1;
            node.started_at = now;
            node.view = NodeView::Starting;
            node.view_source = None;
            let inc = node.incarnation;
            s.record(id, TraceKind::Restart { incarnation: inc }, 0, None);
        }
        self.start_main(id);
        Ok(())
    }

    /// Freezes the node (a long GC pause): timers and messages queue up but nothing runs.
    pub fn pause(&mut self, id: NodeId) -> Result<(), String> {
        self.check(id)?;
        let mut s = self.shared.borrow_mut();
        let node = s.node_mut(id).expect("checked");
        if node.liveness != Liveness::Up {
            return Err(format!("{} is not running", node.name));
        }
        node.liveness = Liveness::Paused;
        s.record(id, TraceKind::Pause, 0, None);
        Ok(())
    }

    pub fn resume(&mut self, id: NodeId) -> Result<(), String> {
        self.check(id)?;
        let parked = {
            let mut s = self.shared.borrow_mut();
            let node = s.node_mut(id).expect("checked");
            if node.liveness != Liveness::Paused {
                return Err(format!("{} is not paused", node.name));
            }
            node.liveness = Liveness::Up;
            let parked = std::mem::take(&mut node.parked);
            s.record(id, TraceKind::Resume, 0, None);
            parked
        };
        for t in parked {
            self.exec.requeue(t);
        }
        Ok(())
    }

    /// Applies a change to the network and records it in the trace as a fault (harm).
    pub fn net_fault(&mut self, text: impl Into<String>, f: impl FnOnce(&mut Network)) {
        self.net_change(FaultKind::Harm, text, f);
    }

    /// Applies a change to the network and records it as `kind` (harm or healing).
    pub fn net_change(
        &mut self,
        kind: FaultKind,
        text: impl Into<String>,
        f: impl FnOnce(&mut Network),
    ) {
        let mut s = self.shared.borrow_mut();
        f(&mut s.net);
        s.release_held();
        let text = text.into();
        s.record(
            NodeId(u32::MAX),
            TraceKind::Fault { fault: kind, text },
            0,
            None,
        );
    }

    /// Turns a world flag on or off (e.g. "model-down:fraud"), recorded as a fault.
    pub fn set_flag(&mut self, flag: &str, on: bool) {
        let mut s = self.shared.borrow_mut();
        let changed = if on {
            s.flags.insert(flag.to_string())
        } else {
            s.flags.remove(flag)
        };
        if changed {
            let text = format!("{flag} {}", if on { "on" } else { "off" });
            let kind = if on { FaultKind::Harm } else { FaultKind::Heal };
            s.record(
                NodeId(u32::MAX),
                TraceKind::Fault { fault: kind, text },
                0,
                None,
            );
        }
    }

    /// Gives a node its own clock before the run starts (part of the world's shape, so not a
    /// fault in the trace): reading `skew_us` ahead of true time at time 0, `drift_ppm` fast.
    pub fn configure_clock(
        &mut self,
        id: NodeId,
        skew_us: i64,
        drift_ppm: i64,
    ) -> Result<(), String> {
        self.check(id)?;
        let clock = LocalClock::new(skew_us, drift_ppm)?;
        let mut s = self.shared.borrow_mut();
        s.clocks.insert(id, clock);
        s.wake_timers_of(id);
        Ok(())
    }

    /// Changes a node's clock now, recorded as a fault: from now on it runs `drift_ppm` fast and,
    /// if `skew_us` is given, reads that far ahead of true time (a clock told to go back stands
    /// still until true time catches up: see `local_clock.rs`). Its pending timers re-aim.
    pub fn set_clock(
        &mut self,
        id: NodeId,
        skew_us: Option<i64>,
        drift_ppm: i64,
    ) -> Result<(), String> {
        self.check(id)?;
        let mut s = self.shared.borrow_mut();
        let now = s.now;
        let old = s.clocks.get(&id).copied().unwrap_or(LocalClock::new(0, 0)?);
        let clock = old.changed(now, skew_us, drift_ppm)?;
        s.clocks.insert(id, clock);
        s.wake_timers_of(id);
        let reading = clock.reading(now);
        let name = s.node(id).map(|n| n.name.clone()).unwrap_or_default();
        let text = format!(
            "clock {name} {:+} ms, {:+} ppm",
            reading.offset_us / 1000,
            reading.drift_ppm
        );
        let kind = FaultKind::Harm;
        s.record(
            NodeId(u32::MAX),
            TraceKind::Fault { fault: kind, text },
            0,
            None,
        );
        Ok(())
    }

    /// What `id`'s own clock reads now (true time for a node without one).
    pub fn local_now(&self, id: NodeId) -> Micros {
        self.shared.borrow().local_now(id)
    }

    /// `id`'s clock against true time now.
    pub fn clock(&self, id: NodeId) -> ClockReading {
        let s = self.shared.borrow();
        s.clocks
            .get(&id)
            .map(|c| c.reading(s.now))
            .unwrap_or_default()
    }

    /// Records a change a person made to a setting the world does not hold itself (a service's
    /// rate, say), as a fault line, so the log and the timeline show when it took effect.
    pub fn note_setting(&mut self, text: impl Into<String>) {
        let (kind, text) = (FaultKind::Setting, text.into());
        self.shared.borrow_mut().record(
            NodeId(u32::MAX),
            TraceKind::Fault { fault: kind, text },
            0,
            None,
        );
    }

    pub fn flags(&self) -> Vec<String> {
        self.shared.borrow().flags.iter().cloned().collect()
    }

    pub fn network(&self) -> Ref<'_, Network> {
        Ref::map(self.shared.borrow(), |s| &s.net)
    }

    // ---- observation --------------------------------------------------------------------

    pub fn trace(&self) -> Ref<'_, Trace> {
        Ref::map(self.shared.borrow(), |s| &s.trace)
    }

    pub fn set_trace_sink(&mut self, sink: Option<TraceSink>) {
        self.shared.borrow_mut().trace.set_sink(sink);
    }

    pub fn trace_hash(&self) -> u64 {
        self.shared.borrow().trace.hash()
    }

    pub fn delivered(&self) -> u64 {
        self.shared.borrow().delivered
    }

    pub fn dropped(&self) -> u64 {
        self.shared.borrow().dropped
    }

    /// What `id`'s disk holds: its synced records, as a restart would find them.
    pub fn durable(&self, id: NodeId) -> Option<DurableStore> {
        self.shared.borrow().node(id).map(|n| n.durable.on_disk())
    }

    /// Reads `id`'s disk as the node itself does (unsynced writes included), without a copy.
    pub fn read_disk<R>(&self, id: NodeId, f: impl FnOnce(&DurableStore) -> R) -> Option<R> {
        self.shared.borrow().node(id).map(|n| f(&n.durable))
    }

    pub fn nodes(&self) -> Vec<NodeSummary> {
        let s = self.shared.borrow();
        s.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeSummary {
                id: NodeId(i as u32),
                name: n.name.clone(),
                service: n.service.clone(),
                liveness: n.liveness,
                incarnation: n.incarnation,
                view: n.current_view(),
                unsynced_bytes: n.durable.unsynced_bytes(),
                disk_full: n.durable.is_full(),
                clock: self.clock(NodeId(i as u32)),
            })
            .collect()
    }

    pub fn view(&self, id: NodeId) -> Option<NodeView> {
        self.shared.borrow().node(id).map(|n| n.current_view())
    }

    pub fn liveness(&self, id: NodeId) -> Option<Liveness> {
        self.shared.borrow().node(id).map(|n| n.liveness)
    }

    /// Messages on the wire (not yet delivered or dropped), oldest first.
    pub fn in_flight(&self) -> Vec<InFlight> {
        let s = self.shared.borrow();
        let mut out: Vec<InFlight> = s
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Deliver(env) => Some(InFlight {
                    id: env.id,
                    from: env.from,
                    to: env.to,
                    sent_at_us: env.sent_at,
                    deliver_at_us: env.deliver_at,
                    label: env.msg.label(),
                    corr: env.corr,
                }),
                EventKind::Timer { .. } | EventKind::Fsync { .. } => None,
            })
            .collect();
        out.sort_by_key(|m| m.id);
        out
    }
}

impl Drop for World {
    fn drop(&mut self) {
        // Tasks go first, while the shared state is still whole: their destructors (a Sleep
        // cancelling its timer) borrow it. Then the pending events and their wakers.
        drop(self.exec.take_all());
        self.shared.borrow_mut().events.clear();
    }
}

fn purge_cancelled(s: &mut Shared) {
    while let Some(top) = s.events.peek() {
        let cancelled = match &top.kind {
            EventKind::Timer { id, .. } => s.cancelled_timers.contains(id),
            EventKind::Deliver(_) | EventKind::Fsync { .. } => false,
        };
        if !cancelled {
            break;
        }
        if let Some(ev) = s.events.pop() {
            if let EventKind::Timer { id, .. } = ev.kind {
                s.cancelled_timers.remove(&id);
            }
        }
    }
}
