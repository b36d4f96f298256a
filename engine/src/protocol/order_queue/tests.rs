use super::*;
use crate::sim::NodeId;

const S: u64 = 1_000_000;
const EXEC: NodeId = NodeId(7);

fn order(id: &str, qty: u32, shipping: ShippingMethod, gift: bool, at: u64) -> QueueEntry {
    QueueEntry {
        order_id: id.to_string(),
        total_quantity: qty,
        shipping,
        gift_wrap: gift,
        country: None,
        enqueued_at_us: at,
        payload: format!("{{\"orderId\":\"{id}\"}}"),
    }
}

fn take(q: &mut OrderQueue, now: u64, term: u64) -> Lease {
    q.dequeue(now, term, EXEC)
        .expect("not fenced")
        .expect("an order is waiting")
}

fn drain_ids(q: &mut OrderQueue, now: u64) -> Vec<String> {
    let mut ids = Vec::new();
    while let Ok(Some(l)) = q.dequeue(now, 1, EXEC) {
        ids.push(l.order_id().to_string());
    }
    ids
}

#[test]
fn shipping_dominates_then_quantity_then_gift_wrap_then_arrival() {
    use ShippingMethod::*;
    let mut q = OrderQueue::new(QueueConfig::default());
    for e in [
        order("std-big-gift", 50, Standard, true, 0),
        order("prio-1", 1, Priority, false, 0),
        order("exp-1", 1, Express, false, 0),
        order("prio-3", 3, Priority, false, 0),
        order("prio-3-gift", 3, Priority, true, 0),
        order("prio-3-later", 3, Priority, false, 0),
    ] {
        q.enqueue(e).expect("accepted");
    }
    let ids = drain_ids(&mut q, 0);
    assert_eq!(
        ids,
        [
            "exp-1",
            "prio-3-gift",
            "prio-3",
            "prio-3-later",
            "prio-1",
            "std-big-gift"
        ]
    );
}

#[test]
fn the_base_formula_gives_the_documented_points() {
    let p = PriorityConfig {
        country_bonus: vec![("EE".into(), 25)],
        ..PriorityConfig::default()
    };
    let mut e = order("x", 3, ShippingMethod::Priority, true, 0);
    e.country = Some(" ee ".into());
    assert_eq!(p.base_priority(&e), 150 + 3 * 10 + 30 + 25);
    e.total_quantity = 1_000;
    assert_eq!(
        p.base_priority(&e),
        150 + 10 * 10 + 30 + 25,
        "quantity is capped"
    );
    assert_eq!(
        p.effective_priority(&e, 2_999_999),
        p.base_priority(&e) + 20
    );
    assert_eq!(p.max_base_priority(), 300 + 100 + 30 + 25);
}

#[test]
fn aging_lets_an_old_standard_order_overtake_a_fresh_express_one() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("old-standard", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let fresh_at = 60 * S;
    q.enqueue(order(
        "fresh-express",
        1,
        ShippingMethod::Express,
        false,
        fresh_at,
    ))
    .expect("ok");
    assert_eq!(q.status(fresh_at).head.as_deref(), Some("old-standard"));
    let view = q.snapshot_in_priority_order(fresh_at);
    assert_eq!(view[0].effective_priority, 10 + 60 * 10);
    assert_eq!(view[1].effective_priority, 310);
}

#[test]
fn enqueue_reports_the_position_in_priority_order() {
    let mut q = OrderQueue::new(QueueConfig::default());
    assert_eq!(
        q.enqueue(order("a", 1, ShippingMethod::Standard, false, 0)),
        Ok(0)
    );
    assert_eq!(
        q.enqueue(order("b", 1, ShippingMethod::Express, false, 0)),
        Ok(0)
    );
    assert_eq!(
        q.enqueue(order("c", 1, ShippingMethod::Priority, false, 0)),
        Ok(1)
    );
    assert_eq!(
        q.enqueue(order("d", 1, ShippingMethod::Standard, false, 0)),
        Ok(3)
    );
}

#[test]
fn enqueueing_the_same_order_twice_keeps_one_copy_in_every_state() {
    let mut q = OrderQueue::new(QueueConfig::default());
    let e = order("o1", 1, ShippingMethod::Standard, false, 0);
    q.enqueue(e.clone()).expect("first");
    let dup = |state| {
        Err(EnqueueError::Duplicate {
            order_id: "o1".into(),
            state,
        })
    };
    assert_eq!(q.enqueue(e.clone()), dup(OrderState::Queued));
    let lease = take(&mut q, 1, 1);
    assert_eq!(q.enqueue(e.clone()), dup(OrderState::InFlight));
    q.ack("o1", lease.lease_id, 1).expect("ack");
    assert_eq!(q.enqueue(e), dup(OrderState::Executed));
    assert_eq!(q.status(2).length + q.status(2).in_flight, 0);
}

