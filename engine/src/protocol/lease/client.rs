//! An executor's side of the lease lock: when to ask, when to renew, and when to stop
//! believing it leads.
//!
//! Why validity is measured from the moment the request was SENT, not when the reply came:
//! the server grants (or extends) only after it receives the request, so on the server the
//! lock lives until at least `send time + ttl`. Measuring from the reply instead would add the
//! reply's network delay (and any pause before we handled it) to our belief but not to the
//! server's expiry: we could go on acting as leader after the server has given the lock to
//! someone else. The `safety_margin_us` then absorbs clock-rate drift: our clock may run slow
//! and the server's fast, so we stop `margin` early; it must be ≥ (client drift + server
//! drift) × ttl — the default 10 % of ttl covers clocks that disagree by up to 10 %
//! (`system/lease_drift_tests.rs` runs the deployment with its nodes' clocks inside and outside
//! that bound).
//!
//! Belief is still only belief: a leader can pause between checking `is_leader` and acting.
//! That is why every guarded action carries `token()`, which the guarded service fences on.

use super::messages::{LeaseReply, LeaseRequest};
use crate::sim::rng::SimRng;
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseConfig {
    pub key: String,
    pub ttl_us: u64,
    /// Renew this long after the last successful grant (ttl/3 leaves two retries before expiry).
    pub renew_every_us: u64,
    pub safety_margin_us: u64,
    /// After a refusal or a timeout, wait a uniform random time in this range before retrying,
    /// so executors that lost together do not retry in lockstep.
    pub retry_min_us: u64,
    pub retry_max_us: u64,
    /// An unanswered request is given up (and retried) after this long.
    pub request_timeout_us: u64,
}

