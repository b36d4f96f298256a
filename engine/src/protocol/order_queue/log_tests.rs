use super::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

const EXEC: NodeId = NodeId(7);

fn order(id: &str, at_us: u64) -> QueueEntry {
    QueueEntry {
        order_id: id.to_string(),
        total_quantity: 1 + (at_us % 3) as u32,
        shipping: ShippingMethod::ALL[(at_us % 3) as usize],
        gift_wrap: at_us.is_multiple_of(2),
        country: None,
        enqueued_at_us: at_us,
        payload: format!("{{\"orderId\":\"{id}\"}}"),
    }
}

/// A seeded mix of every mutating call, with its records collected as the driver would.
fn random_run(seed: u64, steps: u64) -> (OrderQueue, Vec<QueueRecord>) {
    let mut rng = SimRng::new(seed);
    let mut q = OrderQueue::new(QueueConfig {
        lease_us: 5_000,
        ..QueueConfig::default()
    });
    let mut log = Vec::new();
    let mut leases: Vec<Lease> = Vec::new();
    for step in 0..steps {
        let now_us = step * 1_000;
        let term = 1 + step / 500;
        match rng.below(6) {
            0 | 1 => drop(q.enqueue(order(&format!("o{step}"), now_us))),
            2 => leases.extend(q.dequeue(now_us, term, EXEC).ok().flatten()),
            3 if !leases.is_empty() => {
                let l = leases.swap_remove(rng.below(leases.len() as u64) as usize);
                let _ = q.ack(l.order_id(), l.lease_id, term);
            }
            4 if !leases.is_empty() => {
                let l = &leases[rng.below(leases.len() as u64) as usize];
                let _ = q.extend_lease(l.order_id(), l.lease_id, term, now_us);
            }
            _ => drop(q.expire_leases(now_us)),
        }
        log.extend(q.take_records());
    }
    (q, log)
}

#[test]
fn replaying_the_records_rebuilds_the_same_queue() {
    for seed in 1..=5 {
        let (q, log) = random_run(seed, 3_000);
        assert!(log.iter().any(|r| matches!(r, QueueRecord::Acked { .. })));
        assert!(log.iter().any(|r| matches!(r, QueueRecord::Expired { .. })));
        let back = OrderQueue::replay(&log, q.config().clone()).expect("a valid log");
        assert_eq!(back.to_durable(), q.to_durable(), "seed {seed}");
        assert_eq!(back.status(3_000_000), q.status(3_000_000));
    }
}

#[test]
fn a_snapshot_then_the_rest_of_the_log_rebuilds_the_same_queue() {
    let (q, log) = random_run(9, 4_000);
    let (mid, first_half) = random_run(9, 2_000);
    assert_eq!(
        &log[..first_half.len()],
        &first_half[..],
        "the run is deterministic"
    );
    let mut compacted = vec![QueueRecord::Snapshot(mid.to_durable())];
    compacted.extend_from_slice(&log[first_half.len()..]);
    let back = OrderQueue::replay(&compacted, q.config().clone()).expect("valid");
    assert_eq!(back.to_durable(), q.to_durable());
}

#[test]
fn records_are_small_and_name_the_decision() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("a", 0)).expect("ok");
    let lease = q
        .dequeue(10, 3, EXEC)
        .expect("not fenced")
        .expect("an order");
    q.ack("a", lease.lease_id, 3).expect("ack");
    let records = q.take_records();
    assert!(
        matches!(
            &records[..],
            [
                QueueRecord::Enqueued(_),
                QueueRecord::Term { term: 3 },
                QueueRecord::Leased { .. },
                QueueRecord::Acked { .. }
            ]
        ),
        "{records:?}"
    );
    assert!(q.take_records().is_empty(), "taken once");
    assert_eq!(q.ack("a", lease.lease_id, 3), Ok(()));
    assert!(
        q.take_records().is_empty(),
        "a repeated ack changes nothing"
    );
}

#[test]
fn a_log_that_does_not_fit_is_refused() {
    let mut q = OrderQueue::new(QueueConfig::default());
    q.enqueue(order("a", 0)).expect("ok");
    let mut log = q.take_records();
    log.push(QueueRecord::Acked {
        order_id: "a".into(),
        lease_id: 1,
    });
    let err = OrderQueue::replay(&log, QueueConfig::default()).err();
    assert!(err.is_some_and(|e| e.contains("record 1")));
}

#[test]
fn the_acknowledged_set_stays_bounded_after_100k_acks() {
    let mut q = OrderQueue::new(QueueConfig::default());
    let acks: u64 = 100_000;
    for i in 0..acks {
        let id = format!("o{i}");
        q.enqueue(order(&id, i)).expect("accepted");
        let lease = q
            .dequeue(i, 1, EXEC)
            .expect("not fenced")
            .expect("an order");
        q.ack(&id, lease.lease_id, 1).expect("acked");
        q.take_records();
    }
    assert_eq!(q.acknowledged_remembered(), ACKED_WINDOW);
    assert_eq!(
        q.status(acks).executed as u64,
        acks,
        "the count covers every ack"
    );
    let recent = format!("o{}", acks - 1);
    let lease = q.acknowledged_by(&recent).expect("in the window");
    assert_eq!(
        q.ack(&recent, lease, 1),
        Ok(()),
        "the acknowledging lease is still answered Ok"
    );
    assert!(matches!(
        q.enqueue(order(&recent, acks)),
        Err(EnqueueError::Duplicate {
            state: OrderState::Executed,
            ..
        })
    ));
    let oldest_kept = format!("o{}", acks - ACKED_WINDOW as u64);
    assert_eq!(q.state_of(&oldest_kept), Some(OrderState::Executed));
    assert_eq!(q.state_of("o0"), None, "older than the window: forgotten");
    assert_eq!(
        q.to_durable().executed.len(),
        ACKED_WINDOW,
        "and so is the snapshot"
    );
}
