//! The work loop: while this node leads, take orders from the queue (fenced leases), run each
//! one's two-phase commit (`coordinator.rs`) — up to `max_in_flight` at once, so concurrent
//! orders for one book really meet on the database primary's locks — then mark the order
//! executed and acknowledge it. "Executed" means the transaction's outcome is decided and
//! applied at both participants; the queue is acknowledged only after that, so an order whose
//! coordinator dies mid-way comes back to the next leader, which finds the decision and
//! finishes it. Without a books database and payment node in the world (the executor-only
//! test deployments), executing is recording the fact, as before 2PC existed.
//!
//! Recording `TraceKind::Executed` exactly once per order id, whatever crashes:
//!
//! * Raft (`Mode::Replicated`): the committed log decides. The leader proposes
//!   `ExecCommand::Executed`, waits until the entry is applied, then acknowledges. A successor
//!   handed the same order finds it in the replicated state machine and only acknowledges it.
//!   The effect is recorded by the entry's proposer when it applies it (see `raft_driver.rs`),
//!   and the queue is acknowledged only after a sync, so that record is durable first.
//!   A new leader also finishes, unasked, every transaction the log holds a decision for but
//!   no `Executed` entry (its predecessor died in phase 2).
//! * Bully and lease (`Mode::Local`): there is no replicated log, so the queue's acknowledgement
//!   decides: exactly one lease of an order can ever be acknowledged. The leader first writes
//!   "pending ack (order, lease)" to its disk and syncs it, then acknowledges, and on `Ok` marks
//!   the order done on its disk; the effect is recorded when that mark becomes durable, in the
//!   same step (`NodeCtx::trace_when_durable`). If it crashes anywhere in between,
//!   it asks again after restarting: the queue answers `Ok` for the lease that was acknowledged
//!   (even to a fenced term: it is a question about the past) and an error for any other, and
//!   an error is final (an expired lease or a fenced term can never be acknowledged later). So
//!   the effect is recorded by the one node whose lease was acknowledged, once.
//!   Recording BEFORE acknowledging would not do: a leader that crashed between the two leaves
//!   an order that is redelivered to a node that cannot know it was executed.

use super::coordinator::Coordinator;
use super::shared::ExecHandle;
use super::ExecutorConfig;
use crate::msg::{DequeueResult, ExecCommand, Msg};
use crate::protocol::order_queue::Lease;
use crate::protocol::two_pc::{txn_id, Decision, TxnState};
use crate::sim::futures::select_biased;
use crate::sim::trace::TraceKind;
use crate::sim::{secs, NodeCtx, NodeId, RpcError};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Replicated,
    Local,
}

const PENDING: &str = "exec/pending_acks";
const DONE_PREFIX: &str = "exec/done/";

/// An acknowledgement this node sent and has not yet had a definitive answer to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PendingAck {
    order_id: String,
    lease_id: u64,
    term: u64,
}

pub struct Worker {
    pub ctx: NodeCtx,
    pub cfg: ExecutorConfig,
    pub handle: ExecHandle,
    pub mode: Mode,
    pub queue: NodeId,
    /// None when the world has no books database or payment node.
    pub coordinator: Option<Coordinator>,
    /// Transactions running (dequeued, not yet finished).
    in_flight: Cell<u32>,
    /// Dequeue requests sent and not yet answered.
    dequeuing: Cell<u32>,
    /// The last dequeue leased an order, so more may be waiting.
    queue_has_work: Cell<bool>,
    /// After an empty answer, no new probe before this time.
    empty_until_us: Cell<u64>,
    /// Dequeue requests made in this incarnation (the low bits of each request id).
    requests_made: Cell<u64>,
}

/// Attempts per dequeue request. The same request id each time, so an attempt whose reply was
/// lost is answered with the lease it took instead of leaving that order leased to us unseen
/// until the lease runs out (swarm seed 2467: three lost replies in a row held one order for
/// the whole healed phase).
const DEQUEUE_ATTEMPTS: u32 = 3;

