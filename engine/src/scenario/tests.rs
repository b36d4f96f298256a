use super::*;

#[test]
fn every_builtin_scenario_parses() {
    for (id, s) in builtin::all() {
        assert!(s.is_ok(), "{id}: {:?}", s.err());
    }
}

#[test]
fn a_scenario_round_trips_through_json() {
    for (_, s) in builtin::all() {
        let s = s.expect("parses");
        let again = Scenario::parse(&s.to_json().to_string()).expect("re-parses");
        assert_eq!(s, again);
    }
}

#[test]
fn settings_inputs_round_trip_through_json() {
    let text = r#"{"cluster": {"stock_reads": "primary"}, "inputs": [
        {"at_ms": 10, "stock_reads": "replicas"},
        {"at_ms": 20, "decline_rate": {"brand": "americanexpress", "rate": 0.25}},
        {"at_ms": 30, "decline_rate": {"rate": 0}}
    ]}"#;
    let s = Scenario::parse(text).expect("parses");
    assert_eq!(
        s.cluster.stock_reads,
        crate::services::stock_reader::StockReads::Primary
    );
    assert_eq!(
        s.inputs[2].action,
        crate::system::inputs::Action::DeclineRate {
            brand: None,
            rate: 0.0
        }
    );
    assert_eq!(
        Scenario::parse(&s.to_json().to_string()).expect("re-parses"),
        s
    );
}

#[test]
fn malformed_scenarios_name_what_is_wrong() {
    let cases = [
        ("{", "line 1"),
        (r#"{"sed": 1}"#, "unknown field \"sed\""),
        (r#"{"cluster": {"executors": 9}}"#, "cluster.executors"),
        (
            r#"{"cluster": {"exectors": 3}}"#,
            "unknown field `exectors`",
        ),
        (
            r#"{"inputs": [{"at_ms": 5, "crsh": "x"}]}"#,
            "inputs[0]: unknown action \"crsh\"",
        ),
        (r#"{"inputs": [{"crash": "x"}]}"#, "inputs[0].at_ms"),
        (r#"{"inputs": [{"at_ms": 1, "loss": 3}]}"#, "inputs[0].loss"),
        (
            r#"{"inputs": [{"at_ms": 1, "partition": [["a"]]}]}"#,
            "at least two groups",
        ),
        (r#"{"until_ms": 0}"#, "until_ms"),
        (
            r#"{"inputs": [{"at_ms": 1, "stock_reads": "sometimes"}]}"#,
            "inputs[0].stock_reads: expected \"off\", \"primary\" or \"replicas\"",
        ),
        (
            r#"{"inputs": [{"at_ms": 1, "decline_rate": {"brand": "visa", "rate": 2}}]}"#,
            "between 0 and 1, got 2",
        ),
        (
            r#"{"inputs": [{"at_ms": 1, "decline_rate": {"brand": "VISA", "rate": 0.1}}]}"#,
            "lowercase letters or digits",
        ),
        (
            r#"{"inputs": [{"at_ms": 1, "decline_rate": {"rate": "high"}}]}"#,
            "inputs[0].decline_rate.rate",
        ),
        (
            r#"{"cluster": {"db_nodes": 0, "stock_reads": "replicas"}}"#,
            "cluster.stock_reads",
        ),
        (
            r#"{"inputs": [{"at_ms": 0, "when": {"txn": {"state": "COMITTING"}}, "crash": "x"}]}"#,
            "inputs[0].when: unknown variant `COMITTING`",
        ),
        (
            r#"{"inputs": [{"at_ms": 0, "when": {"txn": {"state": "COMMITTING"}}}]}"#,
            "inputs[0]: no action",
        ),
        (
            r#"{"inputs": [{"at_ms": 0, "when": "COMMITTING", "heal": true}]}"#,
            "inputs[0].when",
        ),
    ];
    for (text, want) in cases {
        let err = Scenario::parse(text).expect_err(text);
        assert!(err.contains(want), "{text} → {err} (wanted {want})");
    }
}

#[test]
fn an_input_naming_a_missing_node_is_refused_before_anything_runs() {
    let s = Scenario::parse(r#"{"cluster": {"checkout": false, "ping_nodes": 2}, "inputs": [{"at_ms": 1, "crash": "ping-9"}]}"#).expect("parses");
    let err = s.build(1).err().expect("refused");
    assert!(err.contains("inputs[0]") && err.contains("ping-9"), "{err}");
}

#[test]
fn the_ping_ring_is_deterministic_and_seed_sensitive() {
    let (_, s) = builtin::all().into_iter().next().expect("one");
    let s = s.expect("parses");
    let h = |seed| s.run(seed, 6000).expect("runs").world().trace_hash();
    assert_eq!(h(5), h(5));
    assert_ne!(h(5), h(6));
}

#[test]
fn the_self_check_finds_no_divergence_in_an_honest_run() {
    let (_, s) = builtin::all().into_iter().next().expect("one");
    let s = s.expect("parses");
    match selfcheck::self_check(&s, 3, 5000).expect("runs") {
        Ok(_) => {}
        Err(d) => panic!("diverged at {}: {:?} vs {:?}", d.seq, d.first, d.second),
    }
}

#[test]
fn inputs_apply_at_their_time_and_are_logged_for_replay() {
    let s = Scenario::parse(r#"{"cluster": {"checkout": false, "ping_nodes": 3}, "inputs": [{"at_ms": 1500, "crash": "ping-1"}]}"#).expect("parses");
    let mut sys = s.build(1).expect("builds");
    sys.run_until(1_000_000);
    assert!(sys.applied_inputs().is_empty());
    sys.run_until(2_000_000);
    assert_eq!(sys.applied_inputs().len(), 1);
    let id = sys.world().node_id("ping-1").expect("node");
    assert_eq!(
        sys.world().liveness(id),
        Some(crate::sim::Liveness::Crashed)
    );
}

#[test]
fn every_builtin_scenario_runs_to_the_end_without_violating_an_invariant() {
    for (id, s) in builtin::all() {
        let s = s.expect("parses");
        let sys = s.run(s.seed, s.until_ms).expect("runs");
        let mut all = sys.checker.violations.clone();
        all.extend(crate::invariants::Checker::final_violations(&sys));
        assert!(all.is_empty(), "{id}: {all:?}\nreproduce: cargo run -p engine --bin bookmesh -- run scenarios/{id}.json --seed {}", s.seed);
        assert!(sys.input_errors.is_empty(), "{id}: {:?}", sys.input_errors);
    }
}

#[test]
fn the_seed_order_is_committed_and_the_bad_card_rejected() {
    let s = builtin::get("checkout").expect("exists").expect("parses");
    let sys = s.run(s.seed, s.until_ms).expect("runs");
    let finals: Vec<&str> = crate::system::report::orders(&sys)
        .iter()
        .map(|o| o["final"].as_str().unwrap_or("").to_string())
        .map(|s| match s.as_str() {
            "COMMITTED" => "COMMITTED",
            "REJECTED" => "REJECTED",
            _ => "OTHER",
        })
        .collect();
    assert_eq!(finals, vec!["COMMITTED", "REJECTED", "REJECTED"]);
}
