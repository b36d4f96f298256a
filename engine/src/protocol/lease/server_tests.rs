use super::*;
use crate::sim::NodeId;

const KEY: &str = "executor-leader";
const TTL: u64 = 3_000_000;

fn acquired_token(out: Result<AcquireOutcome, LeaseError>) -> u64 {
    match out {
        Ok(AcquireOutcome::Acquired { token, .. }) => token,
        other => panic!("expected Acquired, got {other:?}"),
    }
}

#[test]
fn a_held_lock_is_refused_to_others_until_it_expires() {
    let mut s = LockServer::new();
    acquired_token(s.acquire(KEY, NodeId(1), TTL, 0));
    assert_eq!(
        s.acquire(KEY, NodeId(2), TTL, TTL - 1),
        Ok(AcquireOutcome::Held {
            holder: NodeId(1),
            expires_at_us: TTL
        })
    );
    acquired_token(s.acquire(KEY, NodeId(2), TTL, TTL));
}

#[test]
fn every_new_acquisition_gets_a_strictly_larger_token() {
    let mut s = LockServer::new();
    let mut last = 0;
    for i in 0..10u64 {
        let client = NodeId((i % 3) as u32);
        let token = acquired_token(s.acquire(KEY, client, TTL, i * TTL));
        assert!(token > last);
        last = token;
    }
}

#[test]
fn the_holder_re_acquiring_keeps_its_token_and_extends_the_expiry() {
    let mut s = LockServer::new();
    let t1 = acquired_token(s.acquire(KEY, NodeId(1), TTL, 0));
    assert_eq!(
        s.acquire(KEY, NodeId(1), TTL, 1_000_000),
        Ok(AcquireOutcome::Acquired {
            token: t1,
            expires_at_us: 1_000_000 + TTL
        })
    );
}

#[test]
fn renew_extends_only_for_the_holder_with_its_token_before_expiry() {
    let mut s = LockServer::new();
    let t = acquired_token(s.acquire(KEY, NodeId(1), TTL, 0));
    assert_eq!(s.renew(KEY, NodeId(2), t, TTL, 10), Ok(RenewOutcome::Lost));
    assert_eq!(
        s.renew(KEY, NodeId(1), t + 1, TTL, 10),
        Ok(RenewOutcome::Lost)
    );
    assert_eq!(
        s.renew(KEY, NodeId(1), t, TTL, 10),
        Ok(RenewOutcome::Renewed {
            expires_at_us: 10 + TTL
        })
    );
    assert_eq!(
        s.renew(KEY, NodeId(1), t, TTL, 10 + TTL),
        Ok(RenewOutcome::Lost)
    );
}

#[test]
fn release_needs_the_right_token_and_frees_the_lock() {
    let mut s = LockServer::new();
    let t = acquired_token(s.acquire(KEY, NodeId(1), TTL, 0));
    assert_eq!(
        s.release(KEY, NodeId(1), t + 5, 1),
        ReleaseOutcome::NotHolder
    );
    assert_eq!(s.release(KEY, NodeId(1), t, 1), ReleaseOutcome::Released);
    assert!(s.holder(KEY, 2).is_none());
    assert!(acquired_token(s.acquire(KEY, NodeId(2), TTL, 2)) > t);
}

#[test]
fn expire_removes_only_locks_whose_time_is_up() {
    let mut s = LockServer::new();
    acquired_token(s.acquire("a", NodeId(1), 100, 0));
    acquired_token(s.acquire("b", NodeId(1), 300, 0));
    let gone: Vec<String> = s.expire(100).into_iter().map(|(k, _)| k).collect();
    assert_eq!(gone, vec!["a".to_string()]);
    assert!(s.holder("b", 100).is_some());
}

#[test]
fn a_restarted_server_keeps_its_locks_and_never_reuses_a_token() {
    let mut s = LockServer::new();
    let t = acquired_token(s.acquire(KEY, NodeId(1), TTL, 0));
    let json = serde_json::to_string(&s.to_durable()).expect("serialize");
    let state: LockServerState = serde_json::from_str(&json).expect("deserialize");
    let mut restarted = LockServer::from_durable(state);
    assert_eq!(restarted.holder(KEY, 1).map(|r| r.holder), Some(NodeId(1)));
    let t2 = acquired_token(restarted.acquire(KEY, NodeId(2), TTL, TTL));
    assert!(t2 > t);
}

#[test]
fn hostile_requests_are_rejected_with_a_reason_not_a_panic() {
    let mut s = LockServer::new();
    let long = "k".repeat(MAX_KEY_BYTES + 1);
    assert_eq!(
        s.acquire(&long, NodeId(1), TTL, 0),
        Err(LeaseError::KeyTooLong { bytes: 129 })
    );
    assert_eq!(
        s.acquire(KEY, NodeId(1), 0, 0),
        Err(LeaseError::TtlOutOfRange { ttl_us: 0 })
    );
    for i in 0..MAX_KEYS {
        acquired_token(s.acquire(&format!("k{i}"), NodeId(1), TTL, 0));
    }
    assert_eq!(
        s.acquire("one-more", NodeId(1), TTL, 0),
        Err(LeaseError::TooManyKeys)
    );
    // Once the old keys expire there is room again.
    acquired_token(s.acquire("one-more", NodeId(1), TTL, TTL));
    let reply = s.handle(
        0,
        NodeId(1),
        LeaseRequest::Acquire {
            req_id: 9,
            key: long,
            ttl_us: TTL,
        },
    );
    assert!(
        matches!(reply, LeaseReply::Rejected { req_id: 9, .. }),
        "{reply:?}"
    );
}

#[test]
fn handle_echoes_the_request_id_in_every_reply() {
    let mut s = LockServer::new();
    let r = s.handle(
        0,
        NodeId(1),
        LeaseRequest::Acquire {
            req_id: 7,
            key: KEY.into(),
            ttl_us: TTL,
        },
    );
    assert_eq!(
        r,
        LeaseReply::Acquired {
            req_id: 7,
            token: 1
        }
    );
    let r = s.handle(
        1,
        NodeId(2),
        LeaseRequest::Acquire {
            req_id: 8,
            key: KEY.into(),
            ttl_us: TTL,
        },
    );
    assert_eq!(
        r,
        LeaseReply::Held {
            req_id: 8,
            holder: NodeId(1),
            expires_at_us: TTL
        }
    );
    let r = s.handle(
        2,
        NodeId(1),
        LeaseRequest::Renew {
            req_id: 9,
            key: KEY.into(),
            token: 1,
            ttl_us: TTL,
        },
    );
    assert_eq!(r, LeaseReply::Renewed { req_id: 9 });
    let r = s.handle(
        3,
        NodeId(1),
        LeaseRequest::Release {
            req_id: 10,
            key: KEY.into(),
            token: 1,
        },
    );
    assert_eq!(r, LeaseReply::Released { req_id: 10 });
    assert_eq!(r.label(), "lease.released");
}
