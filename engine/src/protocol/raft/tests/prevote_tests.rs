//! Pre-vote and leader stickiness (Ongaro's thesis §9.6): handler-level tests on one node,
//! then the reason for it all on the test network: a node that was cut off rejoins without
//! deposing a healthy leader, where without pre-vote it forces a new term.
use super::super::*;
use super::fixtures::*;
use super::harness::Net;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

const MIN_TIMEOUT_US: u64 = 1_500_000;

fn pre_vote(term: u64, last_log_index: u64, last_log_term: u64) -> RaftMsg<u64> {
    RaftMsg::PreVote {
        term,
        last_log_index,
        last_log_term,
    }
}

fn pre_vote_reply(term: u64, granted: bool) -> RaftMsg<u64> {
    RaftMsg::PreVoteReply { term, granted }
}

fn request_vote(term: u64) -> RaftMsg<u64> {
    RaftMsg::RequestVote {
        term,
        last_log_index: 0,
        last_log_term: 0,
    }
}

/// Node 0 of three, following node 1 as leader of term 1 since a heartbeat at `at_us`.
fn follower_of_one(at_us: u64, rng: &mut SimRng) -> Node {
    let mut node = fresh(0, 3, rng);
    node.step(at_us, NodeId(1), append(1, (0, 0), vec![], 0), rng)
        .expect("heartbeat");
    node.take_ready();
    node
}

#[test]
fn with_pre_vote_a_follower_that_times_out_asks_first_and_keeps_its_term() {
    let mut rng = SimRng::new(30);
    let mut node = fresh(0, 3, &mut rng);
    node.take_ready();
    let deadline = node.election_deadline_us();
    node.tick(deadline, &mut rng);
    let ready = node.take_ready();
    assert_eq!(ready.role_change, Some((Role::PreCandidate, 0)));
    assert_eq!(ready.persist, None, "a pre-vote round persists nothing");
    let ask = pre_vote(1, 0, 0);
    assert_eq!(
        ready.messages,
        vec![(NodeId(1), ask.clone()), (NodeId(2), ask)]
    );
    assert_eq!(node.hard_state(), HardState::default());
    assert!(
        node.election_deadline_us() > deadline,
        "a round that gets no answer is retried after a new timeout"
    );
}

#[test]
fn a_majority_of_pre_votes_starts_the_real_election_in_the_next_term() {
    let mut rng = SimRng::new(31);
    let mut node = fresh(0, 3, &mut rng);
    node.tick(node.election_deadline_us(), &mut rng);
    node.take_ready();
    node.step(10, NodeId(2), pre_vote_reply(1, true), &mut rng)
        .expect("grant");
    let ready = node.take_ready();
    assert_eq!(ready.role_change, Some((Role::Candidate, 1)));
    assert_eq!(
        ready
            .persist
            .expect("the self-vote is persisted")
            .hard_state,
        HardState {
            term: 1,
            voted_for: Some(NodeId(0))
        }
    );
    assert_eq!(
        ready.messages,
        vec![(NodeId(1), request_vote(1)), (NodeId(2), request_vote(1))]
    );
}

#[test]
fn a_lost_pre_vote_waits_for_the_next_timeout_and_then_asks_again() {
    let mut rng = SimRng::new(32);
    let mut node = fresh(0, 3, &mut rng);
    node.tick(node.election_deadline_us(), &mut rng);
    node.take_ready();
    for voter in [1, 2] {
        node.step(10, NodeId(voter), pre_vote_reply(0, false), &mut rng)
            .expect("refusal");
    }
    assert_eq!((node.role(), node.term()), (Role::PreCandidate, 0));
    assert!(node.take_ready().messages.is_empty());
    node.tick(node.election_deadline_us(), &mut rng);
    let asked: Vec<&str> = node
        .take_ready()
        .messages
        .iter()
        .map(|(_, m)| m.label())
        .collect();
    assert_eq!(asked, ["PreVote", "PreVote"]);
    assert_eq!(node.term(), 0);
}

