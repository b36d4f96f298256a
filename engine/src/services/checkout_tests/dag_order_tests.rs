//! The DAG's order and parallelism, read from the orchestrator's published view (when each
//! event started and finished there) and from the validators' trace events.

use super::*;
use crate::services::orchestrator::OrderIds;
use crate::view::DagEventView;

fn event(row: &OrderDagView, e: DagEvent) -> DagEventView {
    row.events
        .iter()
        .find(|v| v.event == e)
        .cloned()
        .expect("every event is on the row")
}

fn span(row: &OrderDagView, e: DagEvent) -> (Micros, Micros) {
    let v = event(row, e);
    (
        v.started_at_us.expect("started"),
        v.finished_at_us.expect("finished"),
    )
}

/// Orders from a few seeds, so the checks do not rest on one lucky interleaving.
fn rows() -> Vec<OrderDagView> {
    let mut out = Vec::new();
    for seed in 10..15 {
        let mut shop = shop(seed);
        let response = shop.checkout(example_json());
        out.push(shop.order_row(&response.order_id));
    }
    out
}

#[test]
fn an_event_starts_only_after_every_event_it_depends_on_finished() {
    for row in rows() {
        for e in DagEvent::ALL {
            let (start, _) = span(&row, e);
            for &dep in e.depends_on() {
                let (_, dep_end) = span(&row, dep);
                assert!(
                    start >= dep_end,
                    "{} started at {start} before {} finished at {dep_end}",
                    e.name(),
                    dep.name()
                );
            }
        }
    }
}

#[test]
fn a_and_b_run_at_the_same_time_and_d_runs_while_c_runs() {
    for row in rows() {
        let (a0, a1) = span(&row, DagEvent::VerifyItems);
        let (b0, b1) = span(&row, DagEvent::VerifyUserData);
        assert_eq!(a0, b0, "a and b start together");
        assert!(
            a0 < b1 && b0 < a1,
            "a [{a0}, {a1}] and b [{b0}, {b1}] overlap"
        );
        let (c0, c1) = span(&row, DagEvent::VerifyCardFormat);
        let (d0, d1) = span(&row, DagEvent::CheckUserData);
        assert!(
            c0 < d1 && d0 < c1,
            "c [{c0}, {c1}] and d [{d0}, {d1}] overlap"
        );
    }
}

#[test]
fn each_event_starts_as_soon_as_its_last_dependency_finishes() {
    for row in rows() {
        for e in DagEvent::ALL {
            let last_dep = e
                .depends_on()
                .iter()
                .map(|&d| span(&row, d).1)
                .max()
                .unwrap_or(row.received_at_us);
            let (start, _) = span(&row, e);
            if !e.depends_on().is_empty() {
                assert_eq!(
                    start,
                    last_dep,
                    "{} waited after its dependencies finished",
                    e.name()
                );
            }
        }
    }
}

#[test]
fn the_validators_ran_each_event_in_dependency_order() {
    let mut shop = shop(20);
    shop.checkout(example_json());
    let corr = OrderIds::for_number(1).corr;
    let at = |e: DagEvent| {
        shop.trace_of(corr)
            .into_iter()
            .find(|t| matches!(&t.kind, TraceKind::Event { name } if name == e.name()))
            .map(|t| (t.t_us, t.seq))
            .expect("the event ran")
    };
    for e in DagEvent::ALL {
        for &dep in e.depends_on() {
            assert!(at(dep) < at(e), "{} ran before {}", e.name(), dep.name());
        }
    }
}
