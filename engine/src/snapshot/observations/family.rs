//! Message families, computed once from the label every message already has (`Msg::label`):
//! what a message is for (its colour family), whether it is a refusal (drawn with a red ring),
//! whether it is routine chatter (drawn small, unlabelled), and the few characters drawn beside
//! it. The page used to keep this table itself and match labels in its view models; it now
//! reads `MsgLook` off each message and drop, and a label nobody classified shows as `Other`
//! (a test below lists every label the services send today).

/// How the page draws one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MsgLook {
    pub family: MsgFamily,
    /// A refusal or failure (a denied vote, a rejected append, an abort…).
    pub negative: bool,
    /// Routine chatter (heartbeats, polling).
    pub chatty: bool,
    /// The few characters drawn beside the message.
    pub short: &'static str,
}

/// The look of a message with `label`.
pub fn look(label: &'static str) -> MsgLook {
    MsgLook {
        family: family(label),
        negative: is_negative(label),
        chatty: is_chatty(label),
        short: short_label(label),
    }
}

/// The colour family of a message, by what it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MsgFamily {
    /// RequestVote / votes, Bully elections.
    Election,
    /// Heartbeats and log replication.
    Replication,
    /// The checkout: request, DAG events, replies, cache clearing.
    Order,
    /// The order queue: enqueue, dequeue, leases, acks.
    Queue,
    /// The lease lock server.
    Lease,
    /// Two-phase commit: prepare, votes, decision, commit/abort, payment, outcome queries.
    Txn,
    /// The books database: replication between replicas, reads, write results.
    Db,
    Ping,
    Other,
}

impl MsgFamily {
    pub const ALL: [MsgFamily; 8] = [
        MsgFamily::Election,
        MsgFamily::Replication,
        MsgFamily::Order,
        MsgFamily::Queue,
        MsgFamily::Lease,
        MsgFamily::Txn,
        MsgFamily::Db,
        MsgFamily::Ping,
    ];
}

const DAG_EVENTS: [(&str, &str); 6] = [
    ("VerifyItems", "a · items"),
    ("VerifyUserData", "b · user"),
    ("VerifyCreditCardFormat", "c · card"),
    ("CheckUserData", "d · fraud user"),
    ("CheckCreditCardData", "e · fraud card"),
    ("GetSuggestions", "f · suggest"),
];

fn family(label: &str) -> MsgFamily {
    match label {
        "RequestVote" | "Vote✓" | "Vote✗" | "PreVote" | "PreVote✓" | "PreVote✗"
        | "bully.election" | "bully.answer" | "bully.coordinator" | "bully.halt"
        | "bully.halt_ack" => MsgFamily::Election,
        "Heartbeat" | "Append" | "AppendOk" | "AppendReject" | "Snapshot" | "bully.heartbeat" => {
            MsgFamily::Replication
        }
        "Checkout" | "CheckoutReply" | "InitOrder" | "InitAck" | "EventOk" | "EventFailed"
        | "ClearOrder" | "ClearAck" => MsgFamily::Order,
        "Enqueue" | "EnqueueReply" | "Dequeue" | "Leased" | "QueueEmpty" | "Fenced"
        | "AckOrder" | "AckReply" | "QueueStatus?" | "QueueStatus" => MsgFamily::Queue,
        "PrepareTransaction" | "CommitTransaction" | "AbortTransaction" | "RecordDecision"
        | "VoteCommit" | "VoteAbort" | "PreparePayment" | "CommitPayment" | "AbortPayment"
        | "PayDone" | "PayRefused" | "OutcomeQuery" | "Outcome" | "ReadDecision" | "Decision" => {
            MsgFamily::Txn
        }
        "InternalReplicate" | "ReplicateAck" | "ReadStock" | "ReplicaRead" | "ReadAll"
        | "GetStatus" | "Stock" | "AllStock" | "Status" | "Written" | "Refused" | "NotPrimary"
        | "Write" | "DecrementStock" | "IncrementStock" | "ReadBarrier" => MsgFamily::Db,
        "Ping" | "Pong" => MsgFamily::Ping,
        l if l.starts_with("lease.") => MsgFamily::Lease,
        l if DAG_EVENTS.iter().any(|(name, _)| *name == l) => MsgFamily::Order,
        _ => MsgFamily::Other,
    }
}

/// A refusal or failure: drawn with a red ring whatever its family.
fn is_negative(label: &str) -> bool {
    matches!(
        label,
        "Vote✗"
            | "PreVote✗"
            | "AppendReject"
            | "EventFailed"
            | "Fenced"
            | "lease.lost"
            | "lease.not_holder"
            | "lease.rejected"
            | "VoteAbort"
            | "AbortTransaction"
            | "AbortPayment"
            | "NotPrimary"
            | "Refused"
            | "PayRefused"
    )
}

