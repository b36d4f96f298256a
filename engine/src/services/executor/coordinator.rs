//! The 2PC coordinator the executor leader runs for each dequeued order (seeds 001 and 003,
//! with the coordinator-failure gap closed; see `protocol/two_pc.rs` for the argument).
//!
//! ```text
//! STARTED → PREPARING ─ both vote commit ─→ decision Commit ─→ COMMITTING → COMMITTED
//!                     └ any abort / timeout → decision Abort ─→ ABORTING  → ABORTED
//!                         (decision durable + replicated here, before phase 2)
//! ```
//!
//! Where the decision is recorded: Raft executors propose `ExecCommand::Decided` to their own
//! log and proceed once it is applied; Bully and lease executors have no replicated log and
//! write `RecordDecision` to the books database's replicated log. Either record keeps the
//! first decision of a transaction, so a second coordinator (a new leader handed the same
//! order, or one answering a participant's question) can only learn it, never change it.
//! Phase 2 is retried with capped backoff until both participants acknowledge, for as long as
//! this node leads; after that the next leader finishes it from the record.

use super::shared::ExecHandle;
use super::ExecutorConfig;
use crate::catalog::Catalog;
use crate::checkout::{detect_card_brand, CheckoutRequest};
use crate::facts::Fact;
use crate::msg::{ExecCommand, Msg};
use crate::protocol::books_db::{DbCommand, DbReply, DbRequest, DbResult, TxnItem};
use crate::protocol::payment::{PayReply, PayRequest};
use crate::protocol::two_pc::{
    decide, order_of, AbortReason, Decision, DecisionAnswer, TxnState, Vote,
};
use crate::services::books_db::DbClient;
use crate::sim::futures::{join2, select_biased, timeout};
use crate::sim::trace::TraceKind;
use crate::sim::{ms, secs, Envelope, NodeCtx, NodeId};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

/// What an order asks of the participants, read from its queue payload.
pub struct TxnPlan {
    pub items: Vec<TxnItem>,
    pub amount_cents: u64,
    pub method: String,
}

/// The participants and what this node is coordinating right now.
pub struct Coordinator {
    pub ctx: NodeCtx,
    pub cfg: ExecutorConfig,
    pub handle: ExecHandle,
    pub db: DbClient,
    pub payment: NodeId,
    pub catalog: Rc<Catalog>,
    /// Transactions this node is running (a participant's question about one gets "pending").
    pub active: RefCell<BTreeSet<String>>,
    /// Raft (true) keeps decisions in the executor log; otherwise in the books database.
    pub replicated: bool,
}

impl Coordinator {
    pub fn record(&self, txn: &str, order_id: &str, state: TxnState, reason: Option<AbortReason>) {
        let fact = Fact::Txn {
            txn: txn.into(),
            order_id: order_id.into(),
            state,
            reason,
        };
        self.ctx.trace(TraceKind::Fact(Box::new(fact)), 0, None);
    }

    /// Parses the approved order into the transaction's items, amount and payment method.
    pub fn plan(&self, payload: &str) -> Result<TxnPlan, AbortReason> {
        let req: CheckoutRequest =
            serde_json::from_str(payload).map_err(|e| AbortReason::InvalidOrder {
                why: format!("unreadable order: {e}"),
            })?;
        let mut items = Vec::new();
        let mut amount_cents: u64 = 0;
        for item in &req.items {
            let book = self.catalog.find_title(&item.name);
            let title = book
                .map(|b| b.title.clone())
                .unwrap_or_else(|| item.name.clone());
            let price = book.map(|b| b.price_cents).unwrap_or(0);
            amount_cents = amount_cents.saturating_add(price.saturating_mul(item.quantity as u64));
            items.push(TxnItem {
                book: title,
                quantity: item.quantity,
            });
        }
        let method = detect_card_brand(&req.credit_card)
            .map(|b| format!("{b:?}").to_lowercase())
            .unwrap_or_else(|| "card".into());
        Ok(TxnPlan {
            items,
            amount_cents,
            method,
        })
    }

    /// The decision already recorded for `txn`, if any.
    pub async fn recorded_decision(&self, txn: &str) -> Option<Decision> {
        if self.replicated {
            return self
                .handle
                .state
                .borrow()
                .decisions
                .get(txn)
                .map(|(_, d)| d.clone());
        }
        match self
            .db
            .call(DbRequest::ReadDecision { txn: txn.into() }, 0)
            .await
        {
            Ok(DbReply::Decision(d)) => d,
            _ => None,
        }
    }

