//! What the three validators (verification, fraud, suggestions) share: the order cache with
//! its per-order vector clock (seed 000 "Service-Local State" and "Cache Clearing with Vector
//! Clock Safety"), and the serve loop that answers InitOrder / RunEvent / ClearOrder.
//!
//! Clock rules, as in seed 000: InitOrder and every event tick this service's entry of the
//! order's clock after merging the clock that came with the request; ClearOrder clears only if
//! the local clock is ≤ the final clock. A local clock ahead of the final one means this service
//! did something the orchestrator never heard of (an event it ran after the orchestrator gave
//! up on it), so the cache is kept and the conflict is flagged instead of silently forgotten.
//!
//! The cache is volatile (a crash loses it) and bounded: past `cache_orders_max` the oldest
//! order is evicted, so orders whose ClearOrder was lost cannot grow it without limit.

use super::llm_desk::{LlmAnswer, LlmDesk, LLM_FLAG};
use crate::checkout::{CalendarDate, CheckoutRequest, FieldError};
use crate::clock::VectorClock;
use crate::llm::{LlmPrompt, LlmService};
use crate::msg::{ClearOutcome, DagEvent, EventOutcome, Msg};
use crate::sim::{ms, Envelope, Micros, NodeCtx};
use crate::view::{NodeView, ValidatorView};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

/// Settings shared by the three validator nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorConfig {
    /// The simulation's day 0: "today" = this date + virtual time (card expiry, fraud).
    pub calendar_start: CalendarDate,
    /// Wall-clock hour at virtual time 0 (the fraud model reads the hour of day).
    pub day_start_hour: u32,
    /// Simulated compute time of one event: the reply leaves this long after the request arrived.
    pub work_us: Micros,
    /// Most orders cached at once; the oldest is evicted beyond it.
    pub cache_orders_max: u32,
    /// How many books GetSuggestions returns.
    pub suggestions_count: u32,
    /// The LLM desk, when the world has one: fraud and suggestions ask the model through it
    /// while the world flag `llm` is on (see `llm_desk.rs`).
    pub llm: Option<LlmDesk>,
}

impl Default for ValidatorConfig {
    fn default() -> Self {
        Self {
            calendar_start: CalendarDate {
                year: 2026,
                month: 11,
                day: 21,
            },
            day_start_hour: 12,
            work_us: ms(2),
            cache_orders_max: 1024,
            suggestions_count: 3,
            llm: None,
        }
    }
}

#[derive(Clone, Debug)]
struct CachedOrder {
    request: CheckoutRequest,
    vc: VectorClock,
    /// Events already run, so a duplicated RunEvent is answered again without running twice.
    done: BTreeMap<DagEvent, (EventOutcome, VectorClock)>,
}

/// The answer to one RunEvent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventResult {
    pub outcome: EventOutcome,
    pub vc: VectorClock,
    /// False when the event was not run now (unknown order, or a repeat of one already run).
    pub ran: bool,
}

#[derive(Clone, Debug)]
pub struct ValidatorCache {
    /// This service's entry in the vector clocks ("verification", "fraud", "suggestions").
    process: &'static str,
    orders: BTreeMap<String, CachedOrder>,
    /// Order ids, oldest first, for eviction.
    arrival: VecDeque<String>,
    capacity: u32,
    /// Everything this node has seen, merged: its view of the world's causality.
    clock: VectorClock,
    conflicts: u32,
    handled: u32,
    /// Orders the orchestrator already told us to clear, newest last (at most `capacity`): an
    /// InitOrder for one of them that arrives late (delayed, reordered or duplicated) is not
    /// cached again. Cached again, it would never be cleared, and its clock would start from
    /// the late message's, behind the clearing this node already received.
    cleared: VecDeque<String>,
}

impl ValidatorCache {
    pub fn new(process: &'static str, capacity: u32) -> Self {
        Self {
            process,
            orders: BTreeMap::new(),
            arrival: VecDeque::new(),
            capacity: capacity.max(1),
            clock: VectorClock::new(),
            conflicts: 0,
            handled: 0,
            cleared: VecDeque::new(),
        }
    }