#[test]
fn an_unacknowledged_order_comes_back_with_its_original_enqueue_time() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("o1", 1, ShippingMethod::Standard, false, 5))
        .expect("ok");
    let lease = take(&mut q, 10, 1);
    assert_eq!(lease.deadline_us, 10 + q.config().lease_us);
    assert!(q.expire_leases(lease.deadline_us - 1).is_empty());
    assert_eq!(q.expire_leases(lease.deadline_us), vec!["o1".to_string()]);
    let again = take(&mut q, lease.deadline_us, 2);
    assert_eq!(again.order.entry.enqueued_at_us, 5);
    assert_eq!(again.order.seq, lease.order.seq);
    assert_eq!(again.order.deliveries, 2);
    assert!(again.lease_id > lease.lease_id);
}

#[test]
fn the_old_leaseholder_cannot_ack_after_its_lease_expired() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("o1", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let first = take(&mut q, 0, 1);
    q.expire_leases(first.deadline_us);
    let unknown = Err(AckError::UnknownLease {
        order_id: "o1".into(),
        lease_id: first.lease_id,
    });
    assert_eq!(
        q.ack("o1", first.lease_id, 1),
        unknown,
        "expired and back in the queue"
    );
    let second = take(&mut q, first.deadline_us, 1);
    assert_eq!(
        q.ack("o1", first.lease_id, 1),
        unknown,
        "re-leased to someone else"
    );
    assert_eq!(q.ack("o1", second.lease_id, 1), Ok(()));
}

#[test]
fn an_acked_order_is_never_handed_out_again_and_a_repeated_ack_is_harmless() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("o1", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let lease = take(&mut q, 0, 1);
    assert_eq!(q.ack("o1", lease.lease_id, 1), Ok(()));
    assert_eq!(
        q.ack("o1", lease.lease_id, 1),
        Ok(()),
        "retry of a lost ack reply"
    );
    assert!(q.expire_leases(u64::MAX).is_empty());
    assert_eq!(q.dequeue(u64::MAX, 1, EXEC), Ok(None));
    assert_eq!(q.state_of("o1"), Some(OrderState::Executed));
    assert_eq!(q.status(0).executed, 1);
}

