//! Every event ticks its clock, against an orchestrator that ticks its entry once per order
//! (the behaviour before every orchestrator event ticked).

use super::*;
use crate::invariants::clocks_tick::NAME;
use crate::sim::secs;
use crate::sim::trace::TraceKind;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{checkout, config, order, system};

fn a_few_orders() -> System {
    let inputs = (0..4)
        .map(|n| checkout(2000 + 300 * n, order(n, "Dune", 1)))
        .collect();
    let mut sys = system(config(Election::Raft), 5, inputs);
    sys.run_until(secs(8));
    sys
}

#[test]
fn an_orchestrator_that_ticks_once_per_order_repeats_clocks() {
    let (honest, clean, broken) =
        honest_and_broken(Bug::OrchestratorTicksOncePerOrder, NAME, a_few_orders);
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(
        broken.iter().any(|b| b.contains("no tick")),
        "the old behaviour repeats a clock: {broken:#?}"
    );
    // The honest run did check something: every order's events carried clocks.
    let clocked = honest
        .world()
        .trace()
        .since(0)
        .filter(|e| e.vc.is_some() && e.corr != 0)
        .count();
    assert!(clocked >= 4 * 10, "only {clocked} clocked events");
}

#[test]
fn validated_comes_strictly_after_get_suggestions() {
    let sys = a_few_orders();
    let events: Vec<_> = sys.world().trace().since(0).cloned().collect();
    let corr = events
        .iter()
        .find(|e| matches!(&e.kind, TraceKind::Order { status, .. } if status == "validated"))
        .map(|e| e.corr)
        .expect("an order was validated");
    let clock_of = |pick: &dyn Fn(&TraceKind) -> bool| {
        events
            .iter()
            .find(|e| e.corr == corr && pick(&e.kind))
            .and_then(|e| e.vc.clone())
            .expect("the event is traced with a clock")
    };
    let suggestions =
        clock_of(&|k| matches!(k, TraceKind::Event { name } if name == "GetSuggestions"));
    let validated =
        clock_of(&|k| matches!(k, TraceKind::Order { status, .. } if status == "validated"));
    assert!(
        suggestions.happened_before(&validated),
        "{suggestions} is not before {validated}"
    );
    assert_ne!(suggestions, validated);
}

#[test]
fn duplicated_and_crashed_runs_keep_every_clock_ticking() {
    use crate::system::inputs::{Action, TimedInput};
    let world = || {
        let mut inputs: Vec<TimedInput> = (0..6)
            .map(|n| checkout(1500 + 250 * n, order(n, "Dune", 1)))
            .collect();
        inputs.push(TimedInput::at(1_000, Action::Duplicate(0.3)));
        inputs.push(TimedInput::at(2_200, Action::Crash("fraud".into())));
        inputs.push(TimedInput::at(2_700, Action::Restart("fraud".into())));
        let mut sys = system(config(Election::Raft), 9, inputs);
        sys.run_until(secs(9));
        sys
    };
    let clean = fired(&world(), NAME);
    assert!(clean.is_empty(), "{clean:#?}");
}
