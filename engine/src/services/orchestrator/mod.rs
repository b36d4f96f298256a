//! The orchestrator (seed 000): accepts a checkout, gives it an order id and a correlation id,
//! initialises the three validators in parallel, runs the validation DAG with vector clocks,
//! enqueues an approved order, answers the client before fulfilment, then broadcasts the final
//! clock so the validators can clear their caches.
//!
//! Each order runs as its own task, so many orders are in flight at once; the main loop only
//! assigns ids (from a counter written and synced before any id is used, so a restart never
//! reuses one; checkouts already waiting share one sync) and spawns.
//!
//! - `order.rs`: one order from request to reply to cache clearing
//! - `calls.rs`: the RPCs to validators and queue, and what their answers mean
//! - `dag.rs` / `running.rs`: the DAG state machine and the set of events in flight
//! - `board.rs`: the published view; `response.rs`: responses and the queue entry

mod board;
mod calls;
pub mod dag;
mod order;
mod response;
pub mod running;

use crate::msg::Msg;
use crate::sim::rng::mix64;
use crate::sim::{ms, DiskError, Envelope, Micros, NodeCtx};
use board::Board;
use std::rc::Rc;

pub use dag::DagRun;

/// This service's name: its node name and its entry in the vector clocks.
pub const ORCHESTRATOR: &str = "orchestrator";
/// The order queue's node name.
pub const QUEUE: &str = "queue";
/// Durable key of the last order number handed out.
const ORDER_COUNTER_KEY: &str = "orchestrator/last_order";
/// Mixed into correlation ids so they do not look like (or collide with) small counters.
const CORR_SALT: u64 = 0x6f72_6465_725f_6964;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrchestratorConfig {
    pub init_deadline_us: Micros,
    /// Deadline of each DAG event's RPC.
    pub event_deadline_us: Micros,
    /// Added to it while the LLM option is on (world flag `llm`): a validator may wait that
    /// long for the model before it answers (see `llm_desk.rs`).
    pub llm_event_extra_us: Micros,
    pub enqueue_deadline_us: Micros,
    /// Enqueue attempts before giving up (a retry is safe: order ids are never reused, so
    /// "already in the queue" means an earlier attempt got through).
    pub enqueue_attempts: u32,
    pub clear_deadline_us: Micros,
    /// Orders validated at once; beyond it a checkout is rejected at once as "overloaded".
    pub orders_in_flight_max: u32,
    /// Orders kept on the published view.
    pub recent_orders_max: u32,
}

impl Default for OrchestratorConfig {
    fn default() -> Self {
        Self {
            init_deadline_us: ms(1000),
            event_deadline_us: ms(1000),
            llm_event_extra_us: crate::services::llm_desk::event_deadline_extra_us(
                crate::services::llm_desk::DEFAULT_LLM_TIMEOUT_MS,
            ),
            enqueue_deadline_us: ms(1000),
            enqueue_attempts: 3,
            clear_deadline_us: ms(1000),
            orders_in_flight_max: 256,
            recent_orders_max: 50,
        }
    }
}

/// The two ids of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderIds {
    /// `ord-0001`, `ord-0002`, … in arrival order.
    pub order_id: String,
    /// Carried as `corr` on every message and trace event of this order.
    pub corr: u64,
}

impl OrderIds {
    /// Ids of order number `n` (1-based).
    pub fn for_number(n: u64) -> Self {
        Self {
            order_id: format!("ord-{n:04}"),
            corr: mix64(n ^ CORR_SALT).max(1),
        }
    }

    /// The next order's ids. The counter is written here; the caller syncs before using them.
    fn next(ctx: &NodeCtx) -> Result<Self, DiskError> {
        let n = ctx.durable(|d| {
            let n = d
                .get::<u64>(ORDER_COUNTER_KEY)
                .unwrap_or(0)
                .saturating_add(1);
            d.put(ORDER_COUNTER_KEY, &n).map(|()| n)
        })?;
        Ok(Self::for_number(n))
    }
}

/// The orchestrator node (look it up as "orchestrator"): answers `Msg::Checkout { body }`
/// requests with `Msg::CheckoutReply { response }`.
pub async fn orchestrator_node(ctx: NodeCtx, cfg: OrchestratorConfig) {
    let board = Board::new(cfg.recent_orders_max);
    let cfg = Rc::new(cfg);
    board.publish(&ctx);
    loop {
        let mut arrived = vec![ctx.recv().await];
        while let Some(env) = ctx.try_recv() {
            arrived.push(env);
        }
        let numbered = number_checkouts(&ctx, arrived);
        ctx.sync().await;
        for (env, ids) in numbered {
            start_order(&ctx, &cfg, &board, env, ids);
        }
    }
}

/// Gives each checkout its ids (written, not yet synced); answers at once those that cannot
/// have one, and ignores anything that is not a checkout.
fn number_checkouts(ctx: &NodeCtx, arrived: Vec<Envelope>) -> Vec<(Envelope, OrderIds)> {
    let mut numbered = Vec::new();
    for env in arrived {
        if !matches!(env.msg, Msg::Checkout { .. }) {
            ctx.log(format!(
                "{ORCHESTRATOR}: ignored an unexpected {} message",
                env.msg.label()
            ));
            continue;
        }
        match OrderIds::next(ctx) {
            Ok(ids) => numbered.push((env, ids)),
            Err(e) => {
                let response = response::no_order_id(&e.to_string());
                ctx.reply(&env, Msg::CheckoutReply { response });
            }
        }
    }
    numbered
}

/// Runs one numbered checkout as its own task, or rejects it when too many are in flight.
fn start_order(
    ctx: &NodeCtx,
    cfg: &Rc<OrchestratorConfig>,
    board: &Board,
    env: Envelope,
    ids: OrderIds,
) {
    if board.in_flight() >= cfg.orders_in_flight_max {
        return order::reject_overloaded(ctx, &env, &ids, cfg.orders_in_flight_max);
    }
    board.order_started();
    ctx.spawn(order::run_order(
        ctx.clone(),
        cfg.clone(),
        board.clone(),
        env,
        ids,
    ));
}
