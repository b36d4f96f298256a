//! The narration's claims judged against a running `System`: the one evaluator the headless
//! runner, the native tests and the page share, so a step's ✓ on the page is the same verdict
//! CI asserted.
//!
//! Every claim reads facts the engine already keeps for its report and invariants (the
//! observer's leader spans and 2PC facts, the client's answers, node views, the read ledger),
//! never log text. A verdict carries what was expected and what was found, in words, so a
//! failure names both.

use super::narration::{Claim, OrderOutcome, Step};
use super::Scenario;
use crate::checkout::CheckoutStatus;
use crate::sim::{Liveness, NodeId};
use crate::system::System;
use crate::view::NodeView;
use serde::Serialize;

/// A claim's verdict at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimResult {
    pub passed: bool,
    /// The claim in words: "executor-2 leads executors".
    pub expected: String,
    /// What the engine found: "executor-0 leads executors (term 1)".
    pub actual: String,
}

/// A step's verdicts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepResult {
    pub index: usize,
    pub at_ms: u64,
    pub title: String,
    pub claims: Vec<ClaimResult>,
}

impl StepResult {
    pub fn passed(&self) -> bool {
        self.claims.iter().all(|c| c.passed)
    }
}

/// Judges every claim of `step` against `sys` as it is now.
pub fn evaluate_step(index: usize, step: &Step, sys: &System) -> StepResult {
    StepResult {
        index,
        at_ms: step.at_ms,
        title: step.title.clone(),
        claims: step.expect.iter().map(|c| evaluate(c, sys)).collect(),
    }
}

/// Runs `scenario` on its own seed, stopping at each step to judge it; the run itself is the
/// same as without the stops. Returns every step's verdicts, in order.
pub fn run_narration(scenario: &Scenario) -> Result<Vec<StepResult>, String> {
    let mut sys = scenario.build(scenario.seed)?;
    Ok(scenario
        .narration
        .iter()
        .enumerate()
        .map(|(i, step)| {
            sys.run_until(step.at_ms * 1000);
            evaluate_step(i, step, &sys)
        })
        .collect())
}

/// One line per failed claim: scenario, step, claim, expected vs actual (empty = all passed).
pub fn failures(scenario_id: &str, results: &[StepResult]) -> Vec<String> {
    results
        .iter()
        .flat_map(|r| {
            r.claims.iter().enumerate().filter(|(_, c)| !c.passed).map(
                move |(j, c)| {
                    format!(
                        "{scenario_id}: narration step {} ({:?}, at {} ms), claim {j}: expected {}, actual {}",
                        r.index + 1,
                        r.title,
                        r.at_ms,
                        c.expected,
                        c.actual
                    )
                },
            )
        })
        .collect()
}

fn verdict(passed: bool, expected: String, actual: String) -> ClaimResult {
    ClaimResult {
        passed,
        expected,
        actual,
    }
}

/// Judges one claim. Longer than 70 lines on purpose: one arm per claim kind makes the match
/// the table of claims (the longer ones call a helper below), which reads better whole.
pub fn evaluate(claim: &Claim, sys: &System) -> ClaimResult {
    match claim {
        Claim::Leader {
            cluster,
            node,
            term,
        } => {
            let now = leader_now(sys, cluster);
            let mut expected = format!("{node} leads {cluster}");
            if let Some(t) = term {
                expected.push_str(&format!(" in term {t}"));
            }
            let passed = now
                .as_ref()
                .is_some_and(|(n, t)| n == node && term.is_none_or(|want| want == *t));
            verdict(passed, expected, describe_leader(cluster, now))
        }
        Claim::NoLeader(cluster) => {
            let now = leader_now(sys, cluster);
            let expected = format!("no node leads {cluster}");
            verdict(now.is_none(), expected, describe_leader(cluster, now))
        }
        Claim::NotLeading(node) => {
            let open = sys
                .observer
                .leaders
                .iter()
                .rev()
                .find(|s| s.to_us.is_none() && name_of(sys, s.node) == *node);
            let actual = match open {
                Some(s) => format!("{node} leads {} (term {})", s.cluster, s.term),
                None => format!("{node} leads nothing"),
            };
            verdict(open.is_none(), format!("{node} leads nothing"), actual)
        }
        Claim::TermAtLeast { cluster, term } => {
            let highest = highest_term(sys, cluster);
            let expected = format!("{cluster} has reached term {term} or later");
            verdict(
                highest >= *term,
                expected,
                format!("highest term in {cluster}: {highest}"),
            )
        }
        Claim::TermWithoutLeader { cluster, term } => term_without_leader(sys, cluster, *term),
        Claim::Txn { order, state } => {
            let txn = sys
                .observer
                .txns
                .get(&crate::protocol::two_pc::txn_id(order));
            let expected = format!("{order}'s transaction is {}", state.as_str());
            let actual = match txn {
                Some(t) => format!("{order}'s transaction is {}", t.state.as_str()),
                None => format!("{order} has no transaction yet"),
            };
            verdict(txn.is_some_and(|t| t.state == *state), expected, actual)
        }
        Claim::Order { id, status, reason } => order_claim(sys, id, *status, reason.as_deref()),
        Claim::Event {
            order,
            event,
            state,
        } => event_claim(sys, order, *event, *state),
        Claim::Payment { order, state } => {
            let txn = crate::protocol::two_pc::txn_id(order);
            let found = sys.observer.payments.get(&txn).map(|p| p.0);
            let expected = format!("{order}'s payment is {}", snake(state));
            let actual = match found {
                Some(s) => format!("{order}'s payment is {}", snake(&s)),
                None => format!("the payment node has no record of {order}"),
            };
            verdict(found == Some(*state), expected, actual)
        }
        Claim::Executed { order, times } => {
            let n = sys.observer.executed.get(order).map_or(0, |e| e.0);
            verdict(
                n == *times,
                format!("{order} executed {times} time(s)"),
                format!("{order} executed {n} time(s)"),
            )
        }
        Claim::Crashed(node) => liveness_claim(sys, node, Liveness::Crashed),
        Claim::Up(node) => liveness_claim(sys, node, Liveness::Up),
        Claim::Paused(node) => liveness_claim(sys, node, Liveness::Paused),
        Claim::Stock {
            book,
            replica,
            copies,
        } => stock_claim(sys, book, replica.as_deref(), *copies),
        Claim::StaleReadsAtLeast(n) => {
            let stale = u64::from(sys.observer.reads.counts.stale);
            verdict(
                stale >= *n,
                format!("at least {n} stale read(s)"),
                format!("{stale} stale read(s)"),
            )
        }
        Claim::CacheClearRefused { order, service } => cache_claim(sys, order, service),
        Claim::Model { service, up } => model_claim(sys, service, *up),
    }
}

