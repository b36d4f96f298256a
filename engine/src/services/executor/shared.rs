//! What an executor's election driver and its work loop share: who leads with which fencing
//! token, the executed orders, and two wake-up signals (the tasks run on one node, so a plain
//! `Rc<RefCell<_>>` and a waker are all the synchronisation they need).

use crate::msg::{ExecCommand, Msg};
use crate::protocol::recent::RecentMap;
use crate::protocol::two_pc::Decision;
use crate::sim::Envelope;
use crate::sim::{Micros, NodeCtx};
use crate::view::{ExecutorView, NodeView};
use std::cell::{Cell, RefCell};

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// This node's leadership as its election driver sees it right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lead {
    /// The fencing token every Dequeue and AckOrder carries (Raft term, Bully epoch, lease token).
    pub term: u64,
    /// Lease mode: the instant (our clock) our lease stops being valid. None = until told.
    pub valid_until_us: Option<Micros>,
    /// Raft: the state machine has applied everything committed before this term began, so
    /// "is this order already executed?" has a trustworthy answer. Always true elsewhere.
    /// (Safety does not hang on it — applying dedupes by order id, the first committed entry
    /// wins — but it spares the log a duplicate entry for an order a predecessor executed.)
    pub ready: bool,
}

/// Executed orders remembered. An order is redelivered only until its ack lands (seconds), and
/// the queue forgets acked orders only after `ACKED_WINDOW` (50,000) more acks, so 20,000 —
/// about half an hour at 12 orders/s — leaves a wide margin. Twice `DECISIONS_WINDOW`, so an
/// order whose decision is still remembered is never one whose execution was forgotten (its
/// decision came first), and a new leader never re-finishes it as an orphan.
pub const EXECUTED_WINDOW: usize = 20_000;
/// 2PC decisions remembered. A participant asks about its in-doubt transaction within seconds
/// of the coordinator's silence; one that asks after 10,000 newer decisions gets "unknown".
pub const DECISIONS_WINDOW: usize = 10_000;

#[derive(Debug)]
pub struct ExecState {
    pub lead: Option<Lead>,
    /// Raft: the orders the committed log marks executed (the replicated state machine).
    /// Bully/lease: the orders whose execution this node recorded (its durable set).
    pub executed: RecentMap<String, ()>,
    /// Raft only: commands the work loop wants proposed; the driver drains them.
    pub proposals: Vec<ExecCommand>,
    /// The queue refused our token: someone holds a higher one (work loop → driver).
    pub fenced_by: Option<u64>,
    /// Raft: the 2PC decisions the committed log holds, txn → (order id, decision); the first
    /// committed `Decided` entry of a transaction wins.
    pub decisions: RecentMap<String, (String, Decision)>,
    /// Participants' outcome questions, handed from the driver's inbox to the work loop.
    pub queries: Vec<Envelope>,
}

impl Default for ExecState {
    fn default() -> Self {
        Self {
            lead: None,
            executed: RecentMap::new(EXECUTED_WINDOW),
            proposals: Vec::new(),
            fenced_by: None,
            decisions: RecentMap::new(DECISIONS_WINDOW),
            queries: Vec::new(),
        }
    }
}

impl ExecState {
    /// The token to dequeue with, if this node may dequeue now. In lease mode the lease must
    /// still be valid `margin_us` from now, so the request lands before our belief expires.
    pub fn usable_term(&self, now_us: Micros, margin_us: Micros) -> Option<u64> {
        let lead = self.lead?;
        let valid = lead
            .valid_until_us
            .is_none_or(|until| now_us.saturating_add(margin_us) < until);
        (lead.ready && valid).then_some(lead.term)
    }

    /// Whether this node still leads with exactly `term`.
    pub fn leads_with(&self, term: u64, now_us: Micros) -> bool {
        self.lead
            .is_some_and(|l| l.term == term && l.valid_until_us.is_none_or(|u| now_us < u))
    }
}

/// A wake-up signal. `notify` makes the next `wait` complete if nobody is waiting (one slot,
/// so a notice sent before the waiter gets there is not lost), and completes every `wait`
/// already pending: several tasks of one node wait on the same signal (the work loop and each
/// transaction it runs), and a single stored waker would leave all but the last asleep.
#[derive(Debug, Default)]
pub struct Signal {
    fired: Cell<bool>,
    generation: Cell<u64>,
    wakers: RefCell<Vec<Waker>>,
}

impl Signal {
    pub fn notify(&self) {
        self.fired.set(true);
        self.generation.set(self.generation.get() + 1);
        for w in self.wakers.borrow_mut().drain(..) {
            w.wake();
        }
    }

    pub fn wait(&self) -> SignalWait<'_> {
        SignalWait {
            signal: self,
            since: None,
        }
    }
}

pub struct SignalWait<'a> {
    signal: &'a Signal,
    /// The generation seen at the first poll; any later one completes the wait.
    since: Option<u64>,
}

impl Future for SignalWait<'_> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let signal = self.signal;
        match self.since {
            None if signal.fired.replace(false) => return Poll::Ready(()),
            None => self.since = Some(signal.generation.get()),
            Some(g) if g != signal.generation.get() => {
                signal.fired.set(false);
                return Poll::Ready(());
            }
            Some(_) => {}
        }
        signal.wakers.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

/// Everything the two tasks of one executor node hold in common.
#[derive(Clone, Default)]
pub struct ExecHandle {
    pub state: Rc<RefCell<ExecState>>,
    /// Wakes the election driver (a proposal or a fencing notice is waiting).
    pub driver_wake: Rc<Signal>,
    /// Wakes the work loop (leadership or the state machine changed).
    pub worker_wake: Rc<Signal>,
    /// Wakes the task answering participants' outcome questions.
    pub query_wake: Rc<Signal>,
}

impl ExecHandle {
    /// Keeps a participant's `DecisionQuery` for the query task (None); any other message is
    /// handed back to the driver.
    pub fn take_query(&self, env: Envelope) -> Option<Envelope> {
        if matches!(env.msg, Msg::DecisionQuery { .. }) {
            self.state.borrow_mut().queries.push(env);
            self.query_wake.notify();
            return None;
        }
        Some(env)
    }

    /// Replaces the leadership and wakes the work loop if it changed.
    pub fn set_lead(&self, lead: Option<Lead>) {
        let changed = {
            let mut s = self.state.borrow_mut();
            let changed = s.lead != lead;
            s.lead = lead;
            changed
        };
        if changed {
            self.worker_wake.notify();
        }
    }
}

/// Publishes `view` only when it differs from the last one (the page diffs views per frame).
pub fn publish(ctx: &NodeCtx, last: &mut Option<ExecutorView>, view: ExecutorView) {
    if last.as_ref() != Some(&view) {
        ctx.set_view(NodeView::Executor(view.clone()));
        *last = Some(view);
    }
}

pub const CLUSTER: &str = "executors";

/// The election timer as the page draws it: when the current countdown started and when it
/// fires. A new deadline restarts the bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimerBar {
    pub started_us: Option<Micros>,
    pub deadline_us: Option<Micros>,
}

impl TimerBar {
    /// `deadline = None` hides the bar (a leader has no election timer).
    pub fn update(&mut self, now_us: Micros, deadline: Option<Micros>) {
        match deadline {
            None => *self = TimerBar::default(),
            Some(d) if self.deadline_us != Some(d) => {
                *self = TimerBar {
                    started_us: Some(now_us.min(d)),
                    deadline_us: Some(d),
                };
            }
            Some(_) => {}
        }
    }
}
