//! The orchestrator's RPCs for one order — init, the DAG events, enqueue, clear — and what
//! their answers mean. A missing node, a deadline or a malformed answer becomes a `FieldError`
//! named after the service ("fraud: DEADLINE_EXCEEDED: …"), never a panic.

use super::board::Board;
use super::dag::DagRun;
use super::running::{BoxFuture, Running};
use super::{OrchestratorConfig, QUEUE};
use crate::checkout::{CheckoutRequest, FieldError, SuggestedBook};
use crate::clock::VectorClock;
use crate::msg::{ClearOutcome, DagEvent, Msg};
use crate::protocol::order_queue::QueueEntry;
use crate::sim::{Micros, NodeCtx};

/// The validators, in the order they are initialised and cleared.
pub const VALIDATORS: [&str; 3] = ["verification", "fraud", "suggestions"];

/// The order as the calls see it: ids and its vector clock, merged with every answer.
///
/// The clock follows Fidge's and Mattern's rule on every event of the orchestrator for this
/// order, not once per order: a send ticks and carries the ticked clock, a receive merges the
/// answer's clock and then ticks, a local event (a lifecycle status) ticks. Ticking once per
/// order (the seed's reading) left "validated" with the very clock of GetSuggestions at the
/// suggestions service, so a cone computed from these clocks called two different events
/// equal; `invariants/clocks_tick.rs` checks that no event ever repeats a predecessor's clock.
pub struct OrderRun {
    pub order_id: String,
    pub corr: u64,
    pub vc: VectorClock,
}

impl OrderRun {
    /// One more event of the orchestrator for this order.
    pub fn tick(&mut self) {
        // Broken variant for "every event ticks its clock" (invariants/clocks_tick.rs): the old
        // once-per-order clock, ticked only when the checkout arrived.
        #[cfg(test)]
        if crate::bugs::planted(crate::bugs::Bug::OrchestratorTicksOncePerOrder) {
            return;
        }
        self.vc.tick(super::ORCHESTRATOR);
    }

    /// A send: tick, then the clock the message carries.
    pub fn send_clock(&mut self) -> VectorClock {
        self.tick();
        self.vc.clone()
    }

    /// A receive: the element-wise maximum with the message's clock, then the tick.
    pub fn receive(&mut self, theirs: Option<&VectorClock>) {
        if let Some(vc) = theirs {
            self.vc.merge(vc);
        }
        self.tick();
    }
}

/// What the DAG concluded.
#[derive(Default)]
pub struct Verdict {
    pub errors: Vec<FieldError>,
    pub suggestions: Vec<SuggestedBook>,
}

/// An RPC to the node named `service`, as a future that owns everything it needs.
fn call(
    ctx: &NodeCtx,
    service: &'static str,
    msg: Msg,
    deadline_us: Micros,
    corr: u64,
) -> BoxFuture<Result<Msg, FieldError>> {
    let ctx = ctx.clone();
    Box::pin(async move {
        let label = msg.label();
        let Some(to) = ctx.lookup(service) else {
            return Err(FieldError::new(
                service,
                format!("UNAVAILABLE: there is no {service} node to send {label} to"),
            ));
        };
        ctx.rpc(to, msg, deadline_us, corr).await.map_err(|e| {
            FieldError::new(
                service,
                format!("{e}: no answer to {label} within {} ms", deadline_us / 1000),
            )
        })
    })
}

fn unexpected(service: &str, asked: &str, got: &Msg) -> FieldError {
    FieldError::new(
        service,
        format!("answered {asked} with an unexpected {}", got.label()),
    )
}

/// Sends InitOrder to the three validators at once; merges their clocks; returns the failures.
pub async fn init_validators(
    ctx: &NodeCtx,
    cfg: &OrchestratorConfig,
    order: &mut OrderRun,
    request: &CheckoutRequest,
) -> Vec<FieldError> {
    let calls = VALIDATORS
        .iter()
        .map(|&service| {
            let msg = Msg::InitOrder {
                order_id: order.order_id.clone(),
                request: request.clone(),
                vc: order.send_clock(),
            };
            call(ctx, service, msg, cfg.init_deadline_us, order.corr)
        })
        .collect();
    let mut errors = Vec::new();
    for (service, answer) in VALIDATORS
        .iter()
        .zip(crate::sim::futures::join_all(calls).await)
    {
        match answer {
            Ok(Msg::InitAck { order_id, vc }) if order_id == order.order_id => {
                order.receive(Some(&vc));
            }
            Ok(other) => {
                order.receive(None);
                errors.push(unexpected(service, "InitOrder", &other));
            }
            Err(e) => errors.push(e),
        }
    }
    errors
}

