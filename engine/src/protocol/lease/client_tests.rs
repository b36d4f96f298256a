use super::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

const SERVER: NodeId = NodeId(0);

fn client(rng: &mut SimRng) -> LeaseClient {
    LeaseClient::new(NodeId(1), SERVER, LeaseConfig::default(), 0, rng)
}

/// The single request the client just sent.
fn sent(c: &mut LeaseClient) -> LeaseRequest {
    let mut reqs: Vec<LeaseRequest> = c
        .take_outputs()
        .into_iter()
        .filter_map(|o| match o {
            LeaseOutput::Send { to, msg } if to == SERVER => Some(msg),
            _ => None,
        })
        .collect();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    reqs.remove(0)
}

#[test]
fn leadership_counts_from_the_request_send_time_minus_the_margin() {
    let mut rng = SimRng::new(1);
    let cfg = LeaseConfig::default();
    let mut c = client(&mut rng);
    c.tick(1_000, &mut rng);
    let req = sent(&mut c);
    // The reply takes 200 ms; validity still counts from 1_000 µs, when we asked.
    c.step(
        201_000,
        LeaseReply::Acquired {
            req_id: req.req_id(),
            token: 4,
        },
        &mut rng,
    );
    let until = 1_000 + cfg.ttl_us - cfg.safety_margin_us;
    assert_eq!(c.valid_until_us(), Some(until));
    assert!(c.is_leader(until - 1));
    assert!(!c.is_leader(until));
    assert_eq!(c.token(), Some(4));
}

#[test]
fn the_leader_renews_every_interval_and_each_renewal_moves_validity_forward() {
    let mut rng = SimRng::new(2);
    let cfg = LeaseConfig::default();
    let mut c = client(&mut rng);
    c.tick(0, &mut rng);
    let req = sent(&mut c);
    c.step(
        10,
        LeaseReply::Acquired {
            req_id: req.req_id(),
            token: 1,
        },
        &mut rng,
    );
    assert_eq!(c.next_wakeup_us(), cfg.renew_every_us);
    c.tick(cfg.renew_every_us, &mut rng);
    let renew = sent(&mut c);
    assert!(
        matches!(renew, LeaseRequest::Renew { token: 1, .. }),
        "{renew:?}"
    );
    c.step(
        cfg.renew_every_us + 10,
        LeaseReply::Renewed {
            req_id: renew.req_id(),
        },
        &mut rng,
    );
    let until = cfg.renew_every_us + cfg.ttl_us - cfg.safety_margin_us;
    assert_eq!(c.valid_until_us(), Some(until));
}

#[test]
fn a_leader_whose_renewals_go_unanswered_stops_believing_at_its_deadline() {
    let mut rng = SimRng::new(3);
    let mut c = client(&mut rng);
    c.tick(0, &mut rng);
    let req = sent(&mut c);
    c.step(
        10,
        LeaseReply::Acquired {
            req_id: req.req_id(),
            token: 1,
        },
        &mut rng,
    );
    c.take_outputs();
    let deadline = c.valid_until_us().expect("leading");
    let mut renewals = 0;
    while c.next_wakeup_us() < deadline {
        let t = c.next_wakeup_us();
        c.tick(t, &mut rng);
        renewals += c.take_outputs().len();
    }
    assert!(renewals >= 2, "renewal retried {renewals} times");
    c.tick(deadline, &mut rng);
    assert!(!c.is_leader(deadline));
    let out = c.take_outputs();
    assert!(
        out.contains(&LeaseOutput::LostLeadership {
            token: 1,
            reason: LossReason::Expired
        }),
        "{out:?}"
    );
}

#[test]
fn a_server_saying_lost_ends_leadership_at_once() {
    let mut rng = SimRng::new(4);
    let mut c = client(&mut rng);
    c.tick(0, &mut rng);
    let req = sent(&mut c);
    c.step(
        10,
        LeaseReply::Acquired {
            req_id: req.req_id(),
            token: 1,
        },
        &mut rng,
    );
    c.tick(1_000_000, &mut rng);
    let renew = sent(&mut c);
    c.step(
        1_000_100,
        LeaseReply::Lost {
            req_id: renew.req_id(),
        },
        &mut rng,
    );
    assert!(!c.is_leader(1_000_100));
}

#[test]
fn a_refused_client_retries_after_a_jittered_wait_in_the_configured_range() {
    let cfg = LeaseConfig::default();
    let mut waits = Vec::new();
    for seed in 0..20 {
        let mut rng = SimRng::new(seed);
        let mut c = client(&mut rng);
        c.tick(0, &mut rng);
        let req = sent(&mut c);
        c.step(
            5,
            LeaseReply::Held {
                req_id: req.req_id(),
                holder: NodeId(2),
                expires_at_us: 9,
            },
            &mut rng,
        );
        let wait = c.next_wakeup_us() - 5;
        assert!(
            (cfg.retry_min_us..=cfg.retry_max_us).contains(&wait),
            "{wait}"
        );
        waits.push(wait);
    }
    waits.sort();
    waits.dedup();
    assert!(waits.len() > 5, "retries are not jittered: {waits:?}");
}

#[test]
fn a_grant_that_arrives_after_its_own_deadline_is_not_leadership() {
    let mut rng = SimRng::new(5);
    let cfg = LeaseConfig::default();
    let mut c = client(&mut rng);
    c.tick(0, &mut rng);
    let req = sent(&mut c);
    c.tick(cfg.request_timeout_us, &mut rng); // gave up waiting
    let late = cfg.ttl_us - cfg.safety_margin_us;
    c.step(
        late,
        LeaseReply::Acquired {
            req_id: req.req_id(),
            token: 1,
        },
        &mut rng,
    );
    assert!(!c.is_leader(late));
}

#[test]
fn a_renewal_answered_after_a_release_does_not_bring_leadership_back() {
    let mut rng = SimRng::new(6);
    let mut c = client(&mut rng);
    c.tick(0, &mut rng);
    let req = sent(&mut c);
    c.step(
        10,
        LeaseReply::Acquired {
            req_id: req.req_id(),
            token: 1,
        },
        &mut rng,
    );
    c.tick(1_000_000, &mut rng);
    let renew = sent(&mut c);
    c.release(1_000_001);
    c.step(
        1_000_050,
        LeaseReply::Renewed {
            req_id: renew.req_id(),
        },
        &mut rng,
    );
    assert!(!c.is_leader(1_000_050));
}

#[test]
fn replies_to_unknown_requests_are_ignored() {
    let mut rng = SimRng::new(7);
    let mut c = client(&mut rng);
    c.step(
        10,
        LeaseReply::Acquired {
            req_id: 12_345,
            token: 1,
        },
        &mut rng,
    );
    assert!(!c.is_leader(10));
    assert!(c.take_outputs().is_empty());
}
