//! Pre-vote and leader stickiness (Ongaro's PhD thesis §9.6, "Preventing disruptions when a
//! server rejoins the cluster"). Without them a node cut off from the cluster raises its term
//! on every timeout, and when it comes back its higher term deposes a healthy leader for
//! nothing: it cannot win (its log is usually behind), it only forces a new election.
//!
//! With `pre_vote` a node whose timer fires first asks "would you vote for me in the next
//! term?" and raises its term only if a majority says yes. A voter says yes only if the asker's
//! log is at least as up to date as its own (§5.4.1) and it has not heard from a leader within
//! the minimum election timeout. The same stickiness makes a voter ignore a real RequestVote
//! while its leader is alive. Nothing here is persisted: a pre-vote promises nothing.
use super::message::RaftMsg;
use super::node::RaftNode;
use super::quorum::{vote_result, VoteResult};
use super::state::Role;
use super::Command;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

impl<C: Command> RaftNode<C> {
    /// The election timeout fired with `pre_vote` on: ask every peer about the next term,
    /// keeping the current term, vote and log untouched. A node that timed out no longer
    /// counts on its leader, so it forgets the hint (as a candidate does).
    pub(super) fn start_pre_vote(&mut self, now_us: u64, rng: &mut SimRng) {
        self.role = Role::PreCandidate;
        self.leader_hint = None;
        self.progress.clear();
        self.votes.clear();
        self.votes.insert(self.me, true);
        // Why a fresh deadline: a round that gets no majority (lost answers, a partition)
        // is retried after another random timeout, which also spreads competing pre-candidates.
        self.reset_election_deadline(now_us, rng);
        let ask = RaftMsg::PreVote {
            term: self.term + 1,
            last_log_index: self.log.last_index(),
            last_log_term: self.log.last_term(),
        };
        for peer in self.peers() {
            self.send(peer, ask.clone());
        }
        // A one-member cluster agrees with itself at once.
        self.count_pre_votes(now_us, rng);
    }

    /// Answers a pre-vote without changing any state: the term, the vote and the election
    /// timer stay as they are, so a hopeless pre-candidate costs this node nothing.
    pub(super) fn handle_pre_vote(
        &mut self,
        now_us: u64,
        candidate: NodeId,
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
    ) {
        let granted = term > self.term
            && !self.heard_from_leader_recently(now_us)
            && self.log.is_up_to_date(last_log_index, last_log_term);
        let term = if granted { term } else { self.term };
        self.send(candidate, RaftMsg::PreVoteReply { term, granted });
    }

    /// Counts a pre-vote answer. `step` has already turned a refusal from a higher term into
    /// following that term, so what arrives here is a grant or a refusal from our own term.
    pub(super) fn handle_pre_vote_reply(
        &mut self,
        now_us: u64,
        voter: NodeId,
        term: u64,
        granted: bool,
        rng: &mut SimRng,
    ) {
        // An answer after the round ended, or a grant for some other term, is stale.
        if self.role != Role::PreCandidate || (granted && term != self.term + 1) {
            return;
        }
        self.votes.insert(voter, granted);
        self.count_pre_votes(now_us, rng);
    }

    fn count_pre_votes(&mut self, now_us: u64, rng: &mut SimRng) {
        let granted = self.votes.values().filter(|g| **g).count() as u32;
        let rejected = self.votes.len() as u32 - granted;
        // A lost round just waits for the deadline drawn when it started.
        if vote_result(self.members.len() as u32, granted, rejected) == VoteResult::Won {
            self.start_election(now_us, rng);
        }
    }

    /// Leader stickiness for real votes (thesis §9.6): with `pre_vote` on, a RequestVote of a
    /// higher term that arrives while this node's leader is alive is dropped before `step`
    /// adopts its term. Otherwise a node whose pre-vote passed just before a heartbeat reached
    /// its voters could still depose the leader. A restarted node has heard from no leader and
    /// votes normally.
    pub(super) fn ignores_vote_request(&self, now_us: u64, msg: &RaftMsg<C>) -> bool {
        let higher = matches!(msg, RaftMsg::RequestVote { term, .. } if *term > self.term);
        higher && self.cfg.pre_vote && self.heard_from_leader_recently(now_us)
    }

    /// Whether a current leader is known to be alive: for a follower, an AppendEntries from
    /// its leader arrived within `election_timeout_min_us`; for a leader, a majority answered
    /// within that window (the check-quorum test). No one times out sooner than that, so a
    /// node asking for votes earlier can only be disruptive.
    pub(super) fn heard_from_leader_recently(&self, now_us: u64) -> bool {
        match self.role {
            Role::Leader => self.has_recent_quorum(now_us),
            Role::Follower | Role::PreCandidate | Role::Candidate => {
                let following = self.leader_hint.is_some_and(|leader| leader != self.me);
                following
                    && now_us.saturating_sub(self.leader_heard_us)
                        < self.cfg.election_timeout_min_us
            }
        }
    }
}
