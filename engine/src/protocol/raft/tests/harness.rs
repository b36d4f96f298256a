//! A tiny deterministic network for driving several `RaftNode`s, in the style of a Raft
//! course lab: messages are delivered in (delivery time, send order), time jumps to the next
//! message or node wakeup, and faults are verbs (crash, restart, partition, heal).
//! Every node's Ready is handled exactly as the module docs require: persist, send, apply.
use super::super::{Entry, NotLeader, PersistentState, RaftConfig, RaftMsg, RaftNode, Role};
use super::invariants::{Checker, Cmd};
use crate::sim::rng::SimRng;
use crate::sim::NodeId;
use std::collections::{BTreeMap, BTreeSet};

/// Deliveries are keyed by (time, send sequence) so equal times keep send order.
type Flights = BTreeMap<(u64, u64), (NodeId, NodeId, RaftMsg<Cmd>)>;

pub struct Net {
    pub now_us: u64,
    pub ids: Vec<NodeId>,
    cfg: RaftConfig,
    seed: u64,
    nodes: BTreeMap<NodeId, RaftNode<Cmd>>,
    disks: BTreeMap<NodeId, PersistentState<Cmd>>,
    rngs: BTreeMap<NodeId, SimRng>,
    flights: Flights,
    sent: u64,
    cut: BTreeSet<(NodeId, NodeId)>,
    net_rng: SimRng,
    pub latency_min_us: u64,
    pub latency_max_us: u64,
    pub loss_ppm: u32,
    /// Each live node's state machine: what it applied since it (re)started.
    pub applied: BTreeMap<NodeId, Vec<Entry<Cmd>>>,
    pub checker: Checker,
    /// One line per delivered message, for determinism checks.
    pub trace: Vec<String>,
    /// Log compaction: a node snapshots its state machine (the applied entries, as JSON) once
    /// this many applied entries follow its last snapshot. None: never compact.
    pub compact_every: Option<u64>,
    /// Snapshots installed from a leader or a disk (to show the runs exercise them).
    pub snapshots_installed: u64,
}

impl Net {
    pub fn new(size: u32, seed: u64) -> Self {
        Self::with_config(size, seed, RaftConfig::default())
    }

    pub fn with_config(size: u32, seed: u64, cfg: RaftConfig) -> Self {
        let ids: Vec<NodeId> = (0..size).map(NodeId).collect();
        let mut net = Self {
            now_us: 0,
            ids: ids.clone(),
            cfg,
            seed,
            nodes: BTreeMap::new(),
            disks: ids
                .iter()
                .map(|id| (*id, PersistentState::empty()))
                .collect(),
            rngs: ids
                .iter()
                .map(|id| (*id, SimRng::derive(seed, &format!("raft-{id}"))))
                .collect(),
            flights: BTreeMap::new(),
            sent: 0,
            cut: BTreeSet::new(),
            net_rng: SimRng::derive(seed, "net"),
            latency_min_us: 10_000,
            latency_max_us: 10_000,
            loss_ppm: 0,
            applied: BTreeMap::new(),
            checker: Checker::default(),
            trace: Vec::new(),
            compact_every: None,
            snapshots_installed: 0,
        };
        for id in ids {
            net.restart(id);
        }
        net
    }

    pub fn node(&self, id: NodeId) -> Option<&RaftNode<Cmd>> {
        self.nodes.get(&id)
    }

    pub fn is_alive(&self, id: NodeId) -> bool {
        self.nodes.contains_key(&id)
    }

    pub fn disk(&self, id: NodeId) -> &PersistentState<Cmd> {
        &self.disks[&id]
    }

    /// Live nodes that believe they lead, with their terms.
    pub fn leaders(&self) -> Vec<(NodeId, u64)> {
        self.nodes
            .values()
            .filter(|n| n.role() == Role::Leader)
            .map(|n| (n.id(), n.term()))
            .collect()
    }

    /// The leader with the highest term, if any live node leads.
    pub fn current_leader(&self) -> Option<NodeId> {
        self.leaders()
            .into_iter()
            .max_by_key(|(_, term)| *term)
            .map(|(id, _)| id)
    }

    pub fn crash(&mut self, id: NodeId) {
        self.nodes.remove(&id);
        self.applied.remove(&id);
    }

    /// (Re)starts `id` from its disk, with an empty state machine.
    pub fn restart(&mut self, id: NodeId) {
        let rng = self.rngs.get_mut(&id).expect("every test node has an rng");
        let disk = self.disks[&id].clone();
        let node = RaftNode::new(id, self.ids.clone(), self.cfg, disk, self.now_us, rng)
            .expect("test clusters are valid");
        self.nodes.insert(id, node);
        self.applied.insert(id, Vec::new());
        self.drain(id);
    }

    /// Cuts every link between different groups (both directions).
    pub fn partition(&mut self, groups: &[&[NodeId]]) {
        for (g, group) in groups.iter().enumerate() {
            for other in groups.iter().skip(g + 1) {
                for a in group.iter() {
                    for b in other.iter() {
                        self.cut.insert((*a, *b));
                        self.cut.insert((*b, *a));
                    }
                }
            }
        }
    }

    pub fn heal(&mut self) {
        self.cut.clear();
    }

