//! The work loop: while this node leads, take orders from the queue (a fenced lease), execute
//! each exactly once, acknowledge it. Executing is, until the 2PC issue, recording
//! `TraceKind::Executed` — exactly once per order id across the whole cluster, whatever
//! crashes. The queue redelivers any order whose lease is not acknowledged in time, so every
//! mode needs one place that decides "this order is executed" once and for all:
//!
//! * Raft (`Mode::Replicated`): the committed log decides. The leader proposes
//!   `ExecCommand::Executed`, waits until the entry is applied, then acknowledges. A successor
//!   handed the same order finds it in the replicated state machine and only acknowledges it.
//!   The effect is recorded by the entry's proposer when it applies it (see `raft_driver.rs`).
//! * Bully and lease (`Mode::Local`): there is no replicated log, so the queue's acknowledgement
//!   decides: exactly one lease of an order can ever be acknowledged. The leader first writes
//!   "pending ack (order, lease)" to its disk, then acknowledges, and records the effect only on
//!   `Ok` — in the same step as it marks the order done on its disk. If it crashes in between,
//!   it asks again after restarting: the queue answers `Ok` for the lease that was acknowledged
//!   (even to a fenced term: it is a question about the past) and an error for any other, and
//!   an error is final (an expired lease or a fenced term can never be acknowledged later). So
//!   the effect is recorded by the one node whose lease was acknowledged, once.
//!   Recording BEFORE acknowledging would not do: a leader that crashed between the two leaves
//!   an order that is redelivered to a node that cannot know it was executed.

use super::shared::ExecHandle;
use super::ExecutorConfig;
use crate::msg::{DequeueResult, ExecCommand, Msg};
use crate::protocol::order_queue::Lease;
use crate::sim::futures::select_biased;
use crate::sim::trace::TraceKind;
use crate::sim::{NodeCtx, NodeId};
use serde::{Deserialize, Serialize};

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

struct Worker {
    ctx: NodeCtx,
    cfg: ExecutorConfig,
    handle: ExecHandle,
    mode: Mode,
    queue: NodeId,
}

pub async fn work_loop(ctx: NodeCtx, cfg: ExecutorConfig, handle: ExecHandle, mode: Mode, queue: NodeId) {
    let w = Worker { ctx, cfg, handle, mode, queue };
    if mode == Mode::Local {
        w.load_done();
        let leftover: Vec<PendingAck> = w.ctx.durable(|d| d.get(PENDING).unwrap_or_default());
        for p in leftover {
            w.resolve(p).await;
        }
    }
    loop {
        let now = w.ctx.now();
        let term = w.handle.state.borrow().usable_term(now, w.cfg.lead_margin_us);
        let Some(term) = term else {
            // Every change that could make us usable (leadership, readiness, a renewed lease)
            // comes through `set_lead`, which fires this signal.
            w.handle.worker_wake.wait().await;
            continue;
        };
        let reply = w.ctx.rpc(w.queue, Msg::Dequeue { term }, w.cfg.rpc_timeout_us, 0).await;
        match reply {
            Ok(Msg::DequeueReply { result: DequeueResult::Leased(lease) }) => {
                w.execute(lease, term).await;
                continue; // drain the queue while there is work
            }
            Ok(Msg::DequeueReply { result: DequeueResult::Fenced { highest_term } }) => {
                w.handle.state.borrow_mut().fenced_by = Some(highest_term);
                w.handle.driver_wake.notify();
            }
            _ => {}
        }
        w.ctx.sleep(w.cfg.poll_interval_us).await;
    }
}

impl Worker {
    async fn execute(&self, lease: Lease, term: u64) {
        // Deposed while the dequeue was in flight: do nothing, the lease runs out and the order
        // goes back to the queue for the new leader.
        if !self.handle.state.borrow().leads_with(term, self.ctx.now()) {
            return;
        }
        let done = self.handle.state.borrow().executed.contains(lease.order_id());
        if done {
            self.ack(&lease, term).await;
            return;
        }
        match self.mode {
            Mode::Replicated => {
                if self.commit_executed(&lease, term).await {
                    self.ack(&lease, term).await;
                }
            }
            Mode::Local => {
                let p = PendingAck { order_id: lease.order_id().to_string(), lease_id: lease.lease_id, term };
                self.ctx.durable(|d| {
                    let mut all: Vec<PendingAck> = d.get(PENDING).unwrap_or_default();
                    all.push(p.clone());
                    d.put(PENDING, &all);
                });
                self.resolve(p).await;
            }
        }
    }

    /// Raft: proposes the order as executed and waits until the state machine has applied it.
    /// False if leadership moved or the lease ran out first.
    async fn commit_executed(&self, lease: &Lease, term: u64) -> bool {
        let order_id = lease.order_id().to_string();
        self.handle.state.borrow_mut().proposals.push(ExecCommand::Executed { order_id: order_id.clone(), term });
        self.handle.driver_wake.notify();
        loop {
            if self.handle.state.borrow().executed.contains(&order_id) {
                return true;
            }
            let now = self.ctx.now();
            if !self.handle.state.borrow().leads_with(term, now) || now >= lease.deadline_us {
                return false;
            }
            select_biased(self.handle.worker_wake.wait(), self.ctx.sleep_until(lease.deadline_us)).await;
        }
    }

    /// Acknowledges an order already executed; a lost or refused ack only means the order
    /// comes back and is acknowledged again.
    async fn ack(&self, lease: &Lease, term: u64) {
        let msg = Msg::AckOrder { order_id: lease.order_id().to_string(), lease_id: lease.lease_id, term };
        let _ = self.ctx.rpc(self.queue, msg, self.cfg.rpc_timeout_us, 0).await;
    }

    /// Local modes: asks the queue until it answers definitively whether our lease decided the
    /// order; records the effect if it did. Safe whether or not we still lead (see module docs).
    async fn resolve(&self, p: PendingAck) {
        loop {
            let msg = Msg::AckOrder { order_id: p.order_id.clone(), lease_id: p.lease_id, term: p.term };
            match self.ctx.rpc(self.queue, msg, self.cfg.rpc_timeout_us, 0).await {
                Ok(Msg::AckReply { result }) => {
                    if let Err(why) = &result {
                        self.ctx.log(format!("order {} not ours to execute: {why}", p.order_id));
                    }
                    self.settle(&p, result.is_ok());
                    return;
                }
                _ => self.ctx.sleep(self.cfg.poll_interval_us).await,
            }
        }
    }

    /// One synchronous step, so a crash cannot separate the effect from its durable record.
    fn settle(&self, p: &PendingAck, decided_by_us: bool) {
        if decided_by_us && self.handle.state.borrow_mut().executed.insert(p.order_id.clone()) {
            self.ctx.trace(TraceKind::Executed { order_id: p.order_id.clone(), term: p.term }, 0, None);
            self.ctx.durable(|d| d.put(&format!("{DONE_PREFIX}{}", p.order_id), &p.term));
        }
        self.ctx.durable(|d| {
            let mut all: Vec<PendingAck> = d.get(PENDING).unwrap_or_default();
            all.retain(|q| q != p);
            d.put(PENDING, &all);
        });
        self.handle.worker_wake.notify();
    }

    fn load_done(&self) {
        let done: Vec<String> = self.ctx.durable(|d| {
            d.entries().filter_map(|(k, _)| k.strip_prefix(DONE_PREFIX).map(str::to_string)).collect()
        });
        self.handle.state.borrow_mut().executed.extend(done);
    }
}