    pub fn process(&self) -> &'static str {
        self.process
    }

    /// Caches the order and returns its clock. A repeated InitOrder (a duplicated message)
    /// changes nothing and returns the clock already held. Also returns an evicted order id.
    pub fn init(
        &mut self,
        order_id: &str,
        request: CheckoutRequest,
        vc_in: &VectorClock,
    ) -> (VectorClock, Option<String>) {
        if let Some(order) = self.orders.get(order_id) {
            return (order.vc.clone(), None);
        }
        if self.was_cleared(order_id) {
            return (vc_in.clone(), None);
        }
        let mut evicted = None;
        if self.orders.len() >= self.capacity as usize {
            if let Some(oldest) = self.arrival.pop_front() {
                self.orders.remove(&oldest);
                evicted = Some(oldest);
            }
        }
        let mut vc = vc_in.clone();
        vc.tick(self.process);
        self.clock.merge(&vc);
        self.orders.insert(
            order_id.to_string(),
            CachedOrder {
                request,
                vc: vc.clone(),
                done: BTreeMap::new(),
            },
        );
        self.arrival.push_back(order_id.to_string());
        (vc, evicted)
    }

    /// Runs `event` of a cached order through `run`, ticking the order's clock first.
    pub fn run_event(
        &mut self,
        order_id: &str,
        event: DagEvent,
        vc_in: &VectorClock,
        run: impl FnOnce(&CheckoutRequest) -> EventOutcome,
    ) -> EventResult {
        let Some(order) = self.orders.get_mut(order_id) else {
            let message = format!(
                "order not initialised: {order_id} is not in the {} cache (never initialised, or lost when this node restarted)",
                self.process
            );
            let outcome = EventOutcome {
                ok: false,
                errors: vec![FieldError::new(self.process, message)],
                ..Default::default()
            };
            return EventResult {
                outcome,
                vc: vc_in.clone(),
                ran: false,
            };
        };
        if let Some((outcome, vc)) = order.done.get(&event) {
            return EventResult {
                outcome: outcome.clone(),
                vc: vc.clone(),
                ran: false,
            };
        }
        order.vc.merge(vc_in).tick(self.process);
        let vc = order.vc.clone();
        let outcome = run(&order.request);
        order.done.insert(event, (outcome.clone(), vc.clone()));
        self.clock.merge(&vc);
        self.handled += 1;
        EventResult {
            outcome,
            vc,
            ran: true,
        }
    }

    /// Forgets the order if its local clock is ≤ `final_vc`; otherwise keeps it and counts a conflict.
    pub fn clear(&mut self, order_id: &str, final_vc: &VectorClock) -> ClearOutcome {
        self.remember_cleared(order_id);
        let Some(order) = self.orders.get(order_id) else {
            return ClearOutcome::UnknownOrder;
        };
        if !order.vc.le(final_vc) {
            self.conflicts += 1;
            return ClearOutcome::Conflict {
                local: order.vc.clone(),
            };
        }
        self.orders.remove(order_id);
        self.arrival.retain(|id| id != order_id);
        self.clock.merge(final_vc);
        ClearOutcome::Cleared
    }

    /// The request of a cached order whose `event` has not run yet (what the LLM is asked about).
    pub fn runnable(&self, order_id: &str, event: DagEvent) -> Option<&CheckoutRequest> {
        self.orders
            .get(order_id)
            .filter(|o| !o.done.contains_key(&event))
            .map(|o| &o.request)
    }

    fn remember_cleared(&mut self, order_id: &str) {
        if self.cleared.iter().any(|id| id == order_id) {
            return;
        }
        self.cleared.push_back(order_id.to_string());
        if self.cleared.len() > self.capacity as usize {
            self.cleared.pop_front();
        }
    }

    /// Whether the orchestrator already told this node to clear `order_id`.
    pub fn was_cleared(&self, order_id: &str) -> bool {
        self.cleared.iter().any(|id| id == order_id)
    }

    pub fn order_clock(&self, order_id: &str) -> Option<&VectorClock> {
        self.orders.get(order_id).map(|o| &o.vc)
    }

    pub fn len(&self) -> u32 {
        self.orders.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    pub fn view(&self, model_up: bool) -> ValidatorView {
        ValidatorView {
            cached_orders: self.len(),
            clock: self.clock.clone(),
            model_up,
            conflicts: self.conflicts,
            handled: self.handled,
        }
    }
}

