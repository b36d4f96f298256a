//! `RaftNode`: the state of one member, its constructor, accessors and the two entry points
//! that time and the network drive (`tick`, `step`). Role-specific rules live in
//! `election.rs` (all roles' voting), `leader.rs` and `follower.rs`.
use super::config::RaftConfig;
use super::error::RaftError;
use super::leader::Progress;
use super::log::RaftLog;
use super::message::RaftMsg;
use super::snapshot::Snapshot;
use super::state::{HardState, PersistentState, Role};
use super::Command;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct RaftNode<C> {
    pub(super) me: NodeId,
    /// Sorted, includes `me`; static for the life of the cluster.
    pub(super) members: Vec<NodeId>,
    pub(super) cfg: RaftConfig,
    pub(super) term: u64,
    pub(super) voted_for: Option<NodeId>,
    pub(super) log: RaftLog<C>,
    pub(super) role: Role,
    pub(super) leader_hint: Option<NodeId>,
    pub(super) commit_index: u64,
    pub(super) election_deadline_us: u64,
    pub(super) heartbeat_due_us: u64,
    /// When an AppendEntries from `leader_hint` last arrived (leader stickiness, §9.6 of the
    /// thesis). Only meaningful while `leader_hint` names another node; never persisted, so a
    /// restarted node has heard from no one and can vote at once.
    pub(super) leader_heard_us: u64,
    /// Candidate or pre-candidate only: each answer received in this round (`me` counts as
    /// granted).
    pub(super) votes: BTreeMap<NodeId, bool>,
    /// Leader only: replication state per peer.
    pub(super) progress: BTreeMap<NodeId, Progress>,
    pub(super) outbox: Vec<(NodeId, RaftMsg<C>)>,
    /// What the driver was last told to persist, so `take_ready` only asks for changes.
    pub(super) persisted_hard_state: HardState,
    pub(super) reported_commit: u64,
    pub(super) reported_role: Option<(Role, u64)>,
    /// The newest snapshot (what the compacted prefix became), sent to lagging followers.
    pub(super) snapshot: Option<Snapshot>,
    /// `snapshot` changed and the next `Ready::persist` must carry it.
    pub(super) snapshot_unpersisted: bool,
    /// A snapshot the state machine has not been handed yet (restart or InstallSnapshot).
    pub(super) installed: Option<Snapshot>,
}

impl<C: Command> RaftNode<C> {
    /// A member starting (or restarting) as a follower from what it persisted, with a fresh
    /// random election deadline. `members` must contain `me`, without duplicates.
    pub fn new(
        me: NodeId,
        members: Vec<NodeId>,
        cfg: RaftConfig,
        persisted: PersistentState<C>,
        now_us: u64,
        rng: &mut SimRng,
    ) -> Result<Self, RaftError> {
        cfg.validate()?;
        let mut sorted = members;
        sorted.sort();
        let count = sorted.len();
        sorted.dedup();
        if sorted.len() != count {
            return Err(RaftError::InvalidMembership(
                "a member is listed twice".into(),
            ));
        }
        if !sorted.contains(&me) {
            return Err(RaftError::InvalidMembership(format!(
                "{me} is not in its own member list"
            )));
        }
        persisted.validate()?;
        let hard_state = persisted.hard_state;
        if let Some(voted) = hard_state.voted_for {
            if !sorted.contains(&voted) {
                return Err(RaftError::CorruptPersistedState(format!(
                    "voted for non-member {voted}"
                )));
            }
        }
        // A snapshot holds only committed entries: they count as committed and applied again.
        let (offset, offset_term) = persisted
            .snapshot
            .as_ref()
            .map_or((0, 0), |s| (s.last_index, s.last_term));
        let mut node = Self {
            me,
            members: sorted,
            cfg,
            term: hard_state.term,
            voted_for: hard_state.voted_for,
            log: RaftLog::from_persisted(offset, offset_term, persisted.log),
            role: Role::Follower,
            leader_hint: None,
            commit_index: offset,
            election_deadline_us: now_us,
            heartbeat_due_us: now_us,
            leader_heard_us: 0,
            votes: BTreeMap::new(),
            progress: BTreeMap::new(),
            outbox: Vec::new(),
            persisted_hard_state: hard_state,
            reported_commit: offset,
            reported_role: None,
            installed: persisted.snapshot.clone(),
            snapshot: persisted.snapshot,
            snapshot_unpersisted: false,
        };
        node.reset_election_deadline(now_us, rng);
        Ok(node)
    }

