//! The DAG state machine on its own.

use crate::msg::DagEvent::{self, *};
use crate::services::orchestrator::DagRun;
use crate::view::EventState;

fn run_ok(dag: &mut DagRun, e: DagEvent) {
    dag.start(e, 0);
    dag.finish(e, true, None, 1);
}

#[test]
fn a_and_b_are_ready_first_and_together() {
    assert_eq!(DagRun::new().ready(), [VerifyItems, VerifyUserData]);
}

#[test]
fn an_event_becomes_ready_only_when_all_its_dependencies_succeeded() {
    let mut dag = DagRun::new();
    dag.start(VerifyItems, 0);
    dag.start(VerifyUserData, 0);
    assert!(dag.ready().is_empty());
    dag.finish(VerifyItems, true, None, 5);
    assert_eq!(dag.ready(), [VerifyCardFormat], "c needs only a");
    run_ok(&mut dag, VerifyCardFormat);
    assert!(dag.ready().is_empty(), "e still waits for d");
    dag.finish(VerifyUserData, true, None, 9);
    assert_eq!(dag.ready(), [CheckUserData]);
    run_ok(&mut dag, CheckUserData);
    assert_eq!(dag.ready(), [CheckCardData]);
    run_ok(&mut dag, CheckCardData);
    assert_eq!(dag.ready(), [GetSuggestions]);
    run_ok(&mut dag, GetSuggestions);
    assert!(dag.is_settled() && dag.all_ok());
}

#[test]
fn a_failure_skips_its_dependents_transitively_but_not_independent_events() {
    let mut dag = DagRun::new();
    dag.start(VerifyItems, 0);
    dag.start(VerifyUserData, 0);
    dag.finish(VerifyItems, false, None, 3);
    assert_eq!(dag.state(VerifyCardFormat), EventState::Skipped);
    assert_eq!(dag.state(CheckCardData), EventState::Skipped);
    assert_eq!(dag.state(GetSuggestions), EventState::Skipped);
    assert!(!dag.is_settled(), "b is still running");
    dag.finish(VerifyUserData, true, None, 4);
    assert_eq!(dag.ready(), [CheckUserData], "d does not depend on a");
    run_ok(&mut dag, CheckUserData);
    assert!(dag.is_settled() && !dag.all_ok());
}

#[test]
fn skip_all_leaves_nothing_to_run() {
    let mut dag = DagRun::new();
    dag.skip_all();
    assert!(dag.ready().is_empty() && dag.is_settled());
    assert!(dag.events().iter().all(|e| e.state == EventState::Skipped));
}

#[test]
fn start_and_finish_times_and_the_clock_are_recorded() {
    let mut dag = DagRun::new();
    dag.start(VerifyItems, 10);
    let clock = crate::clock::VectorClock::from_pairs([("verification", 2)]);
    dag.finish(VerifyItems, true, Some(clock.clone()), 25);
    let view = &dag.events()[0];
    assert_eq!(
        (view.started_at_us, view.finished_at_us, view.vc.as_ref()),
        (Some(10), Some(25), Some(&clock))
    );
}
