//! A tiny deterministic network for Bully tests: latency, drops, cut links, crashes with a
//! disk that keeps each node's last claimed epoch. It checks safety after every event.

use super::{BullyConfig, BullyMsg, BullyNode, BullyOutput};
use crate::sim::rng::SimRng;
use crate::sim::NodeId;
use std::collections::{BTreeMap, BTreeSet};

pub struct TestNet {
    pub now_us: u64,
    pub members: Vec<NodeId>,
    cfg: BullyConfig,
    nodes: BTreeMap<NodeId, Option<BullyNode>>,
    /// What survives a crash: the last epoch each node claimed.
    disk: BTreeMap<NodeId, u64>,
    in_flight: BTreeMap<(u64, u64), (NodeId, NodeId, BullyMsg)>,
    next_seq: u64,
    rng: SimRng,
    pub drop_ppm: u32,
    pub latency_us: (u64, u64),
    pub cut_links: BTreeSet<(NodeId, NodeId)>,
    /// Every `BecameLeader`: (time, node, epoch).
    pub claims: Vec<(u64, NodeId, u64)>,
    claimed_epochs: BTreeMap<u64, NodeId>,
    last_seen_epoch: BTreeMap<NodeId, u64>,
}

impl TestNet {
    pub fn new(n: u32, cfg: BullyConfig, seed: u64) -> Self {
        let members: Vec<NodeId> = (1..=n).map(NodeId).collect();
        let mut net = Self {
            now_us: 0,
            members: members.clone(),
            cfg,
            nodes: BTreeMap::new(),
            disk: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            next_seq: 0,
            rng: SimRng::new(seed),
            drop_ppm: 0,
            latency_us: (1_000, 10_000),
            cut_links: BTreeSet::new(),
            claims: Vec::new(),
            claimed_epochs: BTreeMap::new(),
            last_seen_epoch: BTreeMap::new(),
        };
        for id in members {
            net.nodes.insert(id, None);
            net.restart(id);
        }
        net
    }

    pub fn node(&self, id: NodeId) -> Option<&BullyNode> {
        self.nodes.get(&id).and_then(|n| n.as_ref())
    }

    pub fn live(&self) -> Vec<NodeId> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.is_some())
            .map(|(id, _)| *id)
            .collect()
    }

    pub fn crash(&mut self, id: NodeId) {
        self.nodes.insert(id, None);
        self.last_seen_epoch.remove(&id);
    }

    pub fn restart(&mut self, id: NodeId) {
        let last = self.disk.get(&id).copied().unwrap_or(0);
        let node = BullyNode::recover(id, &self.members, self.cfg.clone(), self.now_us, last);
        self.nodes.insert(id, Some(node));
        self.drain(id);
    }

    /// Cuts both directions between `a` and `b`.
    pub fn cut(&mut self, a: NodeId, b: NodeId) {
        self.cut_links.insert((a, b));
        self.cut_links.insert((b, a));
    }

    pub fn run_until(&mut self, end_us: u64) {
        while let Some(t) = self.next_event_us().filter(|t| *t <= end_us) {
            self.now_us = self.now_us.max(t);
            self.deliver_due();
            let ids = self.live();
            for id in ids {
                if let Some(Some(node)) = self.nodes.get_mut(&id) {
                    node.tick(self.now_us);
                }
                self.drain(id);
            }
        }
        self.now_us = self.now_us.max(end_us);
    }

    fn next_event_us(&self) -> Option<u64> {
        let msg = self.in_flight.keys().next().map(|(t, _)| *t);
        let timer = self
            .nodes
            .values()
            .flatten()
            .map(|n| n.next_wakeup_us())
            .min();
        match (msg, timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn deliver_due(&mut self) {
        while let Some((&(t, seq), _)) = self.in_flight.iter().next() {
            if t > self.now_us {
                break;
            }
            let Some((from, to, msg)) = self.in_flight.remove(&(t, seq)) else {
                break;
            };
            if let Some(Some(node)) = self.nodes.get_mut(&to) {
                node.step(self.now_us, from, msg);
                self.drain(to);
            }
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: BullyMsg) {
        if self.cut_links.contains(&(from, to)) || self.rng.chance_ppm(self.drop_ppm) {
            return;
        }
        let delay = self
            .rng
            .range_inclusive(self.latency_us.0, self.latency_us.1);
        self.in_flight
            .insert((self.now_us + delay, self.next_seq), (from, to, msg));
        self.next_seq += 1;
    }

    fn drain(&mut self, id: NodeId) {
        let Some(Some(node)) = self.nodes.get_mut(&id) else {
            return;
        };
        let outputs = node.take_outputs();
        let seen = node.max_epoch_seen();
        let prev = self.last_seen_epoch.insert(id, seen).unwrap_or(0);
        assert!(
            seen >= prev,
            "{id} went back from epoch {prev} to {seen} at {}",
            self.now_us
        );
        for out in outputs {
            match out {
                BullyOutput::Send { to, msg } => self.send(id, to, msg),
                BullyOutput::Broadcast { msg } => {
                    let others: Vec<NodeId> =
                        self.members.iter().copied().filter(|m| *m != id).collect();
                    for to in others {
                        self.send(id, to, msg.clone());
                    }
                }
                BullyOutput::BecameLeader { epoch } => self.record_claim(id, epoch),
                BullyOutput::LeaderIs { node, epoch } => {
                    let claimant = self.claimed_epochs.get(&epoch).copied();
                    assert_eq!(
                        claimant,
                        Some(node),
                        "{id} follows {node} at unclaimed epoch {epoch}"
                    );
                }
            }
        }
    }

    fn record_claim(&mut self, id: NodeId, epoch: u64) {
        if let Some(other) = self.claimed_epochs.insert(epoch, id) {
            panic!(
                "epoch {epoch} claimed by {other} and again by {id} at {}",
                self.now_us
            );
        }
        self.disk.insert(id, epoch);
        self.claims.push((self.now_us, id, epoch));
    }

    /// Every live node agrees that `expected` leads, with one epoch, and only it leads.
    pub fn assert_settled_on(&self, expected: NodeId) {
        let leader = self.node(expected).expect("expected leader is live");
        assert!(
            leader.is_leader(),
            "{expected} is not leading at {}",
            self.now_us
        );
        for id in self.live() {
            let node = self.node(id).expect("live");
            assert_eq!(
                node.leader(),
                Some(expected),
                "{id} disagrees at {}",
                self.now_us
            );
            assert_eq!(node.epoch(), leader.epoch(), "{id} has another epoch");
            assert_eq!(node.is_leader(), id == expected);
        }
    }
}
