use super::test_net::TestNet;
use super::{BullyConfig, BullyMsg, BullyNode, BullyOutput, BullyRole};
use crate::sim::NodeId;

const S: u64 = 1_000_000;

fn n(id: u32) -> NodeId {
    NodeId(id)
}

#[test]
fn the_highest_node_wins_the_boot_election_and_everyone_follows_it() {
    let mut net = TestNet::new(3, BullyConfig::default(), 1);
    net.run_until(2 * S);
    net.assert_settled_on(n(3));
}

#[test]
fn the_highest_node_halts_the_lower_ones_and_proclaims_itself_once_all_have_stopped() {
    let mut node = BullyNode::new(n(3), &[n(1), n(2), n(3)], BullyConfig::default(), 0);
    assert_eq!(node.role(), BullyRole::Halting);
    let halt = BullyMsg::Halt { epoch_seen: 0 };
    assert_eq!(
        node.take_outputs(),
        vec![
            BullyOutput::Send {
                to: n(1),
                msg: halt.clone()
            },
            BullyOutput::Send {
                to: n(2),
                msg: halt
            },
        ]
    );
    node.step(10, n(1), BullyMsg::HaltAck { epoch_seen: 0 });
    assert!(!node.is_leader(), "n2 has not stopped yet");
    node.step(20, n(2), BullyMsg::HaltAck { epoch_seen: 0 });
    assert!(node.is_leader());
    let epoch = node.epoch();
    assert_eq!(
        node.take_outputs(),
        vec![
            BullyOutput::BecameLeader { epoch },
            BullyOutput::Broadcast {
                msg: BullyMsg::Coordinator { epoch }
            },
        ]
    );
}

#[test]
fn a_lower_node_that_does_not_acknowledge_the_halt_is_taken_to_be_down() {
    let cfg = BullyConfig::default();
    let mut node = BullyNode::new(n(3), &[n(1), n(2), n(3)], cfg.clone(), 0);
    node.step(10, n(2), BullyMsg::HaltAck { epoch_seen: 0 });
    node.tick(cfg.answer_timeout_us - 1);
    assert!(!node.is_leader());
    node.tick(cfg.answer_timeout_us);
    assert!(node.is_leader());
}

#[test]
fn a_halted_leader_stops_leading_before_it_acknowledges() {
    let cfg = BullyConfig::default();
    let members = [n(1), n(2), n(3)];
    // n2 leads (n3 was down), then n3 comes back and halts it.
    let mut n2 = BullyNode::new(n(2), &members, cfg.clone(), 0);
    n2.tick(cfg.answer_timeout_us);
    n2.step(
        cfg.answer_timeout_us + 1,
        n(1),
        BullyMsg::HaltAck { epoch_seen: 0 },
    );
    assert!(n2.is_leader());
    n2.take_outputs();
    n2.step(S, n(3), BullyMsg::Halt { epoch_seen: 0 });
    assert!(!n2.is_leader());
    assert_eq!(n2.role(), BullyRole::AwaitingCoordinator);
    let ack = BullyMsg::HaltAck {
        epoch_seen: n2.max_epoch_seen(),
    };
    assert_eq!(
        n2.take_outputs(),
        vec![BullyOutput::Send { to: n(3), msg: ack }]
    );
}

#[test]
fn a_halting_node_that_hears_from_a_higher_one_gives_up_its_claim() {
    let cfg = BullyConfig::default();
    let mut n2 = BullyNode::new(n(2), &[n(1), n(2), n(3)], cfg.clone(), 0);
    n2.tick(cfg.answer_timeout_us);
    assert_eq!(n2.role(), BullyRole::Halting);
    n2.step(
        cfg.answer_timeout_us + 1,
        n(3),
        BullyMsg::Answer { epoch_seen: 0 },
    );
    assert_eq!(n2.role(), BullyRole::AwaitingCoordinator);
    n2.step(
        cfg.answer_timeout_us + 2,
        n(1),
        BullyMsg::HaltAck { epoch_seen: 0 },
    );
    assert!(
        !n2.is_leader(),
        "a late acknowledgement must not make it leader"
    );
}

