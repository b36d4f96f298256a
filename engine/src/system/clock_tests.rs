//! Nodes' clocks as a deployment sets them: `cluster.clocks` and the `clock` input.
use super::config::{ClockConfig, ClusterConfig};
use super::inputs::{Action, TimedInput};
use super::System;
use crate::scenario::Scenario;
use crate::sim::{secs, ClockReading};
use serde_json::json;

fn ping_ring(clocks: &[(&str, i64, i64)]) -> ClusterConfig {
    let mut cfg = ClusterConfig {
        checkout: false,
        ping_nodes: 3,
        ..ClusterConfig::default()
    };
    for (name, skew_ms, drift_ppm) in clocks {
        let c = ClockConfig {
            skew_ms: *skew_ms,
            drift_ppm: *drift_ppm,
        };
        cfg.clocks.insert(name.to_string(), c);
    }
    cfg
}

fn clock_of(sys: &System, name: &str) -> ClockReading {
    let id = sys.world().node_id(name).expect("node exists");
    sys.world().clock(id)
}

#[test]
fn a_service_entry_sets_every_node_of_it_and_a_node_entry_wins() {
    let cfg = ping_ring(&[("ping", 0, 10_000), ("ping-1", 500, 0)]);
    let mut sys = System::new(cfg, 1).expect("valid");
    sys.run_until(secs(10));
    let reading = |offset_us, drift_ppm| ClockReading {
        offset_us,
        drift_ppm,
    };
    // 1 % fast for 10 s: 100 ms ahead.
    assert_eq!(clock_of(&sys, "ping-0"), reading(100_000, 10_000));
    assert_eq!(clock_of(&sys, "ping-1"), reading(500_000, 0));
    assert_eq!(clock_of(&sys, "ping-2"), reading(100_000, 10_000));
}

#[test]
fn bad_clock_settings_are_refused_naming_the_field() {
    let cases = [
        (
            r#"{"cluster": {"clocks": {"executor": {"drift_ppm": 900000}}}}"#,
            "cluster.clocks.executor: drift_ppm",
        ),
        (
            r#"{"cluster": {"clocks": {"lock": {"skew_ms": 99999999999}}}}"#,
            "cluster.clocks.lock: skew_ms",
        ),
        (
            r#"{"cluster": {"clocks": {"lock": {"drift": 5}}}}"#,
            "unknown field `drift`",
        ),
        (
            r#"{"cluster": {"clocks": {"client": {"drift_ppm": 5}}}}"#,
            "cluster.clocks.client",
        ),
        (
            r#"{"inputs": [{"at_ms": 1, "clock": {"node": "lock", "drift_ppm": 2000000}}]}"#,
            "inputs[0].clock: drift_ppm",
        ),
        (
            r#"{"inputs": [{"at_ms": 1, "clock": {"drift_ppm": 5}}]}"#,
            "inputs[0].clock.node",
        ),
        (
            r#"{"inputs": [{"at_ms": 1, "clock": {"node": "lock", "skew_ms": "late"}}]}"#,
            "inputs[0].clock.skew_ms",
        ),
    ];
    for (text, want) in cases {
        let err = Scenario::parse(text).expect_err(text);
        assert!(err.contains(want), "{text} → {err} (wanted {want})");
    }
}

#[test]
fn a_clock_for_a_node_the_world_does_not_have_is_refused_when_it_is_built() {
    let err = System::new(ping_ring(&[("ping-7", 0, 5)]), 1)
        .err()
        .expect("refused");
    assert!(
        err.contains("cluster.clocks") && err.contains("ping-7"),
        "{err}"
    );
}

#[test]
fn the_clock_input_prints_and_parses_back_to_itself() {
    let inputs = [
        Action::Clock {
            node: "executor-1".into(),
            skew_ms: Some(-250),
            drift_ppm: 50_000,
        },
        Action::Clock {
            node: "lock".into(),
            skew_ms: None,
            drift_ppm: -20_000,
        },
    ];
    for action in inputs {
        let input = TimedInput::at(4_000, action);
        let json = input.to_json();
        assert_eq!(TimedInput::from_json(&json, "inputs[0]"), Ok(input));
    }
    let short = json!({"at_ms": 1, "clock": {"node": "lock"}});
    let parsed = TimedInput::from_json(&short, "inputs[0]").expect("parses");
    let want = Action::Clock {
        node: "lock".into(),
        skew_ms: None,
        drift_ppm: 0,
    };
    assert_eq!(parsed.action, want);
}

#[test]
fn the_clock_input_changes_a_node_clock_at_its_time() {
    let mut sys = System::new(ping_ring(&[]), 1).expect("valid");
    let change = Action::Clock {
        node: "ping-1".into(),
        skew_ms: Some(2_000),
        drift_ppm: 100_000,
    };
    sys.schedule(vec![TimedInput::at(5_000, change)])
        .expect("valid input");
    sys.run_until(secs(4));
    assert_eq!(clock_of(&sys, "ping-1"), ClockReading::default());
    sys.run_until(secs(15));
    // Set 2 s ahead at 5 s, then 10 % fast for 10 s: 3 s ahead.
    let want = ClockReading {
        offset_us: 3_000_000,
        drift_ppm: 100_000,
    };
    assert_eq!(clock_of(&sys, "ping-1"), want);
    assert!(sys.input_errors.is_empty(), "{:?}", sys.input_errors);
}

#[test]
fn the_client_keeps_true_time() {
    let mut sys = System::new(ClusterConfig::default(), 1).expect("valid");
    let change = Action::Clock {
        node: "client".into(),
        skew_ms: None,
        drift_ppm: 1,
    };
    let err = sys.act(change).expect_err("refused");
    assert!(err.contains("true time"), "{err}");
}
