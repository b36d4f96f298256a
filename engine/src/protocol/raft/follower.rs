//! The receiving side of AppendEntries (§5.3): consistency check, conflict truncation,
//! and learning the commit index from the leader.
use super::error::RaftError;
use super::log::Entry;
use super::message::RaftMsg;
use super::node::RaftNode;
use super::snapshot::Snapshot;
use super::state::Role;
use super::Command;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

/// The fields of one AppendEntries, unpacked by `step`.
pub(super) struct AppendRequest<C> {
    pub term: u64,
    pub prev_log_index: u64,
    pub prev_log_term: u64,
    pub entries: Vec<Entry<C>>,
    pub leader_commit: u64,
}

/// Rejects AppendEntries no correct leader can send, before any state changes: entries must
/// directly follow `prev_log_index`, and terms must not decrease or exceed the message's term.
pub(super) fn check_append_shape<C>(
    term: u64,
    prev_log_index: u64,
    prev_log_term: u64,
    entries: &[Entry<C>],
) -> Result<(), RaftError> {
    let bad = |why: String| Err(RaftError::MalformedMessage(why));
    if prev_log_term > term {
        return bad(format!(
            "prev_log_term {prev_log_term} above the message term {term}"
        ));
    }
    let mut previous_term = prev_log_term;
    for (offset, entry) in entries.iter().enumerate() {
        let expected = prev_log_index + 1 + offset as u64;
        if entry.index != expected {
            return bad(format!(
                "entry index {} where {expected} was expected",
                entry.index
            ));
        }
        if entry.term < previous_term || entry.term > term {
            return bad(format!(
                "entry {} has term {} out of order (term {term})",
                entry.index, entry.term
            ));
        }
        previous_term = entry.term;
    }
    Ok(())
}

impl<C: Command> RaftNode<C> {
    pub(super) fn handle_append_entries(
        &mut self,
        now_us: u64,
        leader: NodeId,
        append: AppendRequest<C>,
        rng: &mut SimRng,
    ) -> Result<(), RaftError> {
        if append.term < self.term {
            // Tell the deposed leader about the newer term so it steps down.
            self.reject(leader, 0);
            return Ok(());
        }
        self.accept_leader(now_us, leader, append.term, rng)?;
        self.hear_from_leader(now_us, leader, rng);
        let append = self.skip_compacted(append);
        match self.log.term_at(append.prev_log_index) {
            None => {
                self.reject(leader, self.log.last_index() + 1);
                return Ok(());
            }
            Some(term) if term != append.prev_log_term => {
                let hint = self.log.first_index_of_term_at(append.prev_log_index);
                self.reject(leader, hint);
                return Ok(());
            }
            Some(_) => {}
        }
        let match_index = append.prev_log_index + append.entries.len() as u64;
        self.store_entries(append.entries)?;
        // Only what is known to match the leader may be committed: a reordered, older
        // AppendEntries may cover less of the log than the leader's commit index.
        let learned = append.leader_commit.min(match_index);
        if learned > self.commit_index {
            self.commit_index = learned;
        }
        self.accept(leader, match_index);
        Ok(())
    }

    /// A leader of our term spoke: a (pre-)candidate has lost the election; a leader hearing
    /// another leader of its own term is a protocol violation.
    fn accept_leader(
        &mut self,
        now_us: u64,
        leader: NodeId,
        term: u64,
        rng: &mut SimRng,
    ) -> Result<(), RaftError> {
        if self.role == Role::Leader {
            return Err(RaftError::MalformedMessage(format!(
                "{leader} claims leadership of term {term}, which this node leads"
            )));
        }
        if self.role != Role::Follower {
            self.become_follower(now_us, term, Some(leader), rng);
        }
        Ok(())
    }

    fn hear_from_leader(&mut self, now_us: u64, leader: NodeId, rng: &mut SimRng) {
        self.leader_hint = Some(leader);
        // Leader stickiness (see prevote.rs) counts from here.
        self.leader_heard_us = now_us;
        self.reset_election_deadline(now_us, rng);
    }

    /// Entries at or below our snapshot are committed, so they match the leader's: an append
    /// that starts inside the compacted prefix is checked from the snapshot's end instead.
    fn skip_compacted(&self, mut append: AppendRequest<C>) -> AppendRequest<C> {
        let offset = self.log.snapshot_index();
        if append.prev_log_index >= offset {
            return append;
        }
        let covered = (offset - append.prev_log_index) as usize;
        append.entries.drain(..covered.min(append.entries.len()));
        append.prev_log_index = offset;
        append.prev_log_term = self.log.term_at(offset).unwrap_or(0);
        append
    }

    /// §7 InstallSnapshot: a snapshot past our commit index replaces the log it covers (keeping
    /// a matching suffix) and the state machine; an older one only gets an acknowledgement.
    pub(super) fn handle_install_snapshot(
        &mut self,
        now_us: u64,
        leader: NodeId,
        term: u64,
        snapshot: Snapshot,
        rng: &mut SimRng,
    ) -> Result<(), RaftError> {
        if term < self.term {
            self.reject(leader, 0);
            return Ok(());
        }
        self.accept_leader(now_us, leader, term, rng)?;
        self.hear_from_leader(now_us, leader, rng);
        let match_index = snapshot.last_index;
        if snapshot.last_index > self.commit_index {
            self.log.install(snapshot.last_index, snapshot.last_term);
            self.commit_index = snapshot.last_index;
            self.reported_commit = snapshot.last_index;
            self.snapshot = Some(snapshot.clone());
            self.snapshot_unpersisted = true;
            self.installed = Some(snapshot);
        }
        self.accept(leader, match_index);
        Ok(())
    }

    /// Appends the entries we lack; an entry that conflicts (same index, other term) removes
    /// it and everything after it first (§5.3). Entries we already hold are left alone, so a
    /// late duplicate never truncates newer entries.
    fn store_entries(&mut self, entries: Vec<Entry<C>>) -> Result<(), RaftError> {
        for entry in entries {
            match self.log.term_at(entry.index) {
                Some(term) if term == entry.term => continue,
                Some(_) => {
                    if entry.index <= self.commit_index {
                        return Err(RaftError::MalformedMessage(format!(
                            "entry {} conflicts with a committed entry",
                            entry.index
                        )));
                    }
                    self.log.truncate_from(entry.index);
                    self.log.push(entry);
                }
                None => self.log.push(entry),
            }
        }
        Ok(())
    }

    /// Our log matches the leader's through `match_index`.
    fn accept(&mut self, leader: NodeId, match_index: u64) {
        let reply = RaftMsg::AppendReply {
            term: self.term,
            success: true,
            match_index,
            conflict_index: 0,
        };
        self.send(leader, reply);
    }

    fn reject(&mut self, leader: NodeId, conflict_index: u64) {
        let reply = RaftMsg::AppendReply {
            term: self.term,
            success: false,
            match_index: 0,
            conflict_index,
        };
        self.send(leader, reply);
    }
}
