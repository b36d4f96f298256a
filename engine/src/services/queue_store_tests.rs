use super::queue_store::{log_key, QueueStore, LOG_COMPACT_RECORDS, LOG_PREFIX};
use crate::protocol::order_queue::{OrderQueue, QueueConfig, QueueEntry, ShippingMethod};
use crate::sim::NodeId;
use crate::sim::{DiskError, DurableStore};

const EXEC: NodeId = NodeId(3);

fn entry(i: u64) -> QueueEntry {
    QueueEntry {
        order_id: format!("ord-{i:06}"),
        total_quantity: 1 + (i % 3) as u32,
        shipping: ShippingMethod::ALL[(i % 3) as usize],
        gift_wrap: false,
        country: Some("Estonia".into()),
        enqueued_at_us: i * 1_000,
        // About the size of a real approved order's JSON.
        payload: format!(
            "{{\"orderId\":\"ord-{i:06}\",\"request\":\"{}\"}}",
            "x".repeat(400)
        ),
    }
}

/// Persists what the last change made, and syncs it, as the queue node does.
fn persist(q: &mut OrderQueue, store: &mut QueueStore, disk: &mut DurableStore) {
    store.append(disk, q).expect("the disk has space");
    disk.sync_all();
}

/// Order `i`: enqueued, leased and (if `ack`) acknowledged, each call persisted at once.
fn cycle(q: &mut OrderQueue, store: &mut QueueStore, disk: &mut DurableStore, i: u64, ack: bool) {
    q.enqueue(entry(i)).expect("accepted");
    persist(q, store, disk);
    let lease = q
        .dequeue(i * 1_000, 1, EXEC)
        .expect("not fenced")
        .expect("an order");
    persist(q, store, disk);
    if ack {
        q.ack(lease.order_id(), lease.lease_id, 1).expect("acked");
        persist(q, store, disk);
    }
}

fn empty() -> (OrderQueue, QueueStore, DurableStore) {
    let disk = DurableStore::default();
    let (q, store) = QueueStore::load(&disk, QueueConfig::default()).expect("an empty disk loads");
    (q, store, disk)
}

#[test]
fn a_restart_rebuilds_the_same_queue_from_the_log() {
    let (mut q, mut store, mut disk) = empty();
    for i in 0..300 {
        cycle(&mut q, &mut store, &mut disk, i, i % 4 != 0);
    }
    q.expire_leases(250_000);
    persist(&mut q, &mut store, &mut disk);
    for i in 300..310 {
        q.enqueue(entry(i)).expect("accepted");
        persist(&mut q, &mut store, &mut disk);
    }
    let (back, back_store) = QueueStore::load(&disk, QueueConfig::default()).expect("loads");
    assert_eq!(back.to_durable(), q.to_durable());
    assert_eq!(back_store, store);
    assert!(
        disk.scan_prefix(LOG_PREFIX).count() > 300,
        "one key per record, no snapshot yet"
    );
}

#[test]
fn compaction_keeps_the_state_identical_and_the_log_bounded() {
    let (mut q, mut store, mut disk) = empty();
    let cycles = 2 * LOG_COMPACT_RECORDS; // 3 records a cycle: several compactions
    for i in 0..cycles {
        cycle(&mut q, &mut store, &mut disk, i, i % 10 != 0);
        assert!(
            store.log_len() <= LOG_COMPACT_RECORDS + 4,
            "log bounded at cycle {i}"
        );
    }
    let keys: Vec<&str> = disk.scan_prefix(LOG_PREFIX).map(|(k, _)| k).collect();
    assert_eq!(keys.len() as u64, store.log_len());
    assert!(
        disk.get::<serde_json::Value>(keys[0])
            .is_some_and(|v| v.get("snapshot").is_some()),
        "the oldest key is the snapshot"
    );
    let (back, _) = QueueStore::load(&disk, QueueConfig::default()).expect("loads");
    assert_eq!(back.to_durable(), q.to_durable());
    // Compacting again at once changes nothing either.
    store.compact(&mut disk, &q).expect("space");
    assert_eq!(
        QueueStore::load(&disk, QueueConfig::default())
            .expect("loads")
            .0
            .to_durable(),
        q.to_durable()
    );
}

#[test]
fn a_log_with_a_gap_is_refused_with_the_key() {
    let (mut q, mut store, mut disk) = empty();
    for i in 0..3 {
        cycle(&mut q, &mut store, &mut disk, i, true);
    }
    disk.remove(&log_key(4)).expect("space");
    let err = QueueStore::load(&disk, QueueConfig::default()).err();
    assert!(err.is_some_and(|e| e.contains(&log_key(5)) && e.contains("gap")));
}

#[test]
fn durable_bytes_per_operation_stay_flat_over_100k_orders() {
    let (mut q, mut store, mut disk) = empty();
    let window: u64 = 10_000;
    let mut per_cycle_bytes = Vec::new();
    for i in 0..100_000 {
        if i % window == 0 {
            per_cycle_bytes.push(disk.bytes_written());
        }
        cycle(&mut q, &mut store, &mut disk, i, true);
    }
    per_cycle_bytes.push(disk.bytes_written());
    let avg: Vec<u64> = per_cycle_bytes
        .windows(2)
        .map(|w| (w[1] - w[0]) / window)
        .collect();
    // Once the acknowledged window is full (50,000), snapshots stop growing: flat within 10 %.
    eprintln!("durable bytes per order (enqueue + lease + ack), by 10,000 orders: {avg:?}");
    let (settled, last) = (avg[6], avg[9]);
    assert!(
        last * 10 <= settled * 11 && settled * 10 <= last * 11,
        "bytes per order: {avg:?}"
    );
    // And small: rewriting the whole state per operation would cost megabytes here.
    assert!(last < 4_096, "bytes per order: {avg:?}");
    assert!(store.log_len() <= LOG_COMPACT_RECORDS + 4);
}

#[test]
fn records_a_full_disk_refused_are_written_first_once_it_has_space() {
    let (mut q, mut store, mut disk) = empty();
    cycle(&mut q, &mut store, &mut disk, 0, false);
    disk.set_full(true);
    assert_eq!(
        q.expire_leases(u64::MAX).len(),
        1,
        "a change nobody asked for"
    );
    assert_eq!(store.append(&mut disk, &mut q), Err(DiskError::Full));
    disk.set_full(false);
    q.enqueue(entry(1)).expect("accepted");
    let records = store.append(&mut disk, &mut q).expect("space again");
    assert!(
        records >= 2,
        "the refused record and the new one: {records}"
    );
    let (back, back_store) = QueueStore::load(&disk, QueueConfig::default()).expect("loads");
    assert_eq!(back.to_durable(), q.to_durable());
    assert_eq!(back_store, store);
}
