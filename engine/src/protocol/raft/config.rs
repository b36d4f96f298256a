//! Timing and batching knobs of one Raft cluster.
use super::error::RaftError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RaftConfig {
    /// A follower that hears nothing from a leader for a random time in
    /// `[election_timeout_min_us, election_timeout_max_us]` starts an election (§5.2).
    pub election_timeout_min_us: u64,
    pub election_timeout_max_us: u64,
    /// A leader sends AppendEntries (possibly empty: a heartbeat) to every peer this often.
    pub heartbeat_interval_us: u64,
    /// Upper bound on entries in one AppendEntries, so a lagging follower is caught up in
    /// bounded messages instead of one message carrying the whole log.
    pub max_entries_per_append: u32,
    /// A leader that has not heard from a majority within `election_timeout_min_us` steps down
    /// (etcd's CheckQuorum): a leader cut off in a minority stops acting as one.
    pub check_quorum: bool,
    /// Pre-vote and leader stickiness (Ongaro's thesis §9.6): a node whose timer fires first
    /// asks whether it could win (`PreVote`) without raising its term, and a node that heard
    /// from a leader within `election_timeout_min_us` refuses pre-votes and ignores
    /// RequestVote. A node that was cut off and rejoins then cannot depose a healthy leader.
    pub pre_vote: bool,
}

impl Default for RaftConfig {
    /// The seeds' figures: randomised 1.5–3 s election timeout, 500 ms heartbeats.
    fn default() -> Self {
        Self {
            election_timeout_min_us: 1_500_000,
            election_timeout_max_us: 3_000_000,
            heartbeat_interval_us: 500_000,
            max_entries_per_append: 64,
            check_quorum: true,
            pre_vote: true,
        }
    }
}

impl RaftConfig {
    pub fn validate(&self) -> Result<(), RaftError> {
        let bad = |why: String| Err(RaftError::InvalidConfig(why));
        if self.election_timeout_min_us > self.election_timeout_max_us {
            return bad(format!(
                "election_timeout_min_us ({}) is greater than election_timeout_max_us ({})",
                self.election_timeout_min_us, self.election_timeout_max_us
            ));
        }
        if self.heartbeat_interval_us == 0 {
            return bad("heartbeat_interval_us must be positive".into());
        }
        // Why: followers would time out between two heartbeats of a healthy leader and the
        // cluster would never settle.
        if self.heartbeat_interval_us >= self.election_timeout_min_us {
            return bad(format!(
                "heartbeat_interval_us ({}) must be below election_timeout_min_us ({})",
                self.heartbeat_interval_us, self.election_timeout_min_us
            ));
        }
        if self.max_entries_per_append == 0 {
            return bad("max_entries_per_append must be positive".into());
        }
        Ok(())
    }
}
