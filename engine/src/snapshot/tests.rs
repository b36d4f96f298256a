use super::layout::*;
use super::*;
use crate::scenario::Scenario;

#[test]
fn a_message_moves_from_sender_to_receiver_over_its_flight() {
    let (a, b) = (Point { x: 0.0, y: 0.0 }, Point { x: 100.0, y: 0.0 });
    assert_eq!(progress_permille(1000, 2000, 500), 0);
    assert_eq!(progress_permille(1000, 2000, 1500), 500);
    assert_eq!(progress_permille(1000, 2000, 9999), 1000);
    let mid = along(a, b, 500);
    assert!((mid.x - 50.0).abs() < 0.01);
    // shifted to the right of travel, so a→b and b→a don't overlap
    assert!((along(a, b, 500).y - along(b, a, 500).y).abs() > 10.0);
}

#[test]
fn every_node_is_placed_inside_the_canvas_and_no_two_overlap() {
    let s =
        Scenario::parse(r#"{"cluster": {"checkout": false, "ping_nodes": 16}}"#).expect("parses");
    let sys = s.build(1).expect("builds");
    let pts = place(&sys.world().nodes());
    assert_eq!(pts.len(), 16);
    for (i, p) in pts.iter().enumerate() {
        assert!(
            p.x >= 0.0 && p.x <= MESH_WIDTH as f32 && p.y >= 0.0 && p.y <= MESH_HEIGHT as f32,
            "{p:?}"
        );
        for q in &pts[i + 1..] {
            assert!((p.x - q.x).abs() + (p.y - q.y).abs() > 40.0, "{p:?} {q:?}");
        }
    }
}

fn assert_spread(pts: &[Point]) {
    for (i, p) in pts.iter().enumerate() {
        assert!(
            p.x >= 20.0
                && p.x <= MESH_WIDTH as f32 - 20.0
                && p.y >= 20.0
                && p.y <= MESH_HEIGHT as f32 - 20.0,
            "{p:?}"
        );
        for q in &pts[i + 1..] {
            let d = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
            assert!(d > 55.0, "{p:?} {q:?} only {d:.0} apart");
        }
    }
}

#[test]
fn the_fulfilment_half_gets_its_own_column_without_overlaps() {
    for cluster in [
        r#"{"cluster": {}}"#,
        r#"{"cluster": {"db_nodes": 7, "executors": 5, "election": "lease"}}"#,
        r#"{"cluster": {"db_nodes": 5, "executors": 3, "election": "bully"}}"#,
        r#"{"cluster": {"db_nodes": 7, "executors": 7}}"#,
    ] {
        let sys = Scenario::parse(cluster)
            .expect("parses")
            .build(1)
            .expect("builds");
        let nodes = sys.world().nodes();
        let pts = place(&nodes);
        assert!(
            nodes.iter().any(|n| n.service == "books-db")
                && nodes.iter().any(|n| n.service == "payment"),
            "{cluster}"
        );
        assert_spread(&pts);
        let x_of = |svc: &str| {
            nodes
                .iter()
                .zip(&pts)
                .filter(|(n, _)| n.service == svc)
                .map(|(_, p)| p.x)
                .fold(0.0f32, f32::max)
        };
        let min_db = nodes
            .iter()
            .zip(&pts)
            .filter(|(n, _)| n.service == "books-db")
            .map(|(_, p)| p.x)
            .fold(f32::MAX, f32::min);
        assert!(
            x_of("queue") < min_db && x_of("executor") < min_db,
            "the database sits right of the executors: {cluster}"
        );
    }
}

#[test]
fn without_the_database_the_checkout_layout_is_unchanged() {
    let sys = Scenario::parse(r#"{"cluster": {"db_nodes": 0}}"#)
        .expect("parses")
        .build(1)
        .expect("builds");
    let nodes = sys.world().nodes();
    let pts = place(&nodes);
    let queue = nodes
        .iter()
        .position(|n| n.service == "queue")
        .expect("a queue");
    assert_eq!(pts[queue], Point { x: 640.0, y: 280.0 });
    assert_spread(&pts);
}

#[test]
fn a_snapshot_shows_messages_in_flight_and_drops_with_their_reason() {
    let s = Scenario::parse(r#"{"cluster": {"checkout": false, "ping_nodes": 4, "latency_ms": 50}, "inputs": [{"at_ms": 1000, "loss": 1.0}]}"#).expect("parses");
    let mut sys = s.build(1).expect("builds");
    let mut b = SnapshotBuilder::default();
    sys.run_until(20_000);
    let snap = b.build(&sys);
    assert_eq!(snap.nodes.len(), 4);
    assert!(!snap.messages.is_empty(), "pings are on the wire at 20 ms");
    assert!(snap.messages.iter().all(|m| m.progress_permille <= 1000));
    sys.run_until(1_500_000);
    let snap = b.build(&sys);
    assert!(
        snap.drops
            .iter()
            .any(|d| d.reason == crate::sim::trace::DropReason::Loss)
            || snap.log.iter().any(|l| l.text.contains("dropped (loss)"))
    );
}

#[test]
fn each_node_carries_its_clock_against_true_time() {
    let s = Scenario::parse(r#"{"cluster": {"checkout": false, "ping_nodes": 3, "clocks": {"ping-1": {"skew_ms": -200, "drift_ppm": 50000}}}}"#).expect("parses");
    let mut sys = s.build(1).expect("builds");
    sys.run_until(10_000_000);
    let snap = SnapshotBuilder::default().build(&sys);
    let by_name = |name: &str| snap.nodes.iter().find(|n| n.name == name).expect("node");
    // 200 ms behind at the start, then 5 % fast for 10 s: 300 ms ahead.
    let ping1 = by_name("ping-1");
    assert_eq!(ping1.clock.offset_us, 300_000);
    assert_eq!(ping1.clock.drift_ppm, 50_000);
    assert_eq!(ping1.local_now_us(snap.now_us), 10_300_000);
    assert_eq!(by_name("ping-0").clock, crate::sim::ClockReading::default());
    assert_eq!(by_name("ping-0").local_now_us(snap.now_us), snap.now_us);
}

#[test]
fn a_snapshot_can_live_in_a_thread_safe_signal() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Snapshot>();
}

#[test]
fn milestones_and_order_tracks_are_typed_and_outlive_the_log() {
    use crate::order_step::{FaultKind, OrderStep};
    use observations::MilestoneKind;
    let s = Scenario::parse(r#"{"until_ms": 60000, "inputs": [{"at_ms": 2500, "checkout": "example"}, {"at_ms": 4000, "crash": "fraud"}, {"at_ms": 5000, "partition": [["fraud"], ["orchestrator"]]}, {"at_ms": 6000, "heal": true}]}"#).expect("parses");
    let mut sys = s.build(1).expect("builds");
    let mut b = SnapshotBuilder::default();
    sys.run_until(60_000_000);
    let snap = b.build(&sys);
    assert!(snap
        .milestones
        .iter()
        .any(|m| m.what == MilestoneKind::Crash && m.node_name == "fraud"));
    let faults: Vec<FaultKind> = snap
        .milestones
        .iter()
        .filter_map(|m| match &m.what {
            MilestoneKind::Fault { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    assert_eq!(faults, [FaultKind::Harm, FaultKind::Heal]);
    assert!(snap.milestones.len() <= observations::milestones::MILESTONES_MAX);
    // The first order, end to end, without reading a word of log text.
    let track = snap.tracks.get("ord-0001").expect("tracked");
    let steps: Vec<OrderStep> = track.steps.iter().map(|s| s.step).collect();
    for want in [
        OrderStep::Received,
        OrderStep::Validated,
        OrderStep::Enqueued,
        OrderStep::Approved,
        OrderStep::Acked,
    ] {
        assert!(steps.contains(&want), "{want} missing from {steps:?}");
    }
    assert!(!track.leases.is_empty());
    assert!(track.leases[0].executor_name.starts_with("executor-"));
    let executed = track.executed.as_ref().expect("executed");
    assert!(executed.t_us >= track.leases[0].t_us);
    assert!(track.queue_wait_us().is_some());
    // The latency breakdown: every phase it went through, back to back, none negative.
    let phases: Vec<_> = track.phases().iter().map(|p| p.name).collect();
    use observations::PhaseName::*;
    assert_eq!(phases, [Validation, Queue, Execution, Acknowledgement]);
    let p = track.phases();
    assert_eq!(
        p[1].from_us + p[1].took_us,
        p[2].from_us,
        "queue ends at the lease"
    );
    let again = b.build(&sys);
    assert!(Arc::ptr_eq(&snap.tracks, &again.tracks), "no news: shared");
}

#[test]
fn the_snapshot_carries_each_transactions_typed_state_changes() {
    use crate::protocol::two_pc::TxnState;
    let s = Scenario::parse(
        r#"{"until_ms": 30000, "inputs": [{"at_ms": 2500, "checkout": "example"}]}"#,
    )
    .expect("parses");
    let mut sys = s.build(1).expect("builds");
    let mut b = SnapshotBuilder::default();
    sys.run_until(30_000_000);
    let snap = b.build(&sys);
    let mine: Vec<_> = snap
        .txns
        .iter()
        .filter(|e| e.order_id == "ord-0001")
        .collect();
    assert!(
        mine.iter().any(|e| e.state == TxnState::Started),
        "{:?}",
        snap.txns
    );
    assert!(
        mine.iter()
            .any(|e| matches!(e.state, TxnState::Committed | TxnState::Aborted)),
        "{mine:?}"
    );
    assert!(mine.windows(2).all(|w| w[0].t_us <= w[1].t_us));
    let again = b.build(&sys);
    assert!(
        Arc::ptr_eq(&snap.txns, &again.txns),
        "no new facts: the same allocation"
    );
}
