//! The vector-clock explainer: for one receive in the space-time diagram, the merge written
//! out step by step — the receiver's clock just before, the clock the message carried (its
//! send's), their element-wise maximum, then the tick of the receiver's own entry — entry by
//! entry, so a reader sees which counters the message taught the receiver. Computed from the
//! diagram's own events (never re-derived from the result), and checked against the clock the
//! receive actually got: if they differ the explanation says so rather than show a wrong sum.
//!
//! Also, for an order's answer, how its `finalVectorClock` relates to seed 000's example
//! response (`{"orchestrator": 1, "transaction_verification": 4, "fraud_detection": 3,
//! "suggestions": 2}`): the validators tick as the seed's do, so their entries match it; the
//! orchestrator here ticks on every one of its events (each send, each answer, each status),
//! where the seed's ticked once per order — which let "validated" share a clock with
//! GetSuggestions (`services/orchestrator/calls.rs`).

use super::{SpaceTime, StKind, WorldClock};
use crate::clock::VectorClock;
use crate::sim::NodeId;

/// The rule, stated once for the page.
pub const MERGE_RULE: &str = "On a receive, the receiver takes the element-wise maximum of its own clock and the clock the message carries, then adds one to its own entry. Every other event (a send, a local step) only adds one to its own entry.";

/// One node's entry through the merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeRow {
    /// The node whose counter this is (the clock's index).
    pub node: NodeId,
    pub before: u32,
    pub message: u32,
    pub max: u32,
    pub after: u32,
    /// The message raised this entry (it knew of events the receiver did not).
    pub learned: bool,
    /// The receiver's own entry, which the tick raised.
    pub ticked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeExplained {
    pub receive_seq: u64,
    pub send_seq: u64,
    /// The event before the receive on the receiving node (None: it had none yet).
    pub previous_seq: Option<u64>,
    pub receiver: NodeId,
    pub sender: NodeId,
    pub label: &'static str,
    /// The order the message belongs to (0 = none).
    pub corr: u64,
    /// Only entries that are non-zero somewhere, in node order.
    pub rows: Vec<MergeRow>,
    /// max + tick equals the clock the receive got (false would be a bug in the diagram).
    pub consistent: bool,
}

/// Why a selected event has no merge to explain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoMerge {
    NotHeld,
    NotAReceive,
    /// Sent before the diagram's memory: the message's clock is gone.
    SendForgotten,
    /// The receiver's event before this one is older than the diagram's memory.
    PreviousForgotten,
}

impl SpaceTime {
    /// The merge of the receive `seq`, step by step.
    pub fn explain_receive(&self, seq: u64) -> Result<MergeExplained, NoMerge> {
        let ev = self.event(seq).ok_or(NoMerge::NotHeld)?;
        let StKind::Receive {
            from,
            label,
            send_seq,
            ..
        } = &ev.kind
        else {
            return Err(NoMerge::NotAReceive);
        };
        let send_seq = send_seq.ok_or(NoMerge::SendForgotten)?;
        let message = &self.event(send_seq).ok_or(NoMerge::SendForgotten)?.clock;
        let previous = self.previous_on(ev.node, seq);
        let me = ev.node.0 as usize;
        // The receiver's own entry counts its events: above 1, it had one before this.
        if previous.is_none() && ev.clock.get(me) > 1 {
            return Err(NoMerge::PreviousForgotten);
        }
        let zero = WorldClock::default();
        let before = previous.map_or(&zero, |p| &p.clock);
        let mut max = before.clone();
        max.merge(message);
        let mut after = max.clone();
        after.tick(me);
        let width = after.0.len().max(ev.clock.0.len());
        let rows = (0..width)
            .map(|i| MergeRow {
                node: NodeId(i as u32),
                before: before.get(i),
                message: message.get(i),
                max: max.get(i),
                after: after.get(i),
                learned: message.get(i) > before.get(i),
                ticked: i == me,
            })
            .filter(|r| r.after > 0 || r.before > 0 || r.message > 0)
            .collect();
        Ok(MergeExplained {
            receive_seq: seq,
            send_seq,
            previous_seq: previous.map(|p| p.seq),
            receiver: ev.node,
            sender: *from,
            label,
            corr: ev.corr,
            rows,
            consistent: after.compare(&ev.clock) == super::Causality::Same,
        })
    }

    /// The last event on `node` before `seq`, if held. A node's clock only moves at its events,
    /// so this event's clock is the node's clock just before `seq`.
    fn previous_on(&self, node: NodeId, seq: u64) -> Option<&super::StEvent> {
        let i = self.events.partition_point(|e| e.seq < seq);
        self.events.range(..i).rev().find(|e| e.node == node)
    }
}

/// One process of the seed's example `finalVectorClock` against this run's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedEntry {
    /// The process as the seed names it.
    pub seed_name: &'static str,
    /// The same process here.
    pub process: &'static str,
    pub seed: u64,
    pub ours: u64,
    /// Why they differ or agree, in a sentence.
    pub why: &'static str,
}

/// Seed 000's example answer, process by process: (seed's name, ours, value, why ours agrees
/// or differs).
const SEED_EXAMPLE: [(&str, &str, u64, &str); 4] = [
    (
        "orchestrator",
        "orchestrator",
        1,
        "the seed's orchestrator ticks once, when the request arrives; here it ticks on every event of its own (each send, each answer merged, each status), so no two of its events share a clock",
    ),
    (
        "transaction_verification",
        "verification",
        4,
        "init, then events a, b and c: the same ticks as the seed's",
    ),
    (
        "fraud_detection",
        "fraud",
        3,
        "init, then events d and e: the same ticks as the seed's",
    ),
    (
        "suggestions",
        "suggestions",
        2,
        "init, then event f: the same ticks as the seed's",
    ),
];

/// How an order's `finalVectorClock` relates to the seed's example, entry by entry.
pub fn against_seed_example(final_vc: &VectorClock) -> Vec<SeedEntry> {
    SEED_EXAMPLE
        .iter()
        .map(|&(seed_name, process, seed, why)| SeedEntry {
            seed_name,
            process,
            seed,
            ours: final_vc.get(process),
            why,
        })
        .collect()
}