#[test]
fn a_lower_node_that_halts_a_live_higher_one_is_bullied() {
    let cfg = BullyConfig::default();
    let mut n3 = BullyNode::new(n(3), &[n(1), n(2), n(3)], cfg.clone(), 0);
    n3.tick(cfg.answer_timeout_us);
    assert!(n3.is_leader());
    n3.take_outputs();
    n3.step(S, n(2), BullyMsg::Halt { epoch_seen: 0 });
    assert!(n3.is_leader(), "a lower node cannot halt a higher one");
    let out = n3.take_outputs();
    assert!(out.iter().any(|o| matches!(
        o,
        BullyOutput::Send {
            msg: BullyMsg::Answer { .. },
            ..
        }
    )));
    assert!(out.iter().any(|o| matches!(
        o,
        BullyOutput::Send {
            msg: BullyMsg::Coordinator { .. },
            ..
        }
    )));
}

#[test]
fn a_lower_node_asks_only_the_higher_ones_and_wins_when_none_answers() {
    let cfg = BullyConfig::default();
    let mut node = BullyNode::new(n(1), &[n(1), n(2), n(3)], cfg.clone(), 0);
    let sent: Vec<NodeId> = node
        .take_outputs()
        .into_iter()
        .filter_map(|o| match o {
            BullyOutput::Send {
                to,
                msg: BullyMsg::Election { .. },
            } => Some(to),
            _ => None,
        })
        .collect();
    assert_eq!(sent, vec![n(2), n(3)]);
    assert_eq!(node.role(), BullyRole::Electing);
    node.tick(cfg.answer_timeout_us - 1);
    assert!(!node.is_leader());
    node.tick(cfg.answer_timeout_us);
    assert!(node.is_leader());
}

#[test]
fn an_answer_makes_a_candidate_wait_and_a_missing_coordinator_restarts_the_election() {
    let cfg = BullyConfig::default();
    let mut node = BullyNode::new(n(1), &[n(1), n(2)], cfg.clone(), 0);
    node.take_outputs();
    node.step(10, n(2), BullyMsg::Answer { epoch_seen: 0 });
    assert_eq!(node.role(), BullyRole::AwaitingCoordinator);
    node.tick(10 + cfg.coordinator_timeout_us);
    assert_eq!(node.role(), BullyRole::Electing);
    assert!(node
        .take_outputs()
        .iter()
        .any(|o| matches!(o, BullyOutput::Send { .. })));
}

#[test]
fn when_the_leader_crashes_the_next_highest_takes_over_with_a_higher_epoch() {
    let mut net = TestNet::new(3, BullyConfig::default(), 2);
    net.run_until(2 * S);
    let old_epoch = net.node(n(3)).map(|x| x.epoch()).unwrap_or(0);
    net.crash(n(3));
    net.run_until(6 * S);
    net.assert_settled_on(n(2));
    assert!(net.node(n(2)).map(|x| x.epoch()).unwrap_or(0) > old_epoch);
}

#[test]
fn a_recovered_highest_node_bullies_its_way_back_with_a_higher_epoch() {
    let mut net = TestNet::new(3, BullyConfig::default(), 3);
    net.run_until(2 * S);
    net.crash(n(3));
    net.run_until(6 * S);
    let n2_epoch = net.node(n(2)).map(|x| x.epoch()).unwrap_or(0);
    net.restart(n(3));
    net.run_until(9 * S);
    net.assert_settled_on(n(3));
    assert!(net.node(n(3)).map(|x| x.epoch()).unwrap_or(0) > n2_epoch);
}