/// Runs the DAG: every event starts as soon as its dependencies succeeded, in parallel with
/// whatever else is running; each answer's clock is merged into the order's clock.
pub async fn run_dag(
    ctx: &NodeCtx,
    cfg: &OrchestratorConfig,
    board: &Board,
    order: &mut OrderRun,
    dag: &mut DagRun,
) -> Verdict {
    let mut verdict = Verdict::default();
    let mut running: Running<DagEvent, Result<Msg, FieldError>> = Running::default();
    let deadline_us = if ctx.flag(crate::services::llm_desk::LLM_FLAG) {
        cfg.event_deadline_us.saturating_add(cfg.llm_event_extra_us)
    } else {
        cfg.event_deadline_us
    };
    loop {
        for event in dag.ready() {
            dag.start(event, ctx.now());
            let msg = Msg::RunEvent {
                order_id: order.order_id.clone(),
                event,
                vc: order.send_clock(),
            };
            running.push(
                event,
                call(ctx, event.service(), msg, deadline_us, order.corr),
            );
        }
        show(board, &order.order_id, dag);
        let Some((event, answer)) = running.next().await else {
            break;
        };
        let (ok, vc) = match answer {
            Ok(Msg::EventDone {
                order_id,
                event: done,
                outcome,
                vc,
            }) if order_id == order.order_id && done == event => {
                order.receive(Some(&vc));
                for note in &outcome.notes {
                    ctx.log_corr(order.corr, format!("{}: {note}", event.name()));
                }
                let ok = outcome.ok && outcome.errors.is_empty();
                if !outcome.ok && outcome.errors.is_empty() {
                    verdict.errors.push(FieldError::new(
                        event.service(),
                        format!("{} failed without saying why", event.name()),
                    ));
                }
                verdict.errors.extend(outcome.errors);
                if event == DagEvent::GetSuggestions {
                    verdict.suggestions = outcome.suggestions;
                }
                (ok, Some(vc))
            }
            Ok(other) => {
                order.receive(None);
                verdict
                    .errors
                    .push(unexpected(event.service(), event.name(), &other));
                (false, None)
            }
            Err(e) => {
                verdict.errors.push(e);
                (false, None)
            }
        };
        dag.finish(event, ok, vc, ctx.now());
    }
    verdict
}

pub fn show(board: &Board, order_id: &str, dag: &DagRun) {
    board.update(order_id, |row| row.events = dag.events().to_vec());
}

/// Enqueues the approved order. `Ok(None)`: the queue already had it (an earlier attempt got
/// through). Refusals are final; a missing answer is retried up to `enqueue_attempts` times.
pub async fn enqueue(
    ctx: &NodeCtx,
    cfg: &OrchestratorConfig,
    entry: &QueueEntry,
    order: &mut OrderRun,
) -> Result<Option<u32>, FieldError> {
    let corr = order.corr;
    let attempts = cfg.enqueue_attempts.max(1);
    let mut last = FieldError::new(QUEUE, "no attempt was made");
    for attempt in 1..=attempts {
        // The queue keeps no vector clock; the send and its answer are still the orchestrator's
        // events, so each ticks.
        order.tick();
        let answer = call(
            ctx,
            QUEUE,
            Msg::Enqueue {
                entry: entry.clone(),
            },
            cfg.enqueue_deadline_us,
            corr,
        )
        .await;
        if answer.is_ok() {
            order.receive(None);
        }
        match answer {
            Ok(Msg::EnqueueReply {
                result: Ok(position),
            }) => return Ok(Some(position)),
            // The queue's own wording for EnqueueError::Duplicate; ids are never reused, so
            // only this order's earlier attempt can have put it there.
            Ok(Msg::EnqueueReply {
                result: Err(reason),
            }) if reason.contains("already in the queue") => return Ok(None),
            Ok(Msg::EnqueueReply {
                result: Err(reason),
            }) => {
                return Err(FieldError::new(
                    QUEUE,
                    format!("refused the order: {reason}"),
                ));
            }
            Ok(other) => return Err(unexpected(QUEUE, "Enqueue", &other)),
            Err(e) if e.message.starts_with("UNAVAILABLE") => return Err(e),
            Err(e) => {
                ctx.log_corr(
                    corr,
                    format!(
                        "enqueue attempt {attempt}/{attempts} of {}: {e}",
                        entry.order_id
                    ),
                );
                last = e;
            }
        }
    }
    Err(FieldError::new(
        QUEUE,
        format!("{} (gave up after {attempts} attempts)", last.message),
    ))
}

/// Broadcasts the final clock (the one the client's answer carried); returns the validators
/// that refused to clear (clock conflict). Each send and each answer still ticks the order's
/// clock, but the messages carry `final_vc` itself: it is what each validator compares with.
pub async fn clear_validators(
    ctx: &NodeCtx,
    cfg: &OrchestratorConfig,
    order: &mut OrderRun,
    final_vc: &VectorClock,
) -> Vec<String> {
    let calls = VALIDATORS
        .iter()
        .map(|&service| {
            order.tick();
            let msg = Msg::ClearOrder {
                order_id: order.order_id.clone(),
                final_vc: final_vc.clone(),
            };
            call(ctx, service, msg, cfg.clear_deadline_us, order.corr)
        })
        .collect();
    let mut conflicts = Vec::new();
    for (service, answer) in VALIDATORS
        .iter()
        .zip(crate::sim::futures::join_all(calls).await)
    {
        // A conflict answer carries the validator's clock, which knows events this order's
        // clock missed (an answer that came too late): the receive merges it, as any other.
        match &answer {
            Ok(Msg::ClearAck {
                outcome: ClearOutcome::Conflict { local },
                ..
            }) => order.receive(Some(local)),
            Ok(_) => order.receive(None),
            Err(_) => {}
        }
        match answer {
            Ok(Msg::ClearAck {
                outcome: ClearOutcome::Conflict { local },
                ..
            }) => {
                ctx.log_corr(
                    order.corr,
                    format!(
                        "{service} kept {}: its clock {local} is not ≤ the final {final_vc}",
                        order.order_id
                    ),
                );
                conflicts.push(service.to_string());
            }
            Ok(Msg::ClearAck { .. }) => {}
            Ok(other) => ctx.log_corr(
                order.corr,
                unexpected(service, "ClearOrder", &other).to_string(),
            ),
            Err(e) => ctx.log_corr(order.corr, format!("clearing {}: {e}", order.order_id)),
        }
    }
    conflicts
}
