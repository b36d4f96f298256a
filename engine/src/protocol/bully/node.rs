//! One Bully node: a sans-IO state machine driven by `tick` and `step`.

use super::messages::{BullyMsg, BullyOutput};
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

/// Timeouts, all in microseconds of the node's own clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BullyConfig {
    /// How often the coordinator pings everyone.
    pub heartbeat_interval_us: u64,
    /// A follower that hears nothing from its coordinator for this long starts an election
    /// (three missed heartbeats by default, so one dropped ping does not cause an election).
    pub leader_timeout_us: u64,
    /// How long a candidate waits for an Answer from a higher node before declaring victory.
    /// Bully assumes a synchronous network: this must exceed one round trip.
    pub answer_timeout_us: u64,
    /// After an Answer, how long to wait for the higher node's Coordinator before retrying.
    pub coordinator_timeout_us: u64,
}

impl Default for BullyConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval_us: 500_000,
            leader_timeout_us: 1_500_000,
            answer_timeout_us: 300_000,
            coordinator_timeout_us: 800_000,
        }
    }
}

/// No timer may be zero: a zero period would make the node wake at the same instant forever.
const MIN_TIMER_US: u64 = 1_000;

impl BullyConfig {
    fn sanitized(mut self) -> Self {
        self.heartbeat_interval_us = self.heartbeat_interval_us.max(MIN_TIMER_US);
        self.leader_timeout_us = self.leader_timeout_us.max(self.heartbeat_interval_us + 1);
        self.answer_timeout_us = self.answer_timeout_us.max(MIN_TIMER_US);
        self.coordinator_timeout_us = self.coordinator_timeout_us.max(MIN_TIMER_US);
        self
    }
}

/// Where a node stands, for the UI and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BullyRole {
    Follower,
    /// Sent Election to the higher nodes, waiting for an Answer.
    Electing,
    /// A higher node answered, or halted this node; waiting for its Coordinator message.
    AwaitingCoordinator,
    /// Won the election: halting every lower node before proclaiming itself.
    Halting,
    Leader,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Role {
    Follower {
        leader: NodeId,
        last_heard_us: u64,
    },
    Electing {
        answer_deadline_us: u64,
    },
    AwaitingCoordinator {
        deadline_us: u64,
    },
    /// The lower nodes that have not yet acknowledged our Halt; we proclaim ourselves when
    /// all have, or at `deadline_us` (a node that does not answer is taken to be down).
    Halting {
        deadline_us: u64,
        waiting: Vec<NodeId>,
    },
    Leader {
        next_heartbeat_us: u64,
    },
}

/// A node of the Bully election (Garcia-Molina 1982): the highest live id wins.
///
/// The winner halts every lower node and waits for their acknowledgements (or a timeout)
/// before it proclaims itself, as in the paper: a leader that is being replaced — say the
/// highest node restarts while a lower one leads — stops leading before the new one starts,
/// so on a reliable network two coordinators never act at once.
///
/// Epochs double as fencing tokens. Two rules make them safe for that:
/// * a node only ever claims an epoch congruent to its rank modulo the member count, so two
///   nodes can never claim the same epoch, even while partitioned from each other;
/// * a claim is always above every epoch the node has seen and above its own last claim
///   (which the driver persists, see `BullyOutput::BecameLeader`), so claims only go up.
#[derive(Clone, Debug)]
pub struct BullyNode {
    me: NodeId,
    members: Vec<NodeId>,
    rank: u64,
    cfg: BullyConfig,
    role: Role,
    epoch: u64,
    max_epoch_seen: u64,
    last_claimed_epoch: u64,
    outputs: Vec<BullyOutput>,
}

impl BullyNode {
    /// A node booting with no history. It starts an election at once (Bully's boot rule).
    /// `members` should list the whole cluster, the same on every node; `me` is added if absent.
    pub fn new(me: NodeId, members: &[NodeId], cfg: BullyConfig, now_us: u64) -> Self {
        Self::recover(me, members, cfg, now_us, 0)
    }

