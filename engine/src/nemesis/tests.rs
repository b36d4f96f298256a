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