/// One validator's own checks; the serve loop does the messaging, caching and clocks.
pub trait Validator {
    /// What the validator keeps between asking the LLM about an event and deciding it.
    type Asked: 'static;
    /// Whether this service runs `event` (the others are refused with a clear error).
    fn runs(&self, event: DagEvent) -> bool;
    fn run(
        &mut self,
        ctx: &NodeCtx,
        corr: u64,
        event: DagEvent,
        request: &CheckoutRequest,
    ) -> EventOutcome;
    /// False while this service's model is unavailable (fault flag or failed load).
    fn model_up(&self, ctx: &NodeCtx) -> bool;
    /// While the LLM option is on: the question to ask the model before deciding `event`, and
    /// what to decide with once it is answered. None decides now, by `run`.
    fn ask_llm(
        &mut self,
        _ctx: &NodeCtx,
        _event: DagEvent,
        _request: &CheckoutRequest,
    ) -> Option<(LlmService, LlmPrompt, Self::Asked)> {
        None
    }
    /// Decides `event` with the model's answer, or falls back (visibly) when there is none.
    fn decide_with_llm(
        &mut self,
        ctx: &NodeCtx,
        corr: u64,
        event: DagEvent,
        request: &CheckoutRequest,
        _asked: Self::Asked,
        _answer: LlmAnswer,
    ) -> EventOutcome {
        self.run(ctx, corr, event, request)
    }
}

/// A validator's state, shared by its serve loop and the tasks waiting on the LLM.
struct Served<V> {
    process: &'static str,
    cfg: ValidatorConfig,
    cache: RefCell<ValidatorCache>,
    validator: RefCell<V>,
    /// (order, event) pairs waiting on the LLM: a repeated RunEvent is not asked twice.
    asking: RefCell<BTreeSet<(String, DagEvent)>>,
}

/// Serves InitOrder / RunEvent / ClearOrder forever for `validator`, keyed `process` in clocks.
pub async fn serve_validator<V: Validator + 'static>(
    ctx: NodeCtx,
    process: &'static str,
    cfg: ValidatorConfig,
    validator: V,
) {
    let served = Rc::new(Served {
        process,
        cache: RefCell::new(ValidatorCache::new(process, cfg.cache_orders_max)),
        cfg,
        validator: RefCell::new(validator),
        asking: RefCell::new(BTreeSet::new()),
    });
    loop {
        let model_up = served.validator.borrow().model_up(&ctx);
        ctx.set_view(NodeView::Validator(served.cache.borrow().view(model_up)));
        let env = ctx.recv().await;
        let corr = env.corr;
        match &env.msg {
            Msg::InitOrder {
                order_id,
                request,
                vc,
            } => {
                // A repeated InitOrder (a duplicated message) is no new event: answered with
                // the clock already held, and not traced again.
                let fresh = {
                    let cache = served.cache.borrow();
                    cache.order_clock(order_id).is_none() && !cache.was_cleared(order_id)
                };
                let (vc, evicted) = served
                    .cache
                    .borrow_mut()
                    .init(order_id, request.clone(), vc);
                if let Some(old) = evicted {
                    ctx.log(format!(
                        "{process}: cache full ({} orders), evicted {old}",
                        served.cfg.cache_orders_max
                    ));
                }
                if fresh {
                    ctx.event("InitOrder", corr, &vc);
                }
                answer(
                    &ctx,
                    &env,
                    Msg::InitAck {
                        order_id: order_id.clone(),
                        vc,
                    },
                    0,
                );
            }
            Msg::RunEvent {
                order_id,
                event,
                vc,
            } => run_event(&ctx, &served, &env, order_id, *event, vc),
            Msg::ClearOrder { order_id, final_vc } => {
                clear_order(&ctx, &served, &env, order_id, final_vc)
            }
            other => ctx.log(format!(
                "{process}: ignored an unexpected {} message",
                other.label()
            )),
        }
    }
}

/// ClearOrder: forgets the order if its clock is covered by the final one, else flags it.
fn clear_order<V>(
    ctx: &NodeCtx,
    served: &Served<V>,
    env: &Envelope,
    order_id: &str,
    final_vc: &VectorClock,
) {
    let outcome = served.cache.borrow_mut().clear(order_id, final_vc);
    if let ClearOutcome::Conflict { local } = &outcome {
        ctx.log_corr(
            env.corr,
            format!(
                "{}: clock conflict on {order_id}: local {local} is not ≤ final {final_vc}; cache kept",
                served.process
            ),
        );
    }
    let ack = Msg::ClearAck {
        order_id: order_id.to_string(),
        outcome,
    };
    answer(ctx, env, ack, 0);
}

