//! Drives a `RaftNode<ExecCommand>` on a simulated node: persist → sync → send → apply, as the
//! core's contract demands (`protocol/raft/mod.rs`), and keeps the replicated state machine: the
//! set of executed order ids. The sync is awaited: a write is only in the page cache until the
//! disk's fsync completes (`sim/disk.rs`), and a vote sent before that could be forgotten by a
//! crash and given again to another candidate of the same term. Messages already waiting are
//! stepped together before one persist, so a busy node pays one fsync per batch.
//!
//! Who records `TraceKind::Executed`: the committed log decides that an order is executed (the
//! first `Executed` entry for it), but every replica applies that entry, and a leader can crash
//! between commitment and learning of it. So the effect is recorded by exactly one node — the
//! leader of the entry's term, i.e. the node that proposed it — when it applies the entry, and
//! it keeps a durable watermark of what it recorded. The fact is recorded when the watermark
//! becomes durable, in the same step (`NodeCtx::trace_when_durable`), so a crash cannot split
//! them; a proposer that crashed before then records the entry when it comes back and replays
//! the log. A successor leader that
//! is handed the same order again finds it in the state machine and only acknowledges it.

use super::shared::{
    publish, ExecHandle, Lead, TimerBar, CLUSTER, DECISIONS_WINDOW, EXECUTED_WINDOW,
};
use crate::msg::{ExecCommand, Msg};
use crate::protocol::raft::{Entry, RaftConfig, RaftNode, Ready, Role, Snapshot};
use crate::protocol::recent::{RecentList, RecentMap};
use crate::protocol::two_pc::Decision;
use crate::services::raft_storage::{self, COMPACT_EVERY_ENTRIES};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{Envelope, NodeCtx, NodeId};
use crate::view::ExecutorView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The replicated state machine as a snapshot carries it (`protocol/raft/snapshot.rs`).
#[derive(Serialize, Deserialize)]
struct ExecSnapshot {
    executed: RecentList<String, ()>,
    decisions: RecentList<String, (String, Decision)>,
}

const LED_TERMS: &str = "exec/led_terms";
const RECORDED_THROUGH: &str = "exec/recorded_through";

struct Driver {
    ctx: NodeCtx,
    node: RaftNode<ExecCommand>,
    handle: ExecHandle,
    /// Terms this node led (durable): it records the entries of those terms.
    led_terms: BTreeSet<u64>,
    /// Highest log index whose effect this node has recorded (durable).
    recorded_through: u64,
    applied: u64,
    /// The term this node currently leads, and the index of that term's first entry (its no-op).
    leading: Option<(u64, u64)>,
    timer: TimerBar,
    last_view: Option<ExecutorView>,
    /// The deliberate bug the election-safety test must catch: send before the sync completes.
    send_before_sync: bool,
}

pub async fn run(
    ctx: NodeCtx,
    cfg: RaftConfig,
    members: Vec<NodeId>,
    handle: ExecHandle,
    send_before_sync: bool,
) {
    let persisted = match raft_storage::load(&ctx) {
        Ok(p) => p,
        Err(why) => return ctx.log(format!("raft executor not started: {why}")),
    };
    let now = ctx.now();
    let node = ctx.with_rng(|rng| RaftNode::new(ctx.id(), members, cfg, persisted, now, rng));
    let node = match node {
        Ok(n) => n,
        Err(why) => return ctx.log(format!("raft executor not started: {why}")),
    };
    let (led_terms, recorded_through) = ctx.durable(|d| {
        (
            d.get::<BTreeSet<u64>>(LED_TERMS).unwrap_or_default(),
            d.get::<u64>(RECORDED_THROUGH).unwrap_or(0),
        )
    });
    let wake = handle.driver_wake.clone();
    let mut d = Driver {
        ctx: ctx.clone(),
        node,
        handle,
        led_terms,
        recorded_through,
        applied: 0,
        leading: None,
        timer: TimerBar::default(),
        last_view: None,
        send_before_sync,
    };
    d.handle_ready().await;
    loop {
        d.publish_view();
        let deadline = d.node.next_wakeup_us();
        match select_biased(
            ctx.recv(),
            select_biased(wake.wait(), ctx.sleep_until(deadline)),
        )
        .await
        {
            Either::Left(env) => {
                d.on_message(env);
                while let Some(env) = ctx.try_recv() {
                    d.on_message(env);
                }
            }
            Either::Right(Either::Left(())) => d.propose_requested(),
            Either::Right(Either::Right(())) => {
                let now = ctx.now();
                ctx.with_rng(|rng| d.node.tick(now, rng));
            }
        }
        d.handle_ready().await;
    }
}

