//! The nemesis control's rules and the receipts list: the settings a slider position and a set
//! of ticked kinds make (the engine checks them again), and each receipt as the lines the
//! faults panel shows. Plain Rust, tested natively.
use engine::nemesis::receipts::Receipt;
use engine::nemesis::{FaultKind, NemesisSettings};
use engine::system::inputs::Action;

/// Each kind with the label the panel shows, in the panel's order.
pub const KINDS: &[(FaultKind, &str)] = &[
    (FaultKind::Crash, "crash"),
    (FaultKind::CrashLeader, "crash leader"),
    (FaultKind::Pause, "pause"),
    (FaultKind::Partition, "partition"),
    (FaultKind::OneWay, "one-way cut"),
    (FaultKind::Cut, "cut link"),
    (FaultKind::Loss, "loss"),
    (FaultKind::Duplicate, "duplicate"),
    (FaultKind::Reorder, "reorder"),
    (FaultKind::Latency, "latency"),
    (FaultKind::Slow, "slow node"),
    (FaultKind::ModelOutage, "model outage"),
    (FaultKind::DiskFull, "disk full"),
    (FaultKind::CorruptDisk, "torn disk"),
    (FaultKind::Clock, "clock drift"),
];

/// The verb a "Start" makes from the slider (0–100, whole percent) and the ticked kinds.
pub fn start_action(percent: &str, kinds: &[FaultKind]) -> Result<Action, String> {
    let p: u32 = percent
        .trim()
        .parse()
        .map_err(|_| format!("nemesis intensity: not a whole percent: {percent:?}"))?;
    if !(1..=100).contains(&p) {
        return Err("nemesis intensity: choose 1–100%".into());
    }
    if kinds.is_empty() {
        return Err("nemesis: tick at least one kind of fault".into());
    }
    // In the panel's order, whatever order they were ticked in: the same choice, the same run.
    let ordered = KINDS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| kinds.contains(k))
        .collect();
    let settings = NemesisSettings {
        intensity_permille: p * 10,
        kinds: ordered,
    };
    settings.validate()?;
    Ok(Action::Nemesis(settings))
}

/// The verb "Stop" makes.
pub fn stop_action() -> Action {
    Action::Nemesis(NemesisSettings {
        intensity_permille: 0,
        kinds: Vec::new(),
    })
}

/// One receipt as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptLine {
    pub at: String,
    pub verb: String,
    /// What it did, e.g. "12 dropped · 1 election"; "measuring…" while its window is open.
    pub effects: String,
    pub inert: bool,
    pub undo: bool,
}

fn plural(n: u64, one: &str, many: &str) -> Option<String> {
    (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
}

pub fn receipt_line(r: &Receipt) -> ReceiptLine {
    let e = &r.effects;
    let parts: Vec<String> = [
        plural(e.messages_dropped, "dropped", "dropped"),
        plural(e.messages_duplicated, "duplicated", "duplicated"),
        plural(e.messages_held, "held", "held"),
        plural(e.elections, "election", "elections"),
        plural(e.step_downs, "step-down", "step-downs"),
        plural(e.transactions_aborted, "aborted", "aborted"),
        plural(e.orders_redelivered, "redelivered", "redelivered"),
        plural(e.rpcs_timed_out, "timed out", "timed out"),
        plural(
            e.answered_without_model,
            "answered by rules",
            "answered by rules",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let effects = match (parts.is_empty(), r.closed) {
        (false, _) => parts.join(" · "),
        (true, false) => "measuring…".to_string(),
        (true, true) => "no effect".to_string(),
    };
    ReceiptLine {
        at: format!("{:.1} s", r.at_ms as f64 / 1000.0),
        verb: r.verb.replace('_', " "),
        effects,
        inert: r.warning.is_some(),
        undo: !r.injects,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::nemesis::receipts::Ledger;
    use engine::sim::World;
    use engine::system::inputs::TimedInput;

    #[test]
    fn start_orders_the_kinds_as_the_panel_does_and_refuses_bad_choices() {
        let a = start_action("40", &[FaultKind::Partition, FaultKind::Crash]);
        let b = start_action("40", &[FaultKind::Crash, FaultKind::Partition]);
        assert_eq!(a, b);
        match a {
            Ok(Action::Nemesis(s)) => {
                assert_eq!(s.intensity_permille, 400);
                assert_eq!(s.kinds, vec![FaultKind::Crash, FaultKind::Partition]);
            }
            other => panic!("{other:?}"),
        }
        assert!(start_action("0", &[FaultKind::Crash]).is_err());
        assert!(start_action("101", &[FaultKind::Crash]).is_err());
        assert!(start_action("x", &[FaultKind::Crash]).is_err());
        assert!(start_action("50", &[]).unwrap_err().contains("tick"));
        assert!(matches!(stop_action(), Action::Nemesis(s) if s.is_off()));
        assert_eq!(KINDS.len(), FaultKind::ALL.len());
    }

    #[test]
    fn a_receipt_reads_measuring_then_its_effects_or_no_effect() {
        let world = World::new(engine::sim::WorldConfig::new(1));
        let mut ledger = Ledger::default();
        ledger.open(&TimedInput::at(1_000, Action::Loss(0.2)), 1_000_000, &world);
        let open = receipt_line(&ledger.receipts[0]);
        assert_eq!(open.effects, "measuring…");
        assert!(!open.inert && !open.undo);
        ledger.close_all();
        let closed = receipt_line(&ledger.receipts[0]);
        assert_eq!(closed.effects, "no effect");
        assert!(closed.inert);
        assert_eq!(closed.at, "1.0 s");
        let mut r = ledger.receipts[0].clone();
        r.effects.messages_dropped = 3;
        r.effects.elections = 1;
        assert_eq!(receipt_line(&r).effects, "3 dropped · 1 election");
    }
}
