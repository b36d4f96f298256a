//! The anti-starvation bound of `priority.rs`, checked: by a steady high-priority stream that
//! would starve a low-priority order forever without aging, and by seeded random workloads
//! with unacknowledged (redelivered) orders.

use super::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;
use std::collections::{BTreeMap, BTreeSet};

const S: u64 = 1_000_000;
const MS: u64 = 1_000;
const EXEC: NodeId = NodeId(1);

fn entry(id: String, qty: u32, shipping: ShippingMethod, gift: bool, at: u64) -> QueueEntry {
    QueueEntry {
        order_id: id,
        total_quantity: qty,
        shipping,
        gift_wrap: gift,
        country: None,
        enqueued_at_us: at,
        payload: "{}".into(),
    }
}

const BACKLOG: u64 = 20;
const PERIOD_US: u64 = 100 * MS;

/// A backlog of top-priority orders, then one standard 1-item order "low" at t = 0, then a
/// top-priority order every 100 ms forever; the executor takes and acks one order every
/// 100 ms (50 ms after each arrival), so the backlog never drains. Returns the 1-based index
/// and the time of the dequeue that served "low", if it was served within 200 s.
fn serve_low_under_a_steady_stream(cfg: QueueConfig) -> Option<(u64, u64)> {
    let mut q = OrderQueue::new(cfg);
    let top = |id: String, at| entry(id, 10, ShippingMethod::Express, true, at);
    for i in 0..BACKLOG {
        q.enqueue(top(format!("backlog-{i}"), 0)).expect("ok");
    }
    q.enqueue(entry("low".into(), 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    for k in 0..2_000u64 {
        let arrival = k * PERIOD_US;
        if k > 0 {
            q.enqueue(top(format!("stream-{k}"), arrival)).expect("ok");
        }
        let now = arrival + PERIOD_US / 2;
        let lease = q
            .dequeue(now, 1, EXEC)
            .expect("one leader")
            .expect("never empty");
        q.ack(lease.order_id(), lease.lease_id, 1).expect("ack");
        if lease.order_id() == "low" {
            return Some((k + 1, now));
        }
    }
    None
}

#[test]
fn a_low_priority_order_is_served_within_the_computed_bound_despite_a_steady_high_stream() {
    let cfg = QueueConfig::default();
    let p = &cfg.priority;
    let low_base = p.base_priority(&entry("low".into(), 1, ShippingMethod::Standard, false, 0));
    let w = p.overtake_window_us(low_base).expect("aging is on");
    assert_eq!(w, 42 * S, "(430 - 10) points at 10 points per second");
    // Orders that may go first: the backlog, plus the stream orders that arrive before W.
    let arrivals_in_window = (w - 1) / PERIOD_US;
    let bound_dequeues = BACKLOG + arrivals_in_window + 1;
    let bound_us = (bound_dequeues - 1) * PERIOD_US + PERIOD_US / 2;
    let (index, at) = serve_low_under_a_steady_stream(cfg.clone()).expect("low was served");
    assert!(
        index <= bound_dequeues,
        "served at dequeue {index}, bound {bound_dequeues}"
    );
    assert!(at <= bound_us, "served at {at} us, bound {bound_us} us");
}

#[test]
fn without_aging_the_same_stream_starves_the_low_priority_order() {
    let mut cfg = QueueConfig::default();
    cfg.priority.aging_points_per_interval = 0;
    assert_eq!(cfg.priority.overtake_window_us(10), None);
    assert_eq!(serve_low_under_a_steady_stream(cfg), None);
}

/// Per order: how many orders were present when it arrived, and which distinct orders were
/// handed out while it was still waiting for its first dequeue.
#[derive(Default)]
struct Watch {
    enqueued_at_us: u64,
    base: u64,
    present_at_arrival: u64,
    overtaken_by: BTreeSet<String>,
    served: bool,
}

fn random_entry(rng: &mut SimRng, id: String, at: u64) -> QueueEntry {
    let shipping = ShippingMethod::ALL[rng.below(3) as usize];
    let qty = rng.range_inclusive(1, 15) as u32;
    entry(id, qty, shipping, rng.chance_ppm(300_000), at)
}

/// Returns (orders, longest first-dequeue wait in µs).
fn random_workload(seed: u64) -> (usize, u64) {
    let mut rng = SimRng::derive(seed, "queue-workload");
    let cfg = QueueConfig {
        lease_us: 2 * S,
        ..QueueConfig::default()
    };
    let mut q = OrderQueue::new(cfg.clone());
    let mut watch: BTreeMap<String, Watch> = BTreeMap::new();
    let (mut next_arrival, mut next_dequeue) = (0u64, 0u64);
    let mut longest_wait = 0;
    for n in 0.. {
        let now = next_arrival.min(next_dequeue);
        if now > 120 * S {
            break;
        }
        if now == next_arrival {
            let id = format!("o{n}");
            let e = random_entry(&mut rng, id.clone(), now);
            let st = q.status(now);
            let w = Watch {
                enqueued_at_us: now,
                base: cfg.priority.base_priority(&e),
                present_at_arrival: (st.length + st.in_flight) as u64,
                ..Watch::default()
            };
            q.enqueue(e).expect("accepted");
            watch.insert(id, w);
            next_arrival = now + rng.range_inclusive(20 * MS, 200 * MS);
        } else {
            q.expire_leases(now);
            if let Some(lease) = q.dequeue(now, 1, EXEC).expect("one leader") {
                let id = lease.order_id().to_string();
                for (other, w) in watch.iter_mut().filter(|(o, w)| !w.served && **o != id) {
                    if w.enqueued_at_us <= now && q.state_of(other) == Some(OrderState::Queued) {
                        w.overtaken_by.insert(id.clone());
                    }
                }
                if let Some(w) = watch.get_mut(&id).filter(|w| !w.served) {
                    w.served = true;
                    longest_wait = longest_wait.max(now - w.enqueued_at_us);
                }
                // One in ten executors "crash" and never ack: the order comes back later.
                if !rng.chance_ppm(100_000) {
                    q.ack(&id, lease.lease_id, 1).expect("ack");
                }
            }
            next_dequeue = now + 100 * MS;
        }
    }
    let arrivals: Vec<(&String, u64)> =
        watch.iter().map(|(id, w)| (id, w.enqueued_at_us)).collect();
    for (id, w) in &watch {
        let window = cfg
            .priority
            .overtake_window_us(w.base)
            .expect("aging is on");
        let later = arrivals
            .iter()
            .filter(|(other, t)| {
                *other != id && *t >= w.enqueued_at_us && *t < w.enqueued_at_us + window
            })
            .count() as u64;
        let bound = w.present_at_arrival + later;
        let overtaken = w.overtaken_by.len() as u64;
        assert!(
            overtaken <= bound,
            "seed {seed}: {id} overtaken by {overtaken} > bound {bound}"
        );
    }
    (watch.len(), longest_wait)
}

#[test]
fn no_order_is_overtaken_by_more_than_its_bound_in_random_workloads_with_redelivery() {
    let mut longest = 0;
    for seed in crate::testing::seeds(0..20) {
        let _guard =
            crate::testing::SeedGuard::new("no_order_is_overtaken_by_more_than_its_bound", seed);
        let (orders, wait) = random_workload(seed);
        assert!(orders > 500, "seed {seed}: only {orders} orders");
        longest = longest.max(wait);
    }
    // With arrivals outpacing service the backlog is real, so some order had to wait long.
    assert!(
        crate::testing::one_seed_only() || longest > 10 * S,
        "longest first-dequeue wait was only {longest} us"
    );
    eprintln!(
        "queue workloads: longest first-dequeue wait {} ms",
        longest / MS
    );
}