/// One RunEvent: decided now, or — while the LLM option is on and the validator asks — by a
/// task that waits for the model's answer (the serve loop goes on answering other orders).
fn run_event<V: Validator + 'static>(
    ctx: &NodeCtx,
    served: &Rc<Served<V>>,
    env: &Envelope,
    order_id: &str,
    event: DagEvent,
    vc: &VectorClock,
) {
    let process = served.process;
    let key = (order_id.to_string(), event);
    if served.asking.borrow().contains(&key) {
        ctx.log_corr(
            env.corr,
            format!(
                "{process}: {} of {order_id} is waiting on the LLM; the answer follows",
                event.name()
            ),
        );
        return;
    }
    if let Some(desk) = served.cfg.llm.clone().filter(|_| ctx.flag(LLM_FLAG)) {
        let asked = {
            let cache = served.cache.borrow();
            let mut validator = served.validator.borrow_mut();
            match cache.runnable(order_id, event) {
                Some(req) if validator.runs(event) => validator.ask_llm(ctx, event, req),
                _ => None,
            }
        };
        if let Some((service, prompt, asked)) = asked {
            served.asking.borrow_mut().insert(key.clone());
            let (c, s, env, vc) = (ctx.clone(), served.clone(), env.clone(), vc.clone());
            ctx.spawn(async move {
                let (order, corr) = (&key.0, env.corr);
                let answer = desk.ask(&c, service, order, corr, prompt).await;
                let result = s.cache.borrow_mut().run_event(order, event, &vc, |req| {
                    s.validator
                        .borrow_mut()
                        .decide_with_llm(&c, corr, event, req, asked, answer)
                });
                s.asking.borrow_mut().remove(&key);
                finish_event(&c, &s, &env, event, result);
            });
            return;
        }
    }
    let result = if served.validator.borrow().runs(event) {
        let mut validator = served.validator.borrow_mut();
        served
            .cache
            .borrow_mut()
            .run_event(order_id, event, vc, |req| {
                validator.run(ctx, env.corr, event, req)
            })
    } else {
        wrong_service(process, event, vc)
    };
    finish_event(ctx, served, env, event, result);
}

/// Traces the event (or why it was refused) and answers the orchestrator.
fn finish_event<V>(
    ctx: &NodeCtx,
    served: &Served<V>,
    env: &Envelope,
    event: DagEvent,
    result: EventResult,
) {
    if result.ran {
        ctx.event(event.name(), env.corr, &result.vc);
    } else if !result.outcome.ok {
        ctx.log_corr(
            env.corr,
            format!(
                "{}: {} refused: {}",
                served.process,
                event.name(),
                first_error(&result.outcome)
            ),
        );
    }
    let order_id = match &env.msg {
        Msg::RunEvent { order_id, .. } => order_id.clone(),
        _ => String::new(),
    };
    let reply = Msg::EventDone {
        order_id,
        event,
        outcome: result.outcome,
        vc: result.vc,
    };
    let delay = if result.ran { served.cfg.work_us } else { 0 };
    answer(ctx, env, reply, delay);
}

/// Replies now, or after `delay_us` of simulated work without blocking the serve loop.
fn answer(ctx: &NodeCtx, request: &Envelope, reply: Msg, delay_us: Micros) {
    if delay_us == 0 {
        ctx.reply(request, reply);
        return;
    }
    let (c, request) = (ctx.clone(), request.clone());
    ctx.spawn(async move {
        c.sleep(delay_us).await;
        c.reply(&request, reply);
    });
}

fn wrong_service(process: &str, event: DagEvent, vc: &VectorClock) -> EventResult {
    let message = format!(
        "{process} does not run {} (that is {}'s event)",
        event.name(),
        event.service()
    );
    let outcome = EventOutcome {
        ok: false,
        errors: vec![FieldError::new(process, message)],
        ..Default::default()
    };
    EventResult {
        outcome,
        vc: vc.clone(),
        ran: false,
    }
}

fn first_error(outcome: &EventOutcome) -> String {
    outcome
        .errors
        .first()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// An outcome from a check's `Result`: ok, or failed with its errors.
pub fn outcome_of(result: Result<(), Vec<FieldError>>) -> EventOutcome {
    match result {
        Ok(()) => EventOutcome {
            ok: true,
            ..Default::default()
        },
        Err(errors) => EventOutcome {
            ok: false,
            errors,
            ..Default::default()
        },
    }
}
