//! Drives a `BullyNode` (seed 004) on a simulated node. The epoch a node claims is its fencing
//! token; it is written to disk and synced before the claim leaves the node, so a restarted
//! node never claims the same epoch twice (two leaders of one epoch would defeat fencing).
//!
//! Bully has no quorum: while partitioned, both sides can have a leader. Only the one whose
//! epoch the queue has seen highest can dequeue; the other is told `Fenced` and, through
//! `note_higher_epoch`, claims a fresh epoch — safe, if busy, until the partition heals.

use super::shared::{publish, ExecHandle, Lead, TimerBar, CLUSTER};
use crate::msg::Msg;
use crate::protocol::bully::{BullyConfig, BullyNode, BullyOutput, BullyRole};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{NodeCtx, NodeId};
use crate::view::ExecutorView;

const CLAIMED_EPOCH: &str = "bully/claimed_epoch";

struct Driver {
    ctx: NodeCtx,
    node: BullyNode,
    members: Vec<NodeId>,
    handle: ExecHandle,
    /// (role, epoch) last reported, and the epoch this node leads with, if it does.
    shown: Option<(BullyRole, u64)>,
    leading: Option<u64>,
    timer: TimerBar,
    last_view: Option<ExecutorView>,
}

pub async fn run(ctx: NodeCtx, cfg: BullyConfig, members: Vec<NodeId>, handle: ExecHandle) {
    let last_claimed: u64 = ctx.durable(|d| d.get(CLAIMED_EPOCH).unwrap_or(0));
    let node = BullyNode::recover(ctx.id(), &members, cfg, ctx.now(), last_claimed);
    let wake = handle.driver_wake.clone();
    let mut d = Driver {
        ctx: ctx.clone(),
        node,
        members,
        handle,
        shown: None,
        leading: None,
        timer: TimerBar::default(),
        last_view: None,
    };
    loop {
        d.carry_out().await;
        d.note_role();
        d.publish_view();
        let deadline = d.node.next_wakeup_us();
        match select_biased(
            ctx.recv(),
            select_biased(wake.wait(), ctx.sleep_until(deadline)),
        )
        .await
        {
            Either::Left(env) => {
                let Some(env) = d.handle.take_query(env) else {
                    continue;
                };
                if let Msg::Bully(msg) = env.msg {
                    d.node.step(ctx.now(), env.from, msg);
                }
            }
            Either::Right(Either::Left(())) => {
                let fenced = d.handle.state.borrow_mut().fenced_by.take();
                if let Some(epoch) = fenced {
                    // The queue has seen a higher epoch: ours is stale, claim a fresh one.
                    d.node.note_higher_epoch(ctx.now(), epoch);
                }
            }
            Either::Right(Either::Right(())) => d.node.tick(ctx.now()),
        }
    }
}

impl Driver {
    /// Persists any claim first and waits for its sync, then sends. A disk that refuses the
    /// claim stops the node: the core already believes it leads with that epoch.
    async fn carry_out(&mut self) {
        let outputs = self.node.take_outputs();
        let claimed = outputs
            .iter()
            .filter_map(|o| match o {
                BullyOutput::BecameLeader { epoch } => Some(*epoch),
                _ => None,
            })
            .max();
        if let Some(epoch) = claimed {
            if let Err(e) = self.ctx.durable(|d| d.put(CLAIMED_EPOCH, &epoch)) {
                let why = format!("could not persist the claim of epoch {epoch}: {e}");
                return self.ctx.fail_stop(why).await;
            }
            self.ctx.sync().await;
        }
        for out in outputs {
            match out {
                BullyOutput::Send { to, msg } => self.ctx.send(to, Msg::Bully(msg)),
                BullyOutput::Broadcast { msg } => {
                    for to in self.members.iter().copied().filter(|m| *m != self.ctx.id()) {
                        self.ctx.send(to, Msg::Bully(msg.clone()));
                    }
                }
                BullyOutput::BecameLeader { .. } | BullyOutput::LeaderIs { .. } => {}
            }
        }
    }

    /// Traces role changes, Leader / StepDown, and tells the work loop.
    fn note_role(&mut self) {
        let shown = (self.node.role(), self.node.epoch());
        if self.shown == Some(shown) {
            return;
        }
        self.shown = Some(shown);
        self.ctx.state(
            "bully",
            format!("{} epoch {}", role_label(shown.0), shown.1),
        );
        let leading = self.node.is_leader().then(|| self.node.epoch());
        if leading == self.leading {
            return;
        }
        if let Some(old) = self.leading {
            self.ctx.trace(
                TraceKind::StepDown {
                    cluster: CLUSTER.to_string(),
                    term: old,
                },
                0,
                None,
            );
        }
        if let Some(epoch) = leading {
            self.ctx.trace(
                TraceKind::Leader {
                    cluster: CLUSTER.to_string(),
                    term: epoch,
                },
                0,
                None,
            );
        }
        self.leading = leading;
        self.handle.set_lead(leading.map(|term| Lead {
            term,
            valid_until_us: None,
            ready: true,
        }));
    }

    fn publish_view(&mut self) {
        let deadline = (!self.node.is_leader()).then(|| self.node.next_wakeup_us());
        self.timer.update(self.ctx.now(), deadline);
        let view = ExecutorView {
            algorithm: "bully",
            role: role_label(self.node.role()).to_string(),
            standing: standing(self.node.role()),
            term: self.node.epoch(),
            voted_for: None,
            leader: self.node.leader(),
            timer_started_us: self.timer.started_us,
            timer_deadline_us: self.timer.deadline_us,
            commit_index: 0,
            log_len: 0,
            executed: self.handle.state.borrow().executed.total() as u32,
        };
        publish(&self.ctx, &mut self.last_view, view);
    }
}

fn standing(role: BullyRole) -> crate::view::Standing {
    use crate::view::Standing;
    match role {
        BullyRole::Leader => Standing::Leader,
        BullyRole::Electing | BullyRole::AwaitingCoordinator | BullyRole::Halting => {
            Standing::Seeking
        }
        BullyRole::Follower => Standing::Follower,
    }
}

fn role_label(role: BullyRole) -> &'static str {
    match role {
        BullyRole::Follower => "follower",
        BullyRole::Electing => "electing",
        BullyRole::AwaitingCoordinator => "awaiting_coordinator",
        BullyRole::Halting => "halting",
        BullyRole::Leader => "leader",
    }
}
