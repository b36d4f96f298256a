//! Builders shared by the handler-level tests.
use super::super::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

pub type Node = RaftNode<u64>;

pub fn members(size: u32) -> Vec<NodeId> {
    (0..size).map(NodeId).collect()
}

pub fn fresh(me: u32, size: u32, rng: &mut SimRng) -> Node {
    RaftNode::new(
        NodeId(me),
        members(size),
        RaftConfig::default(),
        PersistentState::empty(),
        0,
        rng,
    )
    .expect("valid node")
}

pub fn entry(term: u64, index: u64, command: u64) -> Entry<u64> {
    Entry {
        term,
        index,
        command: Some(command),
    }
}

pub fn append(term: u64, prev: (u64, u64), entries: Vec<Entry<u64>>, commit: u64) -> RaftMsg<u64> {
    RaftMsg::AppendEntries {
        term,
        prev_log_index: prev.0,
        prev_log_term: prev.1,
        entries,
        leader_commit: commit,
    }
}

/// The configuration before pre-vote: a timeout raises the term at once. For tests about
/// the candidate's own rules, so they need no pre-vote round first.
pub fn without_pre_vote() -> RaftConfig {
    RaftConfig {
        pre_vote: false,
        ..RaftConfig::default()
    }
}

/// Node 0 of a 3-node cluster, elected leader of term 1 by node 1's pre-vote and vote.
pub fn leader_of_three(rng: &mut SimRng) -> Node {
    let mut node = fresh(0, 3, rng);
    let deadline = node.election_deadline_us();
    node.tick(deadline, rng);
    node.step(
        deadline,
        NodeId(1),
        RaftMsg::PreVoteReply {
            term: 1,
            granted: true,
        },
        rng,
    )
    .expect("pre-vote");
    node.step(
        deadline,
        NodeId(1),
        RaftMsg::VoteReply {
            term: 1,
            granted: true,
        },
        rng,
    )
    .expect("vote");
    assert!(node.is_leader());
    node
}