#[test]
fn a_refusal_from_a_higher_term_makes_the_pre_candidate_a_follower_of_that_term() {
    let mut rng = SimRng::new(33);
    let mut node = fresh(0, 3, &mut rng);
    node.tick(node.election_deadline_us(), &mut rng);
    node.take_ready();
    node.step(10, NodeId(1), pre_vote_reply(4, false), &mut rng)
        .expect("refusal");
    assert_eq!((node.role(), node.term()), (Role::Follower, 4));
    // A grant never raises the term: it only proposes one.
    let mut other = fresh(0, 5, &mut rng);
    other.tick(other.election_deadline_us(), &mut rng);
    other
        .step(10, NodeId(1), pre_vote_reply(1, true), &mut rng)
        .expect("grant");
    assert_eq!((other.role(), other.term()), (Role::PreCandidate, 0));
}

#[test]
fn a_pre_vote_is_refused_when_the_candidate_log_is_behind_and_changes_nothing() {
    let mut rng = SimRng::new(34);
    let mut node = fresh(0, 3, &mut rng);
    node.step(
        0,
        NodeId(1),
        append(2, (0, 0), vec![entry(1, 1, 7), entry(2, 2, 8)], 0),
        &mut rng,
    )
    .expect("append");
    node.take_ready();
    let deadline = node.election_deadline_us();
    // Long after the leader went silent, so only the log decides.
    let later = 10 * MIN_TIMEOUT_US;
    for (ask, granted) in [
        (pre_vote(3, 5, 1), false),
        (pre_vote(3, 1, 2), false),
        (pre_vote(3, 2, 2), true),
    ] {
        node.step(later, NodeId(2), ask, &mut rng).expect("step");
        let ready = node.take_ready();
        let term = if granted { 3 } else { 2 };
        assert_eq!(
            ready.messages,
            vec![(NodeId(2), pre_vote_reply(term, granted))]
        );
        assert_eq!(ready.persist, None);
        assert_eq!(ready.role_change, None);
    }
    assert_eq!(
        node.hard_state(),
        HardState {
            term: 2,
            voted_for: None
        }
    );
    assert_eq!(
        node.election_deadline_us(),
        deadline,
        "a pre-vote does not touch the timer"
    );
}

#[test]
fn a_follower_that_heard_from_its_leader_recently_refuses_pre_votes_until_the_leader_is_silent() {
    let mut rng = SimRng::new(35);
    let mut node = follower_of_one(1_000, &mut rng);
    node.step(
        1_000 + MIN_TIMEOUT_US - 1,
        NodeId(2),
        pre_vote(2, 0, 0),
        &mut rng,
    )
    .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(NodeId(2), pre_vote_reply(1, false))]
    );
    node.step(
        1_000 + MIN_TIMEOUT_US,
        NodeId(2),
        pre_vote(2, 0, 0),
        &mut rng,
    )
    .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(NodeId(2), pre_vote_reply(2, true))]
    );
    assert_eq!(
        (node.term(), node.role(), node.leader_hint()),
        (1, Role::Follower, Some(NodeId(1)))
    );
}

#[test]
fn a_request_vote_with_a_higher_term_is_ignored_by_a_follower_with_a_recent_leader() {
    let mut rng = SimRng::new(36);
    let mut node = follower_of_one(1_000, &mut rng);
    node.step(2_000, NodeId(2), request_vote(5), &mut rng)
        .expect("step");
    let ready = node.take_ready();
    assert!(ready.is_empty(), "no reply, no new term: {ready:?}");
    assert_eq!(node.hard_state().term, 1);
    // Once the leader has been silent for the minimum timeout the vote is an ordinary one.
    node.step(1_000 + MIN_TIMEOUT_US, NodeId(2), request_vote(5), &mut rng)
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
fn a_restarted_node_has_heard_from_no_leader_and_votes_at_once() {
    let mut rng = SimRng::new(37);
    let disk = PersistentState {
        snapshot: None,
        hard_state: HardState {
            term: 3,
            voted_for: Some(NodeId(1)),
        },
        log: vec![],
    };
    let mut node = RaftNode::<u64>::new(
        NodeId(0),
        members(3),
        RaftConfig::default(),
        disk,
        50,
        &mut rng,
    )
    .expect("restart");
    node.step(60, NodeId(2), request_vote(4), &mut rng)
        .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(
            NodeId(2),
            RaftMsg::VoteReply {
                term: 4,
                granted: true
            }
        )]
    );
}

