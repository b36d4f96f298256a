//! The order-queue node (seeds 000/001): one `OrderQueue` behind the network.
//!
//! Durability: every change is appended to the node's durable log (`queue_store.rs`: a few
//! small records per operation, compacted now and then) before the reply leaves (an enqueue is
//! acknowledged only once it would survive a crash), and the queue is rebuilt from that log at
//! boot. Leases keep their deadlines across a restart, so an order lent
//! before the crash comes back if nobody acknowledges it.
//!
//! Fencing: only executors may dequeue, and every Dequeue / AckOrder carries the leader's term;
//! the core refuses terms below the highest seen. One exception, on purpose: an AckOrder for
//! the very lease that already acknowledged an order is answered `Ok` whatever its term — it
//! asks about a decision already made (an executor that crashed before hearing the answer asks
//! again after a restart; see `executor/execution.rs`), so it cannot do harm.

use super::queue_store::QueueStore;
use crate::msg::{DequeueResult, Msg};
use crate::protocol::order_queue::{EnqueueError, OrderQueue, OrderState, QueueConfig};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{Envelope, NodeCtx, NodeId, World};
use crate::view::{LeaseView, NodeView, QueueView};

/// The page shows at most this many waiting orders (the status has the full count).
pub const VIEW_WAITING_LIMIT: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueServiceConfig {
    pub queue: QueueConfig,
    /// Only nodes of this service may dequeue or acknowledge.
    pub executor_service: String,
}

impl Default for QueueServiceConfig {
    fn default() -> Self {
        Self {
            queue: QueueConfig::default(),
            executor_service: super::executor::SERVICE.to_string(),
        }
    }
}

struct QueueNode {
    ctx: NodeCtx,
    cfg: QueueServiceConfig,
    q: OrderQueue,
    store: QueueStore,
}

/// Runs the queue node: restores the queue from disk, then serves requests and expires leases.
pub async fn queue_node(ctx: NodeCtx, cfg: QueueServiceConfig) {
    let (q, store) = match ctx.durable(|d| QueueStore::load(d, cfg.queue.clone())) {
        Ok(loaded) => loaded,
        Err(why) => return ctx.log(format!("queue not started: {why}")),
    };
    let mut node = QueueNode {
        ctx: ctx.clone(),
        cfg,
        q,
        store,
    };
    loop {
        node.expire();
        node.publish_view();
        let env = match node.q.next_lease_deadline_us() {
            Some(at) => match select_biased(ctx.recv(), ctx.sleep_until(at)).await {
                Either::Left(env) => env,
                Either::Right(()) => continue,
            },
            None => ctx.recv().await,
        };
        node.handle(env);
    }
}

impl QueueNode {
    /// Appends what the last call changed to the log (nothing if it changed nothing).
    fn persist(&mut self) {
        let QueueNode { ctx, q, store, .. } = self;
        ctx.durable(|d| store.append(d, q));
    }

    fn order_event(&self, order_id: &str, status: &str, corr: u64) {
        let kind = TraceKind::Order {
            order_id: order_id.to_string(),
            status: status.to_string(),
        };
        self.ctx.trace(kind, corr, None);
    }

    fn expire(&mut self) {
        let expired = self.q.expire_leases(self.ctx.now());
        if expired.is_empty() {
            return;
        }
        self.persist();
        for id in &expired {
            self.order_event(id, "redelivered", 0);
        }
    }