impl Driver {
    fn on_message(&mut self, env: Envelope) {
        let Some(env) = self.handle.take_query(env) else {
            return;
        };
        if let Msg::Raft(msg) = env.msg {
            let now = self.ctx.now();
            let out = self
                .ctx
                .with_rng(|rng| self.node.step(now, env.from, msg, rng));
            if let Err(why) = out {
                self.ctx.log(format!("raft: {why}"));
            }
        }
    }

    async fn handle_ready(&mut self) {
        while self.node.has_ready() {
            let ready = self.node.take_ready();
            self.carry_out(ready).await;
        }
    }

    async fn carry_out(&mut self, ready: Ready<ExecCommand>) {
        // 1. Durable first: a vote or an append acknowledgement is a promise about this state.
        // A write the disk refused leaves the core ahead of its disk; going on could break a
        // promise (vote twice), so the node stops, as etcd does, and a restart reloads the disk.
        if let Err(why) = self.write(&ready) {
            return self
                .ctx
                .fail_stop(format!("raft persist failed: {why}"))
                .await;
        }
        if !self.send_before_sync {
            self.ctx.sync().await;
        }
        if let Some((role, term)) = ready.role_change {
            self.on_role_change(role, term);
        }
        // 2. Then talk.
        for (to, msg) in ready.messages {
            self.ctx.send(to, Msg::Raft(msg));
        }
        if self.send_before_sync {
            self.ctx.sync().await;
        }
        // 3. Then apply what is committed (already durable on a majority), after loading the
        // snapshot the state machine restarts from or its leader sent.
        if let Some(snapshot) = &ready.snapshot {
            if let Err(why) = self.restore(snapshot) {
                let why = format!(
                    "raft snapshot through {} unreadable: {why}",
                    snapshot.last_index
                );
                return self.ctx.fail_stop(why).await;
            }
        }
        if let Err(why) = self.apply(&ready.committed) {
            return self
                .ctx
                .fail_stop(format!("raft apply failed: {why}"))
                .await;
        }
        // The effects recorded by `apply` reach the trace once their watermark is durable.
        self.ctx.sync().await;
        self.compact_if_due();
    }

    /// Replaces the state machine with a snapshot's (a restart, or a leader catching us up).
    fn restore(&mut self, snapshot: &Snapshot) -> Result<(), String> {
        let state: ExecSnapshot =
            serde_json::from_str(&snapshot.data).map_err(|e| e.to_string())?;
        let mut s = self.handle.state.borrow_mut();
        s.executed = RecentMap::from_list(EXECUTED_WINDOW, state.executed);
        s.decisions = RecentMap::from_list(DECISIONS_WINDOW, state.decisions);
        self.applied = snapshot.last_index;
        Ok(())
    }

    /// Snapshots the state machine once `COMPACT_EVERY_ENTRIES` applied entries follow the last
    /// snapshot, so the log and the disk hold O(window), not every order ever executed. The
    /// next Ready persists the snapshot (`handle_ready` loops until nothing is left).
    fn compact_if_due(&mut self) {
        if self.applied < self.node.log().snapshot_index() + COMPACT_EVERY_ENTRIES {
            return;
        }
        let data = {
            let s = self.handle.state.borrow();
            let state = ExecSnapshot {
                executed: s.executed.to_list(),
                decisions: s.decisions.to_list(),
            };
            serde_json::to_string(&state)
        };
        let outcome = data.map_err(|e| e.to_string()).and_then(|data| {
            self.node
                .compact(self.applied, data)
                .map_err(|e| e.to_string())
        });
        if let Err(why) = outcome {
            self.ctx.log(format!("raft: log not compacted: {why}"));
        }
    }

    /// Writes the Ready's persist and, if this node now leads a new term, that term: durable
    /// before any entry of the term can be applied here and recorded, as the same sync covers it.
    fn write(&mut self, ready: &Ready<ExecCommand>) -> Result<(), String> {
        if let Some(ops) = &ready.persist {
            raft_storage::apply(&self.ctx, ops)?;
        }
        if let Some((Role::Leader, term)) = ready.role_change {
            if !self.led_terms.contains(&term) {
                let mut led = self.led_terms.clone();
                led.insert(term);
                self.ctx
                    .durable(|d| d.put(LED_TERMS, &led))
                    .map_err(|e| e.to_string())?;
                self.led_terms = led;
            }
        }
        Ok(())
    }

