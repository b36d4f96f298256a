//! Handler-level tests of leadership on one node: taking over (the no-op), losing it (a higher
//! term, check-quorum), and the one-member cluster.
use super::super::*;
use super::fixtures::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

#[test]
fn a_new_leader_appends_a_no_op_and_sends_it_to_every_peer() {
    let mut rng = SimRng::new(5);
    let mut node = leader_of_three(&mut rng);
    let ready = node.take_ready();
    assert_eq!(ready.role_change, Some((Role::Leader, 1)));
    let no_op = Entry {
        term: 1,
        index: 1,
        command: None,
    };
    assert_eq!(
        ready.persist.expect("no-op persisted").entries,
        vec![no_op.clone()]
    );
    let expected = append(1, (0, 0), vec![no_op], 0);
    let sent: Vec<_> = ready
        .messages
        .iter()
        .filter(|(_, m)| m.label() == "Append")
        .cloned()
        .collect();
    assert_eq!(
        sent,
        vec![(NodeId(1), expected.clone()), (NodeId(2), expected)]
    );
    assert_eq!(node.leader_hint(), Some(NodeId(0)));
}

#[test]
fn any_higher_term_turns_a_leader_into_a_follower() {
    let mut rng = SimRng::new(6);
    let mut node = leader_of_three(&mut rng);
    node.take_ready();
    let reply = RaftMsg::AppendReply {
        term: 9,
        success: false,
        match_index: 0,
        conflict_index: 0,
    };
    node.step(100, NodeId(2), reply, &mut rng).expect("step");
    assert_eq!(node.role(), Role::Follower);
    assert_eq!(
        node.hard_state(),
        HardState {
            term: 9,
            voted_for: None
        }
    );
    assert!(
        node.election_deadline_us() > 100,
        "a deposed leader needs a fresh election deadline"
    );
    assert_eq!(node.take_ready().role_change, Some((Role::Follower, 9)));
}

#[test]
fn a_single_member_cluster_elects_itself_and_commits_alone() {
    let mut rng = SimRng::new(17);
    let mut node = RaftNode::new(
        NodeId(0),
        members(1),
        RaftConfig::default(),
        PersistentState::empty(),
        0,
        &mut rng,
    )
    .expect("node");
    node.tick(node.election_deadline_us(), &mut rng);
    assert!(node.is_leader());
    assert_eq!(node.propose(42), Ok(2));
    let committed: Vec<Option<u64>> = node
        .take_ready()
        .committed
        .into_iter()
        .map(|e| e.command)
        .collect();
    assert_eq!(committed, vec![None, Some(42)]);
}

#[test]
fn a_leader_cut_off_from_the_majority_steps_down_with_check_quorum() {
    let mut rng = SimRng::new(18);
    let mut node = leader_of_three(&mut rng);
    let give_up_us = node.next_wakeup_us() + 10_000_000;
    let mut now = node.next_wakeup_us();
    while node.is_leader() && now < give_up_us {
        node.tick(now, &mut rng);
        now = node.next_wakeup_us().max(now + 1);
    }
    assert_eq!(node.role(), Role::Follower);
    assert_eq!(
        node.term(),
        1,
        "stepping down for lack of a quorum keeps the term"
    );
}