    fn handle(&mut self, env: Envelope) {
        let now = self.ctx.now();
        match &env.msg {
            Msg::Enqueue { entry } => {
                let mut entry = entry.clone();
                // The queue's own arrival time drives aging, whatever the sender wrote.
                entry.enqueued_at_us = now;
                let order_id = entry.order_id.clone();
                let result = match self.q.enqueue(entry) {
                    Ok(position) => {
                        self.persist(); // durable BEFORE the acknowledgement leaves
                        self.order_event(&order_id, "enqueued", env.corr);
                        Ok(position)
                    }
                    // A retry after a lost reply: already safe, answer as the first time would.
                    Err(EnqueueError::Duplicate { state, .. }) => {
                        Ok(self.position_of(&order_id, state))
                    }
                    Err(e) => Err(e.to_string()),
                };
                self.ctx.reply(&env, Msg::EnqueueReply { result });
            }
            Msg::Dequeue { term } => {
                if !self.is_executor(env.from) {
                    return self.ctx.log(format!(
                        "dequeue from {} refused: not an executor",
                        env.from
                    ));
                }
                let result = match self.q.dequeue(now, *term, env.from) {
                    Ok(Some(lease)) => {
                        self.persist();
                        let kind = TraceKind::Dequeued {
                            order_id: lease.order_id().to_string(),
                            executor: env.from,
                            term: *term,
                            lease_id: lease.lease_id,
                            requested_at_us: env.sent_at,
                        };
                        self.ctx.trace(kind, 0, None);
                        DequeueResult::Leased(lease)
                    }
                    Ok(None) => {
                        self.persist(); // a higher term seen by an empty dequeue
                        DequeueResult::Empty
                    }
                    Err(fenced) => DequeueResult::Fenced {
                        highest_term: fenced.highest_term,
                    },
                };
                self.ctx.reply(&env, Msg::DequeueReply { result });
            }
            Msg::AckOrder {
                order_id,
                lease_id,
                term,
            } => {
                if !self.is_executor(env.from) {
                    return self
                        .ctx
                        .log(format!("ack from {} refused: not an executor", env.from));
                }
                let result = self.ack(order_id, *lease_id, *term);
                self.ctx.reply(&env, Msg::AckReply { result });
            }
            Msg::QueueStatusRequest => {
                let status = self.q.status(now);
                self.ctx.reply(&env, Msg::QueueStatusReply { status });
            }
            _ => {}
        }
    }

    fn ack(&mut self, order_id: &str, lease_id: u64, term: u64) -> Result<(), String> {
        // Before the term check, on purpose: see the module docs.
        if self.q.acknowledged_by(order_id) == Some(lease_id) {
            return Ok(());
        }
        // Broken variant for "no order executed twice" (invariants/executed_once.rs): any
        // lease of an acknowledged order is told it decided the order.
        #[cfg(test)]
        if crate::bugs::planted(crate::bugs::Bug::QueueAcksAnyLease)
            && self.q.acknowledged_by(order_id).is_some()
        {
            return Ok(());
        }
        let result = self.q.ack(order_id, lease_id, term);
        self.persist(); // the ack, or a higher term it revealed, before the answer
        if result.is_ok() {
            self.order_event(order_id, "acked", 0);
        }
        result.map_err(|e| e.to_string())
    }

    fn is_executor(&self, node: NodeId) -> bool {
        self.ctx
            .nodes_of(&self.cfg.executor_service)
            .contains(&node)
    }

    fn position_of(&self, order_id: &str, state: OrderState) -> u32 {
        if state != OrderState::Queued {
            return 0;
        }
        let waiting = self.q.snapshot_in_priority_order(self.ctx.now());
        waiting
            .iter()
            .position(|o| o.order_id == order_id)
            .unwrap_or(0) as u32
    }

    fn publish_view(&self) {
        let now = self.ctx.now();
        let waiting = self.q.top_in_priority_order(now, VIEW_WAITING_LIMIT);
        let in_flight = self
            .q
            .in_flight_leases()
            .into_iter()
            .map(|l| LeaseView {
                order_id: l.order_id().to_string(),
                lease_id: l.lease_id,
                executor: l.executor,
                term: l.term,
                deadline_us: l.deadline_us,
            })
            .collect();
        self.ctx.set_view(NodeView::Queue(QueueView {
            status: self.q.status(now),
            waiting,
            in_flight,
        }));
    }
}

/// Adds the queue node, named "queue" (the name executors look for by default).
pub fn add_queue(world: &mut World, cfg: QueueServiceConfig) -> Result<NodeId, String> {
    world.add_node("queue", "queue", move |ctx| queue_node(ctx, cfg.clone()))
}