#[test]
fn a_deposed_leader_is_fenced_from_dequeue_ack_and_extend() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("o1", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    q.enqueue(order("o2", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let old = take(&mut q, 0, 3);
    take(&mut q, 1, 5); // a new leader with term 5 shows up
    assert_eq!(q.dequeue(2, 3, NodeId(1)), Err(Fenced { highest_term: 5 }));
    assert_eq!(
        q.ack("o1", old.lease_id, 3),
        Err(AckError::Fenced { highest_term: 5 })
    );
    assert_eq!(
        q.extend_lease("o1", old.lease_id, 4, 2),
        Err(AckError::Fenced { highest_term: 5 })
    );
    assert_eq!(q.observe_term(4), Err(Fenced { highest_term: 5 }));
    assert_eq!(q.status(2).highest_term, 5);
}

#[test]
fn extending_a_lease_moves_its_deadline_and_keeps_it_from_expiring() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("o1", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let lease = take(&mut q, 0, 1);
    let deadline = q
        .extend_lease("o1", lease.lease_id, 1, 8 * S)
        .expect("extended");
    assert_eq!(deadline, 8 * S + q.config().lease_us);
    assert!(q.expire_leases(lease.deadline_us).is_empty());
    assert_eq!(q.next_lease_deadline_us(), Some(deadline));
}

#[test]
fn the_durable_state_survives_a_json_round_trip_with_everything_in_it() {
    let mut q = OrderQueue::new(QueueConfig::default());
    for (i, s) in ShippingMethod::ALL.iter().enumerate() {
        q.enqueue(order(&format!("o{i}"), 2, *s, i == 1, i as u64))
            .expect("ok");
    }
    let done = take(&mut q, 10, 4);
    q.ack(done.order_id(), done.lease_id, 4).expect("ack");
    let flying = take(&mut q, 11, 4);
    let json = serde_json::to_string(&q.to_durable()).expect("serialize");
    let state: QueueDurable = serde_json::from_str(&json).expect("deserialize");
    let mut back = OrderQueue::from_durable(state, QueueConfig::default()).expect("valid");
    assert_eq!(back.to_durable(), q.to_durable());
    assert_eq!(back.status(12), q.status(12));
    assert_eq!(back.dequeue(12, 3, EXEC), Err(Fenced { highest_term: 4 }));
    assert_eq!(back.ack(flying.order_id(), flying.lease_id, 4), Ok(()));
    let next = take(&mut back, 13, 4);
    assert!(
        next.lease_id > flying.lease_id,
        "lease ids are never reused after a restart"
    );
}

#[test]
fn a_stored_state_with_an_order_twice_is_refused() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("o1", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let mut state = q.to_durable();
    state.executed.push(("o1".into(), 99));
    let err = OrderQueue::from_durable(state, QueueConfig::default()).err();
    assert!(err.is_some_and(|e| e.contains("o1")));
}

#[test]
fn status_counts_waiting_orders_by_shipping_method() {
    use ShippingMethod::*;
    let mut q = OrderQueue::new(QueueConfig::default());
    for (id, s) in [
        ("a", Standard),
        ("b", Express),
        ("c", Standard),
        ("d", Priority),
    ] {
        q.enqueue(order(id, 1, s, false, 0)).expect("ok");
    }
    take(&mut q, 0, 1);
    let st = q.status(0);
    assert_eq!(st.length, 3);
    assert_eq!(st.in_flight, 1);
    assert_eq!(
        st.by_shipping,
        ShippingCounts {
            standard: 2,
            priority: 1,
            express: 0
        }
    );
    assert_eq!(st.head.as_deref(), Some("d"));
}

#[test]
fn bad_entries_and_a_full_queue_are_refused_with_reasons() {
    let cfg = QueueConfig {
        capacity: 2,
        ..QueueConfig::default()
    };
    let mut q = OrderQueue::new(cfg);
    let invalid = |e: QueueEntry| matches!(q.clone().enqueue(e), Err(EnqueueError::Invalid { .. }));
    assert!(invalid(order("", 1, ShippingMethod::Standard, false, 0)));
    assert!(invalid(order(
        &"x".repeat(MAX_ORDER_ID_BYTES + 1),
        1,
        ShippingMethod::Standard,
        false,
        0
    )));
    assert!(invalid(order(
        "zero",
        0,
        ShippingMethod::Standard,
        false,
        0
    )));
    let mut big = order("big", 1, ShippingMethod::Standard, false, 0);
    big.payload = "x".repeat(MAX_PAYLOAD_BYTES + 1);
    assert!(invalid(big));
    q.enqueue(order("a", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    q.enqueue(order("b", 1, ShippingMethod::Standard, false, 0))
        .expect("ok");
    let full = q.enqueue(order("c", 1, ShippingMethod::Standard, false, 0));
    assert_eq!(full, Err(EnqueueError::Full { capacity: 2 }));
    assert!(ShippingMethod::parse("teleport").is_none());
    assert_eq!(
        ShippingMethod::parse(" Express "),
        Some(ShippingMethod::Express)
    );
}

#[test]
fn the_top_of_the_queue_is_the_prefix_of_the_full_ranking() {
    use ShippingMethod::*;
    let mut q = OrderQueue::new(QueueConfig::default());
    for i in 0..300u64 {
        let shipping = [Standard, Priority, Express][(i * 7 % 3) as usize];
        let (id, qty, gift) = (format!("o{i}"), 1 + (i % 5) as u32, i % 4 == 0);
        q.enqueue(order(&id, qty, shipping, gift, i * 97_000))
            .expect("ok");
    }
    let now = 40 * S;
    let full = q.snapshot_in_priority_order(now);
    assert_eq!(full.len(), 300);
    for limit in [0, 1, 17, 299, 300, 1_000] {
        let top = q.top_in_priority_order(now, limit);
        assert_eq!(top[..], full[..limit.min(300)], "limit {limit}");
    }
}

#[test]
fn a_repeated_dequeue_request_gets_the_same_lease_until_it_ends() {
    use ShippingMethod::*;
    let mut q = OrderQueue::new(QueueConfig::default());
    for id in ["a", "b", "c"] {
        q.enqueue(order(id, 1, Standard, false, 0))
            .expect("accepted");
    }
    let first = q
        .dequeue_request(0, 1, EXEC, 41)
        .expect("not fenced")
        .expect("a");
    assert!(!first.repeated);
    // The reply was lost: the same request again is the same lease, and takes nothing new.
    let again = q
        .dequeue_request(S, 1, EXEC, 41)
        .expect("not fenced")
        .expect("a");
    assert!(again.repeated);
    assert_eq!(again.lease, first.lease);
    assert_eq!(q.status(S).in_flight, 1);
    // Another request, or the same id from another executor, is a new dequeue.
    let other = q
        .dequeue_request(S, 1, EXEC, 42)
        .expect("not fenced")
        .expect("b");
    assert_ne!(other.lease.order_id(), first.lease.order_id());
    let elsewhere = q
        .dequeue_request(S, 1, NodeId(8), 41)
        .expect("not fenced")
        .expect("c");
    assert!(!elsewhere.repeated);
    // Once the lease ran out the order is back in the queue; a late retry takes it anew.
    let after = q.config().lease_us + S;
    q.expire_leases(after);
    let late = q
        .dequeue_request(after, 1, EXEC, 41)
        .expect("not fenced")
        .expect("an order");
    assert!(!late.repeated);
    assert_ne!(late.lease.lease_id, first.lease.lease_id);
}

#[test]
fn a_repeated_dequeue_from_a_deposed_term_is_fenced() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("a", 1, ShippingMethod::Standard, false, 0))
        .expect("accepted");
    q.dequeue_request(0, 1, EXEC, 1)
        .expect("not fenced")
        .expect("a");
    q.dequeue(0, 2, NodeId(8)).expect("a newer term");
    assert_eq!(
        q.dequeue_request(0, 1, EXEC, 1),
        Err(Fenced { highest_term: 2 })
    );
}
