//! The shopper: a node that sends checkout requests to the orchestrator and keeps the answers.
use crate::checkout::{CheckoutResponse, CheckoutStatus};
use crate::msg::Msg;
use crate::services::stock_reader::{self, StockReader};
use crate::sim::{secs, Micros, NodeCtx, NodeId};
use crate::view::{ClientView, NodeView};
use std::cell::RefCell;
use std::collections::VecDeque;
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

/// Checkout records kept in full (request body and answer). Older ones are summarised by the
/// counts and `approved`, which is all the end-of-run checks need.
pub const RECORDS_KEPT: usize = 10_000;

/// The checkouts the client sent: the newest `RECORDS_KEPT` in full, running counts (so the
/// client's view costs O(1) per answer, not a scan of the history), and the id of every order
/// the client was told is approved (for "no approved order lost").
#[derive(Clone, Debug, Default)]
pub struct ClientBook {
    pub records: VecDeque<ClientRecord>,
    /// The slot number of `records[0]` (slots count every checkout ever sent).
    first_slot: usize,
    pub answered: u32,
    pub failed: u32,
    pub approved: Vec<String>,
}

impl ClientBook {
    /// Adds a record and returns its slot, forgetting the oldest record beyond the window.
    pub fn push(&mut self, record: ClientRecord) -> usize {
        self.records.push_back(record);
        while self.records.len() > RECORDS_KEPT {
            self.records.pop_front();
            self.first_slot += 1;
        }
        self.first_slot + self.records.len() - 1
    }

    /// Checkouts ever sent.
    pub fn submitted(&self) -> usize {
        self.first_slot + self.records.len()
    }

    fn slot_mut(&mut self, slot: usize) -> Option<&mut ClientRecord> {
        let at = slot.checked_sub(self.first_slot)?;
        self.records.get_mut(at)
    }

    fn body(&self, slot: usize) -> Option<String> {
        let at = slot.checked_sub(self.first_slot)?;
        self.records.get(at).map(|r| r.body.clone())
    }
}

pub type ClientLog = Rc<RefCell<ClientBook>>;

/// Sends one checkout and records the outcome in `log` at index `slot`.
pub async fn submit(ctx: NodeCtx, orchestrator: NodeId, log: ClientLog, slot: usize) {
    let Some(body) = log.borrow().body(slot) else {
        return;
    };
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
        let approved = match &reply {
            Ok(Msg::CheckoutReply { response }) => {
                (response.status == CheckoutStatus::Approved).then(|| response.order_id.clone())
            }
            _ => None,
        };
        let answered = matches!(reply, Ok(Msg::CheckoutReply { .. }));
        if let Some(rec) = l.slot_mut(slot) {
            // True time: the client is the shopper outside the system, which `cluster.clocks`
            // and the `clock` input refuse to skew, so this lines up with `submitted_at_us`.
            rec.answered_at_us = Some(ctx.now());
            match reply {
                Ok(Msg::CheckoutReply { response }) => rec.response = Some(response),
                Ok(other) => rec.error = Some(format!("unexpected reply {}", other.label())),
                Err(e) => rec.error = Some(e.to_string()),
            }
        }
        if answered {
            l.answered += 1;
        } else {
            l.failed += 1;
        }
        l.approved.extend(approved);
    }
    publish(&ctx, &log);
}

pub fn publish(ctx: &NodeCtx, log: &ClientLog) {
    let l = log.borrow();
    ctx.set_view(NodeView::Client(ClientView {
        submitted: l.submitted() as u32,
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
