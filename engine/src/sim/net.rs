//! The network model: per-link latency (base + uniform jitter), loss, duplication, optional
//! reordering, partitions (symmetric and one-way), cut links and held links.
//!
//! Pure decisions over plain data: the world asks `route` what happens to a message and carries
//! it out. Links are directed pairs in ordered maps, so every decision is reproducible.

use super::rng::SimRng;
use super::time::{ms, Micros};
use super::trace::DropReason;
use super::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkConfig {
    pub latency_base_us: Micros,
    /// Extra latency drawn uniformly from `0..=jitter_us`.
    pub jitter_us: Micros,
    /// Probability (parts per million) that a message is lost.
    pub loss_ppm: u32,
    /// Probability (ppm) that a message is delivered twice.
    pub duplicate_ppm: u32,
    /// When false (default, like TCP) messages on a link arrive in the order they were sent.
    pub reorder: bool,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            latency_base_us: ms(5),
            jitter_us: ms(5),
            loss_ppm: 0,
            duplicate_ppm: 0,
            reorder: false,
        }
    }
}

/// What the network does with one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Deliver {
        at: Micros,
        duplicate_at: Option<Micros>,
    },
    Hold,
    Drop(DropReason),
}

#[derive(Clone, Debug, Default)]
pub struct Network {
    pub default_link: LinkConfig,
    overrides: BTreeMap<(NodeId, NodeId), LinkConfig>,
    /// Extra latency on every link touching a node ("slow node").
    node_delay_us: BTreeMap<NodeId, Micros>,
    /// Directed pairs that cannot talk because of a partition.
    partitioned: BTreeSet<(NodeId, NodeId)>,
    /// Directed pairs cut individually.
    cut: BTreeSet<(NodeId, NodeId)>,
    /// Directed pairs whose messages are held until released.
    held: BTreeSet<(NodeId, NodeId)>,
    /// Latest delivery time per link `[from][to]`, to keep FIFO order when `reorder` is off.
    /// Indexed vectors, not a map: this is read on every send.
    last_delivery: Vec<Vec<Micros>>,
}

impl Network {
    pub fn new(default_link: LinkConfig) -> Self {
        Self {
            default_link,
            ..Default::default()
        }
    }

    pub fn link(&self, from: NodeId, to: NodeId) -> LinkConfig {
        if self.overrides.is_empty() {
            return self.default_link;
        }
        self.overrides
            .get(&(from, to))
            .copied()
            .unwrap_or(self.default_link)
    }

    pub fn set_link(&mut self, from: NodeId, to: NodeId, cfg: LinkConfig) {
        self.overrides.insert((from, to), cfg);
    }

    pub fn clear_link_overrides(&mut self) {
        self.overrides.clear();
    }

    pub fn set_node_delay(&mut self, node: NodeId, extra_us: Micros) {
        if extra_us == 0 {
            self.node_delay_us.remove(&node);
        } else {
            self.node_delay_us.insert(node, extra_us);
        }
    }

    /// Every slowed node and its extra latency, in node order.
    pub fn node_delays(&self) -> Vec<(NodeId, Micros)> {
        self.node_delay_us.iter().map(|(n, d)| (*n, *d)).collect()
    }

    pub fn node_delay(&self, node: NodeId) -> Micros {
        if self.node_delay_us.is_empty() {
            return 0;
        }
        self.node_delay_us.get(&node).copied().unwrap_or(0)
    }