    /// Phase 1: both participants prepare in parallel; a missing vote is an abort.
    pub async fn prepare(&self, txn: &str, plan: &TxnPlan) -> Decision {
        let wait = self.cfg.prepare_timeout_us;
        let db = async {
            let cmd = DbCommand::Prepare {
                txn: txn.into(),
                items: plan.items.clone(),
            };
            match timeout(&self.ctx, wait, self.db.exec(cmd, 0)).await {
                Ok(Ok(DbReply::Written {
                    result: DbResult::Vote(v),
                    ..
                })) => v,
                Ok(Ok(DbReply::Written {
                    result: DbResult::Refused(e),
                    ..
                })) => Vote::Abort(AbortReason::InvalidOrder { why: e.to_string() }),
                _ => Vote::Abort(AbortReason::ParticipantTimeout {
                    participant: "books database".into(),
                }),
            }
        };
        let pay = async {
            let req = PayRequest::Prepare {
                txn: txn.into(),
                amount_cents: plan.amount_cents,
                method: plan.method.clone(),
            };
            match self.ctx.rpc(self.payment, Msg::Pay(req), wait, 0).await {
                Ok(Msg::PayReply(PayReply::Vote(v))) => v,
                // Broken variant for "2PC atomicity" (invariants/atomic_commitment.rs): a
                // silent payment node counts as a commit vote.
                #[cfg(test)]
                _ if crate::bugs::planted(crate::bugs::Bug::CommitOnPrepareTimeout) => Vote::Commit,
                _ => Vote::Abort(AbortReason::ParticipantTimeout {
                    participant: "payment".into(),
                }),
            }
        };
        let (db_vote, pay_vote) = join2(db, pay).await;
        decide(&[db_vote, pay_vote])
    }

    /// Makes `proposed` the decision unless another one was recorded first; returns the one
    /// that stands, or None if this node lost leadership (or the record) before learning it.
    pub async fn record_decision(
        &self,
        txn: &str,
        order_id: &str,
        proposed: Decision,
        term: u64,
    ) -> Option<Decision> {
        if !self.replicated {
            let cmd = DbCommand::RecordDecision {
                txn: txn.into(),
                decision: proposed,
            };
            return match self.db.exec(cmd, 0).await {
                Ok(DbReply::Written {
                    result: DbResult::Decision(d),
                    ..
                }) => Some(d),
                _ => None,
            };
        }
        let cmd = ExecCommand::Decided {
            txn: txn.into(),
            order_id: order_id.into(),
            decision: proposed,
            term,
        };
        self.handle.state.borrow_mut().proposals.push(cmd);
        self.handle.driver_wake.notify();
        let give_up_at = self.ctx.now() + secs(10);
        loop {
            if let Some((_, d)) = self.handle.state.borrow().decisions.get(txn) {
                return Some(d.clone());
            }
            let now = self.ctx.now();
            if !self.handle.state.borrow().leads_with(term, now) || now >= give_up_at {
                return None;
            }
            select_biased(
                self.handle.worker_wake.wait(),
                self.ctx.sleep_until(give_up_at),
            )
            .await;
        }
    }

    /// Phase 2 at both participants, each retried with capped backoff until it acknowledges.
    /// False if this node stopped leading first (the next leader finishes from the record).
    pub async fn finish(&self, txn: &str, decision: &Decision, term: u64) -> bool {
        let commit = decision.is_commit();
        let db = self.until_acked(term, || async {
            let cmd = if commit {
                DbCommand::Commit { txn: txn.into() }
            } else {
                DbCommand::Abort { txn: txn.into() }
            };
            match self.db.exec(cmd, 0).await {
                Ok(DbReply::Written {
                    result: DbResult::Done,
                    ..
                }) => true,
                Ok(DbReply::Written { result, .. }) => {
                    self.ctx.log(format!(
                        "{txn}: books database answered phase 2 with {result:?}"
                    ));
                    true
                }
                _ => false,
            }
        });
        let pay = self.until_acked(term, || async {
            let req = if commit {
                PayRequest::Commit { txn: txn.into() }
            } else {
                PayRequest::Abort { txn: txn.into() }
            };
            match self
                .ctx
                .rpc(self.payment, Msg::Pay(req), self.cfg.rpc_timeout_us, 0)
                .await
            {
                Ok(Msg::PayReply(PayReply::Done)) => true,
                Ok(Msg::PayReply(other)) => {
                    self.ctx
                        .log(format!("{txn}: payment answered phase 2 with {other:?}"));
                    true
                }
                _ => false,
            }
        });
        let (a, b) = join2(db, pay).await;
        a && b
    }

    async fn until_acked<F, Fut>(&self, term: u64, attempt: F) -> bool
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let mut backoff = ms(100);
        loop {
            if attempt().await {
                return true;
            }
            if !self.handle.state.borrow().leads_with(term, self.ctx.now()) {
                return false;
            }
            self.ctx.sleep(backoff).await;
            backoff = (backoff * 2).min(secs(2));
        }
    }

    /// A participant in doubt asks about `txn`. The leader answers from the record; if there
    /// is none and it is not running the transaction, it records an abort first (so no
    /// coordinator can later decide commit) and answers that.
    pub async fn answer(&self, env: Envelope) {
        let Msg::DecisionQuery { txn } = &env.msg else {
            return;
        };
        let now = self.ctx.now();
        let term = self.handle.state.borrow().usable_term(now, 0);
        let answer = match term {
            None => DecisionAnswer::NotCoordinator { hint: None },
            Some(term) => match self.recorded_decision(txn).await {
                Some(d) => DecisionAnswer::Decided(d),
                None if self.active.borrow().contains(txn) => DecisionAnswer::Pending,
                None => {
                    let order_id = order_of(txn).to_string();
                    match self
                        .record_decision(
                            txn,
                            &order_id,
                            Decision::Abort(AbortReason::PresumedAbort),
                            term,
                        )
                        .await
                    {
                        Some(d) => DecisionAnswer::Decided(d),
                        None => DecisionAnswer::Pending,
                    }
                }
            },
        };
        self.ctx.reply(
            &env,
            Msg::DecisionReply {
                txn: txn.clone(),
                answer,
            },
        );
    }
}
