//! The desk between the services and the optional LLM: where a service leaves its question,
//! waits for the answer in virtual time, and where the system drops the recorded reply.
//!
//! Why a desk and not a node. The model is outside the simulated network: a request is not a
//! message with a latency drawn from the seed but real browser I/O whose answer, whenever it
//! comes, enters the run as a recorded input (`llm_reply`). So the desk is shared state like
//! the payment node's decline table: the service registers the request and sleeps on it, the
//! page's driver reads the outstanding requests (typed, with their prompts) and fetches, and
//! `System` hands the reply over at the virtual millisecond it was recorded at, waking the
//! waiting task. The wait is bounded by `timeout_ms` of the service's own clock; a run with no
//! replies at all (the headless runner) times out and falls back, deterministically.
//!
//! Request ids count up in the order requests are issued, which is deterministic, so a reply
//! recorded for request 3 finds request 3 again on replay. A reply for a request that is not
//! waiting (it timed out, its node crashed, or the id is unknown) changes nothing and is an
//! input error the run keeps, not a panic.

use crate::facts::Fact;
use crate::llm::{LlmFailure, LlmPrompt, LlmReply, LlmRequest, LlmService};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{Micros, NodeCtx};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// The world flag that turns the LLM option on (a recorded input, `{"llm": {"on": true}}`).
pub const LLM_FLAG: &str = "llm";
/// How long a service waits for an answer by default (virtual ms).
pub const DEFAULT_LLM_TIMEOUT_MS: u64 = 3000;

struct Slot {
    request: LlmRequest,
    reply: Option<LlmReply>,
    waker: Option<Waker>,
}

struct DeskState {
    timeout_ms: u64,
    next_id: u64,
    waiting: BTreeMap<u64, Slot>,
}

/// Cheap to clone; every clone is the same desk.
#[derive(Clone)]
pub struct LlmDesk(Rc<RefCell<DeskState>>);

impl PartialEq for LlmDesk {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for LlmDesk {}

impl std::fmt::Debug for LlmDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0.borrow();
        write!(f, "LlmDesk({} waiting)", s.waiting.len())
    }
}

/// The model's answer as a service gets it: the message text, or why it cannot be used.
pub struct LlmAnswer {
    pub request: u64,
    pub service: LlmService,
    pub order_id: String,
    pub result: Result<String, LlmFailure>,
}

impl LlmDesk {
    pub fn new(timeout_ms: u64) -> Self {
        Self(Rc::new(RefCell::new(DeskState {
            timeout_ms,
            next_id: 0,
            waiting: BTreeMap::new(),
        })))
    }

    pub fn timeout_ms(&self) -> u64 {
        self.0.borrow().timeout_ms
    }

    /// Requests issued and not answered yet, oldest first (what the page fetches for).
    pub fn outstanding(&self) -> Vec<LlmRequest> {
        let s = self.0.borrow();
        s.waiting
            .values()
            .filter(|slot| slot.reply.is_none())
            .map(|slot| slot.request.clone())
            .collect()
    }

    /// Whether any request waits without a reply.
    pub fn has_unanswered(&self) -> bool {
        self.0.borrow().waiting.values().any(|s| s.reply.is_none())
    }

    /// Hands `reply` to the service waiting on `request` and wakes it.
    pub fn deliver(&self, request: u64, reply: LlmReply) -> Result<(), String> {
        let mut s = self.0.borrow_mut();
        let slot = s.waiting.get_mut(&request).ok_or_else(|| {
            format!("llm_reply: request {request} is not waiting (it timed out, its node crashed, or it was never issued)")
        })?;
        if slot.reply.is_some() {
            return Err(format!("llm_reply: request {request} was already answered"));
        }
        slot.reply = Some(reply);
        if let Some(w) = slot.waker.take() {
            w.wake();
        }
        Ok(())
    }

