//! The nemesis's settings, its drawing, and receipts on real runs.

use super::draw::{episodes, Targets};
use super::*;
use crate::sim::rng::SimRng;
use crate::system::config::ClusterConfig;
use crate::system::System;

#[test]
fn settings_parse_and_print_round_trip_and_bad_ones_name_the_field() {
    let s = NemesisSettings::parse("intensity=0.5,kinds=crash+partition").expect("valid");
    assert_eq!(s.intensity_permille, 500);
    assert_eq!(s.kinds, vec![FaultKind::Crash, FaultKind::Partition]);
    assert_eq!(NemesisSettings::parse(&s.to_text()), Ok(s));
    assert_eq!(
        NemesisSettings::parse("").map(|s| s.kinds.len()),
        Ok(FaultKind::ALL.len())
    );
    for (bad, field) in [
        ("intensity=2", "nemesis.intensity"),
        ("intensity=-1", "nemesis.intensity"),
        ("intensity=0.1234", "nemesis.intensity"),
        ("intensity=abc", "nemesis.intensity"),
        ("kinds=crash+meteor", "nemesis.kinds"),
        ("kinds=crash+crash", "nemesis.kinds"),
        ("speed=3", "unknown setting"),
        ("crash", "key=value"),
    ] {
        let e = NemesisSettings::parse(bad).expect_err(bad);
        assert!(e.contains(field), "{bad}: {e}");
    }
}

fn targets() -> Targets {
    let cfg = ClusterConfig::default();
    let sys = System::new(cfg.clone(), 1).expect("valid");
    Targets::of(sys.world(), &cfg)
}

#[test]
fn the_same_seed_draws_the_same_episodes_and_each_ends_by_the_window() {
    let t = targets();
    assert!(!t.nodes.contains(&"client".to_string()));
    let settings = NemesisSettings::default();
    let draw = |seed| episodes(&mut SimRng::derive(seed, "t"), &t, &settings, 1_000, 60_000);
    assert_eq!(draw(3), draw(3));
    assert_ne!(draw(3), draw(4));
    let all = draw(3);
    assert!(all.len() >= 5, "intensity 0.5 over a minute: {}", all.len());
    for e in &all {
        assert!(e.inputs.len() >= 2, "{e:?}: a fault and its undo");
        assert!(
            e.inputs.iter().all(|i| (1_000..=60_000).contains(&i.at_ms)),
            "{e:?}"
        );
    }
    let torn = all
        .iter()
        .filter(|e| e.kind == FaultKind::CorruptDisk)
        .count();
    assert!(torn <= 1);
}

#[test]
fn intensity_zero_or_no_kinds_draws_nothing() {
    let t = targets();
    for settings in [
        NemesisSettings {
            intensity_permille: 0,
            ..Default::default()
        },
        NemesisSettings {
            kinds: vec![],
            ..Default::default()
        },
    ] {
        assert!(episodes(&mut SimRng::new(1), &t, &settings, 0, 60_000).is_empty());
    }
}

use crate::sim::secs;
use crate::system::inputs::{Action, TimedInput};

fn nemesis_run(seed: u64, inputs: Vec<TimedInput>, until_s: u64) -> System {
    let mut sys = System::new(ClusterConfig::default(), seed).expect("valid");
    sys.schedule(inputs).expect("valid inputs");
    sys.run_until(secs(until_s));
    sys
}

fn on(text: &str) -> Action {
    Action::Nemesis(NemesisSettings::parse(text).expect("valid"))
}

#[test]
fn a_nemesis_input_replays_the_same_faults_and_is_a_scenario_input() {
    let input = TimedInput::at(1_000, on("intensity=1,kinds=crash+partition+loss"));
    let json = input.to_json();
    assert_eq!(TimedInput::from_json(&json, "i"), Ok(input.clone()));
    let a = nemesis_run(5, vec![input.clone()], 40);
    let b = nemesis_run(5, vec![input], 40);
    assert_eq!(a.world().trace_hash(), b.world().trace_hash());
    let faults = a.receipts.receipts.iter().filter(|r| r.injects).count();
    assert!(
        faults >= 8,
        "intensity 1 over 39 s drew only {faults} faults"
    );
    let kinds: std::collections::BTreeSet<&str> = a
        .receipts
        .receipts
        .iter()
        .map(|r| r.verb.as_str())
        .collect();
    assert!(
        kinds
            .iter()
            .all(|k| ["crash", "restart", "partition", "heal", "loss"].contains(k)),
        "{kinds:?}"
    );
    assert_eq!(a.nemesis().map(|n| n.intensity_permille), Some(1000));
    let bad = serde_json::json!({"at_ms": 0, "nemesis": {"intensity_permille": 5000, "kinds": []}});
    assert!(TimedInput::from_json(&bad, "inputs[0]")
        .unwrap_err()
        .contains("inputs[0].nemesis"));
}

#[test]
fn turning_the_nemesis_off_draws_nothing_more_but_undoes_what_is_under_way() {
    let off = NemesisSettings {
        intensity_permille: 0,
        kinds: vec![],
    };
    let sys = nemesis_run(
        2,
        vec![
            TimedInput::at(1_000, on("intensity=1,kinds=crash+pause")),
            TimedInput::at(12_000, Action::Nemesis(off)),
        ],
        40,
    );
    let late: Vec<_> = sys
        .receipts
        .receipts
        .iter()
        .filter(|r| r.at_ms > 12_000)
        .collect();
    assert!(
        late.iter().all(|r| !r.injects),
        "a fault after off: {late:?}"
    );
    // This seed has an episode under way at "off": its undo still comes.
    assert!(
        !late.is_empty(),
        "no episode was under way at off: the test shows nothing"
    );
    assert!(sys.nemesis().is_none());
    let down: Vec<_> = sys
        .world()
        .nodes()
        .into_iter()
        .filter(|n| n.liveness != crate::sim::Liveness::Up)
        .map(|n| n.name)
        .collect();
    assert!(down.is_empty(), "still down after off: {down:?}");
}

#[test]
fn a_receipt_says_what_a_fault_did_and_warns_when_it_did_nothing() {
    let sys = nemesis_run(
        3,
        vec![
            TimedInput::at(5_000, Action::CrashLeader("executors".into())),
            // Two validators that never talk to each other: cutting them changes nothing.
            TimedInput::at(
                20_000,
                Action::Cut("verification".into(), "suggestions".into()),
            ),
        ],
        30,
    );
    let r = &sys.receipts.receipts;
    assert_eq!(r.len(), 2, "{r:#?}");
    assert_eq!(r[0].verb, "crash_leader");
    assert!(r[0].effects.elections >= 1, "{:?}", r[0].effects);
    assert!(r[0].warning.is_none());
    assert_eq!(r[1].verb, "cut");
    assert!(r[1].closed);
    assert!(r[1].effects.is_none(), "{:?}", r[1].effects);
    assert!(r[1]
        .warning
        .as_deref()
        .is_some_and(|w| w.starts_with("no effect")));
    let report = crate::system::report::report(&sys, 30_000);
    assert_eq!(report["receipts"][1]["verb"], "cut");
    assert!(report["receipts"][1]["warning"].is_string());
}
