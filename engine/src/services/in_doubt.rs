//! A participant in doubt asks the coordinator cluster for the outcome (the part of 2PC the
//! seeds left open: "a participant that restarts in PREPARED asks for the outcome"). Used by
//! the database primary and by the payment service. Any executor may be asked; a follower
//! answers with the leader it knows, the leader answers from its durable decision record.

use crate::msg::Msg;
use crate::protocol::two_pc::{Decision, DecisionAnswer};
use crate::services::executor::shared::Signal;
use crate::sim::{ms, Micros, NodeCtx, NodeId};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Most questions one round sends: a limit on everything.
const QUESTIONS_PER_ROUND: usize = 16;

/// Answers from question tasks: (txn, the outcome if anyone could tell).
type Answers = Rc<RefCell<Vec<(String, Option<Decision>)>>>;

/// The transactions a participant holds prepared, and the questions it has out about them.
/// Questions run as short tasks; their answers wait here until the node's loop, woken by
/// `wake`, takes them.
#[derive(Default)]
pub struct InDoubt {
    /// Prepared transactions → since when (volatile: a restart resets the clock, which only
    /// delays the question).
    since: BTreeMap<String, Micros>,
    asking: BTreeSet<String>,
    answers: Answers,
    pub wake: Rc<Signal>,
}

impl InDoubt {
    pub fn prepared(&mut self, txn: &str, now_us: Micros) {
        self.since.entry(txn.to_string()).or_insert(now_us);
    }

    pub fn settled(&mut self, txn: &str) {
        self.since.remove(txn);
    }

    /// After a snapshot replaced the state machine: exactly `prepared` are in doubt now.
    pub fn reset_to(&mut self, prepared: &[String], now_us: Micros) {
        self.since.retain(|txn, _| prepared.contains(txn));
        for txn in prepared {
            self.prepared(txn, now_us);
        }
    }

    /// Asks about every transaction prepared at least `after_us` ago that has no question out.
    pub fn ask_due(&mut self, ctx: &NodeCtx, coordinators: &[NodeId], after_us: Micros) {
        let now = ctx.now();
        let due: Vec<String> = self
            .since
            .iter()
            .filter(|(txn, since)| {
                now.saturating_sub(**since) >= after_us && !self.asking.contains(*txn)
            })
            .map(|(txn, _)| txn.clone())
            .take(QUESTIONS_PER_ROUND)
            .collect();
        for txn in due {
            self.asking.insert(txn.clone());
            let (ctx, answers, wake, coords) = (
                ctx.clone(),
                self.answers.clone(),
                self.wake.clone(),
                coordinators.to_vec(),
            );
            ctx.clone().spawn(async move {
                let decision = ask_outcome(&ctx, &txn, &coords).await;
                answers.borrow_mut().push((txn, decision));
                wake.notify();
            });
        }
    }

    /// The outcomes learned since the last call. A decided transaction's clock restarts, so it
    /// is not asked about again while the node carries the decision out.
    pub fn take_decided(&mut self, ctx: &NodeCtx) -> Vec<(String, Decision)> {
        let answers = std::mem::take(&mut *self.answers.borrow_mut());
        let mut decided = Vec::new();
        for (txn, decision) in answers {
            self.asking.remove(&txn);
            let Some(decision) = decision else { continue };
            if let Some(since) = self.since.get_mut(&txn) {
                *since = ctx.now();
            }
            let word = if decision.is_commit() {
                "commit"
            } else {
                "abort"
            };
            ctx.log(format!("{txn} was in doubt; the coordinators say {word}"));
            decided.push((txn, decision));
        }
        decided
    }
}

/// Asks for `txn`'s outcome, trying the hinted leader first and each coordinator at most
/// once more. None = nobody could say yet (the caller asks again on its next round).
pub async fn ask_outcome(ctx: &NodeCtx, txn: &str, coordinators: &[NodeId]) -> Option<Decision> {
    if coordinators.is_empty() {
        return None;
    }
    let mut next: Option<NodeId> = None;
    for attempt in 0..coordinators.len() + 2 {
        let to = next
            .take()
            .unwrap_or(coordinators[attempt % coordinators.len()]);
        let msg = Msg::DecisionQuery {
            txn: txn.to_string(),
        };
        match ctx.rpc(to, msg, ms(500), 0).await {
            Ok(Msg::DecisionReply {
                answer: DecisionAnswer::Decided(d),
                ..
            }) => return Some(d),
            Ok(Msg::DecisionReply {
                answer: DecisionAnswer::Pending,
                ..
            }) => return None,
            Ok(Msg::DecisionReply {
                answer: DecisionAnswer::NotCoordinator { hint },
                ..
            }) => next = hint,
            _ => {}
        }
    }
    None
}