/// A serde enum's snake_case name ("captured").
fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn name_of(sys: &System, id: NodeId) -> String {
    sys.world()
        .nodes()
        .get(id.0 as usize)
        .map(|n| n.name.clone())
        .unwrap_or_else(|| format!("node {}", id.0))
}

/// Who leads `cluster` now per the trace, if that node is up: (name, term).
fn leader_now(sys: &System, cluster: &str) -> Option<(String, u64)> {
    let span = sys.observer.current_leader(cluster)?;
    (sys.world().liveness(span.node) == Some(Liveness::Up))
        .then(|| (name_of(sys, span.node), span.term))
}

fn describe_leader(cluster: &str, now: Option<(String, u64)>) -> String {
    match now {
        Some((n, term)) => format!("{n} leads {cluster} (term {term})"),
        None => format!("no node that is up leads {cluster}"),
    }
}

/// The term a node view of `cluster` reports, if the node is up and belongs to it.
fn view_term(view: &NodeView, cluster: &str) -> Option<u64> {
    match (view, cluster) {
        (NodeView::Executor(v), "executors") => Some(v.term),
        (NodeView::BooksDb(v), "books-db") => Some(v.term),
        _ => None,
    }
}

/// The highest term any node of `cluster` that is up reports, or any leader of it held.
fn highest_term(sys: &System, cluster: &str) -> u64 {
    let w = sys.world();
    let from_views = w
        .nodes()
        .iter()
        .filter_map(|n| w.view(n.id).and_then(|v| view_term(&v, cluster)))
        .max()
        .unwrap_or(0);
    let from_leaders = sys
        .observer
        .leaders
        .iter()
        .filter(|s| s.cluster == cluster)
        .map(|s| s.term)
        .max()
        .unwrap_or(0);
    from_views.max(from_leaders)
}

fn term_without_leader(sys: &System, cluster: &str, term: u64) -> ClaimResult {
    let highest = highest_term(sys, cluster);
    let led_by = sys
        .observer
        .leaders
        .iter()
        .find(|s| s.cluster == cluster && s.term == term)
        .map(|s| name_of(sys, s.node));
    let expected = format!("term {term} of {cluster} began and nobody led it");
    let actual = match (&led_by, highest >= term) {
        (Some(n), _) => format!("{n} led {cluster} in term {term}"),
        (None, false) => format!("{cluster} has only reached term {highest}"),
        (None, true) => format!("nobody led term {term} (highest term {highest})"),
    };
    verdict(led_by.is_none() && highest >= term, expected, actual)
}

/// The order's outcome as the report computes it: (outcome, errors or abort reason).
fn order_outcome(sys: &System, id: &str) -> Option<(OrderOutcome, CheckoutStatus, String)> {
    let record = sys
        .client_records()
        .into_iter()
        .find(|r| r.response.as_ref().is_some_and(|x| x.order_id == id))?;
    let response = record.response?;
    let (fin, reason) = crate::system::report::final_state(sys, Some(id), Some(response.status));
    let outcome = match fin {
        "REJECTED" => OrderOutcome::Rejected,
        "COMMITTED" => OrderOutcome::Committed,
        "ABORTED" => OrderOutcome::Aborted,
        _ => OrderOutcome::Pending,
    };
    let errors: Vec<String> = response
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    let why = reason.unwrap_or_else(|| errors.join("; "));
    Some((outcome, response.status, why))
}

