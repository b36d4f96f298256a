//! The order-queue node (seeds 000/001): one `OrderQueue` behind the network.
//!
//! Durability: every change is appended to the node's log on disk (`queue_store.rs`: a few
//! small records per operation, compacted now and then) and synced before the reply leaves (an
//! enqueue is acknowledged only once it would survive a crash), and the queue is rebuilt from
//! that log at boot. Leases keep their deadlines across a restart, so an order lent before the
//! crash comes back if nobody acknowledges it. A full disk refuses new orders with an error and
//! leaves dequeues and acknowledgements unanswered (the executors retry), so nothing is
//! promised that the disk does not hold.
//!
//! Fencing: only executors may dequeue, and every Dequeue / AckOrder carries the leader's term;
//! the core refuses terms below the highest seen. One exception, on purpose: an AckOrder for
//! the very lease that already acknowledged an order is answered `Ok` whatever its term — it
//! asks about a decision already made (an executor that crashed before hearing the answer asks
//! again after a restart; see `executor/execution.rs`), so it cannot do harm.

use super::queue_store::QueueStore;
use crate::msg::{DequeueResult, Msg};
use crate::order_step::OrderStep;
use crate::protocol::order_queue::{
    EnqueueError, LeaseAnswer, OrderQueue, OrderState, QueueConfig, QueueEntry,
};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{DiskError, Envelope, Micros, NodeCtx, NodeId, World};
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

/// An answer to send once everything written before it is synced.
type Reply = (Envelope, Msg);

/// Runs the queue node: restores the queue from disk, then serves requests and expires leases.
/// Requests already waiting are handled together: their records share one sync, and every
/// answer waits for it.
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
        ctx.sync().await;
        node.publish_view();
        let env = match node.q.next_lease_deadline_us() {
            Some(at) => match select_biased(ctx.recv(), ctx.sleep_until(at)).await {
                Either::Left(env) => env,
                Either::Right(()) => continue,
            },
            None => ctx.recv().await,
        };
        let mut replies: Vec<Reply> = node.handle(env).into_iter().collect();
        while let Some(env) = ctx.try_recv() {
            replies.extend(node.handle(env));
        }
        ctx.sync().await; // durable BEFORE any acknowledgement leaves
        for (env, msg) in replies {
            ctx.reply(&env, msg);
        }
    }
}

impl QueueNode {
    /// Appends what the last call changed to the log (nothing if it changed nothing). On a
    /// full disk the records wait in the store; callers check `writable` first wherever an
    /// answer depends on them, so only unasked changes (expired leases) can wait.
    fn persist(&mut self) {
        let QueueNode { ctx, q, store, .. } = self;
        if let Err(e) = ctx.durable(|d| store.append(d, q)) {
            ctx.log(format!(
                "queue records kept in memory until the disk has space: {e}"
            ));
        }
    }

    fn writable(&self) -> Result<(), DiskError> {
        self.ctx.durable(|d| d.writable())
    }

    /// Records an order's new status once it is durable.
    fn order_event(&self, order_id: &str, status: OrderStep, corr: u64) {
        let kind = TraceKind::Order {
            order_id: order_id.to_string(),
            status,
        };
        self.ctx.trace_when_durable(kind, corr);
    }

    fn expire(&mut self) {
        let expired = self.q.expire_leases(self.ctx.now());
        if expired.is_empty() {
            return;
        }
        self.persist();
        for id in &expired {
            self.order_event(id, OrderStep::Redelivered, 0);
        }
    }

    fn handle(&mut self, env: Envelope) -> Option<Reply> {
        let msg = match &env.msg {
            Msg::Enqueue { entry } => Msg::EnqueueReply {
                result: self.enqueue(entry, env.corr),
            },
            Msg::Dequeue { term, request_id } => Msg::DequeueReply {
                result: self.dequeue(env.from, *term, *request_id, env.sent_at)?,
            },
            Msg::AckOrder {
                order_id,
                lease_id,
                term,
            } => Msg::AckReply {
                result: self.ack(env.from, order_id, *lease_id, *term)?,
            },
            Msg::QueueStatusRequest => Msg::QueueStatusReply {
                status: self.q.status(self.ctx.now()),
            },
            _ => return None,
        };
        Some((env, msg))
    }

