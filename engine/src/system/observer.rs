//! Facts derived from the trace, incrementally: who led which cluster when, which orders were
//! dequeued and executed. The report, the invariants and the page all read these instead of
//! asking services, so they see exactly what happened on the wire.

use crate::facts::Fact;
use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::{AbortReason, TxnState};
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use crate::system::stock_reads::StockReadLedger;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LeaderSpan {
    pub cluster: String,
    pub term: u64,
    pub node: NodeId,
    pub from_us: Micros,
    /// None while still leading.
    pub to_us: Option<Micros>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DequeueFact {
    pub order_id: String,
    pub executor: NodeId,
    pub term: u64,
    pub lease_id: u64,
    pub t_us: Micros,
    /// When the executor sent the request that was granted.
    pub requested_at_us: Micros,
}

/// One order's transaction as the trace tells it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TxnFacts {
    pub txn: String,
    pub order_id: String,
    /// The newest state any coordinator recorded.
    pub state: TxnState,
    /// The first decision recorded (true = commit), and why it aborted.
    pub commit: Option<bool>,
    pub reason: Option<AbortReason>,
    pub started_us: Micros,
    pub decided_us: Option<Micros>,
    pub finished_us: Option<Micros>,
}

#[derive(Clone, Debug, Default)]
pub struct Observer {
    /// Transactions by id (2PC facts).
    pub txns: BTreeMap<String, TxnFacts>,
    /// Transactions whose stock a database commit took, and payments captured.
    pub db_committed: BTreeSet<String>,
    pub payments: BTreeMap<String, (PaymentState, u64, String)>,
    /// The books database: the term of the entry applied at each log index (first replica to
    /// apply it), and what each index changed: index → [(book, delta)].
    pub db_applied_terms: BTreeMap<u64, u64>,
    pub db_changes: BTreeMap<u64, Vec<(String, i64)>>,
    /// Stock reads, judged stale or current against what was acknowledged when issued.
    pub reads: StockReadLedger,
    /// The books database's client history (reads and writes with invoke and return times),
    /// for the linearizability checker.
    pub history: crate::system::client_history::ClientHistory,
    pub leaders: Vec<LeaderSpan>,
    pub dequeues: Vec<DequeueFact>,
    /// Order id → (execution count, first time).
    pub executed: BTreeMap<String, (u32, Micros)>,
    /// Order id → last lifecycle status seen ("received", "approved", "enqueued", …).
    pub order_status: BTreeMap<String, crate::order_step::OrderStep>,
    /// Transactions ever finished, by outcome (the tables above keep only a window).
    pub txns_committed: u64,
    pub txns_aborted: u64,
    /// Every LLM request and how it settled (bounded on its own: `LLM_CALLS_KEPT`).
    pub llm: crate::system::llm_calls::LlmCalls,
    /// What `forget_settled` (observer_window.rs) needs to keep every table above bounded.
    pub(super) window: super::observer_window::WindowState,
    seen: u64,
}

impl Observer {
    /// Events not yet observed (by sequence number).
    pub fn next_seq(&self) -> u64 {
        self.seen
    }

    pub fn observe(&mut self, ev: &TraceEvent) {
        self.seen = ev.seq + 1;
        match &ev.kind {
            TraceKind::Leader { cluster, term } => {
                self.leaders.push(LeaderSpan {
                    cluster: cluster.clone(),
                    term: *term,
                    node: ev.node,
                    from_us: ev.t_us,
                    to_us: None,
                });
            }
            TraceKind::StepDown { cluster, .. } => {
                self.close(|s| &s.cluster == cluster && s.node == ev.node, ev.t_us)
            }
            TraceKind::Crash => self.close(|s| s.node == ev.node, ev.t_us),
            TraceKind::Dequeued {
                order_id,
                executor,
                term,
                lease_id,
                requested_at_us,
            } => self.dequeues.push(DequeueFact {
                order_id: order_id.clone(),
                executor: *executor,
                term: *term,
                lease_id: *lease_id,
                t_us: ev.t_us,
                requested_at_us: *requested_at_us,
            }),
            TraceKind::Executed { order_id, .. } => {
                let e = self.executed.entry(order_id.clone()).or_insert_with(|| {
                    self.window.executed.push_back(order_id.clone());
                    (0, ev.t_us)
                });
                e.0 += 1;
            }
            TraceKind::Order { order_id, status } => {
                let old = self.order_status.insert(order_id.clone(), *status);
                if old.is_none() {
                    self.window.orders.push_back(order_id.clone());
                }
            }
            TraceKind::Fact(fact) => self.observe_fact(fact, ev),
            _ => {}
        }
    }

