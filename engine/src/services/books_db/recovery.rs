//! A participant in doubt asks the coordinator cluster for the outcome (the part of 2PC the
//! seeds left open: "a participant that restarts in PREPARED asks for the outcome"). Used by
//! the database primary and by the payment service. Any executor may be asked; a follower
//! answers with the leader it knows, the leader answers from its durable decision record.

use crate::msg::Msg;
use crate::protocol::two_pc::{Decision, DecisionAnswer};
use crate::sim::{ms, NodeCtx, NodeId};

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