    fn enqueue(&mut self, entry: &QueueEntry, corr: u64) -> Result<u32, String> {
        let mut entry = entry.clone();
        // The queue's own arrival time drives aging, whatever the sender wrote.
        entry.enqueued_at_us = self.ctx.now();
        let order_id = entry.order_id.clone();
        // A full disk could not keep a new order: refuse it (a retry of one already here is
        // answered as usual below; refusing it would contradict the first answer).
        if self.q.state_of(&order_id).is_none() {
            self.writable()
                .map_err(|e| format!("{e}: the order was not enqueued"))?;
        }
        match self.q.enqueue(entry) {
            Ok(position) => {
                self.persist();
                self.order_event(&order_id, OrderStep::Enqueued, corr);
                Ok(position)
            }
            // A retry after a lost reply: already safe, answer as the first time would.
            Err(EnqueueError::Duplicate { state, .. }) => Ok(self.position_of(&order_id, state)),
            Err(e) => Err(e.to_string()),
        }
    }

    /// None: no answer (not an executor, or a full disk that could not keep the lease).
    /// `requested_at_us`: when the executor sent the request (the leader-only checker judges
    /// leadership at that moment).
    fn dequeue(
        &mut self,
        from: NodeId,
        term: u64,
        request_id: u64,
        requested_at_us: Micros,
    ) -> Option<DequeueResult> {
        if !self.is_executor(from) {
            self.ctx
                .log(format!("dequeue from {from} refused: not an executor"));
            return None;
        }
        if let Err(e) = self.writable() {
            self.ctx
                .log(format!("dequeue from {from} not answered: {e}"));
            return None;
        }
        let now = self.ctx.now();
        Some(match self.q.dequeue_request(now, term, from, request_id) {
            Ok(Some(LeaseAnswer {
                lease,
                repeated: true,
            })) => {
                self.ctx.log(format!(
                    "dequeue {request_id} from {from} repeated: lease {} of {} again",
                    lease.lease_id,
                    lease.order_id()
                ));
                DequeueResult::Leased(lease)
            }
            Ok(Some(LeaseAnswer { lease, .. })) => {
                self.persist();
                let kind = TraceKind::Dequeued {
                    order_id: lease.order_id().to_string(),
                    executor: from,
                    term,
                    lease_id: lease.lease_id,
                    requested_at_us,
                };
                self.ctx.trace_when_durable(kind, 0);
                DequeueResult::Leased(lease)
            }
            Ok(None) => {
                self.persist(); // a higher term seen by an empty dequeue
                DequeueResult::Empty
            }
            Err(fenced) => DequeueResult::Fenced {
                highest_term: fenced.highest_term,
            },
        })
    }

    /// None: no answer (not an executor, or a full disk). An error answer is final for the
    /// executor, so a full disk must not give one.
    fn ack(
        &mut self,
        from: NodeId,
        order_id: &str,
        lease_id: u64,
        term: u64,
    ) -> Option<Result<(), String>> {
        if !self.is_executor(from) {
            self.ctx
                .log(format!("ack from {from} refused: not an executor"));
            return None;
        }
        // Before the term check, on purpose: see the module docs.
        if self.q.acknowledged_by(order_id) == Some(lease_id) {
            return Some(Ok(()));
        }
        if let Err(e) = self.writable() {
            self.ctx
                .log(format!("ack of {order_id} from {from} not answered: {e}"));
            return None;
        }
        // Broken variant for "no order executed twice" (invariants/executed_once.rs): any
        // lease of an acknowledged order is told it decided the order.
        #[cfg(test)]
        if crate::bugs::planted(crate::bugs::Bug::QueueAcksAnyLease)
            && self.q.acknowledged_by(order_id).is_some()
        {
            return Some(Ok(()));
        }
        let result = self.q.ack(order_id, lease_id, term);
        self.persist(); // the ack, or a higher term it revealed, before the answer
        if result.is_ok() {
            self.order_event(order_id, OrderStep::Acked, 0);
        }
        Some(result.map_err(|e| e.to_string()))
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
