//! The 2PC transactions' state changes as typed values (`Fact::Txn`), kept far back for the
//! page's transactions table and order journeys: no text is formatted or parsed back.
use crate::facts::Fact;
use crate::protocol::two_pc::{AbortReason, TxnState};
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use std::collections::VecDeque;
use std::sync::Arc;

/// How many transaction state changes the page keeps (six per transaction at most).
pub const TXN_EVENTS: usize = 3_000;

/// One state change of one transaction at its coordinator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnEvent {
    pub seq: u64,
    pub t_us: Micros,
    /// The coordinator that recorded it.
    pub node: NodeId,
    pub txn: String,
    pub order_id: String,
    pub state: TxnState,
    pub reason: Option<AbortReason>,
}

#[derive(Default)]
pub struct TxnTail {
    events: VecDeque<TxnEvent>,
    shared: Option<Arc<Vec<TxnEvent>>>,
}

impl TxnTail {
    pub fn absorb<'a>(&mut self, events: impl Iterator<Item = &'a TraceEvent>) {
        for ev in events {
            let TraceKind::Fact(fact) = &ev.kind else {
                continue;
            };
            let Fact::Txn {
                txn,
                order_id,
                state,
                reason,
            } = fact.as_ref()
            else {
                continue;
            };
            self.events.push_back(TxnEvent {
                seq: ev.seq,
                t_us: ev.t_us,
                node: ev.node,
                txn: txn.clone(),
                order_id: order_id.clone(),
                state: *state,
                reason: reason.clone(),
            });
            if self.events.len() > TXN_EVENTS {
                self.events.pop_front();
            }
            self.shared = None;
        }
    }

    /// Oldest first, shared: frames without new changes hand out the same allocation.
    pub fn events(&mut self) -> Arc<Vec<TxnEvent>> {
        self.shared
            .get_or_insert_with(|| Arc::new(self.events.iter().cloned().collect()))
            .clone()
    }
}
