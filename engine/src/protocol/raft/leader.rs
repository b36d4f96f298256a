//! The leader's side of log replication (§5.3) and commitment (§5.4.2).
use super::error::{NotLeader, RaftError};
use super::log::Entry;
use super::message::RaftMsg;
use super::node::RaftNode;
use super::quorum::{committed_index, majority};
use super::state::Role;
use super::Command;
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

/// What a leader knows about one follower's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Progress {
    /// The next index to send (optimistic: starts just past the leader's log).
    pub next_index: u64,
    /// The highest index known to match the leader's log (0 until the follower confirms).
    pub match_index: u64,
    /// When the follower last answered an AppendEntries of this term (for check-quorum).
    pub last_heard_us: u64,
}

impl<C: Command> RaftNode<C> {
    /// Won the election: take over every follower's progress, append the term's no-op so
    /// earlier entries can commit (§5.4.2), and announce leadership at once.
    pub(super) fn become_leader(&mut self, now_us: u64) {
        self.role = Role::Leader;
        self.leader_hint = Some(self.me);
        self.votes.clear();
        let next_index = self.log.last_index() + 1;
        self.progress = self
            .peers()
            .into_iter()
            .map(|peer| {
                (
                    peer,
                    Progress {
                        next_index,
                        match_index: 0,
                        last_heard_us: now_us,
                    },
                )
            })
            .collect();
        self.log.push(Entry {
            term: self.term,
            index: next_index,
            command: None,
        });
        self.broadcast_append();
        self.heartbeat_due_us = now_us.saturating_add(self.cfg.heartbeat_interval_us);
        self.advance_commit();
    }

    /// Appends `command` to the leader's log and starts replicating it; returns its index.
    /// The entry is durable only after the driver handles the next `Ready::persist`, and
    /// committed when it shows up in `Ready::committed` (which may never happen if leadership
    /// is lost first: the caller must not treat the index as a promise).
    pub fn propose(&mut self, command: C) -> Result<u64, NotLeader> {
        if self.role != Role::Leader {
            return Err(NotLeader {
                leader_hint: self.leader_hint,
            });
        }
        let index = self.log.last_index() + 1;
        self.log.push(Entry {
            term: self.term,
            index,
            command: Some(command),
        });
        // Only peers that are caught up get the entry now; lagging ones receive it in the
        // batch that follows their next acknowledgement, so nothing is sent twice.
        let caught_up: Vec<NodeId> = self
            .progress
            .iter()
            .filter(|(_, p)| p.next_index == index)
            .map(|(peer, _)| *peer)
            .collect();
        for peer in caught_up {
            self.send_append(peer);
        }
        self.advance_commit();
        Ok(index)
    }

    /// Sends `peer` the entries from its next index (at most `max_entries_per_append`),
    /// or a heartbeat when it has everything.
    pub(super) fn send_append(&mut self, peer: NodeId) {
        let Some(progress) = self.progress.get(&peer) else {
            return;
        };
        let next = progress.next_index.clamp(1, self.log.last_index() + 1);
        if next <= self.log.snapshot_index() {
            // The entries it needs are compacted away: only the snapshot can catch it up.
            if let Some(snapshot) = self.snapshot.clone() {
                let term = self.term;
                self.send(peer, RaftMsg::InstallSnapshot { term, snapshot });
                return;
            }
        }
        let prev_log_index = next - 1;
        let msg = RaftMsg::AppendEntries {
            term: self.term,
            prev_log_index,
            prev_log_term: self.log.term_at(prev_log_index).unwrap_or(0),
            entries: self
                .log
                .slice_from(next, self.cfg.max_entries_per_append as u64),
            leader_commit: self.commit_index,
        };
        self.send(peer, msg);
    }

    pub(super) fn broadcast_append(&mut self) {
        for peer in self.peers() {
            self.send_append(peer);
        }
    }

    pub(super) fn handle_append_reply(
        &mut self,
        now_us: u64,
        from: NodeId,
        term: u64,
        success: bool,
        match_index: u64,
        conflict_index: u64,
    ) -> Result<(), RaftError> {
        if self.role != Role::Leader || term != self.term {
            return Ok(()); // an answer to an earlier term's request
        }
        let last = self.log.last_index();
        if success && match_index > last {
            return Err(RaftError::MalformedMessage(format!(
                "{from} acknowledged index {match_index} beyond the leader's last index {last}"
            )));
        }
        let Some(progress) = self.progress.get_mut(&from) else {
            return Ok(());
        };
        progress.last_heard_us = now_us;
        let resend = if success {
            let advanced = match_index > progress.match_index;
            if advanced {
                progress.match_index = match_index;
                progress.next_index = progress.next_index.max(match_index + 1);
            }
            advanced && progress.next_index <= last
        } else {
            // Never below what the follower already confirmed; a stale rejection that would
            // not move us back is ignored (the heartbeat retries anyway).
            let retry_from = conflict_index.clamp(progress.match_index + 1, last + 1);
            let moved_back = retry_from < progress.next_index;
            if moved_back {
                progress.next_index = retry_from;
            }
            moved_back
        };
        if success {
            self.advance_commit();
        }
        if resend {
            self.send_append(from);
        }
        Ok(())
    }

    /// Commits the highest index stored on a majority, but only if it is of the current term:
    /// an older-term entry counted on a majority can still be overwritten (Figure 8, §5.4.2).
    pub(super) fn advance_commit(&mut self) {
        let mut match_indexes: Vec<u64> = self.progress.values().map(|p| p.match_index).collect();
        match_indexes.push(self.log.last_index());
        let candidate = committed_index(&match_indexes);
        if candidate > self.commit_index && self.log.term_at(candidate) == Some(self.term) {
            self.commit_index = candidate;
        }
    }

    /// Check-quorum: has a majority (this leader included) answered within the shortest
    /// election timeout? If not, a new leader may already be elected elsewhere.
    pub(super) fn has_recent_quorum(&self, now_us: u64) -> bool {
        let window_us = self.cfg.election_timeout_min_us;
        let recent = self
            .progress
            .values()
            .filter(|p| now_us.saturating_sub(p.last_heard_us) <= window_us)
            .count() as u32;
        recent + 1 >= majority(self.members.len() as u32)
    }
}