fn order_claim(sys: &System, id: &str, status: OrderOutcome, reason: Option<&str>) -> ClaimResult {
    let mut expected = format!("{id} is {}", snake(&status));
    if let Some(r) = reason {
        expected.push_str(&format!(" ({r:?})"));
    }
    let Some((outcome, answered, why)) = order_outcome(sys, id) else {
        return verdict(
            false,
            expected,
            format!("the shopper has no answer for {id}"),
        );
    };
    let status_ok = match status {
        OrderOutcome::Approved => answered == CheckoutStatus::Approved,
        other => other == outcome,
    };
    let reason_ok = reason.is_none_or(|r| why.contains(r));
    let mut actual = format!("{id} is {}", snake(&outcome));
    if !why.is_empty() {
        actual.push_str(&format!(" ({why})"));
    }
    verdict(status_ok && reason_ok, expected, actual)
}

fn orchestrator_row(sys: &System, order: &str) -> Option<crate::view::OrderDagView> {
    let w = sys.world();
    match w.view(w.node_id("orchestrator")?)? {
        NodeView::Orchestrator(o) => o.orders.into_iter().find(|r| r.order_id == order),
        _ => None,
    }
}

fn event_claim(
    sys: &System,
    order: &str,
    event: crate::msg::DagEvent,
    state: crate::view::EventState,
) -> ClaimResult {
    let expected = format!("{order}'s {event:?} is {}", snake(&state));
    let found = orchestrator_row(sys, order)
        .and_then(|row| row.events.into_iter().find(|e| e.event == event))
        .map(|e| e.state);
    let actual = match found {
        Some(s) => format!("{order}'s {event:?} is {}", snake(&s)),
        None => format!("the orchestrator shows no {order}"),
    };
    verdict(found == Some(state), expected, actual)
}

fn liveness_claim(sys: &System, node: &str, want: Liveness) -> ClaimResult {
    let w = sys.world();
    let found = w.node_id(node).and_then(|id| w.liveness(id));
    let word = |l: Liveness| match l {
        Liveness::Up => "up",
        Liveness::Paused => "paused",
        Liveness::Crashed => "crashed",
    };
    let actual = match found {
        Some(l) => format!("{node} is {}", word(l)),
        None => format!("no node named {node}"),
    };
    verdict(
        found == Some(want),
        format!("{node} is {}", word(want)),
        actual,
    )
}

fn stock_claim(sys: &System, book: &str, replica: Option<&str>, copies: u32) -> ClaimResult {
    let w = sys.world();
    let replicas: Vec<_> = w
        .nodes()
        .into_iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
        .filter(|n| replica.is_none_or(|r| r == n.name))
        .collect();
    let mut seen = Vec::new();
    let mut passed = !replicas.is_empty();
    for n in &replicas {
        match w.view(n.id) {
            Some(NodeView::BooksDb(v)) => {
                let have = v.stock.get(book).copied().unwrap_or(0);
                passed &= have == copies;
                seen.push(format!("{}: {have}", n.name));
            }
            // Every replica that is up, when none is named: a crashed one has no view.
            _ if replica.is_none() => seen.push(format!("{}: down", n.name)),
            _ => {
                passed = false;
                seen.push(format!("{}: down", n.name));
            }
        }
    }
    let whom = replica.unwrap_or("every replica that is up");
    verdict(
        passed,
        format!("{whom} holds {copies} of {book:?}"),
        format!("{book:?}: {}", seen.join(", ")),
    )
}

fn cache_claim(sys: &System, order: &str, service: &str) -> ClaimResult {
    let expected = format!("{service} refused to clear {order}'s cache (clock conflict)");
    let actual = match orchestrator_row(sys, order) {
        None => format!("the orchestrator shows no {order}"),
        Some(row) if row.conflicts.is_empty() => format!("no service refused to clear {order}"),
        Some(row) => format!("refused by: {}", row.conflicts.join(", ")),
    };
    let passed =
        orchestrator_row(sys, order).is_some_and(|r| r.conflicts.iter().any(|c| c == service));
    verdict(passed, expected, actual)
}

fn model_claim(sys: &System, service: &str, up: bool) -> ClaimResult {
    // The outage is a world flag the service reads on each request (its published view only
    // catches up when it next handles one), so the flag is the truth at any moment.
    let down_flag = match service {
        crate::services::fraud::FRAUD => crate::services::fraud::FRAUD_MODEL_DOWN_FLAG,
        "suggestions" => crate::services::suggestions::SUGGESTIONS_MODEL_DOWN_FLAG,
        other => {
            return verdict(
                false,
                format!("{other}'s model is {}", if up { "up" } else { "down" }),
                format!("{other} has no model (fraud and suggestions do)"),
            )
        }
    };
    let found_up = !sys.world().flags().iter().any(|f| f == down_flag);
    let word = |u: bool| if u { "up" } else { "down" };
    verdict(
        found_up == up,
        format!("{service}'s model is {}", word(up)),
        format!("{service}'s model is {}", word(found_up)),
    )
}