    fn on_role_change(&mut self, role: Role, term: u64) {
        self.ctx
            .state("raft", format!("{} term {term}", role.label()));
        if let Some((old, _)) = self.leading {
            if role != Role::Leader || old != term {
                self.ctx.trace(
                    TraceKind::StepDown {
                        cluster: CLUSTER.to_string(),
                        term: old,
                    },
                    0,
                    None,
                );
                self.leading = None;
                // Broken variant for "only the leader dequeues" (leader_only_dequeues.rs):
                // the work loop is never told, and keeps dequeuing with the old term.
                #[cfg(test)]
                if crate::bugs::planted(crate::bugs::Bug::DeposedLeaderKeepsDequeuing) {
                    return;
                }
                self.handle.set_lead(None);
            }
        }
        if role == Role::Leader && self.leading.is_none() {
            self.ctx.trace(
                TraceKind::Leader {
                    cluster: CLUSTER.to_string(),
                    term,
                },
                0,
                None,
            );
            self.leading = Some((term, self.node.log().last_index()));
            self.refresh_lead();
        }
    }

    fn apply(&mut self, committed: &[Entry<ExecCommand>]) -> Result<(), String> {
        if committed.is_empty() {
            return Ok(());
        }
        let mut recorded = Vec::new();
        for entry in committed {
            self.applied = self.applied.max(entry.index);
            if let Some(ExecCommand::Decided {
                txn,
                order_id,
                decision,
                ..
            }) = &entry.command
            {
                let mut s = self.handle.state.borrow_mut();
                s.decisions
                    .insert_first(txn.clone(), (order_id.clone(), decision.clone()));
                continue;
            }
            let Some(ExecCommand::Executed { order_id, .. }) = &entry.command else {
                continue;
            };
            let first = self
                .handle
                .state
                .borrow_mut()
                .executed
                .insert_first(order_id.clone(), ());
            if first && self.led_terms.contains(&entry.term) && entry.index > self.recorded_through
            {
                recorded.push(TraceKind::Executed {
                    order_id: order_id.clone(),
                    term: entry.term,
                });
                self.recorded_through = entry.index;
            }
        }
        if !recorded.is_empty() {
            let through = self.recorded_through;
            self.ctx
                .durable(|d| d.put(RECORDED_THROUGH, &through))
                .map_err(|e| format!("effects not recorded: {e}"))?;
            for kind in recorded {
                self.ctx.trace_when_durable(kind, 0);
            }
        }
        self.refresh_lead();
        self.handle.worker_wake.notify();
        Ok(())
    }

    fn refresh_lead(&mut self) {
        if let Some((term, first_index)) = self.leading {
            let ready = self.applied >= first_index;
            self.handle.set_lead(Some(Lead {
                term,
                valid_until_us: None,
                ready,
            }));
        }
    }

    /// Proposes what the work loop asked for, if this node still leads the term it was asked in.
    fn propose_requested(&mut self) {
        let (proposals, _fenced) = {
            let mut s = self.handle.state.borrow_mut();
            (std::mem::take(&mut s.proposals), s.fenced_by.take())
        };
        // A fencing notice needs no action here: a higher term at the queue means a newer
        // leader exists, and our next heartbeat round learns its term from the followers.
        for cmd in proposals {
            if self.node.is_leader() && self.node.term() == cmd.term() {
                if let Err(why) = self.node.propose(cmd) {
                    self.ctx.log(format!("raft: {why}"));
                }
            }
        }
    }

    fn publish_view(&mut self) {
        let deadline = (!self.node.is_leader()).then(|| self.node.election_deadline_us());
        self.timer.update(self.ctx.now(), deadline);
        let view = ExecutorView {
            algorithm: "raft",
            role: self.node.role().label().to_string(),
            standing: self.node.role().into(),
            term: self.node.term(),
            voted_for: self.node.voted_for(),
            leader: self.node.leader_hint(),
            timer_started_us: self.timer.started_us,
            timer_deadline_us: self.timer.deadline_us,
            commit_index: self.node.commit_index(),
            log_len: self.node.log().last_index(),
            executed: self.handle.state.borrow().executed.total() as u32,
        };
        publish(&self.ctx, &mut self.last_view, view);
    }
}
