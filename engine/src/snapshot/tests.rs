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
    let s = Scenario::parse(r#"{"cluster": {"checkout": false, "ping_nodes": 16}}"#).expect("parses");
    let sys = s.build(1).expect("builds");
    let pts = place(&sys.world().nodes());
    assert_eq!(pts.len(), 16);
    for (i, p) in pts.iter().enumerate() {
        assert!(p.x >= 0.0 && p.x <= MESH_WIDTH as f32 && p.y >= 0.0 && p.y <= MESH_HEIGHT as f32, "{p:?}");
        for q in &pts[i + 1..] {
            assert!((p.x - q.x).abs() + (p.y - q.y).abs() > 40.0, "{p:?} {q:?}");
        }
    }
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
    assert!(snap.drops.iter().any(|d| d.reason == "loss") || snap.log.iter().any(|l| l.text.contains("dropped (loss)")));
}

#[test]
fn a_snapshot_can_live_in_a_thread_safe_signal() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Snapshot>();
}

#[test]
fn the_history_keeps_milestones_that_chatty_lines_push_out_of_the_log() {
    let s = Scenario::parse(r#"{"until_ms": 60000, "inputs": [{"at_ms": 2500, "checkout": "example"}, {"at_ms": 4000, "crash": "fraud"}]}"#).expect("parses");
    let mut sys = s.build(1).expect("builds");
    let mut b = SnapshotBuilder::default();
    sys.run_until(60_000_000);
    let snap = b.build(&sys);
    assert!(snap.history.iter().all(|l| l.kind != "log" && l.kind != "event"));
    assert!(snap.history.iter().any(|l| l.kind == "crash" && l.node == "fraud"));
    assert!(snap.history.iter().any(|l| l.kind == "executed" && l.text.contains("ord-0001")));
    assert!(snap.history.len() <= log_tail::HISTORY_LINES);
}