    /// Splits the world into groups: nodes in different groups cannot talk (both directions).
    /// Nodes not named in any group keep talking to everyone.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        for (i, g) in groups.iter().enumerate() {
            for h in groups.iter().skip(i + 1) {
                for a in g {
                    for b in h {
                        self.partitioned.insert((*a, *b));
                        self.partitioned.insert((*b, *a));
                    }
                }
            }
        }
    }

    /// `from` can no longer reach `to`; the reverse direction still works.
    pub fn partition_one_way(&mut self, from: NodeId, to: NodeId) {
        self.partitioned.insert((from, to));
    }

    /// Removes every partition (cut links stay cut; heal them one by one or with `heal_all`).
    pub fn heal_partitions(&mut self) {
        self.partitioned.clear();
    }

    pub fn cut_link(&mut self, a: NodeId, b: NodeId) {
        self.cut.insert((a, b));
        self.cut.insert((b, a));
    }

    pub fn heal_link(&mut self, a: NodeId, b: NodeId) {
        self.cut.remove(&(a, b));
        self.cut.remove(&(b, a));
        self.partitioned.remove(&(a, b));
        self.partitioned.remove(&(b, a));
    }

    pub fn heal_all(&mut self) {
        self.partitioned.clear();
        self.cut.clear();
    }

    pub fn hold(&mut self, from: NodeId, to: NodeId) {
        self.held.insert((from, to));
    }

    pub fn release(&mut self, from: NodeId, to: NodeId) {
        self.held.remove(&(from, to));
    }

    pub fn is_held(&self, from: NodeId, to: NodeId) -> bool {
        !self.held.is_empty() && self.held.contains(&(from, to))
    }

    /// Why `from` cannot reach `to` right now, if it cannot.
    pub fn blocked(&self, from: NodeId, to: NodeId) -> Option<DropReason> {
        if self.cut.is_empty() && self.partitioned.is_empty() {
            return None;
        }
        if self.cut.contains(&(from, to)) {
            Some(DropReason::LinkCut)
        } else if self.partitioned.contains(&(from, to)) {
            Some(DropReason::Partition)
        } else {
            None
        }
    }

    pub fn partitioned_pairs(&self) -> impl Iterator<Item = &(NodeId, NodeId)> {
        self.partitioned.iter().chain(self.cut.iter())
    }

    /// Decides the fate of a message sent now. Draws from `rng` in a fixed order.
    pub fn route(&mut self, rng: &mut SimRng, now: Micros, from: NodeId, to: NodeId) -> Route {
        if let Some(reason) = self.blocked(from, to) {
            return Route::Drop(reason);
        }
        if self.is_held(from, to) {
            return Route::Hold;
        }
        let link = self.link(from, to);
        if rng.chance_ppm(link.loss_ppm) {
            return Route::Drop(DropReason::Loss);
        }
        let at = self.delivery_time(rng, now, from, to, link);
        let duplicate_at = if rng.chance_ppm(link.duplicate_ppm) {
            Some(self.delivery_time(rng, now, from, to, link))
        } else {
            None
        };
        Route::Deliver { at, duplicate_at }
    }

    fn delivery_time(
        &mut self,
        rng: &mut SimRng,
        now: Micros,
        from: NodeId,
        to: NodeId,
        link: LinkConfig,
    ) -> Micros {
        let extra = self.node_delay(from) + self.node_delay(to);
        let mut at = now + link.latency_base_us + rng.range_inclusive(0, link.jitter_us) + extra;
        if !link.reorder {
            let (f, t) = (from.0 as usize, to.0 as usize);
            if self.last_delivery.len() <= f {
                self.last_delivery.resize(f + 1, Vec::new());
            }
            let row = &mut self.last_delivery[f];
            if row.len() <= t {
                row.resize(t + 1, 0);
            }
            at = at.max(row[t]);
            row[t] = at;
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: NodeId = NodeId(0);
    const B: NodeId = NodeId(1);
    const C: NodeId = NodeId(2);

    #[test]
    fn latency_stays_within_base_plus_jitter() {
        let mut net = Network::new(LinkConfig {
            latency_base_us: 100,
            jitter_us: 50,
            reorder: true,
            ..Default::default()
        });
        let mut rng = SimRng::new(1);
        for _ in 0..1000 {
            match net.route(&mut rng, 1000, A, B) {
                Route::Deliver { at, .. } => assert!((1100..=1150).contains(&at)),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn fifo_links_never_deliver_out_of_order() {
        let mut net = Network::new(LinkConfig {
            latency_base_us: 10,
            jitter_us: 1000,
            ..Default::default()
        });
        let mut rng = SimRng::new(2);
        let mut last = 0;
        for now in 0..500 {
            if let Route::Deliver { at, .. } = net.route(&mut rng, now, A, B) {
                assert!(at >= last);
                last = at;
            }
        }
    }

    #[test]
    fn a_partition_blocks_both_directions_and_spares_outsiders() {
        let mut net = Network::default();
        net.partition(&[vec![A], vec![B]]);
        assert_eq!(net.blocked(A, B), Some(DropReason::Partition));
        assert_eq!(net.blocked(B, A), Some(DropReason::Partition));
        assert_eq!(net.blocked(A, C), None);
        net.heal_partitions();
        assert_eq!(net.blocked(A, B), None);
    }

    #[test]
    fn a_one_way_partition_blocks_only_one_direction() {
        let mut net = Network::default();
        net.partition_one_way(A, B);
        assert!(net.blocked(A, B).is_some());
        assert!(net.blocked(B, A).is_none());
    }

    #[test]
    fn loss_one_drops_everything_and_loss_zero_nothing() {
        let mut rng = SimRng::new(3);
        let mut all = Network::new(LinkConfig {
            loss_ppm: 1_000_000,
            ..Default::default()
        });
        assert!((0..200).all(|_| all.route(&mut rng, 0, A, B) == Route::Drop(DropReason::Loss)));
        let mut none = Network::default();
        assert!((0..200).all(|_| matches!(none.route(&mut rng, 0, A, B), Route::Deliver { .. })));
    }

    #[test]
    fn a_held_link_holds_until_released() {
        let mut net = Network::default();
        let mut rng = SimRng::new(4);
        net.hold(A, B);
        assert_eq!(net.route(&mut rng, 0, A, B), Route::Hold);
        net.release(A, B);
        assert!(matches!(
            net.route(&mut rng, 0, A, B),
            Route::Deliver { .. }
        ));
    }
}