    /// Fires what is due at `now_us`: an election (or with `pre_vote`, a pre-vote round first)
    /// when the election deadline passed (follower, pre-candidate, candidate), heartbeats and
    /// the check-quorum test (leader).
    pub fn tick(&mut self, now_us: u64, rng: &mut SimRng) {
        if self.role == Role::Leader {
            if now_us < self.heartbeat_due_us {
                return;
            }
            if self.cfg.check_quorum && !self.has_recent_quorum(now_us) {
                self.become_follower(now_us, self.term, None, rng);
                return;
            }
            self.broadcast_append();
            self.heartbeat_due_us = now_us.saturating_add(self.cfg.heartbeat_interval_us);
        } else if now_us >= self.election_deadline_us {
            if self.cfg.pre_vote {
                self.start_pre_vote(now_us, rng);
            } else {
                self.start_election(now_us, rng);
            }
        }
    }

    /// Handles one message from `from`. Any higher term makes this node a follower of that
    /// term first (§5.1), except in a pre-vote or a pre-vote grant (which only propose a term)
    /// and in a RequestVote that leader stickiness ignores. Messages from non-members and
    /// malformed messages change nothing and are reported as errors.
    pub fn step(
        &mut self,
        now_us: u64,
        from: NodeId,
        msg: RaftMsg<C>,
        rng: &mut SimRng,
    ) -> Result<(), RaftError> {
        if from == self.me || !self.members.contains(&from) {
            return Err(RaftError::UnknownSender(from));
        }
        if let RaftMsg::AppendEntries {
            term,
            prev_log_index,
            prev_log_term,
            entries,
            ..
        } = &msg
        {
            super::follower::check_append_shape(*term, *prev_log_index, *prev_log_term, entries)?;
        }
        if let RaftMsg::InstallSnapshot { term, snapshot } = &msg {
            if snapshot.last_term > *term || snapshot.last_index == 0 {
                return Err(RaftError::MalformedMessage(format!(
                    "snapshot through index {} of term {} in a term-{term} message",
                    snapshot.last_index, snapshot.last_term
                )));
            }
        }
        if self.ignores_vote_request(now_us, &msg) {
            return Ok(());
        }
        if msg.term() > self.term && adopts_term(&msg) {
            self.become_follower(now_us, msg.term(), None, rng);
        }
        self.dispatch(now_us, from, msg, rng)
    }

    /// Hands a checked message, after any term change, to the handler for its kind.
    fn dispatch(
        &mut self,
        now_us: u64,
        from: NodeId,
        msg: RaftMsg<C>,
        rng: &mut SimRng,
    ) -> Result<(), RaftError> {
        match msg {
            RaftMsg::RequestVote {
                term,
                last_log_index,
                last_log_term,
            } => {
                self.handle_request_vote(now_us, from, term, last_log_index, last_log_term, rng);
                Ok(())
            }
            RaftMsg::VoteReply { term, granted } => {
                self.handle_vote_reply(now_us, from, term, granted);
                Ok(())
            }
            RaftMsg::PreVote {
                term,
                last_log_index,
                last_log_term,
            } => {
                self.handle_pre_vote(now_us, from, term, last_log_index, last_log_term);
                Ok(())
            }
            RaftMsg::PreVoteReply { term, granted } => {
                self.handle_pre_vote_reply(now_us, from, term, granted, rng);
                Ok(())
            }
            RaftMsg::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => {
                let append = super::follower::AppendRequest {
                    term,
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit,
                };
                self.handle_append_entries(now_us, from, append, rng)
            }
            RaftMsg::AppendReply {
                term,
                success,
                match_index,
                conflict_index,
            } => self.handle_append_reply(now_us, from, term, success, match_index, conflict_index),
            RaftMsg::InstallSnapshot { term, snapshot } => {
                self.handle_install_snapshot(now_us, from, term, snapshot, rng)
            }
        }
    }

