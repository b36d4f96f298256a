//! Every checker against a broken variant of the system that must trip it (planted with
//! `crate::bugs`), and against the same world without the bug, which must not. A checker that
//! no broken variant trips proves nothing; one that the honest world trips cries wolf.

mod atomic_commitment_tests;
mod clocks_tick_tests;
mod dag_causality_tests;
mod db_state_machine_safety_tests;
mod election_safety_tests;
mod executed_once_tests;
mod leader_only_dequeues_tests;
mod linearizability_tests;
mod no_order_lost_tests;
mod one_acting_leader_tests;
mod stock_conservation_tests;

use super::Checker;
use crate::bugs::{plant, Bug};
use crate::system::System;

/// What the checker named `name` reported over a run (live and end-of-run), as text.
pub fn fired(sys: &System, name: &str) -> Vec<String> {
    sys.checker
        .violations
        .iter()
        .chain(Checker::final_violations(sys).iter())
        .filter(|v| v.invariant == name)
        .map(|v| format!("{} µs: {}", v.t_us, v.detail))
        .collect()
}

/// Runs `world` twice — honest, then with `bug` planted — and returns what the checker named
/// `name` reported in each run, with the honest run's system for further checks.
pub fn honest_and_broken(
    bug: Bug,
    name: &str,
    world: impl Fn() -> System,
) -> (System, Vec<String>, Vec<String>) {
    let honest = world();
    let clean = fired(&honest, name);
    let broken = {
        let _bug = plant(bug);
        fired(&world(), name)
    };
    (honest, clean, broken)
}

/// The usual pair of assertions: silent on the honest run, at least one report on the broken.
pub fn assert_only_the_broken_run_trips(name: &str, clean: &[String], broken: &[String]) {
    assert!(
        clean.is_empty(),
        "{name} fired on the honest system: {clean:#?}"
    );
    assert!(
        !broken.is_empty(),
        "{name} did not notice the broken variant"
    );
}
