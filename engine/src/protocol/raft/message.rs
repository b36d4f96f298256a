//! The four messages of Raft (§5, Figure 2 of the paper), and the pre-vote pair of Ongaro's
//! thesis (§9.6).
use super::log::Entry;
use super::snapshot::Snapshot;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RaftMsg<C> {
    /// A candidate asks for a vote in `term`; its log ends at (`last_log_index`, `last_log_term`)
    /// so the voter can refuse candidates whose log is behind its own (§5.4.1).
    RequestVote {
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
    },
    VoteReply {
        term: u64,
        granted: bool,
    },
    /// "Would you vote for me in `term`?" (the sender's term + 1), asked before the sender
    /// raises its own term. Changes nothing on the receiver: no term, vote or timer.
    PreVote {
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
    },
    /// A grant carries the asked-for term (so the pre-candidate can tell it from a stale one);
    /// a refusal carries the voter's current term, which deposes a pre-candidate that is behind.
    PreVoteReply {
        term: u64,
        granted: bool,
    },
    /// The leader's replication and heartbeat message: `entries` follow the entry at
    /// `prev_log_index` with `prev_log_term` (the consistency check of §5.3). Empty = heartbeat.
    AppendEntries {
        term: u64,
        prev_log_index: u64,
        prev_log_term: u64,
        entries: Vec<Entry<C>>,
        leader_commit: u64,
    },
    /// On success, `match_index` is the last index known to match the leader's log and
    /// `conflict_index` is 0. On failure, `conflict_index` is where the leader should retry
    /// from (the follower's first index of the conflicting term, or its log end + 1), so a
    /// lagging follower is found in one round trip per term instead of one per entry.
    AppendReply {
        term: u64,
        success: bool,
        match_index: u64,
        conflict_index: u64,
    },
    /// The leader's state machine snapshot, for a follower that needs entries the leader has
    /// compacted away (§7). Answered with an `AppendReply` whose `match_index` is the
    /// snapshot's last index.
    InstallSnapshot {
        term: u64,
        snapshot: Snapshot,
    },
}

impl<C> RaftMsg<C> {
    pub fn term(&self) -> u64 {
        match self {
            RaftMsg::RequestVote { term, .. }
            | RaftMsg::VoteReply { term, .. }
            | RaftMsg::PreVote { term, .. }
            | RaftMsg::PreVoteReply { term, .. }
            | RaftMsg::AppendEntries { term, .. }
            | RaftMsg::AppendReply { term, .. }
            | RaftMsg::InstallSnapshot { term, .. } => *term,
        }
    }

    /// A short name for the page's message animation and logs.
    pub fn label(&self) -> &'static str {
        match self {
            RaftMsg::RequestVote { .. } => "RequestVote",
            RaftMsg::VoteReply { granted: true, .. } => "Vote✓",
            RaftMsg::VoteReply { granted: false, .. } => "Vote✗",
            RaftMsg::PreVote { .. } => "PreVote",
            RaftMsg::PreVoteReply { granted: true, .. } => "PreVote✓",
            RaftMsg::PreVoteReply { granted: false, .. } => "PreVote✗",
            RaftMsg::AppendEntries { entries, .. } if entries.is_empty() => "Heartbeat",
            RaftMsg::AppendEntries { .. } => "Append",
            RaftMsg::AppendReply { success: true, .. } => "AppendOk",
            RaftMsg::AppendReply { success: false, .. } => "AppendReject",
            RaftMsg::InstallSnapshot { .. } => "Snapshot",
        }
    }
}
