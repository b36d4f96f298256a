//! Disk faults on the full deployment, through scenario inputs: a full queue disk refuses new
//! orders with its reason and takes them again once it has space; a torn record keeps the
//! queue down with the reason in the trace; per-node disk timings from the cluster config.

use super::*;
use crate::checkout::CheckoutStatus;
use crate::sim::trace::TraceKind;
use crate::sim::{ms, Liveness};

fn input(at_ms: u64, action: Action) -> TimedInput {
    TimedInput::at(at_ms, action)
}

fn disk_full(at_ms: u64, on: bool) -> TimedInput {
    let node = "queue".to_string();
    input(at_ms, Action::DiskFull { node, on })
}

#[test]
fn a_full_queue_disk_refuses_new_orders_with_the_reason_and_takes_them_once_it_has_space() {
    let mut sys = system(
        config(Election::Raft),
        21,
        vec![
            disk_full(2000, true),
            checkout(3000, order(1, "Dune", 1)),
            disk_full(6000, false),
            checkout(7000, order(2, "Dune", 1)),
        ],
    );
    sys.run_until(secs(25));
    let records = sys.client_records();
    let first = records[0].response.as_ref().expect("answered");
    assert_eq!(first.status, CheckoutStatus::Rejected);
    assert!(
        first.errors.iter().any(|e| e.message.contains("disk full")),
        "{first:?}"
    );
    let second = records[1].response.as_ref().expect("answered");
    assert_eq!(second.status, CheckoutStatus::Approved, "{second:?}");
    let queue = sys.world().node_id("queue").expect("queue");
    let on_disk = sys.world().durable(queue).expect("node");
    let mentions = |id: &str| on_disk.entries().any(|(_, v)| v.contains(id));
    assert!(!mentions(&first.order_id) && mentions(&second.order_id));
    assert_eq!(
        finals(&sys)[1],
        ("COMMITTED".to_string(), None),
        "the order after the disk emptied runs to the end"
    );
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn a_torn_queue_record_keeps_the_queue_down_and_the_trace_says_why() {
    let mut sys = system(
        config(Election::Raft),
        22,
        vec![
            checkout(3000, order(1, "Dune", 1)),
            input(9000, Action::CorruptDisk("queue".into())),
            input(9100, Action::Crash("queue".into())),
            input(9200, Action::Restart("queue".into())),
        ],
    );
    sys.run_until(secs(12));
    let queue = sys.world().node_id("queue").expect("queue");
    assert_eq!(sys.world().liveness(queue), Some(Liveness::Crashed));
    assert!(
        sys.input_errors
            .iter()
            .any(|(_, e)| e.contains("queue refused to start") && e.contains("checksum")),
        "{:?}",
        sys.input_errors
    );
    let traced = sys.world().trace().since(0).any(|e| {
        e.node == queue
            && matches!(&e.kind, TraceKind::Log { text } if text.contains("refused to start"))
    });
    assert!(traced, "the reason is in the trace");
}

/// A slow disk on the queue (50 ms fsyncs): an order is enqueued (durably) that long after
/// the request arrives, against about a millisecond with the default disk.
#[test]
fn a_node_override_gives_one_node_its_own_disk() {
    let mut cfg = config(Election::Raft);
    cfg.disk.nodes.insert(
        "queue".into(),
        crate::system::config::DiskOverride {
            fsync_us: Some(ms(50)),
            fsync_jitter_us: Some(0),
        },
    );
    let enqueue_latency = |cfg: ClusterConfig| {
        let mut sys = system(cfg, 23, vec![checkout(3000, order(1, "Dune", 1))]);
        sys.run_until(secs(10));
        let trace = sys.world().trace();
        let arrived = trace.since(0).find_map(|e| match &e.kind {
            TraceKind::Deliver {
                label: "Enqueue", ..
            } => Some(e.t_us),
            _ => None,
        });
        let enqueued = trace.since(0).find_map(|e| match &e.kind {
            TraceKind::Order { status, .. } if status == "enqueued" => Some(e.t_us),
            _ => None,
        });
        enqueued.expect("enqueued") - arrived.expect("arrived")
    };
    let slow = enqueue_latency(cfg);
    let normal = enqueue_latency(config(Election::Raft));
    assert!(
        slow >= ms(50) && normal <= ms(2),
        "slow {slow} µs, normal {normal} µs"
    );
    let mut bad = config(Election::Raft);
    bad.disk.nodes.insert("nobody".into(), Default::default());
    let err = System::new(bad, 1).err().expect("refused");
    assert!(
        err.contains("cluster.disk.nodes") && err.contains("nobody"),
        "{err}"
    );
}

#[test]
fn disk_inputs_round_trip_through_json_and_bad_ones_name_the_field() {
    for action in [
        Action::DiskFull {
            node: "queue".into(),
            on: true,
        },
        Action::CorruptDisk("payment".into()),
    ] {
        let i = input(5, action);
        assert_eq!(TimedInput::from_json(&i.to_json(), "i"), Ok(i));
    }
    let bad = serde_json::json!({"at_ms": 1, "disk_full": {"node": "queue"}});
    let err = TimedInput::from_json(&bad, "inputs[0]").expect_err("no on");
    assert!(err.contains("inputs[0].disk_full.on"), "{err}");
}
