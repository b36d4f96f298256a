//! Drives a `LeaseClient` (seed 002's Redis `SET NX PX`, renewed by the holder) on a simulated
//! node: the executor holding the lock on the lock node leads, with the lock's fencing token as
//! its term, until its lease runs out by its own clock.
//!
//! Nothing of the election itself needs to survive a crash — the lock node keeps the token
//! counter — but the last token is written to disk so a restarted node shows it on the page.
//! That write promises nothing, so it is not synced and a refused write is only logged.

use super::shared::{publish, ExecHandle, Lead, TimerBar, CLUSTER};
use crate::msg::Msg;
use crate::protocol::lease::{LeaseClient, LeaseConfig, LeaseOutput, LeaseReply};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{NodeCtx, NodeId};
use crate::view::ExecutorView;

const LAST_TOKEN: &str = "lease/last_token";

struct Driver {
    ctx: NodeCtx,
    client: LeaseClient,
    lock: NodeId,
    handle: ExecHandle,
    leading: Option<u64>,
    last_token: u64,
    /// Who the lock node last said holds the lock (from a `Held` answer).
    holder_hint: Option<NodeId>,
    timer: TimerBar,
    last_view: Option<ExecutorView>,
}

pub async fn run(ctx: NodeCtx, cfg: LeaseConfig, lock: NodeId, handle: ExecHandle) {
    let now = ctx.now();
    let client = ctx.with_rng(|rng| LeaseClient::new(ctx.id(), lock, cfg, now, rng));
    let last_token = ctx.durable(|d| d.get(LAST_TOKEN).unwrap_or(0));
    let wake = handle.driver_wake.clone();
    let mut d = Driver {
        ctx: ctx.clone(),
        client,
        lock,
        handle,
        leading: None,
        last_token,
        holder_hint: None,
        timer: TimerBar::default(),
        last_view: None,
    };
    loop {
        d.carry_out();
        d.publish_view();
        let deadline = d.client.next_wakeup_us();
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
                if let (Msg::LeaseRep(reply), true) = (env.msg, env.from == d.lock) {
                    if let LeaseReply::Held { holder, .. } = &reply {
                        d.holder_hint = Some(*holder);
                    }
                    let now = ctx.now();
                    ctx.with_rng(|rng| d.client.step(now, reply, rng));
                }
            }
            Either::Right(Either::Left(())) => {
                let fenced = d.handle.state.borrow_mut().fenced_by.take();
                if fenced.is_some() {
                    // The queue has seen a newer token: our lock passed to someone else.
                    d.client.release(ctx.now());
                }
            }
            Either::Right(Either::Right(())) => {
                let now = ctx.now();
                ctx.with_rng(|rng| d.client.tick(now, rng));
            }
        }
    }
}

impl Driver {
    fn carry_out(&mut self) {
        for out in self.client.take_outputs() {
            match out {
                LeaseOutput::Send { to, msg } => self.ctx.send(to, Msg::LeaseReq(msg)),
                LeaseOutput::BecameLeader { token } => {
                    if let Some(old) = self.leading.take() {
                        self.ctx.trace(
                            TraceKind::StepDown {
                                cluster: CLUSTER.to_string(),
                                term: old,
                            },
                            0,
                            None,
                        );
                    }
                    self.ctx.trace(
                        TraceKind::Leader {
                            cluster: CLUSTER.to_string(),
                            term: token,
                        },
                        0,
                        None,
                    );
                    if let Err(e) = self.ctx.durable(|d| d.put(LAST_TOKEN, &token)) {
                        self.ctx.log(format!("last token {token} not saved: {e}"));
                    }
                    self.leading = Some(token);
                    self.last_token = token;
                }
                LeaseOutput::LostLeadership { token, reason } => {
                    if self.leading == Some(token) {
                        self.ctx.trace(
                            TraceKind::StepDown {
                                cluster: CLUSTER.to_string(),
                                term: token,
                            },
                            0,
                            None,
                        );
                        self.ctx
                            .state("lease", format!("lost token {token}: {reason:?}"));
                        self.leading = None;
                    }
                }
            }
        }
        // Renewals move the validity forward without any output: refresh it every time.
        let lead = self.leading.map(|term| Lead {
            term,
            valid_until_us: self.client.valid_until_us(),
            ready: true,
        });
        self.handle.set_lead(lead);
    }

    fn publish_view(&mut self) {
        let now = self.ctx.now();
        let leads = self.client.is_leader(now);
        let valid_until = self.client.valid_until_us().filter(|_| leads);
        self.timer.update(now, valid_until);
        let leader = if leads {
            Some(self.ctx.id())
        } else {
            self.holder_hint
        };
        let view = ExecutorView {
            algorithm: "lease",
            role: if leads { "leader" } else { "follower" }.to_string(),
            standing: if leads {
                crate::view::Standing::Leader
            } else {
                crate::view::Standing::Follower
            },
            term: self.last_token,
            voted_for: None,
            leader,
            timer_started_us: self.timer.started_us,
            timer_deadline_us: self.timer.deadline_us,
            commit_index: 0,
            log_len: 0,
            executed: self.handle.state.borrow().executed.total() as u32,
        };
        publish(&self.ctx, &mut self.last_view, view);
    }
}
