//! The payment node (seed 001's payment service): a 2PC participant over `PaymentBook`.
//! Each record is written to disk under its own key and synced before the answer leaves, so a
//! restart finds every prepared hold and every capture; requests already waiting are handled
//! together and share one sync. While the disk is full nothing is answered: the coordinator's
//! timeout is an abort vote in phase 1 and a retry in phase 2. Declines are drawn from
//! the node's seeded RNG once per transaction, at the rate configured for the card brand.
//! Holds still PREPARED after `in_doubt_after_us` make the node ask the coordinators.

use crate::facts::Fact;
use crate::msg::Msg;
use crate::protocol::payment::{PayReply, PayRequest, PaymentBook, PaymentRecord, PaymentState};
use crate::services::in_doubt::InDoubt;
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{secs, Envelope, Micros, NodeCtx, World};
use crate::view::{NodeView, PaymentView};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

const RECORD_PREFIX: &str = "pay/txn/";
/// The page shows this many of the newest records (the counts cover all).
const VIEW_RECORDS: usize = 60;

/// Decline probabilities in parts per million.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclineTable {
    /// Card brand ("visa", "mastercard", "americanexpress", …) → decline probability.
    pub by_method: BTreeMap<String, u32>,
    /// For brands not listed.
    pub default_ppm: u32,
}

impl Default for DeclineTable {
    fn default() -> Self {
        Self {
            by_method: BTreeMap::new(),
            default_ppm: 50_000, // 5 %: some orders abort for a reason a shopper knows
        }
    }
}

impl DeclineTable {
    pub fn ppm(&self, method: &str) -> u32 {
        self.by_method
            .get(method)
            .copied()
            .unwrap_or(self.default_ppm)
    }
}

/// The rates, shared between the payment node and whoever changes them while the run goes
/// (the system's `decline_rate` input). A transaction's fate is drawn once, at Prepare, from
/// the rate in force then; a change never reaches back to a hold already voted on.
pub type SharedDeclines = Rc<RefCell<DeclineTable>>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentConfig {
    pub declines: SharedDeclines,
    pub in_doubt_after_us: Micros,
    pub recovery_every_us: Micros,
    pub coordinator_service: String,
}

impl Default for PaymentConfig {
    fn default() -> Self {
        Self {
            declines: SharedDeclines::default(),
            in_doubt_after_us: secs(5),
            recovery_every_us: secs(1),
            coordinator_service: crate::services::executor::SERVICE.to_string(),
        }
    }
}

impl PaymentConfig {
    pub fn decline_ppm(&self, method: &str) -> u32 {
        self.declines.borrow().ppm(method)
    }
}

struct PaymentNode {
    ctx: NodeCtx,
    cfg: PaymentConfig,
    book: PaymentBook,
    in_doubt: InDoubt,
    next_recovery_us: Micros,
    /// The page's view, kept up to date record by record (never recounted from all records).
    view: PaymentView,
    view_changed: bool,
}

pub async fn payment_node(ctx: NodeCtx, cfg: PaymentConfig) {
    let records: Vec<PaymentRecord> = ctx.durable(|d| {
        d.scan_prefix(RECORD_PREFIX)
            .filter_map(|(_, v)| serde_json::from_str(v).ok())
            .collect()
    });
    let book = PaymentBook::from_records(records);
    let now = ctx.now();
    let mut in_doubt = InDoubt::default();
    for rec in book.in_doubt() {
        in_doubt.prepared(&rec.txn, now);
    }
    let mut n = PaymentNode {
        ctx: ctx.clone(),
        next_recovery_us: now + cfg.recovery_every_us,
        cfg,
        book,
        in_doubt,
        view: PaymentView::default(),
        view_changed: true,
    };
    let restored: Vec<PaymentRecord> = n.book.records().cloned().collect();
    for rec in restored {
        n.count(None, &rec);
    }
    let wake = n.in_doubt.wake.clone();
    loop {
        n.publish_view();
        match select_biased(
            ctx.recv(),
            select_biased(wake.wait(), ctx.sleep_until(n.next_recovery_us)),
        )
        .await
        {
            Either::Left(env) => {
                let mut replies: Vec<_> = n.on_message(env).into_iter().collect();
                while let Some(env) = ctx.try_recv() {
                    replies.extend(n.on_message(env));
                }
                ctx.sync().await;
                for (env, reply) in replies {
                    ctx.reply(&env, Msg::PayReply(reply));
                }
            }
            Either::Right(Either::Left(())) => {
                n.take_answers();
                ctx.sync().await;
            }
            Either::Right(Either::Right(())) => {
                n.next_recovery_us = ctx.now() + n.cfg.recovery_every_us;
                n.chase_in_doubt();
            }
        }
    }
}