#[test]
fn a_restarted_leader_with_a_stale_epoch_is_corrected_above_the_cluster_epoch() {
    // n3 comes back with no disk at all, so its first claim is far below the cluster's epoch;
    // the followers refuse it and push their epoch up, and n3 re-claims above it.
    let cfg = BullyConfig::default();
    let members = [n(1), n(2), n(3)];
    let mut n2 = BullyNode::recover(n(2), &members, cfg.clone(), 0, 40);
    n2.take_outputs();
    let mut n3 = BullyNode::new(n(3), &members, cfg.clone(), 0);
    n3.tick(cfg.answer_timeout_us); // nobody acknowledged the halt: it proclaims itself
    let stale = n3.epoch();
    n2.step(1, n(3), BullyMsg::Coordinator { epoch: stale });
    assert_ne!(
        n2.leader(),
        Some(n(3)),
        "a stale coordinator must not be followed"
    );
    for out in n2.take_outputs() {
        if let BullyOutput::Send { to, msg } = out {
            assert_eq!(to, n(3));
            n3.step(2, n(2), msg);
        }
    }
    // It halts the others again before re-claiming.
    n3.tick(2 + cfg.answer_timeout_us);
    assert!(n3.is_leader());
    assert!(
        n3.epoch() > 40,
        "re-claimed epoch {} must exceed 40",
        n3.epoch()
    );
}

#[test]
fn a_leader_re_asserts_to_a_booting_lower_node_without_bumping_its_epoch() {
    let mut net = TestNet::new(3, BullyConfig::default(), 4);
    net.run_until(2 * S);
    let epoch = net.node(n(3)).map(|x| x.epoch()).unwrap_or(0);
    net.crash(n(1));
    net.restart(n(1));
    net.run_until(4 * S);
    net.assert_settled_on(n(3));
    assert_eq!(net.node(n(3)).map(|x| x.epoch()), Some(epoch));
}

#[test]
fn a_fenced_leader_claims_a_new_epoch_above_the_one_that_fenced_it() {
    let cfg = BullyConfig::default();
    let mut node = BullyNode::new(n(3), &[n(1), n(2), n(3)], cfg.clone(), 0);
    node.tick(cfg.answer_timeout_us);
    assert!(node.is_leader());
    node.note_higher_epoch(S, 100);
    assert!(!node.is_leader(), "a fenced leader stops at once");
    node.tick(S + cfg.answer_timeout_us);
    assert!(node.is_leader());
    assert!(node.epoch() > 100);
}

#[test]
fn each_node_claims_only_epochs_congruent_to_its_rank_and_always_higher() {
    // Nobody answers in this test, so every node wins each election it starts.
    let members = [n(4), n(7), n(9)];
    for (rank, id) in members.iter().enumerate() {
        let mut node = BullyNode::new(*id, &members, BullyConfig::default(), 0);
        let mut t = 0;
        let mut claims = Vec::new();
        for seen in [0u64, 1, 5, 17, 1000] {
            node.note_higher_epoch(t, seen);
            // Two timers to win: the answer timer (no higher node answered), then the halt
            // timer (no lower node acknowledged).
            for _ in 0..2 {
                t += S;
                node.tick(t);
            }
            for out in node.take_outputs() {
                if let BullyOutput::BecameLeader { epoch } = out {
                    claims.push(epoch);
                }
            }
        }
        assert!(claims.len() >= 4, "{id} claimed {claims:?}");
        assert!(
            claims.windows(2).all(|w| w[0] < w[1]),
            "{id} claimed {claims:?}"
        );
        assert!(
            claims.iter().all(|e| e % 3 == rank as u64),
            "{id} claimed {claims:?}"
        );
    }
}

#[test]
fn messages_survive_a_json_round_trip_and_have_labels() {
    let msgs = [
        BullyMsg::Election { epoch_seen: 3 },
        BullyMsg::Answer { epoch_seen: 4 },
        BullyMsg::Coordinator { epoch: 5 },
        BullyMsg::Heartbeat { epoch: 6 },
        BullyMsg::Halt { epoch_seen: 7 },
        BullyMsg::HaltAck { epoch_seen: 8 },
    ];
    for m in msgs {
        let json = serde_json::to_string(&m).expect("serialize");
        let back: BullyMsg = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, m);
        assert!(m.label().starts_with("bully."));
    }
}

#[test]
fn messages_from_strangers_are_ignored() {
    let mut node = BullyNode::new(n(1), &[n(1), n(2)], BullyConfig::default(), 0);
    node.take_outputs();
    node.step(1, n(99), BullyMsg::Coordinator { epoch: 500 });
    assert_eq!(node.max_epoch_seen(), 0);
    assert!(node.take_outputs().is_empty());
}
