//! The shopper: a node that sends checkout requests to the orchestrator and keeps the answers.
use crate::checkout::CheckoutResponse;
use crate::msg::Msg;
use crate::services::stock_reader::{self, StockReader};
use crate::sim::{secs, Micros, NodeCtx, NodeId};
use crate::view::{ClientView, NodeView};
use std::cell::RefCell;
use std::rc::Rc;

/// How long the client waits for the orchestrator's answer.
pub const CHECKOUT_DEADLINE_US: Micros = secs(10);

#[derive(Clone, Debug, PartialEq)]
pub struct ClientRecord {
    pub submitted_at_us: Micros,
    pub body: String,
    pub response: Option<CheckoutResponse>,
    pub answered_at_us: Option<Micros>,
    /// Why there is no response (DEADLINE_EXCEEDED, unexpected reply…).
    pub error: Option<String>,
}

/// Every checkout the client sent, with running counts, so the client's view costs O(1) per
/// answer instead of a scan of the whole history.
#[derive(Clone, Debug, Default)]
pub struct ClientBook {
    pub records: Vec<ClientRecord>,
    pub answered: u32,
    pub failed: u32,
}

impl ClientBook {
    /// Adds a record and returns its slot.
    pub fn push(&mut self, record: ClientRecord) -> usize {
        self.records.push(record);
        self.records.len() - 1
    }
}

pub type ClientLog = Rc<RefCell<ClientBook>>;

/// Sends one checkout and records the outcome in `log` at index `slot`.
pub async fn submit(ctx: NodeCtx, orchestrator: NodeId, log: ClientLog, slot: usize) {
    let body = log.borrow().records[slot].body.clone();
    let reply = ctx
        .rpc(
            orchestrator,
            Msg::Checkout { body },
            CHECKOUT_DEADLINE_US,
            0,
        )
        .await;
    {
        let mut l = log.borrow_mut();
        let rec = &mut l.records[slot];
        // True time: the client is the shopper outside the system, which `cluster.clocks` and
        // the `clock` input refuse to skew, so this lines up with `submitted_at_us`.
        rec.answered_at_us = Some(ctx.now());
        let answered = match reply {
            Ok(Msg::CheckoutReply { response }) => {
                rec.response = Some(response);
                true
            }
            Ok(other) => {
                rec.error = Some(format!("unexpected reply {}", other.label()));
                false
            }
            Err(e) => {
                rec.error = Some(e.to_string());
                false
            }
        };
        if answered {
            l.answered += 1;
        } else {
            l.failed += 1;
        }
    }
    publish(&ctx, &log);
}

pub fn publish(ctx: &NodeCtx, log: &ClientLog) {
    let l = log.borrow();
    ctx.set_view(NodeView::Client(ClientView {
        submitted: l.records.len() as u32,
        answered: l.answered,
        failed: l.failed,
    }));
}

/// The client node: submissions are tasks spawned per request; the stock reader, when the
/// world has a books database, is the node's second task (it dies and restarts with the node).
pub async fn client_node(ctx: NodeCtx, reader: Option<Rc<StockReader>>) {
    ctx.set_view(NodeView::Client(ClientView::default()));
    if let Some(reader) = reader {
        let service = crate::services::books_db::SERVICE.to_string();
        ctx.spawn(stock_reader::run(ctx.clone(), reader, service));
    }
    loop {
        // Drain anything addressed to the client that is not an RPC reply.
        let _ = ctx.recv().await;
    }
}
