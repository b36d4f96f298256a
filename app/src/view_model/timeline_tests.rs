use super::*;

fn span(term: u64, node: u32, from_ms: u64, to_ms: Option<u64>) -> LeaderSpan {
    LeaderSpan {
        cluster: "executors".into(),
        term,
        node: NodeId(node),
        from_us: from_ms * 1000,
        to_us: to_ms.map(|t| t * 1000),
    }
}

fn names() -> Vec<String> {
    ["executor-0", "executor-1", "executor-2"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn the_furthest_time_only_grows_within_one_run_and_restarts_with_another() {
    let a = Furthest::next(None, "leader-crash", 2, 5_000);
    let b = Furthest::next(Some(&a), "leader-crash", 2, 1_000);
    assert_eq!(b.t_us, 5_000, "travelling back keeps the furthest point");
    let c = Furthest::next(Some(&b), "leader-crash", 2, 9_000);
    assert_eq!(c.t_us, 9_000);
    let d = Furthest::next(Some(&c), "leader-crash", 3, 0);
    assert_eq!(d.t_us, 0, "a new seed is a new run");
    let e = Furthest::next(Some(&d), "checkout", 3, 0);
    assert_eq!(e.run.0, "checkout");
}

#[test]
fn the_axis_spans_the_planned_run_until_the_run_goes_past_it() {
    assert_eq!(horizon_us(1_000_000, 20_000_000), 20_000_000);
    assert_eq!(horizon_us(25_000_000, 20_000_000), 25_000_000);
    assert_eq!(horizon_us(0, 0), MIN_HORIZON_US);
    assert_eq!(
        horizon_us(1_000_000, MAX_PLANNED_US + 1),
        MIN_HORIZON_US,
        "a day-long plan does not squash the axis"
    );
}

#[test]
fn reigns_become_bars_positioned_on_the_axis() {
    let spans = [span(1, 0, 2_000, Some(5_000)), span(2, 1, 7_000, None)];
    let rows = leader_rows(&spans, &names(), "term", 10_000_000, 20_000_000);
    assert_eq!(rows.len(), 1);
    let bars = &rows[0].bars;
    assert_eq!(bars[0].label, "executor-0 · term 1");
    assert!((bars[0].left_pct - 10.0).abs() < 1e-9);
    assert!((bars[0].width_pct - 15.0).abs() < 1e-9);
    assert_eq!(bars[1].label, "executor-1 · term 2");
    assert!((bars[1].left_pct - 35.0).abs() < 1e-9);
    assert!(
        (bars[1].width_pct - 15.0).abs() < 1e-9,
        "an open reign runs to now"
    );
    assert_ne!(
        bars[0].colour, bars[1].colour,
        "different leaders, different colours"
    );
    assert_eq!(
        (bars[0].colour, bars[1].colour),
        (0, 1),
        "coloured by member number"
    );
}

#[test]
fn a_reign_that_just_began_is_still_visible_and_one_in_the_future_is_not() {
    let spans = [span(1, 0, 2_000, None), span(2, 1, 9_000, None)];
    let rows = leader_rows(&spans, &names(), "term", 2_000_000, 20_000_000);
    assert_eq!(rows[0].bars.len(), 1);
    assert!(rows[0].bars[0].width_pct > 0.0);
}

#[test]
fn clusters_get_their_own_rows_in_order_of_first_leader() {
    let mut other = span(1, 2, 1_000, None);
    other.cluster = "books".into();
    let rows = leader_rows(
        &[other, span(1, 0, 2_000, None)],
        &names(),
        "term",
        3_000_000,
        10_000_000,
    );
    let clusters: Vec<&str> = rows.iter().map(|r| r.cluster.as_str()).collect();
    assert_eq!(clusters, ["books", "executors"]);
}

fn at(seq: u64, t_ms: u64, node: &str, what: MilestoneKind) -> Milestone {
    Milestone {
        seq,
        t_us: t_ms * 1000,
        node: NodeId(seq as u32),
        node_name: node.into(),
        corr: 0,
        what,
    }
}

fn fault(kind: FaultKind, text: &str) -> MilestoneKind {
    MilestoneKind::Fault {
        kind,
        text: text.into(),
    }
}

#[test]
fn crashes_and_faults_in_the_log_become_ticks() {
    let step = MilestoneKind::Step {
        order_id: "ord-0001".into(),
        step: engine::order_step::OrderStep::Received,
    };
    let log = [
        at(1, 1_000, "orchestrator", step),
        at(2, 5_000, "executor-0", MilestoneKind::Crash),
        at(
            3,
            6_000,
            "world",
            fault(
                FaultKind::Harm,
                "partition executor-1 | executor-0,executor-2",
            ),
        ),
        at(4, 8_000, "world", fault(FaultKind::Heal, "heal all")),
        // Healing is the kind the engine gave it, whatever the words say.
        at(
            5,
            9_000,
            "world",
            fault(FaultKind::Heal, "model-down:fraud off"),
        ),
        at(
            6,
            14_000,
            "executor-0",
            MilestoneKind::Restart { incarnation: 1 },
        ),
    ];
    let ticks = fault_ticks(&log, 20_000_000);
    let kinds: Vec<TickKind> = ticks.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [
            TickKind::Crash,
            TickKind::Fault,
            TickKind::Heal,
            TickKind::Heal,
            TickKind::Restart
        ]
    );
    assert_eq!(ticks[0].text, "executor-0 crashed");
    assert!((ticks[0].left_pct - 25.0).abs() < 1e-9);
    assert_eq!(
        ticks[1].text,
        "partition executor-1 | executor-0,executor-2"
    );
}

#[test]
fn axis_marks_use_a_round_step() {
    let marks = axis_marks(20_000_000, 12);
    let labels: Vec<&str> = marks.iter().map(|m| m.2.as_str()).collect();
    assert_eq!(
        labels,
        ["0s", "2s", "4s", "6s", "8s", "10s", "12s", "14s", "16s", "18s", "20s"]
    );
    let short = axis_marks(5_000_000, 12);
    assert_eq!(short[1].2, "0.5s");
    assert!(axis_marks(3_600_000_000, 12).len() <= 13);
}

#[test]
fn seconds_read_naturally() {
    assert_eq!(seconds_label(0), "0s");
    assert_eq!(seconds_label(2_500_000), "2.5s");
    assert_eq!(seconds_label(250_000), "0.25s");
    assert_eq!(seconds_label(90_000_000), "1m30s");
    assert_eq!(seconds_label(120_000_000), "2m");
}

#[test]
fn faults_at_nearly_the_same_moment_merge_into_one_tick_that_lists_them() {
    let log = [
        at(1, 7_000, "executor-1", MilestoneKind::Crash),
        at(2, 7_001, "fraud", MilestoneKind::Pause),
        at(
            3,
            7_002,
            "world",
            fault(FaultKind::Harm, "model-down:fraud on"),
        ),
        at(4, 12_000, "world", fault(FaultKind::Heal, "heal all")),
    ];
    let ticks = fault_ticks(&log, 20_000_000);
    assert_eq!(ticks.len(), 2);
    assert_eq!(ticks[0].count, 3);
    assert_eq!(
        ticks[0].kind,
        TickKind::Crash,
        "a crash among them wins the glyph"
    );
    assert_eq!(
        ticks[0].text,
        "executor-1 crashed; fraud paused; model-down:fraud on"
    );
    assert_eq!(ticks[1].count, 1);
}
