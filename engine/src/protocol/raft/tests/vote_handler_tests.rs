//! Handler-level election tests on one node (§5.2, §5.4.1): feed a tick or a message,
//! assert on the Ready it emits (the openraft engine-test style).
use super::super::*;
use super::fixtures::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

#[test]
fn the_first_ready_reports_a_follower_of_term_zero_and_then_nothing() {
    let mut rng = SimRng::new(1);
    let mut node = fresh(0, 3, &mut rng);
    assert_eq!(node.take_ready().role_change, Some((Role::Follower, 0)));
    assert!(!node.has_ready());
    assert!(node.take_ready().is_empty());
}

#[test]
fn election_deadlines_are_drawn_within_the_configured_window() {
    let cfg = RaftConfig::default();
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..200 {
        let node = fresh(0, 3, &mut SimRng::new(seed));
        let deadline = node.election_deadline_us();
        assert!((cfg.election_timeout_min_us..=cfg.election_timeout_max_us).contains(&deadline));
        seen.insert(deadline);
    }
    assert!(
        seen.len() > 150,
        "deadlines are not spread out: {} distinct",
        seen.len()
    );
}

#[test]
fn without_pre_vote_a_follower_that_times_out_becomes_candidate_and_asks_every_peer() {
    let mut rng = SimRng::new(2);
    let mut node = Node::new(
        NodeId(0),
        members(3),
        without_pre_vote(),
        PersistentState::empty(),
        0,
        &mut rng,
    )
    .expect("valid node");
    node.take_ready();
    node.tick(node.election_deadline_us() - 1, &mut rng);
    assert!(
        node.take_ready().is_empty(),
        "nothing happens before the deadline"
    );
    node.tick(node.election_deadline_us(), &mut rng);
    let ready = node.take_ready();
    assert_eq!(ready.role_change, Some((Role::Candidate, 1)));
    let persisted = ready.persist.expect("the self-vote must be persisted");
    assert_eq!(
        persisted.hard_state,
        HardState {
            term: 1,
            voted_for: Some(NodeId(0))
        }
    );
    let vote = RaftMsg::RequestVote {
        term: 1,
        last_log_index: 0,
        last_log_term: 0,
    };
    assert_eq!(
        ready.messages,
        vec![(NodeId(1), vote.clone()), (NodeId(2), vote)]
    );
}

#[test]
fn a_voter_grants_one_vote_per_term_and_persists_it() {
    let mut rng = SimRng::new(3);
    let mut node = fresh(0, 3, &mut rng);
    node.take_ready();
    let ask = RaftMsg::RequestVote {
        term: 1,
        last_log_index: 0,
        last_log_term: 0,
    };
    node.step(10, NodeId(1), ask.clone(), &mut rng)
        .expect("step");
    let ready = node.take_ready();
    assert_eq!(
        ready.messages,
        vec![(
            NodeId(1),
            RaftMsg::VoteReply {
                term: 1,
                granted: true
            }
        )]
    );
    assert_eq!(
        ready.persist.expect("vote persisted").hard_state.voted_for,
        Some(NodeId(1))
    );
    node.step(20, NodeId(2), ask.clone(), &mut rng)
        .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(
            NodeId(2),
            RaftMsg::VoteReply {
                term: 1,
                granted: false
            }
        )]
    );
    // Asking again for the same candidate is answered the same way (a lost reply is retried).
    node.step(30, NodeId(1), ask, &mut rng).expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(
            NodeId(1),
            RaftMsg::VoteReply {
                term: 1,
                granted: true
            }
        )]
    );
}

#[test]
fn a_voter_refuses_a_candidate_whose_log_is_behind() {
    let mut rng = SimRng::new(4);
    let mut node = fresh(0, 3, &mut rng);
    node.step(
        0,
        NodeId(1),
        append(2, (0, 0), vec![entry(1, 1, 7), entry(2, 2, 8)], 0),
        &mut rng,
    )
    .expect("append");
    node.take_ready();
    // The leader has been silent past the minimum timeout, so leader stickiness (pre-vote's
    // companion) does not ignore the candidates below.
    let later = RaftConfig::default().election_timeout_min_us;
    // Higher term but an older last term: refused (§5.4.1), though the term is adopted.
    node.step(
        later + 10,
        NodeId(2),
        RaftMsg::RequestVote {
            term: 3,
            last_log_index: 5,
            last_log_term: 1,
        },
        &mut rng,
    )
    .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(
            NodeId(2),
            RaftMsg::VoteReply {
                term: 3,
                granted: false
            }
        )]
    );
    // Same last term, shorter log: refused.
    node.step(
        later + 20,
        NodeId(2),
        RaftMsg::RequestVote {
            term: 4,
            last_log_index: 1,
            last_log_term: 2,
        },
        &mut rng,
    )
    .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(
            NodeId(2),
            RaftMsg::VoteReply {
                term: 4,
                granted: false
            }
        )]
    );
    // Same last term, as long: granted.
    node.step(
        later + 30,
        NodeId(2),
        RaftMsg::RequestVote {
            term: 5,
            last_log_index: 2,
            last_log_term: 2,
        },
        &mut rng,
    )
    .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(
            NodeId(2),
            RaftMsg::VoteReply {
                term: 5,
                granted: true
            }
        )]
    );
}

#[test]
fn a_restarted_node_keeps_its_term_and_vote_and_still_refuses_a_second_candidate() {
    let mut rng = SimRng::new(15);
    let mut node = fresh(0, 3, &mut rng);
    let mut disk = PersistentState::empty();
    node.step(
        0,
        NodeId(1),
        RaftMsg::RequestVote {
            term: 1,
            last_log_index: 0,
            last_log_term: 0,
        },
        &mut rng,
    )
    .expect("vote");
    disk.apply(&node.take_ready().persist.expect("persist"))
        .expect("apply");
    let mut restarted = RaftNode::new(
        NodeId(0),
        members(3),
        RaftConfig::default(),
        disk,
        50,
        &mut rng,
    )
    .expect("restart");
    assert_eq!(
        restarted.hard_state(),
        HardState {
            term: 1,
            voted_for: Some(NodeId(1))
        }
    );
    restarted
        .step(
            60,
            NodeId(2),
            RaftMsg::RequestVote {
                term: 1,
                last_log_index: 0,
                last_log_term: 0,
            },
            &mut rng,
        )
        .expect("step");
    assert_eq!(
        restarted.take_ready().messages,
        vec![(
            NodeId(2),
            RaftMsg::VoteReply {
                term: 1,
                granted: false
            }
        )]
    );
}