#[test]
fn a_leader_with_a_recent_quorum_refuses_pre_votes_and_ignores_request_votes() {
    let mut rng = SimRng::new(38);
    let mut node = leader_of_three(&mut rng);
    node.take_ready();
    // The first heartbeat is due half a second after winning: the quorum is fresh.
    let now = node.next_wakeup_us();
    node.step(now, NodeId(2), pre_vote(2, 9, 1), &mut rng)
        .expect("step");
    assert_eq!(
        node.take_ready().messages,
        vec![(NodeId(2), pre_vote_reply(1, false))]
    );
    node.step(now, NodeId(2), request_vote(2), &mut rng)
        .expect("step");
    assert!(node.take_ready().messages.is_empty());
    assert_eq!((node.role(), node.term()), (Role::Leader, 1));
}

#[test]
fn without_pre_vote_a_request_vote_with_a_higher_term_deposes_even_a_recent_leader() {
    let mut rng = SimRng::new(39);
    let mut node = RaftNode::<u64>::new(
        NodeId(0),
        members(3),
        without_pre_vote(),
        PersistentState::empty(),
        0,
        &mut rng,
    )
    .expect("node");
    node.step(1_000, NodeId(1), append(1, (0, 0), vec![], 0), &mut rng)
        .expect("heartbeat");
    node.step(2_000, NodeId(2), request_vote(5), &mut rng)
        .expect("step");
    assert_eq!((node.term(), node.leader_hint()), (5, None));
}

/// Elects a leader in a 5-node cluster, then cuts one follower off for 20 s (about ten of
/// its election timeouts) and heals. Returns (net, leader, its term, the cut-off follower).
fn isolate_a_follower_and_heal(seed: u64, cfg: RaftConfig) -> (Net, NodeId, u64, NodeId) {
    let mut net = Net::with_config(5, seed, cfg);
    net.run_until_true(6_000_000, |n| n.current_leader().is_some())
        .unwrap_or_else(|| panic!("seed {seed}: no leader"));
    net.run_for(1_000_000);
    let leader = net.current_leader().expect("elected");
    let term = net.node(leader).expect("alive").term();
    let loner = *net.ids.iter().find(|id| **id != leader).expect("five");
    let rest: Vec<NodeId> = net.ids.iter().copied().filter(|id| *id != loner).collect();
    net.partition(&[&[loner], &rest]);
    net.run_for(20_000_000);
    if cfg.pre_vote {
        assert_eq!(
            net.node(loner).expect("alive").term(),
            term,
            "seed {seed}: the cut-off {loner} raised its term"
        );
    }
    net.heal();
    net.run_for(10_000_000);
    (net, leader, term, loner)
}

#[test]
fn a_partitioned_follower_keeps_its_term_and_rejoins_without_deposing_the_leader() {
    for seed in 0..30 {
        let (net, leader, term, loner) = isolate_a_follower_and_heal(seed, RaftConfig::default());
        assert_eq!(net.leaders(), vec![(leader, term)], "seed {seed}");
        let terms: Vec<u64> = net.checker.leaders_by_term().keys().copied().collect();
        assert_eq!(terms.last(), Some(&term), "seed {seed}: a new term started");
        let back = net.node(loner).expect("alive");
        assert_eq!(
            (back.role(), back.term(), back.leader_hint()),
            (Role::Follower, term, Some(leader)),
            "seed {seed}"
        );
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}

#[test]
fn without_pre_vote_a_partitioned_follower_rejoins_with_a_higher_term_and_forces_an_election() {
    for seed in 0..30 {
        let (net, _, term, _) = isolate_a_follower_and_heal(seed, without_pre_vote());
        let leaders = net.leaders();
        assert_eq!(leaders.len(), 1, "seed {seed}: {leaders:?}");
        assert!(
            leaders[0].1 > term,
            "seed {seed}: the leader of term {term} was not disrupted: {leaders:?}"
        );
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}