/// Routine chatter (heartbeats, polling): drawn as a small dot without a label so the
/// interesting messages stand out; hovering still names it.
fn is_chatty(label: &str) -> bool {
    matches!(
        label,
        "Heartbeat"
            | "AppendOk"
            | "Dequeue"
            | "QueueEmpty"
            | "bully.heartbeat"
            | "lease.renew"
            | "lease.renewed"
            | "Ping"
            | "Pong"
    )
}

/// The few characters drawn beside a message dot.
fn short_label(label: &'static str) -> &'static str {
    if let Some((_, short)) = DAG_EVENTS.iter().find(|(name, _)| *name == label) {
        return short;
    }
    match label {
        "RequestVote" => "vote?",
        "Vote✓" => "vote ✓",
        "Vote✗" => "vote ✗",
        "PreVote" => "pre-vote?",
        "PreVote✓" => "pre ✓",
        "PreVote✗" => "pre ✗",
        "Heartbeat" => "♥",
        "Append" => "append",
        "AppendOk" => "ok",
        "AppendReject" => "reject",
        "Checkout" => "checkout",
        "CheckoutReply" => "reply",
        "InitOrder" => "init",
        "InitAck" => "init ok",
        "EventOk" => "done ✓",
        "EventFailed" => "failed ✗",
        "ClearOrder" => "clear",
        "ClearAck" => "cleared",
        "EnqueueReply" => "queued",
        "Leased" => "leased",
        "QueueEmpty" => "empty",
        "AckOrder" => "ack",
        "AckReply" => "acked",
        "QueueStatus?" => "status?",
        "QueueStatus" => "status",
        "PrepareTransaction" => "prepare",
        "CommitTransaction" => "commit",
        "AbortTransaction" => "abort",
        "RecordDecision" => "decide",
        "VoteCommit" => "yes ✓",
        "VoteAbort" => "no ✗",
        "PreparePayment" => "pay?",
        "CommitPayment" => "capture",
        "AbortPayment" => "release",
        "PayDone" => "paid",
        "PayRefused" => "refused",
        "OutcomeQuery" => "outcome?",
        "Outcome" => "outcome",
        "InternalReplicate" => "replicate",
        "ReplicateAck" => "rep ok",
        "ReadStock" => "read",
        "ReplicaRead" => "read (replica)",
        "NotPrimary" => "not primary",
        other => other
            .strip_prefix("lease.")
            .or_else(|| other.strip_prefix("bully."))
            .unwrap_or(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::DagEvent;

    /// Every label a `label()` in the engine returns today (msg.rs, raft, bully, lease,
    /// books_db api and command, payment), plus the DAG events' names.
    const LABELS: &[&str] = &[
        "AbortPayment",
        "AckOrder",
        "AckReply",
        "AllStock",
        "Append",
        "AppendOk",
        "AppendReject",
        "Checkout",
        "CheckoutReply",
        "ClearAck",
        "ClearOrder",
        "CommitPayment",
        "Decision",
        "Dequeue",
        "Enqueue",
        "EnqueueReply",
        "EventFailed",
        "EventOk",
        "Fenced",
        "GetStatus",
        "Heartbeat",
        "InitAck",
        "InitOrder",
        "InternalReplicate",
        "Leased",
        "NotPrimary",
        "Outcome",
        "OutcomeQuery",
        "PayDone",
        "PayRefused",
        "Ping",
        "Pong",
        "PreVote",
        "PreVote✓",
        "PreVote✗",
        "PreparePayment",
        "QueueEmpty",
        "QueueStatus",
        "QueueStatus?",
        "ReadAll",
        "ReadDecision",
        "ReadStock",
        "Refused",
        "ReplicaRead",
        "ReplicateAck",
        "RequestVote",
        "Snapshot",
        "Status",
        "Stock",
        "VoteAbort",
        "VoteCommit",
        "Vote✓",
        "Vote✗",
        "Written",
        "bully.answer",
        "bully.coordinator",
        "bully.election",
        "bully.halt",
        "bully.halt_ack",
        "bully.heartbeat",
        "lease.acquire",
        "lease.acquired",
        "lease.held",
        "lease.lost",
        "lease.not_holder",
        "lease.rejected",
        "lease.release",
        "lease.released",
        "lease.renew",
        "lease.renewed",
        "Write",
        "DecrementStock",
        "IncrementStock",
        "PrepareTransaction",
        "CommitTransaction",
        "AbortTransaction",
        "RecordDecision",
        "ReadBarrier",
    ];

    #[test]
    fn every_label_the_services_send_has_a_family() {
        let names = DagEvent::ALL.map(|e| e.name());
        for label in LABELS.iter().chain(names.iter()) {
            assert_ne!(look(label).family, MsgFamily::Other, "{label}");
        }
        assert_eq!(look("GetSuggestions").short, "f · suggest");
        assert!(look("Vote✗").negative && !look("Vote✗").chatty);
        assert!(look("Heartbeat").chatty);
        assert_eq!(look("lease.renew").short, "renew");
        assert_eq!(look("Something new").family, MsgFamily::Other);
    }
}