    /// Log compaction: the driver's state machine has applied every entry through `index` and
    /// `data` is its state there. The log forgets those entries; the next `Ready::persist`
    /// carries the snapshot so the disk forgets them too. Refused for an index the driver has
    /// not been handed as committed yet, or one already compacted.
    pub fn compact(&mut self, index: u64, data: String) -> Result<(), RaftError> {
        if index > self.reported_commit || index <= self.log.snapshot_index() {
            return Err(RaftError::InvalidCompaction(format!(
                "cannot compact through {index}: applied through {}, compacted through {}",
                self.reported_commit,
                self.log.snapshot_index()
            )));
        }
        let last_term = self.log.term_at(index).unwrap_or(0);
        self.log.compact_through(index);
        self.snapshot = Some(Snapshot {
            last_index: index,
            last_term,
            data,
        });
        self.snapshot_unpersisted = true;
        Ok(())
    }

    /// The earliest time at which `tick` has something to do; the driver sleeps until then
    /// unless a message arrives first.
    pub fn next_wakeup_us(&self) -> u64 {
        match self.role {
            Role::Leader => self.heartbeat_due_us,
            Role::Follower | Role::PreCandidate | Role::Candidate => self.election_deadline_us,
        }
    }

    pub fn id(&self) -> NodeId {
        self.me
    }
    pub fn members(&self) -> &[NodeId] {
        &self.members
    }
    pub fn config(&self) -> &RaftConfig {
        &self.cfg
    }
    pub fn term(&self) -> u64 {
        self.term
    }
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn is_leader(&self) -> bool {
        self.role == Role::Leader
    }
    /// The leader of the current term as far as this node knows (itself when leader).
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.leader_hint
    }
    pub fn commit_index(&self) -> u64 {
        self.commit_index
    }
    pub fn log(&self) -> &RaftLog<C> {
        &self.log
    }
    pub fn hard_state(&self) -> HardState {
        HardState {
            term: self.term,
            voted_for: self.voted_for,
        }
    }
    /// When a follower or candidate will start the next election (for the page's timers).
    pub fn election_deadline_us(&self) -> u64 {
        self.election_deadline_us
    }
    /// Candidate or pre-candidate only: the members that granted their (pre-)vote in this
    /// round, `me` included.
    pub fn votes_granted(&self) -> Vec<NodeId> {
        self.votes
            .iter()
            .filter(|(_, granted)| **granted)
            .map(|(id, _)| *id)
            .collect()
    }
    /// Leader only: how far `peer`'s log is known to match, and what is sent next.
    pub fn progress(&self, peer: NodeId) -> Option<Progress> {
        self.progress.get(&peer).copied()
    }

    pub(super) fn peers(&self) -> Vec<NodeId> {
        self.members
            .iter()
            .copied()
            .filter(|id| *id != self.me)
            .collect()
    }

    pub(super) fn send(&mut self, to: NodeId, msg: RaftMsg<C>) {
        self.outbox.push((to, msg));
    }
}

/// Whether a higher term in `msg` is adopted before handling it. A pre-vote and its grant only
/// propose the next term, and adopting it would be the very disruption pre-vote prevents; a
/// refusal carries the voter's real term and is adopted like any other.
fn adopts_term<C>(msg: &RaftMsg<C>) -> bool {
    !matches!(
        msg,
        RaftMsg::PreVote { .. } | RaftMsg::PreVoteReply { granted: true, .. }
    )
}