impl Default for LeaseConfig {
    fn default() -> Self {
        Self {
            key: "executor-leader".to_string(),
            ttl_us: 3_000_000,
            renew_every_us: 1_000_000,
            safety_margin_us: 300_000,
            retry_min_us: 300_000,
            retry_max_us: 900_000,
            request_timeout_us: 500_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LossReason {
    /// Our own clock says the lease ran out (renewals did not get through in time).
    Expired,
    /// The server said the lock is no longer ours.
    Lost,
    /// We gave it up.
    Released,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaseOutput {
    Send { to: NodeId, msg: LeaseRequest },
    BecameLeader { token: u64 },
    LostLeadership { token: u64, reason: LossReason },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Idle {
        next_try_us: u64,
    },
    Acquiring {
        req_id: u64,
        sent_us: u64,
    },
    Leading {
        token: u64,
        valid_from_us: u64,
        next_renew_us: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    Acquire,
    Renew { token: u64 },
    Release,
}

#[derive(Clone, Debug)]
pub struct LeaseClient {
    me: NodeId,
    server: NodeId,
    cfg: LeaseConfig,
    state: State,
    /// Requests still worth an answer, with their send time (pruned after one ttl).
    pending: BTreeMap<u64, (Pending, u64)>,
    next_req_id: u64,
    last_token: Option<u64>,
    outputs: Vec<LeaseOutput>,
}

impl LeaseClient {
    /// A client that will try to acquire at its first `tick` (at `now_us`). Request ids start
    /// at a random point so a restarted client never mistakes a reply meant for its previous
    /// incarnation for the answer to a new request (it would date the grant too late).
    pub fn new(
        me: NodeId,
        server: NodeId,
        cfg: LeaseConfig,
        now_us: u64,
        rng: &mut SimRng,
    ) -> Self {
        let mut cfg = cfg;
        cfg.retry_max_us = cfg.retry_max_us.max(cfg.retry_min_us).max(1);
        cfg.request_timeout_us = cfg.request_timeout_us.max(1);
        cfg.renew_every_us = cfg.renew_every_us.max(1);
        Self {
            me,
            server,
            cfg,
            state: State::Idle {
                next_try_us: now_us,
            },
            pending: BTreeMap::new(),
            next_req_id: rng.next_u64() >> 1,
            last_token: None,
            outputs: Vec::new(),
        }
    }

    pub fn id(&self) -> NodeId {
        self.me
    }

    /// True while our lease is valid by our own clock, margin included.
    pub fn is_leader(&self, now_us: u64) -> bool {
        self.valid_until_us().is_some_and(|until| now_us < until)
    }

    /// The instant (our clock) at which we stop believing we lead; `None` when not leading.
    pub fn valid_until_us(&self) -> Option<u64> {
        match self.state {
            State::Leading { valid_from_us, .. } => Some(self.deadline_from(valid_from_us)),
            _ => None,
        }
    }

    /// The fencing token of the current (or most recent) lease. Check `is_leader` before acting.
    pub fn token(&self) -> Option<u64> {
        self.last_token
    }

    pub fn next_wakeup_us(&self) -> u64 {
        match self.state {
            State::Idle { next_try_us } => next_try_us,
            State::Acquiring { sent_us, .. } => sent_us.saturating_add(self.cfg.request_timeout_us),
            State::Leading {
                valid_from_us,
                next_renew_us,
                ..
            } => next_renew_us.min(self.deadline_from(valid_from_us)),
        }
    }

    pub fn take_outputs(&mut self) -> Vec<LeaseOutput> {
        std::mem::take(&mut self.outputs)
    }

    pub fn tick(&mut self, now_us: u64, rng: &mut SimRng) {
        self.prune_pending(now_us);
        match self.state {
            State::Idle { next_try_us } if now_us >= next_try_us => {
                let key = self.cfg.key.clone();
                let ttl_us = self.cfg.ttl_us;
                let req_id = self.send(now_us, Pending::Acquire, |req_id| LeaseRequest::Acquire {
                    req_id,
                    key,
                    ttl_us,
                });
                self.state = State::Acquiring {
                    req_id,
                    sent_us: now_us,
                };
            }
            State::Acquiring { sent_us, .. }
                if now_us >= sent_us.saturating_add(self.cfg.request_timeout_us) =>
            {
                self.retry_later(now_us, rng);
            }
            State::Leading {
                token,
                valid_from_us,
                next_renew_us,
            } => {
                if now_us >= self.deadline_from(valid_from_us) {
                    self.lose(token, LossReason::Expired);
                    self.state = State::Idle {
                        next_try_us: now_us,
                    };
                } else if now_us >= next_renew_us {
                    let (key, ttl_us) = (self.cfg.key.clone(), self.cfg.ttl_us);
                    self.send(now_us, Pending::Renew { token }, |req_id| {
                        LeaseRequest::Renew {
                            req_id,
                            key,
                            token,
                            ttl_us,
                        }
                    });
                    // If this renewal goes unanswered, try again after a request timeout.
                    let retry = now_us.saturating_add(self.cfg.request_timeout_us);
                    self.state = State::Leading {
                        token,
                        valid_from_us,
                        next_renew_us: retry,
                    };
                }
            }
            _ => {}
        }
    }

    /// Handles a reply from the lock server. Replies to requests we no longer track are ignored.
    pub fn step(&mut self, now_us: u64, reply: LeaseReply, rng: &mut SimRng) {
        let req_id = reply.req_id();
        let Some((kind, sent_us)) = self.pending.remove(&req_id) else {
            return;
        };
        match (reply, kind) {
            (LeaseReply::Acquired { token, .. }, Pending::Acquire) => {
                self.on_granted(now_us, rng, token, sent_us)
            }
            (LeaseReply::Renewed { .. }, Pending::Renew { token }) => {
                self.on_granted(now_us, rng, token, sent_us)
            }
            (LeaseReply::Held { .. } | LeaseReply::Rejected { .. }, _) => {
                if matches!(self.state, State::Acquiring { req_id: r, .. } if r == req_id) {
                    self.retry_later(now_us, rng);
                }
            }
            (LeaseReply::Lost { .. }, Pending::Renew { token }) => {
                if matches!(self.state, State::Leading { token: t, .. } if t == token) {
                    self.lose(token, LossReason::Lost);
                    self.retry_later(now_us, rng);
                }
            }
            _ => {}
        }
    }

    /// Gives the lock up now (graceful step-down); we wait a full retry interval before trying
    /// again so another executor gets its chance.
    pub fn release(&mut self, now_us: u64) {
        if let State::Leading { token, .. } = self.state {
            // A renewal the server handled before this release could still answer "renewed";
            // after a release that answer must not make us leader again.
            self.pending.clear();
            let key = self.cfg.key.clone();
            self.send(now_us, Pending::Release, |req_id| LeaseRequest::Release {
                req_id,
                key,
                token,
            });
            self.lose(token, LossReason::Released);
            self.state = State::Idle {
                next_try_us: now_us.saturating_add(self.cfg.retry_max_us),
            };
        }
    }

    fn deadline_from(&self, valid_from_us: u64) -> u64 {
        let usable = self.cfg.ttl_us.saturating_sub(self.cfg.safety_margin_us);
        valid_from_us.saturating_add(usable)
    }

    /// A grant or extension for a request sent at `sent_us`: valid from that send time.
    fn on_granted(&mut self, now_us: u64, rng: &mut SimRng, token: u64, sent_us: u64) {
        if now_us >= self.deadline_from(sent_us) {
            // The answer came so late that the lease it grants is already over by our clock.
            if matches!(self.state, State::Acquiring { .. }) {
                self.retry_later(now_us, rng);
            }
            return;
        }
        let renew_at = sent_us.saturating_add(self.cfg.renew_every_us);
        match self.state {
            State::Leading {
                token: t,
                valid_from_us,
                next_renew_us,
            } if t == token => {
                self.state = State::Leading {
                    token,
                    valid_from_us: valid_from_us.max(sent_us),
                    next_renew_us: next_renew_us.max(renew_at),
                };
            }
            State::Leading { token: old, .. } => {
                self.lose(old, LossReason::Lost);
                self.lead(token, sent_us, renew_at);
            }
            State::Idle { .. } | State::Acquiring { .. } => self.lead(token, sent_us, renew_at),
        }
    }

    fn lead(&mut self, token: u64, valid_from_us: u64, next_renew_us: u64) {
        self.state = State::Leading {
            token,
            valid_from_us,
            next_renew_us,
        };
        self.last_token = Some(token);
        self.outputs.push(LeaseOutput::BecameLeader { token });
    }

    fn lose(&mut self, token: u64, reason: LossReason) {
        self.outputs
            .push(LeaseOutput::LostLeadership { token, reason });
    }

    fn retry_later(&mut self, now_us: u64, rng: &mut SimRng) {
        let wait = rng.range_inclusive(self.cfg.retry_min_us, self.cfg.retry_max_us);
        self.state = State::Idle {
            next_try_us: now_us.saturating_add(wait),
        };
    }

    fn send(&mut self, now_us: u64, kind: Pending, build: impl FnOnce(u64) -> LeaseRequest) -> u64 {
        let req_id = self.next_req_id;
        self.next_req_id = self.next_req_id.wrapping_add(1);
        self.pending.insert(req_id, (kind, now_us));
        self.outputs.push(LeaseOutput::Send {
            to: self.server,
            msg: build(req_id),
        });
        req_id
    }

    /// A reply to a request older than one ttl could not grant anything usable any more.
    fn prune_pending(&mut self, now_us: u64) {
        let ttl = self.cfg.ttl_us;
        self.pending
            .retain(|_, (_, sent)| sent.saturating_add(ttl) > now_us);
    }
}
