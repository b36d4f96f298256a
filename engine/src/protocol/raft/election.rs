//! Leader election (§5.2) and the election restriction (§5.4.1): timeouts, candidacy, voting.
use super::message::RaftMsg;
use super::node::RaftNode;
use super::quorum::{vote_result, VoteResult};
use super::state::Role;
use super::Command;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

impl<C: Command> RaftNode<C> {
    /// A fresh deadline drawn uniformly from the configured window: randomness is what breaks
    /// split votes, and drawing it from the passed-in `SimRng` keeps runs replayable.
    pub(super) fn reset_election_deadline(&mut self, now_us: u64, rng: &mut SimRng) {
        let timeout_us = rng.range_inclusive(
            self.cfg.election_timeout_min_us,
            self.cfg.election_timeout_max_us,
        );
        self.election_deadline_us = now_us.saturating_add(timeout_us);
    }

    /// Becomes a follower in `term` (≥ the current one). A new term clears the vote.
    pub(super) fn become_follower(
        &mut self,
        now_us: u64,
        term: u64,
        leader: Option<NodeId>,
        rng: &mut SimRng,
    ) {
        if term > self.term {
            self.term = term;
            self.voted_for = None;
        }
        let was = self.role;
        self.role = Role::Follower;
        self.leader_hint = leader;
        self.votes.clear();
        self.progress.clear();
        // Why only on a role change: a follower adopting a higher term from a RequestVote must
        // not postpone its own timeout, or a stream of hopeless candidates could starve it.
        // A former leader has no running deadline at all and needs one.
        if was != Role::Follower {
            self.reset_election_deadline(now_us, rng);
        }
    }

    /// The election timeout fired: new term, vote for self, ask every peer (§5.2).
    pub(super) fn start_election(&mut self, now_us: u64, rng: &mut SimRng) {
        self.term += 1;
        self.voted_for = Some(self.me);
        self.role = Role::Candidate;
        self.leader_hint = None;
        self.progress.clear();
        self.votes.clear();
        self.votes.insert(self.me, true);
        self.reset_election_deadline(now_us, rng);
        let request = RaftMsg::RequestVote {
            term: self.term,
            last_log_index: self.log.last_index(),
            last_log_term: self.log.last_term(),
        };
        for peer in self.peers() {
            self.send(peer, request.clone());
        }
        // A one-member cluster wins on its own vote.
        self.count_votes(now_us);
    }

    /// Grants at most one vote per term, and only to a candidate whose log is at least as up
    /// to date as ours (§5.4.1). `step` has already adopted any higher term.
    pub(super) fn handle_request_vote(
        &mut self,
        now_us: u64,
        candidate: NodeId,
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
        rng: &mut SimRng,
    ) {
        let free_to_vote = self.voted_for.is_none() || self.voted_for == Some(candidate);
        // Broken variant for "one leader per term" (invariants/election_safety.rs).
        #[cfg(test)]
        let free_to_vote = free_to_vote || crate::bugs::planted(crate::bugs::Bug::RaftVotesTwice);
        let granted = term == self.term
            && free_to_vote
            && self.log.is_up_to_date(last_log_index, last_log_term);
        if granted {
            self.voted_for = Some(candidate);
            // Granting a vote defers our own candidacy, giving this candidate time to win.
            self.reset_election_deadline(now_us, rng);
        }
        self.send(
            candidate,
            RaftMsg::VoteReply {
                term: self.term,
                granted,
            },
        );
    }

    pub(super) fn handle_vote_reply(
        &mut self,
        now_us: u64,
        voter: NodeId,
        term: u64,
        granted: bool,
    ) {
        // A reply to an election we are no longer running is stale.
        if self.role != Role::Candidate || term != self.term {
            return;
        }
        self.votes.insert(voter, granted);
        self.count_votes(now_us);
    }

    fn count_votes(&mut self, now_us: u64) {
        let granted = self.votes.values().filter(|g| **g).count() as u32;
        let rejected = self.votes.len() as u32 - granted;
        // A lost election just waits for the next timeout (with a new random deadline).
        if vote_result(self.members.len() as u32, granted, rejected) == VoteResult::Won {
            self.become_leader(now_us);
        }
    }
}
