use super::*;
use engine::sim::ClockReading;
use engine::snapshot::layout::Point;
use engine::snapshot::observations::look;
use engine::view::{ExecutorView, ValidatorView};

fn msg_kind(label: &'static str) -> MsgKind {
    look(label).family
}

fn is_negative(label: &'static str) -> bool {
    look(label).negative
}

fn is_chatty(label: &'static str) -> bool {
    look(label).chatty
}

fn short_label(label: &'static str) -> &'static str {
    look(label).short
}

fn names() -> Vec<String> {
    ["client", "orchestrator", "executor-0", "executor-1"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn executor(role: &str, term: u64) -> NodeView {
    NodeView::Executor(ExecutorView {
        algorithm: "raft",
        role: role.into(),
        standing: standing_of(role),
        term,
        voted_for: Some(NodeId(2)),
        leader: Some(NodeId(2)),
        timer_started_us: Some(1_000_000),
        timer_deadline_us: Some(3_000_000),
        commit_index: 4,
        log_len: 5,
        executed: 2,
    })
}

fn snap(name: &str, service: &str, liveness: Liveness, view: NodeView) -> NodeSnap {
    let role = NodeRole::of(liveness, &view);
    NodeSnap {
        id: NodeId(2),
        name: name.into(),
        service: service.into(),
        liveness,
        incarnation: 0,
        role,
        view,
        at: Point::CENTER,
        unsynced_bytes: 0,
        disk_full: false,
        clock: Default::default(),
    }
}

#[test]
fn a_raft_leader_shows_its_term_and_role() {
    let face = node_face(
        &snap(
            "executor-0",
            "executor",
            Liveness::Up,
            executor("leader", 3),
        ),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Leader);
    assert_eq!(face.leader_term, Some(3));
    assert_eq!(face.status, "term 3 · leader");
}

#[test]
fn a_crashed_node_is_crashed_whatever_its_last_view_said() {
    let face = node_face(
        &snap(
            "executor-0",
            "executor",
            Liveness::Crashed,
            executor("leader", 3),
        ),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Crashed);
    assert_eq!(face.leader_term, None, "a dead leader wears no crown");
    let down = node_face(
        &snap("fraud", "fraud", Liveness::Up, NodeView::Down),
        &names(),
        &[],
    );
    assert_eq!(down.role, NodeRole::Crashed);
    assert_eq!(down.status, "crashed");
}

#[test]
fn a_paused_node_says_so_before_its_status() {
    let face = node_face(
        &snap(
            "executor-1",
            "executor",
            Liveness::Paused,
            executor("follower", 2),
        ),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Paused);
    assert_eq!(face.status, "paused · term 2 · follower");
}

#[test]
fn a_raft_pre_candidate_is_drawn_as_a_candidate() {
    let face = node_face(
        &snap(
            "executor-1",
            "executor",
            Liveness::Up,
            executor("pre-candidate", 2),
        ),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Candidate);
}

#[test]
fn bully_and_lease_roles_map_onto_the_same_drawing_roles() {
    let mut v = executor("electing", 4);
    if let NodeView::Executor(e) = &mut v {
        e.algorithm = "bully";
    }
    let face = node_face(
        &snap("executor-1", "executor", Liveness::Up, v),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Candidate);
    assert_eq!(face.status, "epoch 4 · electing");
}

#[test]
fn a_validator_with_its_model_down_is_degraded() {
    let v = NodeView::Validator(ValidatorView {
        model_up: false,
        ..ValidatorView::default()
    });
    let face = node_face(&snap("fraud", "fraud", Liveness::Up, v), &names(), &[]);
    assert!(face.degraded);
    assert_eq!(face.status, "model down");
    assert_eq!(face.role, NodeRole::Service);
}

#[test]
fn monograms_are_short_and_number_the_cluster_members() {
    assert_eq!(monogram("executor-2", "executor"), "E2");
    assert_eq!(monogram("ping-11", "ping"), "11");
    assert_eq!(monogram("queue", "queue"), "Q");
    assert_eq!(monogram("mystery", "custom"), "M");
}

#[test]
fn the_election_timer_runs_down_from_1000_to_0() {
    assert_eq!(
        timer_left_permille(Some(1_000), Some(3_000), 1_000),
        Some(1000)
    );
    assert_eq!(
        timer_left_permille(Some(1_000), Some(3_000), 2_000),
        Some(500)
    );
    assert_eq!(
        timer_left_permille(Some(1_000), Some(3_000), 9_000),
        Some(0)
    );
    assert_eq!(
        timer_left_permille(Some(1_000), Some(3_000), 0),
        Some(1000),
        "before it started it is full"
    );
    assert_eq!(timer_left_permille(None, Some(3_000), 0), None);
    assert_eq!(
        timer_left_permille(Some(3_000), Some(3_000), 0),
        None,
        "an empty timer is not drawn"
    );
}

#[test]
fn checkout_services_are_linked_along_the_order_path_and_the_cluster_is_a_mesh() {
    let nodes: Vec<(NodeId, String)> = [
        "client",
        "orchestrator",
        "verification",
        "fraud",
        "suggestions",
        "queue",
        "executor",
        "executor",
        "executor",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| (NodeId(i as u32), s.to_string()))
    .collect();
    let links = service_links(&nodes);
    let has = |a: u32, b: u32| links.contains(&(NodeId(a), NodeId(b)));
    assert!(has(0, 1), "client → orchestrator");
    assert!(
        has(1, 2) && has(1, 3) && has(1, 4),
        "orchestrator → validators"
    );
    assert!(has(1, 5), "orchestrator → queue");
    assert!(has(5, 6) && has(5, 7) && has(5, 8), "queue → executors");
    assert!(
        has(6, 7) && has(6, 8) && has(7, 8),
        "executors with each other"
    );
    assert!(!has(0, 5), "the client does not talk to the queue");
    assert_eq!(links.len(), 1 + 3 + 1 + 3 + 3);
}

#[test]
fn a_ping_ring_links_each_node_to_the_next() {
    let nodes: Vec<(NodeId, String)> = (0..4).map(|i| (NodeId(i), "ping".to_string())).collect();
    let links = service_links(&nodes);
    assert_eq!(
        links,
        [
            (NodeId(0), NodeId(1)),
            (NodeId(1), NodeId(2)),
            (NodeId(2), NodeId(3)),
            (NodeId(3), NodeId(0))
        ]
    );
}

#[test]
fn blocked_pairs_fold_into_one_cut_per_link_and_remember_one_way_cuts() {
    let down = [
        (NodeId(3), NodeId(1)),
        (NodeId(1), NodeId(3)),
        (NodeId(4), NodeId(2)),
    ];
    let cuts = cut_links(&down);
    assert_eq!(
        cuts,
        [
            CutLink {
                from: NodeId(1),
                to: NodeId(3),
                both_ways: true
            },
            CutLink {
                from: NodeId(4),
                to: NodeId(2),
                both_ways: false
            }
        ]
    );
}

#[test]
fn messages_are_coloured_by_what_they_are_for() {
    assert_eq!(msg_kind("RequestVote"), MsgKind::Election);
    assert_eq!(msg_kind("Vote✓"), MsgKind::Election);
    assert_eq!(msg_kind("PreVote"), MsgKind::Election);
    assert_eq!(msg_kind("PreVote✗"), MsgKind::Election);
    assert_eq!(msg_kind("bully.coordinator"), MsgKind::Election);
    assert_eq!(msg_kind("Heartbeat"), MsgKind::Replication);
    assert_eq!(msg_kind("AppendOk"), MsgKind::Replication);
    assert_eq!(msg_kind("VerifyCreditCardFormat"), MsgKind::Order);
    assert_eq!(msg_kind("CheckoutReply"), MsgKind::Order);
    assert_eq!(msg_kind("Leased"), MsgKind::Queue);
    assert_eq!(msg_kind("lease.acquire"), MsgKind::Lease);
    assert_eq!(msg_kind("Pong"), MsgKind::Ping);
    assert_eq!(msg_kind("Gossip"), MsgKind::Other);
    assert!(MsgKind::ALL.iter().all(|k| k.class().starts_with("msg--")));
}

#[test]
fn refusals_are_negative_and_chatter_is_unlabelled() {
    assert!(is_negative("Vote✗") && is_negative("Fenced") && !is_negative("Vote✓"));
    assert!(is_negative("PreVote✗") && !is_negative("PreVote✓"));
    assert!(is_chatty("Heartbeat") && is_chatty("QueueEmpty") && !is_chatty("RequestVote"));
}

#[test]
fn short_labels_name_dag_events_by_their_letter() {
    assert_eq!(short_label("VerifyItems"), "a · items");
    assert_eq!(short_label("GetSuggestions"), "f · suggest");
    assert_eq!(short_label("RequestVote"), "vote?");
    assert_eq!(short_label("PreVote"), "pre-vote?");
    assert_eq!(short_label("lease.acquire"), "acquire");
    assert_eq!(short_label("Something"), "Something");
}

#[test]
fn the_inspector_lists_an_executors_election_state_by_name() {
    let facts = view_facts(&executor("follower", 2), &names(), 2_000_000);
    let get = |k: &str| {
        facts
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("term").as_deref(), Some("2"));
    assert_eq!(get("voted for").as_deref(), Some("executor-0"));
    assert_eq!(get("leader").as_deref(), Some("executor-0"));
    assert_eq!(get("election timer").as_deref(), Some("1000 ms left"));
    assert_eq!(get("log").as_deref(), Some("5 entries · commit 4"));
}

fn with_clock(mut n: NodeSnap, offset_us: i64, drift_ppm: i64) -> NodeSnap {
    n.clock = ClockReading {
        offset_us,
        drift_ppm,
    };
    n
}

#[test]
fn a_node_off_true_time_wears_its_clock_offset_and_others_do_not() {
    let node = || {
        snap(
            "executor-0",
            "executor",
            Liveness::Up,
            executor("follower", 2),
        )
    };
    let face = |n: NodeSnap| node_face(&n, &names(), &[]).clock;
    assert_eq!(face(node()), None);
    assert_eq!(
        face(with_clock(node(), 300_400, 0)).as_deref(),
        Some("⏱ +300 ms")
    );
    assert_eq!(
        face(with_clock(node(), -120_000, -5_000)).as_deref(),
        Some("⏱ -120 ms")
    );
    // Drifting but not yet a millisecond off: still marked, it will be soon.
    assert_eq!(
        face(with_clock(node(), 400, 50_000)).as_deref(),
        Some("⏱ +0 ms")
    );
}

#[test]
fn the_inspector_judges_a_view_by_the_nodes_own_clock_and_shows_that_clock() {
    let get = |facts: &[(&str, String)], k: &str| {
        facts
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
    };
    // The timer fires at 3 s on the node's clock; true time is 1.5 s and the clock 1 s ahead.
    let ahead = with_clock(
        snap(
            "executor-0",
            "executor",
            Liveness::Up,
            executor("follower", 2),
        ),
        1_000_000,
        50_000,
    );
    let facts = inspector_facts(&ahead, &names(), 1_500_000);
    assert_eq!(
        get(&facts, "election timer").as_deref(),
        Some("500 ms left")
    );
    assert_eq!(
        get(&facts, "clock").as_deref(),
        Some("+1000 ms (local − true) · drift +50000 ppm")
    );
    let plain = snap(
        "executor-0",
        "executor",
        Liveness::Up,
        executor("follower", 2),
    );
    let facts = inspector_facts(&plain, &names(), 1_500_000);
    assert_eq!(
        get(&facts, "election timer").as_deref(),
        Some("1500 ms left")
    );
    assert_eq!(get(&facts, "clock").as_deref(), Some("true time"));
}

#[test]
fn messages_travel_from_edge_to_edge_on_their_own_side_of_the_link() {
    let (a, b) = ((0.0, 0.0), (100.0, 0.0));
    let start = edge_to_edge(a, b, 0, 20.0);
    let end = edge_to_edge(a, b, 1000, 20.0);
    assert!((start.0 - 20.0).abs() < 1e-4 && (end.0 - 80.0).abs() < 1e-4);
    assert!(
        (start.1 - 7.0).abs() < 1e-4,
        "shifted to the right of travel"
    );
    let back = edge_to_edge(b, a, 0, 20.0);
    assert!(
        (back.1 + 7.0).abs() < 1e-4,
        "the reply runs on the other side"
    );
    let close = edge_to_edge(a, (10.0, 0.0), 500, 20.0);
    assert!(
        (close.0 - 5.0).abs() < 1e-4,
        "nodes closer than two radii meet in the middle"
    );
}

#[test]
fn a_node_cut_off_from_everyone_is_drawn_isolated_not_as_a_fan_of_lines() {
    let ids: Vec<NodeId> = (0..4).map(NodeId).collect();
    let mut down = Vec::new();
    for other in 1..4 {
        down.push((NodeId(0), NodeId(other)));
        down.push((NodeId(other), NodeId(0)));
    }
    let talk = [(NodeId(0), NodeId(1)), (NodeId(1), NodeId(2))];
    let view = cut_view(&down, &talk, &ids);
    assert_eq!(view.isolated, [NodeId(0)]);
    assert!(view.lines.is_empty());
}

#[test]
fn only_cuts_on_links_services_use_are_drawn_but_one_way_cuts_always_are() {
    let ids: Vec<NodeId> = (0..4).map(NodeId).collect();
    let down = [
        (NodeId(0), NodeId(1)),
        (NodeId(1), NodeId(0)),
        (NodeId(0), NodeId(3)),
        (NodeId(3), NodeId(0)),
        (NodeId(2), NodeId(3)),
    ];
    let talk = [(NodeId(1), NodeId(0))];
    let view = cut_view(&down, &talk, &ids);
    assert!(view.isolated.is_empty());
    assert_eq!(
        view.lines,
        [
            CutLink {
                from: NodeId(0),
                to: NodeId(1),
                both_ways: true
            },
            CutLink {
                from: NodeId(2),
                to: NodeId(3),
                both_ways: false
            }
        ]
    );
}

#[test]
fn a_link_that_would_cross_another_node_bows_around_it_the_same_way_both_ways() {
    let (orch, fraud, queue) = ((250.0, 280.0), (450.0, 280.0), (640.0, 280.0));
    let there = route(orch, queue, &[fraud], clearance(24.0));
    let back = route(queue, orch, &[fraud], clearance(24.0));
    let c = there.ctrl.expect("bowed");
    assert_eq!(back.ctrl, Some(c), "the reply takes the same curve");
    let mid = there.at(0.5);
    assert!(
        mid.1 < 280.0 - clearance(24.0),
        "passes above fraud with room: {mid:?}"
    );
    assert!(there.path().contains('Q'));
    let clear = route(orch, fraud, &[queue], clearance(24.0));
    assert_eq!(clear.ctrl, None, "nothing in the way: straight");
    assert!(clear.path().contains('L'));
}

#[test]
fn a_node_near_an_end_of_a_link_does_not_bend_it() {
    let r = route(
        (0.0, 0.0),
        (400.0, 0.0),
        &[(10.0, 5.0), (395.0, -3.0)],
        clearance(24.0),
    );
    assert_eq!(r.ctrl, None);
}

#[test]
fn a_model_outage_flag_shows_on_its_service_before_the_service_notices() {
    let v = NodeView::Validator(ValidatorView {
        model_up: true,
        handled: 3,
        ..ValidatorView::default()
    });
    let flags = vec!["model-down:suggestions".to_string()];
    let face = node_face(
        &snap("suggestions", "suggestions", Liveness::Up, v.clone()),
        &names(),
        &flags,
    );
    assert!(face.degraded);
    assert_eq!(face.status, "model down");
    let other = node_face(&snap("fraud", "fraud", Liveness::Up, v), &names(), &flags);
    assert!(!other.degraded, "only the named model is down");
}

fn books_db(role: &str, term: u64, applied: u64) -> NodeView {
    NodeView::BooksDb(engine::view::BooksDbView {
        role: role.into(),
        standing: standing_of(role),
        term,
        leader: Some(NodeId(2)),
        voted_for: None,
        timer_started_us: Some(1_000_000),
        timer_deadline_us: Some(3_000_000),
        commit_index: applied,
        applied_index: applied,
        log_len: applied,
        stock: Default::default(),
        reserved: Default::default(),
        prepared: 1,
        locks_held: 0,
        lock_waiters: 0,
        writes_in_flight: 0,
    })
}

#[test]
fn a_database_primary_wears_the_crown_and_says_primary() {
    let face = node_face(
        &snap(
            "books-db-0",
            "books-db",
            Liveness::Up,
            books_db("leader", 3, 42),
        ),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Leader);
    assert_eq!(face.leader_term, Some(3));
    assert_eq!(face.status, "primary · #42 applied");
    let backup = node_face(
        &snap(
            "books-db-1",
            "books-db",
            Liveness::Up,
            books_db("follower", 3, 40),
        ),
        &names(),
        &[],
    );
    assert_eq!(backup.role, NodeRole::Follower);
    assert_eq!(backup.status, "backup · #40 applied");
    assert_eq!(monogram("books-db-1", "books-db"), "D1");
}

#[test]
fn database_backups_run_an_election_timer_and_the_primary_does_not() {
    assert_eq!(
        election_timer(&books_db("follower", 3, 4), Liveness::Up, 2_000_000),
        Some(500)
    );
    assert_eq!(
        election_timer(&books_db("leader", 3, 4), Liveness::Up, 2_000_000),
        None
    );
    assert_eq!(
        election_timer(&books_db("follower", 3, 4), Liveness::Crashed, 2_000_000),
        None
    );
}

#[test]
fn the_payment_node_counts_captures_and_declines() {
    let view = NodeView::Payment(engine::view::PaymentView {
        captured: 4,
        declined: 1,
        ..Default::default()
    });
    let face = node_face(
        &snap("payment", "payment", Liveness::Up, view.clone()),
        &names(),
        &[],
    );
    assert_eq!(face.role, NodeRole::Service);
    assert_eq!(face.status, "captured 4 · declined 1");
    assert!(view_facts(&view, &names(), 0)
        .iter()
        .any(|(k, v)| *k == "declined" && v == "1"));
}

#[test]
fn the_inspector_lists_a_replicas_log_and_locks() {
    let facts = view_facts(&books_db("leader", 3, 42), &names(), 0);
    let get = |k: &str| facts.iter().find(|(l, _)| *l == k).map(|(_, v)| v.clone());
    assert_eq!(get("role").as_deref(), Some("primary (Raft leader)"));
    assert_eq!(
        get("log").as_deref(),
        Some("42 entries · commit 42 · applied 42")
    );
    assert_eq!(get("prepared txns").as_deref(), Some("1"));
}

#[test]
fn two_phase_commit_and_database_messages_have_their_own_colours() {
    for l in [
        "PrepareTransaction",
        "VoteCommit",
        "VoteAbort",
        "CommitTransaction",
        "AbortTransaction",
        "PreparePayment",
        "PayDone",
        "OutcomeQuery",
        "Outcome",
        "RecordDecision",
    ] {
        assert_eq!(msg_kind(l), MsgKind::Txn, "{l}");
    }
    for l in [
        "InternalReplicate",
        "ReplicateAck",
        "ReadStock",
        "ReplicaRead",
        "Written",
        "NotPrimary",
    ] {
        assert_eq!(msg_kind(l), MsgKind::Db, "{l}");
    }
    assert!(is_negative("VoteAbort") && is_negative("NotPrimary") && !is_negative("VoteCommit"));
    assert_eq!(short_label("PrepareTransaction"), "prepare");
}

#[test]
fn executors_talk_to_the_database_and_payment_and_replicas_to_each_other() {
    let nodes: Vec<(NodeId, String)> = [
        "executor", "executor", "books-db", "books-db", "books-db", "payment",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| (NodeId(i as u32), s.to_string()))
    .collect();
    let links = service_links(&nodes);
    assert!(links.contains(&(NodeId(0), NodeId(2))) && links.contains(&(NodeId(1), NodeId(5))));
    assert!(links.contains(&(NodeId(2), NodeId(3))) && links.contains(&(NodeId(3), NodeId(4))));
    assert!(
        !links.contains(&(NodeId(2), NodeId(5))),
        "the database does not talk to payment"
    );
}

/// The inspector's buttons name the node: crash, restart and isolate work on the database
/// replicas and the payment node like on any other service.
#[test]
fn database_and_payment_nodes_crash_restart_and_isolate_by_name() {
    use engine::system::inputs::Action;
    let scenario = engine::scenario::Scenario::parse(r#"{"cluster": {}}"#).expect("parses");
    let mut sys = scenario.build(1).expect("builds");
    let mut builder = engine::snapshot::SnapshotBuilder::default();
    sys.run_until(4_000_000);
    let names: Vec<String> = sys.world().nodes().into_iter().map(|n| n.name).collect();
    for node in ["books-db-0", "payment"] {
        sys.act(Action::Crash(node.into())).expect("crash");
        sys.run_until(sys.now() + 100_000);
        let snap = builder.build(&sys);
        let n = snap.nodes.iter().find(|n| n.name == node).expect("listed");
        assert_eq!(role_of(n), NodeRole::Crashed, "{node}");
        sys.act(Action::Restart(node.into())).expect("restart");
        sys.run_until(sys.now() + 2_000_000);
        let snap = builder.build(&sys);
        let n = snap.nodes.iter().find(|n| n.name == node).expect("listed");
        assert_ne!(role_of(n), NodeRole::Crashed, "{node} is back");
        assert!(
            matches!(n.view, NodeView::BooksDb(_) | NodeView::Payment(_)),
            "{node} publishes its view again"
        );
        sys.act(crate::view_model::mesh_faults::isolate_action(&names, node).expect("isolate"))
            .expect("applies");
        sys.run_until(sys.now() + 1_000);
        let snap = builder.build(&sys);
        let ids: Vec<NodeId> = snap.nodes.iter().map(|n| n.id).collect();
        let id = snap
            .nodes
            .iter()
            .find(|n| n.name == node)
            .map(|n| n.id)
            .expect("listed");
        assert_eq!(
            cut_view(&snap.links_down, &[], &ids).isolated,
            vec![id],
            "{node} is drawn isolated"
        );
        sys.act(Action::Heal).expect("heal");
        sys.run_until(sys.now() + 1_000);
    }
}

#[test]
fn the_disk_row_shows_a_full_disk_and_unsynced_bytes_and_is_absent_otherwise() {
    assert_eq!(disk_fact(0, false), None);
    assert_eq!(
        disk_fact(120, false),
        Some(("disk", "120 B unsynced (a crash now loses them)".into()))
    );
    assert_eq!(
        disk_fact(0, true),
        Some(("disk", "full: writes refused".into()))
    );
}

/// The inspector's disk buttons reach the world: a full queue disk shows in the snapshot.
#[test]
fn a_filled_disk_shows_in_the_snapshot_until_it_is_freed() {
    use engine::system::inputs::Action;
    let scenario = engine::scenario::Scenario::parse(r#"{"cluster": {}}"#).expect("parses");
    let mut sys = scenario.build(1).expect("builds");
    let mut builder = engine::snapshot::SnapshotBuilder::default();
    let full = |sys: &engine::system::System, b: &mut engine::snapshot::SnapshotBuilder| {
        let snap = b.build(sys);
        snap.nodes.iter().any(|n| n.name == "queue" && n.disk_full)
    };
    sys.run_until(1_000_000);
    assert!(!full(&sys, &mut builder));
    let on = Action::DiskFull {
        node: "queue".into(),
        on: true,
    };
    sys.act(on).expect("fill");
    sys.run_until(sys.now() + 2_000);
    assert!(full(&sys, &mut builder));
    let off = Action::DiskFull {
        node: "queue".into(),
        on: false,
    };
    sys.act(off).expect("free");
    sys.run_until(sys.now() + 2_000);
    assert!(!full(&sys, &mut builder));
}