    pub fn propose(&mut self, id: NodeId, command: Cmd) -> Result<u64, NotLeader> {
        let node = self
            .nodes
            .get_mut(&id)
            .ok_or(NotLeader { leader_hint: None })?;
        let result = node.propose(command);
        self.drain(id);
        result
    }

    /// Advances time event by event up to `until_us`.
    pub fn run_until(&mut self, until_us: u64) {
        while let Some(next) = self.next_event_us() {
            if next > until_us {
                break;
            }
            self.process(next);
        }
        self.now_us = self.now_us.max(until_us);
    }

    pub fn run_for(&mut self, duration_us: u64) {
        self.run_until(self.now_us + duration_us);
    }

    /// Runs until `done` holds (checked after every event) or `limit_us`; returns the time.
    pub fn run_until_true(&mut self, limit_us: u64, done: impl Fn(&Net) -> bool) -> Option<u64> {
        while !done(self) {
            let next = self.next_event_us()?;
            if next > limit_us {
                return None;
            }
            self.process(next);
        }
        Some(self.now_us)
    }

    fn next_event_us(&self) -> Option<u64> {
        let flight = self.flights.keys().next().map(|(at, _)| *at);
        let wakeup = self.nodes.values().map(|n| n.next_wakeup_us()).min();
        match (flight, wakeup) {
            (Some(a), Some(b)) => Some(a.min(b).max(self.now_us)),
            (a, b) => a.or(b).map(|t| t.max(self.now_us)),
        }
    }

    fn process(&mut self, at_us: u64) {
        self.now_us = at_us;
        while let Some(entry) = self.flights.first_entry() {
            if entry.key().0 > at_us {
                break;
            }
            let (from, to, msg) = entry.remove();
            self.deliver(from, to, msg);
        }
        for id in self.ids.clone() {
            let due = self
                .nodes
                .get(&id)
                .is_some_and(|n| n.next_wakeup_us() <= at_us);
            if due {
                let rng = self.rngs.get_mut(&id).expect("rng");
                self.nodes
                    .get_mut(&id)
                    .expect("due node is alive")
                    .tick(at_us, rng);
                self.drain(id);
            }
        }
    }

    fn deliver(&mut self, from: NodeId, to: NodeId, msg: RaftMsg<Cmd>) {
        // A message in flight when a link is cut or its receiver crashes is lost.
        if self.cut.contains(&(from, to)) {
            return;
        }
        let Some(node) = self.nodes.get_mut(&to) else {
            return;
        };
        self.trace.push(format!(
            "{} {from}->{to} {} t{}",
            self.now_us,
            msg.label(),
            msg.term()
        ));
        let rng = self.rngs.get_mut(&to).expect("rng");
        if let Err(e) = node.step(self.now_us, from, msg, rng) {
            self.checker
                .violations
                .push(format!("t={}: {to} refused a message: {e}", self.now_us));
        }
        self.drain(to);
    }

    /// Handles one node's Ready in the documented order: persist, then send, then apply.
    fn drain(&mut self, id: NodeId) {
        let Some(node) = self.nodes.get_mut(&id) else {
            return;
        };
        let ready = node.take_ready();
        if let Some(ops) = &ready.persist {
            let disk = self.disks.get_mut(&id).expect("disk");
            if let Err(e) = disk.apply(ops) {
                self.checker
                    .violations
                    .push(format!("t={}: {id} persist failed: {e}", self.now_us));
            }
        }
        for (to, msg) in ready.messages {
            if self.cut.contains(&(id, to)) || self.net_rng.chance_ppm(self.loss_ppm) {
                continue;
            }
            let delay = self
                .net_rng
                .range_inclusive(self.latency_min_us, self.latency_max_us);
            self.sent += 1;
            self.flights
                .insert((self.now_us + delay, self.sent), (id, to, msg));
        }
        let applied = self.applied.entry(id).or_default();
        if let Some(snapshot) = &ready.snapshot {
            self.snapshots_installed += 1;
            match serde_json::from_str::<Vec<Entry<Cmd>>>(&snapshot.data) {
                Ok(state) => {
                    self.checker.observe_applied(self.now_us, id, &[], &state);
                    *applied = state;
                }
                Err(e) => self.checker.violations.push(format!(
                    "t={}: {id} got an unreadable snapshot: {e}",
                    self.now_us
                )),
            }
        }
        self.checker
            .observe_applied(self.now_us, id, applied, &ready.committed);
        applied.extend(ready.committed);
        self.checker.observe_node(self.now_us, &self.nodes[&id]);
        self.maybe_compact(id);
    }

    /// Snapshots `id`'s state machine when `compact_every` entries followed the last snapshot.
    fn maybe_compact(&mut self, id: NodeId) {
        let (Some(every), Some(node)) = (self.compact_every, self.nodes.get_mut(&id)) else {
            return;
        };
        let applied = &self.applied[&id];
        let through = applied.len() as u64;
        if through < node.log().snapshot_index() + every {
            return;
        }
        let data = serde_json::to_string(applied).expect("entries serialise");
        if let Err(e) = node.compact(through, data) {
            self.checker
                .violations
                .push(format!("t={}: {id} could not compact: {e}", self.now_us));
        }
        self.drain(id);
    }

    /// The seed this net was built from (printed by failing tests so they can be rerun).
    pub fn seed(&self) -> u64 {
        self.seed
    }
}