pub async fn work_loop(w: Worker) {
    let w = Rc::new(w);
    if w.mode == Mode::Local {
        w.load_done();
        let leftover: Vec<PendingAck> = w.ctx.durable(|d| d.get(PENDING).unwrap_or_default());
        for p in leftover {
            w.resolve(p).await;
        }
    }
    w.ctx.spawn(answer_queries(w.clone()));
    let mut recovered_term = None;
    loop {
        let now = w.ctx.now();
        let term = w
            .handle
            .state
            .borrow()
            .usable_term(now, w.cfg.lead_margin_us);
        let Some(term) = term else {
            // Every change that could make us usable (leadership, readiness, a renewed lease)
            // comes through `set_lead`, which fires this signal.
            w.handle.worker_wake.wait().await;
            continue;
        };
        if recovered_term != Some(term) {
            recovered_term = Some(term);
            w.finish_orphans(term);
        }
        if !w.may_dequeue() {
            // A finished transaction, an answered dequeue or a leadership change fires this;
            // the poll timer matters only while the queue looked empty.
            let probe_at_us = w.empty_until_us.get();
            if w.queue_has_work.get() || probe_at_us <= now {
                w.handle.worker_wake.wait().await;
            } else {
                select_biased(w.handle.worker_wake.wait(), w.ctx.sleep_until(probe_at_us)).await;
            }
            continue;
        }
        w.dequeuing.set(w.dequeuing.get() + 1);
        let task = w.clone();
        w.ctx
            .spawn(async move { task.dequeue_and_execute(term).await });
    }
}

impl Worker {
    /// Whether another dequeue may go out now. Dequeues are pipelined — a dequeue is a network
    /// round trip, and one at a time would cap the cluster at one order per round trip however
    /// many transactions may run — but only while the queue is known to have work: after an
    /// `Empty` answer one probe at a time goes out, once per poll interval, so an idle cluster
    /// does not flood the queue.
    fn may_dequeue(&self) -> bool {
        let busy = self.in_flight.get() + self.dequeuing.get();
        if busy >= self.cfg.max_in_flight {
            return false;
        }
        if self.queue_has_work.get() {
            return true;
        }
        self.dequeuing.get() == 0 && self.ctx.now() >= self.empty_until_us.get()
    }

    fn leads(&self, term: u64) -> bool {
        let now = self.ctx.now();
        let usable = self
            .handle
            .state
            .borrow()
            .usable_term(now, self.cfg.lead_margin_us);
        usable == Some(term)
    }

    /// Unique across this executor's restarts: the incarnation above a per-life counter.
    fn next_request_id(&self) -> u64 {
        let n = self.requests_made.get() + 1;
        self.requests_made.set(n);
        (u64::from(self.ctx.incarnation()) << 40) | (n & ((1 << 40) - 1))
    }

    async fn dequeue_and_execute(self: Rc<Self>, term: u64) {
        let asked_at = self.ctx.now();
        let request_id = self.next_request_id();
        let mut reply = Err(RpcError::DeadlineExceeded);
        for attempt in 0..DEQUEUE_ATTEMPTS {
            // A retry is a dequeue like the first: only while we still lead that term.
            if attempt > 0 && !self.leads(term) {
                break;
            }
            let msg = Msg::Dequeue { term, request_id };
            reply = self
                .ctx
                .rpc(self.queue, msg, self.cfg.rpc_timeout_us, 0)
                .await;
            if reply.is_ok() {
                break;
            }
        }
        self.dequeuing.set(self.dequeuing.get() - 1);
        match reply {
            Ok(Msg::DequeueReply {
                result: DequeueResult::Leased(lease),
            }) => {
                self.queue_has_work.set(true);
                self.in_flight.set(self.in_flight.get() + 1);
                self.handle.worker_wake.notify();
                // The lease's times are on the queue's clock, which may be skewed against ours
                // and run at another rate: only its length means something here, counted from
                // when we asked (the lease began after that).
                let length = lease.deadline_us.saturating_sub(lease.leased_at_us);
                self.execute(lease, term, asked_at.saturating_add(length))
                    .await;
                self.in_flight.set(self.in_flight.get() - 1);
            }
            Ok(Msg::DequeueReply {
                result: DequeueResult::Fenced { highest_term },
            }) => {
                self.handle.state.borrow_mut().fenced_by = Some(highest_term);
                self.handle.driver_wake.notify();
                self.back_off();
            }
            _ => self.back_off(),
        }
        self.handle.worker_wake.notify();
    }

    /// The queue was empty (or did not answer): probe again after the poll interval.
    fn back_off(&self) {
        self.queue_has_work.set(false);
        self.empty_until_us
            .set(self.ctx.now() + self.cfg.poll_interval_us);
    }

    pub fn new(
        ctx: NodeCtx,
        cfg: ExecutorConfig,
        handle: ExecHandle,
        mode: Mode,
        queue: NodeId,
        coordinator: Option<Coordinator>,
    ) -> Self {
        Self {
            ctx,
            cfg,
            handle,
            mode,
            queue,
            coordinator,
            in_flight: Cell::new(0),
            dequeuing: Cell::new(0),
            queue_has_work: Cell::new(true),
            empty_until_us: Cell::new(0),
            requests_made: Cell::new(0),
        }
    }