impl PaymentNode {
    /// Carries out one request; the answer, to send once the changed record is synced. None:
    /// no answer (the disk is full).
    fn on_message(&mut self, env: Envelope) -> Option<(Envelope, PayReply)> {
        let Msg::Pay(req) = &env.msg else {
            return None;
        };
        if let Err(e) = self.ctx.durable(|d| d.writable()) {
            let label = env.msg.label();
            self.ctx
                .log(format!("{label} from {} not answered: {e}", env.from));
            return None;
        }
        let reply = self.handle(req.clone());
        Some((env, reply))
    }

    /// Carries out one request; the changed record is in the page cache when this returns.
    fn handle(&mut self, req: PayRequest) -> PayReply {
        match req {
            PayRequest::Prepare {
                txn,
                amount_cents,
                method,
            } => {
                let ppm = self.cfg.decline_ppm(&method);
                let ctx = self.ctx.clone();
                let old = self.book.get(&txn).map(|r| r.state);
                let (vote, changed) = self.book.prepare(&txn, amount_cents, &method, || {
                    ctx.with_rng(|r| r.chance_ppm(ppm))
                });
                self.persist(old, changed);
                PayReply::Vote(vote)
            }
            PayRequest::Commit { txn } => self.finish(&txn, true),
            PayRequest::Abort { txn } => self.finish(&txn, false),
        }
    }

    fn finish(&mut self, txn: &str, commit: bool) -> PayReply {
        let old = self.book.get(txn).map(|r| r.state);
        let out = if commit {
            self.book.commit(txn)
        } else {
            self.book.abort(txn)
        };
        match out {
            Ok(changed) => {
                self.persist(old, changed);
                PayReply::Done
            }
            Err(e) => PayReply::Refused(e),
        }
    }

    fn persist(&mut self, old: Option<PaymentState>, changed: Option<PaymentRecord>) {
        let Some(rec) = changed else { return };
        self.count(old, &rec);
        let forgotten = self.book.take_forgotten();
        let written: Result<(), crate::sim::DiskError> = self.ctx.durable(|d| {
            d.put(&format!("{RECORD_PREFIX}{}", rec.txn), &rec)?;
            // The disk keeps the same window as the book (`SETTLED_WINDOW`).
            for txn in &forgotten {
                d.remove(&format!("{RECORD_PREFIX}{txn}"))?;
            }
            Ok(())
        });
        if let Err(e) = written {
            // `on_message` checked for space, and the disk fills only between steps.
            return self
                .ctx
                .log(format!("payment record {} not saved: {e}", rec.txn));
        }
        if rec.state == PaymentState::Prepared {
            self.in_doubt.prepared(&rec.txn, self.ctx.now());
        } else {
            self.in_doubt.settled(&rec.txn);
        }
        let fact = Fact::Payment {
            txn: rec.txn,
            state: rec.state,
            amount_cents: rec.amount_cents,
            method: rec.method,
        };
        // Stated once it is true: when the record is durable.
        self.ctx
            .trace_when_durable(TraceKind::Fact(Box::new(fact)), 0);
    }

    fn chase_in_doubt(&mut self) {
        let coordinators = self.ctx.nodes_of(&self.cfg.coordinator_service);
        self.in_doubt
            .ask_due(&self.ctx, &coordinators, self.cfg.in_doubt_after_us);
    }

    fn take_answers(&mut self) {
        let decided = self.in_doubt.take_decided(&self.ctx);
        if self.ctx.durable(|d| d.writable()).is_err() {
            return; // still prepared, so asked about again on a later round
        }
        for (txn, decision) in decided {
            let _ = self.finish(&txn, decision.is_commit());
        }
    }

    /// Moves one record from its old state's count to its new one, and into the recent list.
    fn count(&mut self, old: Option<PaymentState>, rec: &PaymentRecord) {
        let v = &mut self.view;
        for (state, delta) in old.map(|o| (o, -1)).into_iter().chain([(rec.state, 1)]) {
            let slot = match state {
                PaymentState::Prepared => &mut v.prepared,
                PaymentState::Captured => &mut v.captured,
                PaymentState::Released => &mut v.released,
                PaymentState::Declined => &mut v.declined,
            };
            *slot = slot.saturating_add_signed(delta);
        }
        if rec.state == PaymentState::Captured && old != Some(PaymentState::Captured) {
            v.captured_cents += rec.amount_cents;
        }
        v.records.retain(|r| r.txn != rec.txn);
        v.records.push(rec.clone());
        if v.records.len() > VIEW_RECORDS {
            v.records.remove(0);
        }
        self.view_changed = true;
    }

    fn publish_view(&mut self) {
        if std::mem::take(&mut self.view_changed) {
            self.ctx.set_view(NodeView::Payment(self.view.clone()));
        }
    }
}

/// Adds the payment node, named "payment".
pub fn add_payment(world: &mut World, cfg: PaymentConfig) -> Result<(), String> {
    world
        .add_node("payment", "payment", move |ctx| {
            payment_node(ctx, cfg.clone())
        })
        .map(|_| ())
}
