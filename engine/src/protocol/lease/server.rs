//! The lock node's state: seed 002's Redis `SET key value NX PX ttl`, plus fencing tokens.

use super::messages::{LeaseReply, LeaseRequest};
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Limits on what a client may ask for, so hostile requests cannot grow the server unboundedly.
pub const MAX_KEY_BYTES: usize = 128;
pub const MAX_KEYS: usize = 1_024;
pub const MAX_TTL_US: u64 = 60_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockRecord {
    pub holder: NodeId,
    /// Fencing token of this acquisition.
    pub token: u64,
    /// On the server's clock.
    pub expires_at_us: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcquireOutcome {
    Acquired { token: u64, expires_at_us: u64 },
    Held { holder: NodeId, expires_at_us: u64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RenewOutcome {
    Renewed { expires_at_us: u64 },
    Lost,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReleaseOutcome {
    Released,
    NotHolder,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaseError {
    KeyTooLong { bytes: u64 },
    TooManyKeys,
    TtlOutOfRange { ttl_us: u64 },
}

impl std::fmt::Display for LeaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeaseError::KeyTooLong { bytes } => {
                write!(f, "lock key is {bytes} bytes, the limit is {MAX_KEY_BYTES}")
            }
            LeaseError::TooManyKeys => write!(f, "the lock server already holds {MAX_KEYS} keys"),
            LeaseError::TtlOutOfRange { ttl_us } => {
                write!(f, "ttl {ttl_us} us is outside 1..={MAX_TTL_US} us")
            }
        }
    }
}

/// Everything that must survive a lock-node restart. The token counter is the essential part:
/// if it went back, a new holder could get a token an old holder already used, and fencing
/// would let the old holder's late writes through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockServerState {
    pub last_token: u64,
    pub locks: Vec<(String, LockRecord)>,
}

#[derive(Clone, Debug, Default)]
pub struct LockServer {
    locks: BTreeMap<String, LockRecord>,
    last_token: u64,
}

impl LockServer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `client` as holder of `key` with `token` until `expires_at_us`.
    fn grant(
        &mut self,
        key: &str,
        client: NodeId,
        token: u64,
        expires_at_us: u64,
    ) -> AcquireOutcome {
        self.locks.insert(
            key.to_string(),
            LockRecord {
                holder: client,
                token,
                expires_at_us,
            },
        );
        AcquireOutcome::Acquired {
            token,
            expires_at_us,
        }
    }

    /// `SET key client NX PX ttl`. A free (or expired) key is granted with a new, strictly
    /// larger token. If `client` already holds it, this is treated as a retry whose reply was
    /// lost: the expiry is extended and the same token returned (no one else held it between).
    pub fn acquire(
        &mut self,
        key: &str,
        client: NodeId,
        ttl_us: u64,
        now_us: u64,
    ) -> Result<AcquireOutcome, LeaseError> {
        check_request(key, ttl_us)?;
        let expires_at_us = now_us.saturating_add(ttl_us);
        match self.live_record(key, now_us) {
            Some(rec) if rec.holder == client => {
                let token = rec.token;
                Ok(self.grant(key, client, token, expires_at_us))
            }
            Some(rec) => Ok(AcquireOutcome::Held {
                holder: rec.holder,
                expires_at_us: rec.expires_at_us,
            }),
            None => {
                if !self.locks.contains_key(key) && self.locks.len() >= MAX_KEYS {
                    self.expire(now_us);
                    if self.locks.len() >= MAX_KEYS {
                        return Err(LeaseError::TooManyKeys);
                    }
                }
                self.last_token = self.last_token.saturating_add(1);
                let token = self.last_token;
                Ok(self.grant(key, client, token, expires_at_us))
            }
        }
    }

    /// Extends the lock only if `client` still holds it with `token` and it has not expired.
    /// An expired lock is lost even if nobody took it: the client must acquire a new token.
    pub fn renew(
        &mut self,
        key: &str,
        client: NodeId,
        token: u64,
        ttl_us: u64,
        now_us: u64,
    ) -> Result<RenewOutcome, LeaseError> {
        check_request(key, ttl_us)?;
        match self.locks.get_mut(key) {
            Some(rec)
                if rec.holder == client && rec.token == token && now_us < rec.expires_at_us =>
            {
                rec.expires_at_us = now_us.saturating_add(ttl_us);
                Ok(RenewOutcome::Renewed {
                    expires_at_us: rec.expires_at_us,
                })
            }
            _ => Ok(RenewOutcome::Lost),
        }
    }

    /// Deletes the lock if `client` holds it with `token` (the safe "compare and delete").
    pub fn release(
        &mut self,
        key: &str,
        client: NodeId,
        token: u64,
        now_us: u64,
    ) -> ReleaseOutcome {
        match self.live_record(key, now_us) {
            Some(rec) if rec.holder == client && rec.token == token => {
                self.locks.remove(key);
                ReleaseOutcome::Released
            }
            _ => ReleaseOutcome::NotHolder,
        }
    }

    /// Drops every lock whose time is up; returns them in key order.
    pub fn expire(&mut self, now_us: u64) -> Vec<(String, LockRecord)> {
        let dead: Vec<String> = self
            .locks
            .iter()
            .filter(|(_, r)| r.expires_at_us <= now_us)
            .map(|(k, _)| k.clone())
            .collect();
        dead.into_iter()
            .filter_map(|k| self.locks.remove(&k).map(|r| (k, r)))
            .collect()
    }

    /// The current holder of `key`, if its lock has not expired.
    pub fn holder(&self, key: &str, now_us: u64) -> Option<&LockRecord> {
        self.locks.get(key).filter(|r| now_us < r.expires_at_us)
    }

    pub fn last_token(&self) -> u64 {
        self.last_token
    }

    /// Serves one request from `from`, as the lock node's message handler.
    pub fn handle(&mut self, now_us: u64, from: NodeId, req: LeaseRequest) -> LeaseReply {
        let req_id = req.req_id();
        match req {
            LeaseRequest::Acquire { key, ttl_us, .. } => {
                match self.acquire(&key, from, ttl_us, now_us) {
                    Ok(AcquireOutcome::Acquired { token, .. }) => {
                        LeaseReply::Acquired { req_id, token }
                    }
                    Ok(AcquireOutcome::Held {
                        holder,
                        expires_at_us,
                    }) => LeaseReply::Held {
                        req_id,
                        holder,
                        expires_at_us,
                    },
                    Err(e) => LeaseReply::Rejected {
                        req_id,
                        reason: e.to_string(),
                    },
                }
            }
            LeaseRequest::Renew {
                key, token, ttl_us, ..
            } => match self.renew(&key, from, token, ttl_us, now_us) {
                Ok(RenewOutcome::Renewed { .. }) => LeaseReply::Renewed { req_id },
                Ok(RenewOutcome::Lost) => LeaseReply::Lost { req_id },
                Err(e) => LeaseReply::Rejected {
                    req_id,
                    reason: e.to_string(),
                },
            },
            LeaseRequest::Release { key, token, .. } => {
                match self.release(&key, from, token, now_us) {
                    ReleaseOutcome::Released => LeaseReply::Released { req_id },
                    ReleaseOutcome::NotHolder => LeaseReply::NotHolder { req_id },
                }
            }
        }
    }

    pub fn to_durable(&self) -> LockServerState {
        LockServerState {
            last_token: self.last_token,
            locks: self
                .locks
                .iter()
                .map(|(k, r)| (k.clone(), r.clone()))
                .collect(),
        }
    }

    /// Restores a lock node. Keeping the locks (not only the counter) means a restart does not
    /// hand a still-held lock to a second client; the counter guarantees tokens keep growing
    /// even if the locks were lost.
    pub fn from_durable(state: LockServerState) -> Self {
        let max_in_locks = state.locks.iter().map(|(_, r)| r.token).max().unwrap_or(0);
        Self {
            last_token: state.last_token.max(max_in_locks),
            locks: state.locks.into_iter().collect(),
        }
    }

    fn live_record(&self, key: &str, now_us: u64) -> Option<LockRecord> {
        self.holder(key, now_us).cloned()
    }
}

fn check_request(key: &str, ttl_us: u64) -> Result<(), LeaseError> {
    if key.len() > MAX_KEY_BYTES {
        return Err(LeaseError::KeyTooLong {
            bytes: key.len() as u64,
        });
    }
    if ttl_us == 0 || ttl_us > MAX_TTL_US {
        return Err(LeaseError::TtlOutOfRange { ttl_us });
    }
    Ok(())
}
