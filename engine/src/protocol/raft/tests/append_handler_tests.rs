//! Handler-level replication tests on one node (§5.3, §5.4.2): feed AppendEntries or replies,
//! assert on the log, the commit index and the Ready.
use super::super::*;
use super::fixtures::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

#[test]
fn an_append_from_a_stale_term_is_rejected_with_the_newer_term() {
    let mut rng = SimRng::new(7);
    let mut node = fresh(0, 3, &mut rng);
    node.step(
        0,
        NodeId(1),
        RaftMsg::RequestVote {
            term: 4,
            last_log_index: 0,
            last_log_term: 0,
        },
        &mut rng,
    )
    .expect("step");
    node.take_ready();
    node.step(
        10,
        NodeId(2),
        append(3, (0, 0), vec![entry(3, 1, 1)], 0),
        &mut rng,
    )
    .expect("step");
    let reply = RaftMsg::AppendReply {
        term: 4,
        success: false,
        match_index: 0,
        conflict_index: 0,
    };
    assert_eq!(node.take_ready().messages, vec![(NodeId(2), reply)]);
    assert_eq!(node.log().last_index(), 0);
}

#[test]
fn a_follower_truncates_a_conflicting_suffix_and_takes_the_leaders_entries() {
    let mut rng = SimRng::new(8);
    let mut node = fresh(0, 3, &mut rng);
    let old = vec![entry(1, 1, 10), entry(1, 2, 11), entry(1, 3, 12)];
    node.step(0, NodeId(1), append(1, (0, 0), old, 1), &mut rng)
        .expect("append");
    node.take_ready();
    // A term-2 leader disagrees from index 2 on.
    node.step(
        10,
        NodeId(2),
        append(2, (1, 1), vec![entry(2, 2, 21)], 2),
        &mut rng,
    )
    .expect("append");
    let ready = node.take_ready();
    let terms: Vec<u64> = node.log().entries().iter().map(|e| e.term).collect();
    assert_eq!(terms, vec![1, 2]);
    let ops = ready.persist.expect("the truncation must be persisted");
    assert_eq!((ops.log_from, ops.entries), (2, vec![entry(2, 2, 21)]));
    assert_eq!(
        ready.committed,
        vec![entry(2, 2, 21)],
        "index 1 was reported by the first append"
    );
    let ok = RaftMsg::AppendReply {
        term: 2,
        success: true,
        match_index: 2,
        conflict_index: 0,
    };
    assert_eq!(ready.messages, vec![(NodeId(2), ok)]);
}

#[test]
fn a_rejection_points_the_leader_at_the_first_index_of_the_conflicting_term() {
    let mut rng = SimRng::new(9);
    let mut node = fresh(0, 3, &mut rng);
    let old = vec![
        entry(1, 1, 1),
        entry(2, 2, 2),
        entry(2, 3, 3),
        entry(2, 4, 4),
    ];
    node.step(0, NodeId(1), append(2, (0, 0), old, 0), &mut rng)
        .expect("append");
    node.take_ready();
    node.step(10, NodeId(2), append(3, (4, 3), vec![], 0), &mut rng)
        .expect("append");
    let reject = RaftMsg::AppendReply {
        term: 3,
        success: false,
        match_index: 0,
        conflict_index: 2,
    };
    assert_eq!(node.take_ready().messages, vec![(NodeId(2), reject)]);
    node.step(20, NodeId(2), append(3, (9, 3), vec![], 0), &mut rng)
        .expect("append");
    let past_end = RaftMsg::AppendReply {
        term: 3,
        success: false,
        match_index: 0,
        conflict_index: 5,
    };
    assert_eq!(node.take_ready().messages, vec![(NodeId(2), past_end)]);
}

#[test]
fn a_late_duplicate_append_never_truncates_newer_entries() {
    let mut rng = SimRng::new(10);
    let mut node = fresh(0, 3, &mut rng);
    node.step(
        0,
        NodeId(1),
        append(1, (0, 0), vec![entry(1, 1, 1), entry(1, 2, 2)], 0),
        &mut rng,
    )
    .expect("append");
    node.step(
        5,
        NodeId(1),
        append(1, (0, 0), vec![entry(1, 1, 1)], 2),
        &mut rng,
    )
    .expect("late duplicate");
    assert_eq!(node.log().last_index(), 2);
    // The leader's commit index is only believed up to what this message proved to match.
    assert_eq!(node.commit_index(), 1);
}

#[test]
fn a_leader_does_not_commit_an_old_term_entry_by_counting_replicas() {
    // Figure 8 of the paper: node 0 holds an entry of term 1 only it has, then leads term 3.
    let mut rng = SimRng::new(11);
    let persisted = PersistentState {
        snapshot: None,
        hard_state: HardState {
            term: 2,
            voted_for: None,
        },
        log: vec![entry(1, 1, 1), entry(2, 2, 2)],
    };
    let mut node = RaftNode::new(
        NodeId(0),
        members(5),
        without_pre_vote(),
        persisted,
        0,
        &mut rng,
    )
    .expect("node");
    node.tick(node.election_deadline_us(), &mut rng);
    for voter in [1, 2] {
        node.step(
            10,
            NodeId(voter),
            RaftMsg::VoteReply {
                term: 3,
                granted: true,
            },
            &mut rng,
        )
        .expect("vote");
    }
    assert!(node.is_leader());
    // Two followers confirm index 2 (term 2) but not the term-3 no-op at index 3.
    for follower in [1, 2] {
        let ok = RaftMsg::AppendReply {
            term: 3,
            success: true,
            match_index: 2,
            conflict_index: 0,
        };
        node.step(20, NodeId(follower), ok, &mut rng)
            .expect("reply");
    }
    assert_eq!(
        node.commit_index(),
        0,
        "a term-2 entry on a majority is not yet committed"
    );
    let ok = RaftMsg::AppendReply {
        term: 3,
        success: true,
        match_index: 3,
        conflict_index: 0,
    };
    node.step(30, NodeId(1), ok.clone(), &mut rng)
        .expect("reply");
    node.step(30, NodeId(2), ok, &mut rng).expect("reply");
    assert_eq!(
        node.commit_index(),
        3,
        "the current-term no-op commits everything before it"
    );
}

#[test]
fn a_malformed_append_is_refused_without_changing_anything() {
    let mut rng = SimRng::new(12);
    let mut node = fresh(0, 3, &mut rng);
    node.take_ready();
    let gap = append(5, (0, 0), vec![entry(5, 2, 1)], 0);
    assert!(matches!(
        node.step(1, NodeId(1), gap, &mut rng),
        Err(RaftError::MalformedMessage(_))
    ));
    let future_term = append(1, (0, 0), vec![entry(2, 1, 1)], 0);
    assert!(matches!(
        node.step(1, NodeId(1), future_term, &mut rng),
        Err(RaftError::MalformedMessage(_))
    ));
    assert_eq!(node.term(), 0);
    assert!(node.take_ready().is_empty());
}

#[test]
fn a_non_leader_propose_returns_not_leader_with_the_known_leader() {
    let mut rng = SimRng::new(16);
    let mut node = fresh(0, 3, &mut rng);
    assert_eq!(node.propose(1), Err(NotLeader { leader_hint: None }));
    node.step(0, NodeId(2), append(1, (0, 0), vec![], 0), &mut rng)
        .expect("heartbeat");
    assert_eq!(
        node.propose(1),
        Err(NotLeader {
            leader_hint: Some(NodeId(2))
        })
    );
}
