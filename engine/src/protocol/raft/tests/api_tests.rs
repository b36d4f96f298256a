//! The public surface: constructor and config validation, errors, labels, serialisation.
use super::super::*;
use super::fixtures::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

#[test]
fn a_message_from_a_non_member_or_from_itself_is_an_error() {
    let mut rng = SimRng::new(13);
    let mut node = fresh(0, 3, &mut rng);
    let hello = RaftMsg::VoteReply {
        term: 1,
        granted: true,
    };
    assert_eq!(
        node.step(1, NodeId(9), hello.clone(), &mut rng),
        Err(RaftError::UnknownSender(NodeId(9)))
    );
    assert_eq!(
        node.step(1, NodeId(0), hello, &mut rng),
        Err(RaftError::UnknownSender(NodeId(0)))
    );
}

#[test]
fn new_rejects_bad_members_config_and_persisted_state() {
    let mut rng = SimRng::new(14);
    let cfg = RaftConfig::default();
    let empty = PersistentState::<u64>::empty();
    let not_me = RaftNode::new(NodeId(5), members(3), cfg, empty.clone(), 0, &mut rng);
    assert!(matches!(not_me, Err(RaftError::InvalidMembership(_))));
    let twice = RaftNode::new(
        NodeId(0),
        vec![NodeId(0), NodeId(1), NodeId(1)],
        cfg,
        empty.clone(),
        0,
        &mut rng,
    );
    assert!(matches!(twice, Err(RaftError::InvalidMembership(_))));
    let slow_heartbeat = RaftConfig {
        heartbeat_interval_us: 2_000_000,
        ..cfg
    };
    let bad_cfg = RaftNode::new(NodeId(0), members(3), slow_heartbeat, empty, 0, &mut rng);
    assert!(matches!(bad_cfg, Err(RaftError::InvalidConfig(_))));
    let holes = PersistentState {
        snapshot: None,
        hard_state: HardState {
            term: 3,
            voted_for: None,
        },
        log: vec![entry(1, 2, 1)],
    };
    let corrupt = RaftNode::new(NodeId(0), members(3), cfg, holes, 0, &mut rng);
    assert!(matches!(corrupt, Err(RaftError::CorruptPersistedState(_))));
}

#[test]
fn message_labels_name_what_the_page_shows_and_messages_round_trip_as_json() {
    let msgs: Vec<RaftMsg<u64>> = vec![
        RaftMsg::RequestVote {
            term: 1,
            last_log_index: 0,
            last_log_term: 0,
        },
        RaftMsg::VoteReply {
            term: 1,
            granted: true,
        },
        RaftMsg::VoteReply {
            term: 1,
            granted: false,
        },
        RaftMsg::PreVote {
            term: 1,
            last_log_index: 0,
            last_log_term: 0,
        },
        RaftMsg::PreVoteReply {
            term: 1,
            granted: true,
        },
        RaftMsg::PreVoteReply {
            term: 0,
            granted: false,
        },
        append(1, (0, 0), vec![], 0),
        append(1, (0, 0), vec![entry(1, 1, 5)], 0),
        RaftMsg::AppendReply {
            term: 1,
            success: true,
            match_index: 1,
            conflict_index: 0,
        },
        RaftMsg::AppendReply {
            term: 1,
            success: false,
            match_index: 0,
            conflict_index: 1,
        },
    ];
    let labels: Vec<&str> = msgs.iter().map(|m| m.label()).collect();
    assert_eq!(
        labels,
        [
            "RequestVote",
            "Vote✓",
            "Vote✗",
            "PreVote",
            "PreVote✓",
            "PreVote✗",
            "Heartbeat",
            "Append",
            "AppendOk",
            "AppendReject"
        ]
    );
    for msg in msgs {
        let json = serde_json::to_string(&msg).expect("serialize");
        assert_eq!(
            serde_json::from_str::<RaftMsg<u64>>(&json).expect("deserialize"),
            msg
        );
    }
}

#[test]
fn config_validation_names_each_mistake() {
    let ok = RaftConfig::default();
    assert_eq!(ok.validate(), Ok(()));
    assert_eq!(
        (
            ok.election_timeout_min_us,
            ok.election_timeout_max_us,
            ok.heartbeat_interval_us
        ),
        (1_500_000, 3_000_000, 500_000)
    );
    assert!(
        ok.pre_vote,
        "pre-vote is on unless a test asks for the old behaviour"
    );
    let cases = [
        (
            RaftConfig {
                election_timeout_min_us: 4_000_000,
                ..ok
            },
            "greater than",
        ),
        (
            RaftConfig {
                heartbeat_interval_us: 0,
                ..ok
            },
            "must be positive",
        ),
        (
            RaftConfig {
                heartbeat_interval_us: 1_500_000,
                ..ok
            },
            "must be below",
        ),
        (
            RaftConfig {
                max_entries_per_append: 0,
                ..ok
            },
            "max_entries_per_append",
        ),
    ];
    for (cfg, words) in cases {
        match cfg.validate() {
            Err(RaftError::InvalidConfig(why)) => assert!(why.contains(words), "{why}"),
            other => panic!("{cfg:?} gave {other:?}"),
        }
    }
}

#[test]
fn a_persist_that_does_not_fit_the_disk_is_an_error() {
    let mut disk = PersistentState::<u64>::empty();
    let gap = PersistOps {
        snapshot: None,
        hard_state: HardState::default(),
        log_from: 3,
        entries: vec![entry(1, 3, 1)],
    };
    assert!(matches!(
        disk.apply(&gap),
        Err(RaftError::CorruptPersistedState(_))
    ));
    let misnumbered = PersistOps {
        snapshot: None,
        hard_state: HardState::default(),
        log_from: 1,
        entries: vec![entry(1, 2, 1)],
    };
    assert!(matches!(
        disk.apply(&misnumbered),
        Err(RaftError::CorruptPersistedState(_))
    ));
    assert_eq!(disk, PersistentState::empty());
}

#[test]
fn a_huge_index_from_a_message_is_past_the_end_on_every_platform() {
    let mut rng = SimRng::new(20);
    let mut node = fresh(0, 3, &mut rng);
    node.step(
        0,
        NodeId(1),
        append(1, (0, 0), vec![entry(1, 1, 1)], 0),
        &mut rng,
    )
    .expect("append");
    node.take_ready();
    // 2^32 + 1 would alias index 1 if it were cast to a 32-bit usize unchecked.
    let far = (1u64 << 32) + 1;
    assert_eq!(node.log().term_at(far), None);
    node.step(10, NodeId(1), append(1, (far, 1), vec![], 0), &mut rng)
        .expect("heartbeat");
    let reject = RaftMsg::AppendReply {
        term: 1,
        success: false,
        match_index: 0,
        conflict_index: 2,
    };
    assert_eq!(node.take_ready().messages, vec![(NodeId(1), reject)]);
}