    /// `lease_end_us`: when the lease runs out, by our clock.
    async fn execute(&self, lease: Lease, term: u64, lease_end_us: u64) {
        // Deposed while the dequeue was in flight: do nothing, the lease runs out and the order
        // goes back to the queue for the new leader.
        if !self.handle.state.borrow().leads_with(term, self.ctx.now()) {
            return;
        }
        // Broken variant for "no approved order lost" (invariants/no_order_lost.rs): the
        // queue forgets the order before anyone has decided it.
        #[cfg(test)]
        if crate::bugs::planted(crate::bugs::Bug::AckBeforeDeciding) {
            self.ack(&lease, term).await;
        }
        let order_id = lease.order_id().to_string();
        let done = self.handle.state.borrow().executed.contains(&order_id);
        if done {
            self.ack(&lease, term).await;
            return;
        }
        if let Some(c) = &self.coordinator {
            let txn = txn_id(&order_id);
            if !c.active.borrow_mut().insert(txn.clone()) {
                return; // already running here under an earlier lease
            }
            let outcome = self
                .run_2pc(c, &txn, &order_id, &lease.order.entry.payload, term)
                .await;
            c.active.borrow_mut().remove(&txn);
            if outcome.is_none() {
                return; // leadership lost mid-way: the order comes back to the next leader
            }
        }
        self.mark_executed(&lease, term, lease_end_us).await;
    }

    /// Runs (or finishes) the order's transaction; Some(decision) once both participants
    /// applied it.
    async fn run_2pc(
        &self,
        c: &Coordinator,
        txn: &str,
        order_id: &str,
        payload: &str,
        term: u64,
    ) -> Option<Decision> {
        let decision = match c.recorded_decision(txn).await {
            Some(d) => d,
            None => {
                c.record(txn, order_id, TxnState::Started, None);
                let proposed = match c.plan(payload) {
                    Ok(plan) => {
                        c.record(txn, order_id, TxnState::Preparing, None);
                        c.prepare(txn, &plan).await
                    }
                    Err(reason) => Decision::Abort(reason),
                };
                c.record_decision(txn, order_id, proposed, term).await?
            }
        };
        c.record(
            txn,
            order_id,
            decision.phase2_state(),
            decision.reason().cloned(),
        );
        if !c.finish(txn, &decision, term).await {
            return None;
        }
        c.record(
            txn,
            order_id,
            decision.final_state(),
            decision.reason().cloned(),
        );
        Some(decision)
    }

    /// Raft: a new leader finishes every decided transaction its log has not marked executed.
    fn finish_orphans(self: &Rc<Self>, term: u64) {
        let Some(c) = &self.coordinator else { return };
        if self.mode != Mode::Replicated {
            return;
        }
        let orphans: Vec<(String, String)> = {
            let s = self.handle.state.borrow();
            s.decisions
                .iter()
                .filter(|(_, (order, _))| !s.executed.contains(order.as_str()))
                .map(|(t, (o, _))| (t.clone(), o.clone()))
                .collect()
        };
        for (txn, order_id) in orphans {
            if !c.active.borrow_mut().insert(txn.clone()) {
                continue;
            }
            let w = self.clone();
            self.ctx.spawn(async move {
                let Some(c) = &w.coordinator else { return };
                if w.run_2pc(c, &txn, &order_id, "", term).await.is_some() {
                    w.propose_executed(&order_id, term, w.ctx.now() + secs(10))
                        .await;
                }
                c.active.borrow_mut().remove(&txn);
            });
        }
    }

    async fn mark_executed(&self, lease: &Lease, term: u64, lease_end_us: u64) {
        match self.mode {
            Mode::Replicated => {
                // Bounded by the lease: after it the order is redelivered and found executed.
                let until = lease_end_us.max(self.ctx.now() + secs(2));
                if self.propose_executed(lease.order_id(), term, until).await {
                    // The driver's record of the effect (if we proposed it) is durable first.
                    self.ctx.sync().await;
                    self.ack(lease, term).await;
                }
            }
            Mode::Local => {
                let p = PendingAck {
                    order_id: lease.order_id().to_string(),
                    lease_id: lease.lease_id,
                    term,
                };
                let written = self.ctx.durable(|d| {
                    let mut all: Vec<PendingAck> = d.get(PENDING).unwrap_or_default();
                    all.push(p.clone());
                    d.put(PENDING, &all)
                });
                if let Err(e) = written {
                    // Not acknowledged: the lease runs out and the order comes back.
                    let id = &p.order_id;
                    return self.ctx.log(format!("order {id} not acknowledged: {e}"));
                }
                self.ctx.sync().await;
                self.resolve(p).await;
            }
        }
    }