    /// A node restarting after a crash; `last_claimed_epoch` is the last `BecameLeader` epoch
    /// the driver persisted (0 if none), so the node never claims an epoch twice.
    pub fn recover(
        me: NodeId,
        members: &[NodeId],
        cfg: BullyConfig,
        now_us: u64,
        last_claimed_epoch: u64,
    ) -> Self {
        let mut members: Vec<NodeId> = members.to_vec();
        members.push(me);
        members.sort();
        members.dedup();
        let rank = members.iter().position(|m| *m == me).unwrap_or(0) as u64;
        let mut node = Self {
            me,
            members,
            rank,
            cfg: cfg.sanitized(),
            role: Role::Electing {
                answer_deadline_us: now_us,
            },
            epoch: 0,
            max_epoch_seen: last_claimed_epoch,
            last_claimed_epoch,
            outputs: Vec::new(),
        };
        node.start_election(now_us);
        node
    }

    pub fn id(&self) -> NodeId {
        self.me
    }

    pub fn members(&self) -> &[NodeId] {
        &self.members
    }

    pub fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader { .. })
    }

    /// The coordinator this node currently recognises (itself when leading); `None` mid-election.
    pub fn leader(&self) -> Option<NodeId> {
        match self.role {
            Role::Follower { leader, .. } => Some(leader),
            Role::Leader { .. } => Some(self.me),
            _ => None,
        }
    }

    /// The epoch of the last coordinator this node accepted (its own when leading); 0 if none.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The highest epoch this node has heard of from anyone.
    pub fn max_epoch_seen(&self) -> u64 {
        self.max_epoch_seen
    }

    pub fn role(&self) -> BullyRole {
        match self.role {
            Role::Follower { .. } => BullyRole::Follower,
            Role::Electing { .. } => BullyRole::Electing,
            Role::AwaitingCoordinator { .. } => BullyRole::AwaitingCoordinator,
            Role::Halting { .. } => BullyRole::Halting,
            Role::Leader { .. } => BullyRole::Leader,
        }
    }

    /// The instant the node next needs a `tick`.
    pub fn next_wakeup_us(&self) -> u64 {
        match self.role {
            Role::Follower { last_heard_us, .. } => {
                last_heard_us.saturating_add(self.cfg.leader_timeout_us)
            }
            Role::Electing { answer_deadline_us } => answer_deadline_us,
            Role::AwaitingCoordinator { deadline_us } => deadline_us,
            Role::Halting { deadline_us, .. } => deadline_us,
            Role::Leader { next_heartbeat_us } => next_heartbeat_us,
        }
    }

    pub fn take_outputs(&mut self) -> Vec<BullyOutput> {
        std::mem::take(&mut self.outputs)
    }

    /// Fires whichever timer has expired by `now_us`.
    pub fn tick(&mut self, now_us: u64) {
        if now_us < self.next_wakeup_us() {
            return;
        }
        match self.role {
            Role::Follower { .. } | Role::AwaitingCoordinator { .. } => self.start_election(now_us),
            // No higher node answered: we won, and halt the lower ones first.
            Role::Electing { .. } => self.start_halt(now_us),
            // Whoever has not acknowledged by now is taken to be down.
            Role::Halting { .. } => self.become_leader(now_us),
            Role::Leader { .. } => {
                self.outputs.push(BullyOutput::Broadcast {
                    msg: BullyMsg::Heartbeat { epoch: self.epoch },
                });
                let next = now_us.saturating_add(self.cfg.heartbeat_interval_us);
                self.role = Role::Leader {
                    next_heartbeat_us: next,
                };
            }
        }
    }

    /// Handles one message from `from`. Messages from non-members or from itself are ignored.
    pub fn step(&mut self, now_us: u64, from: NodeId, msg: BullyMsg) {
        if from == self.me || !self.members.contains(&from) {
            return;
        }
        match msg {
            BullyMsg::Election { epoch_seen } => {
                self.note_epoch(epoch_seen);
                self.on_election(now_us, from);
            }
            BullyMsg::Answer { epoch_seen } => {
                self.note_epoch(epoch_seen);
                self.on_answer(now_us, from);
            }
            BullyMsg::Coordinator { epoch } | BullyMsg::Heartbeat { epoch } => {
                self.on_leader_claim(now_us, from, epoch);
            }
            BullyMsg::Halt { epoch_seen } => {
                self.note_epoch(epoch_seen);
                self.on_halt(now_us, from);
            }
            BullyMsg::HaltAck { epoch_seen } => {
                self.note_epoch(epoch_seen);
                self.on_halt_ack(now_us, from);
            }
        }
        self.reelect_if_stale(now_us);
    }

    /// The driver learned of a higher epoch elsewhere (e.g. the queue refused our token as
    /// fenced): a leader whose epoch is no longer the highest runs a new election.
    pub fn note_higher_epoch(&mut self, now_us: u64, epoch: u64) {
        self.note_epoch(epoch);
        self.reelect_if_stale(now_us);
    }

    fn note_epoch(&mut self, epoch: u64) {
        self.max_epoch_seen = self.max_epoch_seen.max(epoch);
    }

    /// A leader whose epoch someone has overtaken would be fenced everywhere: claim a new one.
    fn reelect_if_stale(&mut self, now_us: u64) {
        if self.is_leader() && self.max_epoch_seen > self.epoch {
            self.start_election(now_us);
        }
    }

    fn higher_members(&self) -> Vec<NodeId> {
        self.members
            .iter()
            .copied()
            .filter(|m| *m > self.me)
            .collect()
    }

    fn in_election(&self) -> bool {
        matches!(
            self.role,
            Role::Electing { .. } | Role::AwaitingCoordinator { .. } | Role::Halting { .. }
        )
    }

    fn start_election(&mut self, now_us: u64) {
        let higher = self.higher_members();
        if higher.is_empty() {
            self.start_halt(now_us);
            return;
        }
        let deadline = now_us.saturating_add(self.cfg.answer_timeout_us);
        self.role = Role::Electing {
            answer_deadline_us: deadline,
        };
        for to in higher {
            let msg = BullyMsg::Election {
                epoch_seen: self.max_epoch_seen,
            };
            self.outputs.push(BullyOutput::Send { to, msg });
        }
    }

    /// Won the election: tell every lower node to stop, and proclaim once they all have.
    fn start_halt(&mut self, now_us: u64) {
        let lower: Vec<NodeId> = self
            .members
            .iter()
            .copied()
            .filter(|m| *m < self.me)
            .collect();
        // Broken variant for "one leader acting at a time" (invariants/one_acting_leader.rs).
        #[cfg(test)]
        if crate::bugs::planted(crate::bugs::Bug::BullyProclaimsWithoutHalting) {
            self.become_leader(now_us);
            return;
        }
        if lower.is_empty() {
            self.become_leader(now_us);
            return;
        }
        for to in lower.iter().copied() {
            let msg = BullyMsg::Halt {
                epoch_seen: self.max_epoch_seen,
            };
            self.outputs.push(BullyOutput::Send { to, msg });
        }
        self.role = Role::Halting {
            deadline_us: now_us.saturating_add(self.cfg.answer_timeout_us),
            waiting: lower,
        };
    }

    /// A higher node won and halts us: stop (a leader stops leading here, before the new
    /// coordinator proclaims itself), acknowledge, and wait for its Coordinator. A lower node
    /// halting us has missed that we are alive: answer it as an election, which bullies it.
    fn on_halt(&mut self, now_us: u64, from: NodeId) {
        if from < self.me {
            self.on_election(now_us, from);
            return;
        }
        self.role = Role::AwaitingCoordinator {
            deadline_us: now_us.saturating_add(self.cfg.coordinator_timeout_us),
        };
        let ack = BullyMsg::HaltAck {
            epoch_seen: self.max_epoch_seen,
        };
        self.outputs.push(BullyOutput::Send { to: from, msg: ack });
    }

    fn on_halt_ack(&mut self, now_us: u64, from: NodeId) {
        let Role::Halting { waiting, .. } = &mut self.role else {
            return; // late: we already proclaimed (or gave up)
        };
        waiting.retain(|m| *m != from);
        if waiting.is_empty() {
            self.become_leader(now_us);
        }
    }

    fn become_leader(&mut self, now_us: u64) {
        let epoch = self.next_epoch();
        self.last_claimed_epoch = epoch;
        self.max_epoch_seen = self.max_epoch_seen.max(epoch);
        self.epoch = epoch;
        let next = now_us.saturating_add(self.cfg.heartbeat_interval_us);
        self.role = Role::Leader {
            next_heartbeat_us: next,
        };
        self.outputs.push(BullyOutput::BecameLeader { epoch });
        self.outputs.push(BullyOutput::Broadcast {
            msg: BullyMsg::Coordinator { epoch },
        });
    }

    /// The smallest epoch above everything seen and claimed that is ≡ rank (mod members).
    fn next_epoch(&self) -> u64 {
        let n = self.members.len() as u64;
        let base = self
            .max_epoch_seen
            .max(self.last_claimed_epoch)
            .saturating_add(1);
        base.saturating_add((self.rank + n - base % n) % n)
    }

    fn on_election(&mut self, now_us: u64, from: NodeId) {
        if from > self.me {
            return; // only lower nodes hold elections at us; anything else is noise
        }
        let answer = BullyMsg::Answer {
            epoch_seen: self.max_epoch_seen,
        };
        self.outputs.push(BullyOutput::Send {
            to: from,
            msg: answer,
        });
        match self.role {
            // Already leading with a current epoch: re-assert to the caller instead of bumping
            // the epoch (a bump would fence our own in-flight work for nothing).
            Role::Leader { .. } if self.epoch >= self.max_epoch_seen => {
                let msg = BullyMsg::Coordinator { epoch: self.epoch };
                self.outputs.push(BullyOutput::Send { to: from, msg });
            }
            Role::Leader { .. }
            | Role::Electing { .. }
            | Role::AwaitingCoordinator { .. }
            | Role::Halting { .. } => {}
            Role::Follower { .. } => self.start_election(now_us),
        }
    }

    fn on_answer(&mut self, now_us: u64, from: NodeId) {
        if from < self.me {
            return;
        }
        // A higher node is alive: we have not won (even if we were already halting).
        if let Role::Electing { .. } | Role::Halting { .. } = self.role {
            let deadline = now_us.saturating_add(self.cfg.coordinator_timeout_us);
            self.role = Role::AwaitingCoordinator {
                deadline_us: deadline,
            };
        }
    }

    fn on_leader_claim(&mut self, now_us: u64, from: NodeId, epoch: u64) {
        if from > self.me {
            if epoch >= self.max_epoch_seen && epoch > 0 {
                self.max_epoch_seen = epoch;
                self.follow(now_us, from, epoch);
            } else if self.in_election() {
                // A higher node leads with a stale epoch: tell it what we know.
                let msg = BullyMsg::Election {
                    epoch_seen: self.max_epoch_seen,
                };
                self.outputs.push(BullyOutput::Send { to: from, msg });
            } else {
                self.start_election(now_us);
            }
            return;
        }
        // A lower node claims to lead: we are alive and higher, so we bully it.
        self.note_epoch(epoch);
        match self.role {
            Role::Leader { .. } if self.epoch >= self.max_epoch_seen => {
                let msg = BullyMsg::Coordinator { epoch: self.epoch };
                self.outputs.push(BullyOutput::Send { to: from, msg });
            }
            Role::Leader { .. } => {} // stale: `reelect_if_stale` runs right after
            Role::Electing { .. } | Role::AwaitingCoordinator { .. } | Role::Halting { .. } => {}
            Role::Follower { .. } => self.start_election(now_us),
        }
    }

    fn follow(&mut self, now_us: u64, leader: NodeId, epoch: u64) {
        let changed = self.leader() != Some(leader) || self.epoch != epoch || self.is_leader();
        self.role = Role::Follower {
            leader,
            last_heard_us: now_us,
        };
        self.epoch = epoch;
        if changed {
            self.outputs.push(BullyOutput::LeaderIs {
                node: leader,
                epoch,
            });
        }
    }
}