    fn observe_fact(&mut self, fact: &Fact, ev: &TraceEvent) {
        let (node, t_us) = (ev.node, ev.t_us);
        self.history.observe(fact, node, t_us);
        match fact {
            Fact::Txn {
                txn,
                order_id,
                state,
                reason,
            } => {
                let t = self.txns.entry(txn.clone()).or_insert_with(|| TxnFacts {
                    txn: txn.clone(),
                    order_id: order_id.clone(),
                    state: *state,
                    commit: None,
                    reason: None,
                    started_us: t_us,
                    decided_us: None,
                    finished_us: None,
                });
                if *state > t.state {
                    t.state = *state;
                }
                if matches!(state, TxnState::Committing | TxnState::Aborting) && t.commit.is_none()
                {
                    t.commit = Some(*state == TxnState::Committing);
                    t.reason = reason.clone();
                    t.decided_us = Some(t_us);
                }
                if state.is_final() && t.finished_us.is_none() {
                    t.finished_us = Some(t_us);
                    self.window.finished_txns.push_back(txn.clone());
                    if t.state == TxnState::Committed {
                        self.txns_committed += 1;
                    } else {
                        self.txns_aborted += 1;
                    }
                }
            }
            Fact::StockChanged {
                index,
                book,
                delta,
                txn,
                stock_after,
            } => {
                self.reads.stock_changed(*index, book, *stock_after);
                if let Some(txn) = txn {
                    if *delta < 0 {
                        self.db_committed.insert(txn.clone());
                    }
                }
                let changes = self.db_changes.entry(*index).or_default();
                if !changes.iter().any(|(b, _)| b == book) {
                    changes.push((book.clone(), *delta));
                }
            }
            Fact::DbApplied { index, term, .. } => {
                self.db_applied_terms.entry(*index).or_insert(*term);
            }
            Fact::Payment {
                txn,
                state,
                amount_cents,
                method,
            } => {
                self.payments
                    .insert(txn.clone(), (*state, *amount_cents, method.clone()));
            }
            Fact::DbAcked { index, .. } => self.reads.acked(*index),
            Fact::ReadIssued { read, book, strong } => {
                self.reads.issued(node, *read, book, *strong, t_us)
            }
            Fact::ReadAnswered {
                read,
                replica,
                copies,
                applied_index,
                ..
            } => {
                let answer = crate::services::books_db::StockAnswer {
                    node: *replica,
                    copies: *copies,
                    applied_index: *applied_index,
                };
                self.reads.answered(node, *read, answer, t_us);
            }
            Fact::LlmAsked { .. } | Fact::LlmSettled { .. } => self.observe_llm(fact, ev),
        }
    }

    fn observe_llm(&mut self, fact: &Fact, ev: &TraceEvent) {
        use crate::system::llm_calls::{LlmCall, LlmSettlement};
        match fact {
            Fact::LlmAsked {
                request,
                service,
                order_id,
                deadline_us,
            } => self.llm.asked(LlmCall {
                request: *request,
                service: *service,
                order_id: order_id.clone(),
                corr: ev.corr,
                asked_at_us: ev.t_us,
                deadline_us: *deadline_us,
                settled: None,
            }),
            Fact::LlmSettled {
                request,
                used,
                failure,
                detail,
                ..
            } => self.llm.settled(
                *request,
                LlmSettlement {
                    at_us: ev.t_us,
                    used: *used,
                    failure: *failure,
                    detail: detail.clone(),
                },
            ),
            _ => {}
        }
    }

    /// The final outcome of `order_id`'s transaction once phase 2 finished: (committed, reason).
    pub fn outcome(&self, order_id: &str) -> Option<(bool, Option<&AbortReason>)> {
        let t = self.txns.get(&crate::protocol::two_pc::txn_id(order_id))?;
        t.state
            .is_final()
            .then(|| (t.state == TxnState::Committed, t.reason.as_ref()))
    }

    fn close(&mut self, matches: impl Fn(&LeaderSpan) -> bool, t: Micros) {
        for span in self.leaders.iter_mut().filter(|s| s.to_us.is_none()) {
            if matches(span) {
                span.to_us = Some(t);
            }
        }
    }

    /// The span of `node` leading `cluster` in `term`, if it ever did.
    pub fn led(&self, cluster: &str, term: u64, node: NodeId) -> Option<&LeaderSpan> {
        self.leaders
            .iter()
            .find(|s| s.cluster == cluster && s.term == term && s.node == node)
    }

    /// Who leads `cluster` now according to the trace (the newest open span).
    pub fn current_leader(&self, cluster: &str) -> Option<&LeaderSpan> {
        self.leaders
            .iter()
            .rev()
            .find(|s| s.cluster == cluster && s.to_us.is_none())
    }
}
