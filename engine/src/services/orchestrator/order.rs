//! One order, from request to reply to cache clearing (seed 000's sequence diagram):
//! parse → init the validators in parallel → the DAG → enqueue if approved → answer the client
//! (before fulfilment) → broadcast the final clock.

use super::board::Board;
use super::calls::{self, OrderRun};
use super::dag::DagRun;
use super::response;
use super::{OrchestratorConfig, OrderIds, ORCHESTRATOR};
use crate::checkout::{parse_checkout, CheckoutResponse, CheckoutStatus};
use crate::clock::VectorClock;
use crate::msg::Msg;
use crate::order_step::OrderStep;
use crate::sim::trace::TraceKind;
use crate::sim::{Envelope, NodeCtx};
use crate::view::{OrderDagView, OrderStatus};
use std::rc::Rc;

pub async fn run_order(
    ctx: NodeCtx,
    cfg: Rc<OrchestratorConfig>,
    board: Board,
    env: Envelope,
    ids: OrderIds,
) {
    let Msg::Checkout { body } = &env.msg else {
        board.order_finished();
        return;
    };
    let mut order = OrderRun {
        order_id: ids.order_id,
        corr: ids.corr,
        vc: VectorClock::new(),
    };
    // The checkout's arrival: the order's first event (a receive; the client keeps no clock).
    order.vc.tick(ORCHESTRATOR);
    ctx.event("CheckoutReceived", order.corr, &order.vc);
    lifecycle(&ctx, &mut order, OrderStep::Received);
    let mut dag = DagRun::new();
    board.add(new_row(&ctx, &order, &dag));

    let request = match parse_checkout(body) {
        Ok(request) => request,
        Err(errors) => {
            dag.skip_all();
            calls::show(&board, &order.order_id, &dag);
            let reply = response::rejected(&order.order_id, errors, &order.vc);
            answer(&ctx, &board, &env, &mut order, reply);
            board.order_finished();
            return;
        }
    };
    let init_errors = calls::init_validators(&ctx, &cfg, &mut order, &request).await;
    let verdict = if init_errors.is_empty() {
        calls::run_dag(&ctx, &cfg, &board, &mut order, &mut dag).await
    } else {
        dag.skip_all();
        calls::show(&board, &order.order_id, &dag);
        calls::Verdict {
            errors: init_errors,
            ..Default::default()
        }
    };
    let reply = if verdict.errors.is_empty() && dag.all_ok() {
        lifecycle(&ctx, &mut order, OrderStep::Validated);
        let queued = match response::queue_entry(&order.order_id, &request, ctx.now()) {
            Ok(entry) => calls::enqueue(&ctx, &cfg, &entry, &mut order).await,
            Err(e) => Err(e),
        };
        match queued {
            Ok(position) => {
                let at = position.map_or(
                    "position unknown: an earlier attempt got through".into(),
                    |p| format!("position {p}"),
                );
                ctx.log_corr(order.corr, format!("{} enqueued ({at})", order.order_id));
                lifecycle(&ctx, &mut order, OrderStep::Enqueued);
                response::approved(&order.order_id, verdict.suggestions, &order.vc)
            }
            Err(e) => {
                lifecycle(&ctx, &mut order, OrderStep::EnqueueFailed);
                response::not_queued(&order.order_id, e, &order.vc)
            }
        }
    } else {
        response::rejected(&order.order_id, verdict.errors, &order.vc)
    };
    let final_vc = answer(&ctx, &board, &env, &mut order, reply);

    let conflicts = calls::clear_validators(&ctx, &cfg, &mut order, &final_vc).await;
    lifecycle(
        &ctx,
        &mut order,
        if conflicts.is_empty() {
            OrderStep::Cleared
        } else {
            OrderStep::ClearConflict
        },
    );
    board.update(&order.order_id, |row| row.conflicts = conflicts);
    board.order_finished();
}

/// Replies to the client and records the outcome on the board and in the trace. The answer's
/// `finalVectorClock` is the clock of the reply's send, the orchestrator's last event before
/// the clearing broadcast; returns it.
fn answer(
    ctx: &NodeCtx,
    board: &Board,
    env: &Envelope,
    order: &mut OrderRun,
    mut response: CheckoutResponse,
) -> VectorClock {
    let status = match response.status {
        CheckoutStatus::Approved => OrderStatus::Approved,
        CheckoutStatus::Rejected => OrderStatus::Rejected,
    };
    lifecycle(
        ctx,
        order,
        if status == OrderStatus::Approved {
            OrderStep::Approved
        } else {
            OrderStep::Rejected
        },
    );
    let final_vc = order.send_clock();
    response.final_vector_clock = final_vc.clone();
    board.merge_clock(&final_vc);
    board.update(&order.order_id, |row| {
        row.status = status;
        row.errors = response.errors.clone();
        row.final_vc = Some(final_vc.clone());
    });
    ctx.reply_corr(env, Msg::CheckoutReply { response }, order.corr);
    final_vc
}

/// A status change of the order: a local event of the orchestrator, so it ticks first.
fn lifecycle(ctx: &NodeCtx, order: &mut OrderRun, status: OrderStep) {
    order.tick();
    let kind = TraceKind::Order {
        order_id: order.order_id.clone(),
        status,
    };
    ctx.trace(kind, order.corr, Some(order.vc.clone()));
}

fn new_row(ctx: &NodeCtx, order: &OrderRun, dag: &DagRun) -> OrderDagView {
    OrderDagView {
        order_id: order.order_id.clone(),
        corr: order.corr,
        status: OrderStatus::Validating,
        // On the orchestrator's own clock, as every time in its view (the page dates the
        // Received step by the trace instead).
        received_at_us: ctx.now(),
        events: dag.events().to_vec(),
        errors: Vec::new(),
        final_vc: None,
        conflicts: Vec::new(),
    }
}

/// Too many orders in flight: answered at once, nothing started.
pub fn reject_overloaded(ctx: &NodeCtx, env: &Envelope, ids: &OrderIds, limit: u32) {
    let kind = TraceKind::Order {
        order_id: ids.order_id.clone(),
        status: OrderStep::RejectedOverloaded,
    };
    ctx.trace(kind, ids.corr, None);
    ctx.reply_corr(
        env,
        Msg::CheckoutReply {
            response: response::overloaded(&ids.order_id, limit),
        },
        ids.corr,
    );
}