    /// Raft: proposes the order as executed and waits until the state machine has applied it.
    /// False if leadership moved or `until_us` passed first.
    async fn propose_executed(&self, order_id: &str, term: u64, until_us: u64) -> bool {
        self.handle
            .state
            .borrow_mut()
            .proposals
            .push(ExecCommand::Executed {
                order_id: order_id.to_string(),
                term,
            });
        self.handle.driver_wake.notify();
        loop {
            if self.handle.state.borrow().executed.contains(order_id) {
                return true;
            }
            let now = self.ctx.now();
            if !self.handle.state.borrow().leads_with(term, now) || now >= until_us {
                return false;
            }
            select_biased(
                self.handle.worker_wake.wait(),
                self.ctx.sleep_until(until_us),
            )
            .await;
        }
    }

    /// Acknowledges an order already executed; a lost or refused ack only means the order
    /// comes back and is acknowledged again.
    async fn ack(&self, lease: &Lease, term: u64) {
        let msg = Msg::AckOrder {
            order_id: lease.order_id().to_string(),
            lease_id: lease.lease_id,
            term,
        };
        let _ = self
            .ctx
            .rpc(self.queue, msg, self.cfg.rpc_timeout_us, 0)
            .await;
    }

    /// Local modes: asks the queue until it answers definitively whether our lease decided the
    /// order; records the effect if it did. Safe whether or not we still lead (see module docs).
    async fn resolve(&self, p: PendingAck) {
        loop {
            let msg = Msg::AckOrder {
                order_id: p.order_id.clone(),
                lease_id: p.lease_id,
                term: p.term,
            };
            match self
                .ctx
                .rpc(self.queue, msg, self.cfg.rpc_timeout_us, 0)
                .await
            {
                Ok(Msg::AckReply { result }) => {
                    if let Err(why) = &result {
                        self.ctx
                            .log(format!("order {} not ours to execute: {why}", p.order_id));
                    }
                    return self.settle(&p, result.is_ok()).await;
                }
                _ => self.ctx.sleep(self.cfg.poll_interval_us).await,
            }
        }
    }

    /// Marks the order done (if our lease decided it) and drops the pending ack, then syncs.
    /// The effect is traced when the mark is durable, so a crash cannot separate the two: the
    /// pending ack survives it, and the question is asked again after the restart. A disk
    /// that refuses the mark stops the node for the same reason.
    async fn settle(&self, p: &PendingAck, decided_by_us: bool) {
        let (first, forgotten) = if decided_by_us {
            let mut s = self.handle.state.borrow_mut();
            s.executed.insert_evicting(p.order_id.clone(), ())
        } else {
            (false, None)
        };
        let written = self.ctx.durable(|d| {
            if first {
                d.put(&format!("{DONE_PREFIX}{}", p.order_id), &p.term)?;
            }
            // The disk keeps the same window as memory (`EXECUTED_WINDOW`).
            if let Some(old) = &forgotten {
                d.remove(&format!("{DONE_PREFIX}{old}"))?;
            }
            let mut all: Vec<PendingAck> = d.get(PENDING).unwrap_or_default();
            all.retain(|q| q != p);
            d.put(PENDING, &all)
        });
        if let Err(e) = written {
            let why = format!("order {} settled but not recorded: {e}", p.order_id);
            return self.ctx.fail_stop(why).await;
        }
        if first {
            let kind = TraceKind::Executed {
                order_id: p.order_id.clone(),
                term: p.term,
            };
            self.ctx.trace_when_durable(kind, 0);
        }
        self.ctx.sync().await;
        self.handle.worker_wake.notify();
    }

    fn load_done(&self) {
        let done: Vec<String> = self.ctx.durable(|d| {
            d.scan_prefix(DONE_PREFIX)
                .map(|(k, _)| k[DONE_PREFIX.len()..].to_string())
                .collect()
        });
        let mut s = self.handle.state.borrow_mut();
        for order_id in done {
            s.executed.insert_first(order_id, ());
        }
    }
}

/// Answers participants' outcome questions as they arrive (each in its own task: answering
/// may wait for a decision to be recorded).
async fn answer_queries(w: Rc<Worker>) {
    loop {
        w.handle.query_wake.wait().await;
        let queries = std::mem::take(&mut w.handle.state.borrow_mut().queries);
        for env in queries {
            let task = w.clone();
            w.ctx.spawn(async move {
                match &task.coordinator {
                    Some(c) => c.answer(env).await,
                    None => {
                        let Msg::DecisionQuery { txn } = &env.msg else {
                            return;
                        };
                        let answer =
                            crate::protocol::two_pc::DecisionAnswer::NotCoordinator { hint: None };
                        task.ctx.reply(
                            &env,
                            Msg::DecisionReply {
                                txn: txn.clone(),
                                answer,
                            },
                        );
                    }
                }
            });
        }
    }
}