    /// Asks the model `prompt` about `order_id` and waits (virtual time) for the recorded reply
    /// or the timeout. Records `LlmAsked` in the trace; the caller records how it settled.
    pub async fn ask(
        &self,
        ctx: &NodeCtx,
        service: LlmService,
        order_id: &str,
        corr: u64,
        prompt: LlmPrompt,
    ) -> LlmAnswer {
        let timeout_ms = self.timeout_ms();
        let issued_at_us = ctx.now();
        let deadline_us = issued_at_us.saturating_add(timeout_ms.saturating_mul(1000));
        let request = {
            let mut s = self.0.borrow_mut();
            s.next_id += 1;
            let id = s.next_id;
            let request = LlmRequest {
                id,
                service,
                order_id: order_id.to_string(),
                corr,
                issued_at_us,
                deadline_us,
                prompt,
            };
            let slot = Slot {
                request,
                reply: None,
                waker: None,
            };
            s.waiting.insert(id, slot);
            id
        };
        let fact = Fact::LlmAsked {
            request,
            service,
            order_id: order_id.to_string(),
            deadline_us,
        };
        ctx.trace(TraceKind::Fact(Box::new(fact)), corr, None);
        ctx.log_corr(
            corr,
            format!(
                "{}: asked the LLM about {order_id} (request {request}); waits up to {timeout_ms} ms",
                service.as_str()
            ),
        );
        let guard = Forget {
            desk: self.clone(),
            request,
        };
        let reply = std::future::poll_fn(|cx| {
            let mut s = self.0.borrow_mut();
            match s.waiting.get_mut(&request) {
                Some(slot) => match slot.reply.take() {
                    Some(reply) => Poll::Ready(reply),
                    None => {
                        slot.waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                },
                None => Poll::Pending,
            }
        });
        let result = match select_biased(reply, ctx.sleep_until(deadline_us)).await {
            Either::Left(reply) => reply.content(timeout_ms),
            Either::Right(()) => Err(LlmFailure::Timeout {
                after_ms: timeout_ms,
            }),
        };
        drop(guard);
        LlmAnswer {
            request,
            service,
            order_id: order_id.to_string(),
            result,
        }
    }
}

/// Takes a request off the desk when its wait ends — answered, timed out, or dropped because
/// the node crashed — so no reply can reach a task that is gone.
struct Forget {
    desk: LlmDesk,
    request: u64,
}

impl Drop for Forget {
    fn drop(&mut self) {
        if let Ok(mut s) = self.desk.0.try_borrow_mut() {
            s.waiting.remove(&self.request);
        }
    }
}

impl LlmAnswer {
    /// Records that the service decided with the model's answer (`summary` says what it said).
    pub fn settle_used(&self, ctx: &NodeCtx, corr: u64, summary: String) {
        ctx.log_corr(
            corr,
            format!("{}: LLM answer used: {summary}", self.service.as_str()),
        );
        self.record(ctx, corr, true, None, summary);
    }

    /// Records the fallback to the local model, visibly: a typed fact on the order's trace and
    /// a log line ("LLM fallback: timeout after 3000 ms").
    pub fn settle_fallback(&self, ctx: &NodeCtx, corr: u64, failure: &LlmFailure) -> String {
        let line = format!(
            "{}: LLM fallback: {failure}; decided by the local model",
            self.service.as_str()
        );
        ctx.log_corr(corr, line.clone());
        self.record(ctx, corr, false, Some(failure.kind()), failure.to_string());
        line
    }

    fn record(
        &self,
        ctx: &NodeCtx,
        corr: u64,
        used: bool,
        failure: Option<&'static str>,
        detail: String,
    ) {
        let fact = Fact::LlmSettled {
            request: self.request,
            service: self.service,
            order_id: self.order_id.clone(),
            used,
            failure,
            detail,
        };
        ctx.trace(TraceKind::Fact(Box::new(fact)), corr, None);
    }
}

/// Extra time the orchestrator allows an event while the LLM option is on: the service's
/// wait plus a second for the messages around it.
pub fn event_deadline_extra_us(timeout_ms: u64) -> Micros {
    timeout_ms.saturating_add(1000).saturating_mul(1000)
}
