//! One books-database node: a Raft member whose state machine is `BooksState`. As primary
//! (Raft leader) it takes writes under per-key locks, proposes them, and answers each client
//! only once the entry is committed on a quorum and applied — the durability contract of
//! `protocol/raft` (persist → sync → send → apply) does the rest. Messages already waiting are
//! stepped together, so one fsync serves a batch. As a backup it redirects writes to
//! the primary and answers replica reads from its own, possibly stale, state.

use super::ops::{OpTable, PendingOp};
use super::{BooksDbConfig, CLUSTER, SERVICE};
use crate::facts::Fact;
use crate::msg::Msg;
use crate::protocol::books_db::{
    BooksState, DbCommand, DbError, DbReply, DbRequest, DbResult, DbStatus,
};
use crate::protocol::raft::{Entry, RaftNode, Ready, Role, Snapshot};
use crate::services::executor::shared::TimerBar;
use crate::services::in_doubt::InDoubt;
use crate::services::raft_storage::{self, COMPACT_EVERY_ENTRIES};
use crate::sim::futures::{select_biased, Either};
use crate::sim::trace::TraceKind;
use crate::sim::{Envelope, Micros, NodeCtx};
use crate::view::{BooksDbView, NodeView};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most items one Prepare may carry, and the longest book key: a limit on everything.
const MAX_ITEMS: usize = 100;
const MAX_KEY_BYTES: usize = 512;

pub(super) struct DbNode {
    ctx: NodeCtx,
    cfg: BooksDbConfig,
    raft: RaftNode<DbCommand>,
    state: BooksState,
    applied: u64,
    /// The term this node leads and the index of that term's no-op: reads wait until it is
    /// applied, so a new primary never answers from a state missing acknowledged writes.
    leading: Option<(u64, u64)>,
    ops: OpTable,
    deferred_reads: Vec<(Envelope, DbRequest)>,
    /// Strong reads waiting for their `ReadBarrier` (log index) to be applied.
    read_barriers: Vec<(u64, Envelope, DbRequest)>,
    /// Prepared transactions and the outcome questions out about them.
    in_doubt: InDoubt,
    next_recovery_us: Micros,
    stock_view: Arc<BTreeMap<String, u32>>,
    reserved_view: Arc<BTreeMap<String, u32>>,
    timer: TimerBar,
    last_view: Option<BooksDbView>,
}

pub(super) async fn db_node(ctx: NodeCtx, cfg: BooksDbConfig) {
    let members = ctx.nodes_of(SERVICE);
    if let Err(why) = cfg.validate(members.len() as u32) {
        return ctx.log(format!("books database not started: {why}"));
    }
    let persisted = match raft_storage::load::<DbCommand>(&ctx) {
        Ok(p) => p,
        Err(why) => return ctx.log(format!("books database not started: {why}")),
    };
    let now = ctx.now();
    let raft =
        match ctx.with_rng(|rng| RaftNode::new(ctx.id(), members, cfg.raft, persisted, now, rng)) {
            Ok(n) => n,
            Err(why) => return ctx.log(format!("books database not started: {why}")),
        };
    let state = BooksState::new((*cfg.initial_stock).clone());
    let mut n = DbNode {
        stock_view: Arc::new(state.all_stock().clone()),
        reserved_view: Arc::new(BTreeMap::new()),
        ctx: ctx.clone(),
        next_recovery_us: now + cfg.recovery_every_us,
        cfg,
        raft,
        state,
        applied: 0,
        leading: None,
        ops: OpTable::default(),
        deferred_reads: Vec::new(),
        read_barriers: Vec::new(),
        in_doubt: InDoubt::default(),
        timer: TimerBar::default(),
        last_view: None,
    };
    n.handle_ready().await;
    let wake = n.in_doubt.wake.clone();
    loop {
        n.publish_view();
        let deadline = n.raft.next_wakeup_us().min(n.next_recovery_us);
        match select_biased(
            ctx.recv(),
            select_biased(wake.wait(), ctx.sleep_until(deadline)),
        )
        .await
        {
            Either::Left(env) => {
                n.on_message(env);
                while let Some(env) = ctx.try_recv() {
                    n.on_message(env);
                }
            }
            Either::Right(Either::Left(())) => n.take_answers(),
            Either::Right(Either::Right(())) => n.on_timer(),
        }
        n.handle_ready().await;
    }
}

impl DbNode {
    fn on_message(&mut self, env: Envelope) {
        match env.msg.clone() {
            Msg::DbRaft(msg) => {
                let now = self.ctx.now();
                if let Err(why) = self
                    .ctx
                    .with_rng(|rng| self.raft.step(now, env.from, msg, rng))
                {
                    self.ctx.log(format!("raft: {why}"));
                }
            }
            Msg::Db(req) => self.on_request(env, req),
            _ => {}
        }
    }

    fn on_timer(&mut self) {
        let now = self.ctx.now();
        self.ctx.with_rng(|rng| self.raft.tick(now, rng));
        if now >= self.next_recovery_us {
            self.next_recovery_us = now + self.cfg.recovery_every_us;
            self.chase_in_doubt();
        }
    }

    fn is_ready_primary(&self) -> bool {
        self.leading.is_some_and(|(_, first)| self.applied >= first)
    }

    fn not_primary(&self) -> DbReply {
        DbReply::NotPrimary {
            hint: self.raft.leader_hint().filter(|h| *h != self.ctx.id()),
        }
    }

    fn on_request(&mut self, env: Envelope, req: DbRequest) {
        match req {
            DbRequest::Read { replica: true, .. }
            | DbRequest::ReadAll { replica: true }
            | DbRequest::GetStatus => {
                let reply = self.answer_read(&req);
                self.ctx.reply(&env, Msg::DbReply(reply));
            }
            DbRequest::Exec(cmd) => self.submit(Some(env), cmd),
            _ if !self.raft.is_leader() => self.ctx.reply(&env, Msg::DbReply(self.not_primary())),
            // Broken variant for "strong stock reads linearizable" (linearizability.rs).
            #[cfg(test)]
            _ if crate::bugs::planted(crate::bugs::Bug::StrongReadSkipsBarrier) => {
                let reply = self.answer_read(&req);
                self.ctx.reply(&env, Msg::DbReply(reply));
            }
            _ if !self.is_ready_primary() => self.deferred_reads.push((env, req)),
            _ => match self.raft.propose(DbCommand::ReadBarrier) {
                Ok(index) => self.read_barriers.push((index, env, req)),
                Err(_) => self.ctx.reply(&env, Msg::DbReply(self.not_primary())),
            },
        }
    }

    /// Answers the strong reads whose barrier this primary has applied; the rest keep waiting.
    /// (A step-down answers them all with a redirect: `on_role_change`.)
    fn answer_barriered_reads(&mut self) {
        let applied = self.applied;
        let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.read_barriers)
            .into_iter()
            .partition(|(index, _, _)| *index <= applied);
        self.read_barriers = waiting;
        for (_, env, req) in due {
            let reply = self.answer_read(&req);
            self.ctx.reply(&env, Msg::DbReply(reply));
        }
    }

    fn answer_read(&self, req: &DbRequest) -> DbReply {
        let applied_index = self.applied;
        match req {
            DbRequest::Read { book, .. } => DbReply::Stock {
                book: book.clone(),
                stock: self.state.stock(book),
                reserved: self.state.reserved(book),
                applied_index,
            },
            DbRequest::ReadAll { .. } => DbReply::All {
                stock: self.state.all_stock().clone(),
                applied_index,
            },
            DbRequest::ReadDecision { txn } => DbReply::Decision(self.state.decision(txn).cloned()),
            DbRequest::GetStatus | DbRequest::Exec(_) => DbReply::Status(DbStatus {
                node: self.ctx.id(),
                role: self.raft.role().label().to_string(),
                term: self.raft.term(),
                primary: self.raft.leader_hint(),
                commit_index: self.raft.commit_index(),
                applied_index,
                prepared: self.state.prepared_count() as u32,
            }),
        }
    }

    /// A write: refused at once if malformed, redirected if we are a backup, otherwise queued
    /// on its keys' locks and proposed when it holds them.
    fn submit(&mut self, env: Option<Envelope>, cmd: DbCommand) {
        if let Err(why) = check_shape(&cmd) {
            if let Some(env) = env {
                let reply = DbReply::Written {
                    result: DbResult::Refused(DbError::Invalid { why }),
                    index: 0,
                };
                self.ctx.reply(&env, Msg::DbReply(reply));
            }
            return;
        }
        let Some((term, _)) = self.leading else {
            if let Some(env) = env {
                self.ctx.reply(&env, Msg::DbReply(self.not_primary()));
            }
            return;
        };
        let keys = self.lock_keys(&cmd);
        let (op, now) = self.ops.submit(env, cmd, keys, term);
        if now {
            self.propose(op);
        }
    }

    /// The keys a write locks: its books; for phase 2, the books of the reservation.
    fn lock_keys(&self, cmd: &DbCommand) -> Vec<String> {
        let mut keys = cmd.keys();
        if let DbCommand::Commit { txn } | DbCommand::Abort { txn } = cmd {
            if let Some(items) = self.state.reservation(txn) {
                keys.extend(items.iter().map(|i| i.book.clone()));
                keys.sort();
                keys.dedup();
            }
        }
        keys
    }

    fn propose(&mut self, op: u64) {
        let Some(cmd) = self.ops.command(op).cloned() else {
            return;
        };
        match self.raft.propose(cmd) {
            Ok(index) => {
                self.ops.proposed(op, index);
                // Broken variant for "no acknowledged write lost" (db_state_machine_safety.rs).
                #[cfg(test)]
                if crate::bugs::planted(crate::bugs::Bug::AckBeforeQuorum) {
                    self.ack_before_quorum(op, index);
                }
            }
            Err(_) => {
                if let Some((pending, granted)) = self.ops.finish(op) {
                    self.answer_retry(pending);
                    for g in granted {
                        self.propose(g);
                    }
                }
            }
        }
    }

    /// The broken primary of `Bug::AckBeforeQuorum`: answers a write the moment it is in its
    /// own log, with the result it would have if it were committed.
    #[cfg(test)]
    fn ack_before_quorum(&mut self, op: u64, index: u64) {
        let (Some(cmd), Some(env)) = (self.ops.command(op).cloned(), self.ops.take_env(op)) else {
            return;
        };
        let (result, _) = self.state.clone().apply(&cmd);
        self.fact(Fact::DbAcked {
            index,
            term: self.raft.term(),
            op: cmd.label(),
        });
        let reply = DbReply::Written { result, index };
        self.ctx.reply(&env, Msg::DbReply(reply));
    }

    fn answer_retry(&self, op: PendingOp) {
        if let Some(env) = op.env {
            self.ctx.reply(&env, Msg::DbReply(self.not_primary()));
        }
    }

    async fn handle_ready(&mut self) {
        while self.raft.has_ready() {
            let ready = self.raft.take_ready();
            self.carry_out(ready).await;
        }
    }

    async fn carry_out(&mut self, ready: Ready<DbCommand>) {
        if let Some(ops) = &ready.persist {
            // A refused write leaves the core ahead of its disk: stop rather than break a
            // promise; a restart reloads what the disk holds.
            if let Err(why) = raft_storage::apply(&self.ctx, ops) {
                return self
                    .ctx
                    .fail_stop(format!("raft persist failed: {why}"))
                    .await;
            }
            self.ctx.sync().await;
        }
        if let Some((role, term)) = ready.role_change {
            self.on_role_change(role, term);
        }
        for (to, msg) in ready.messages {
            self.ctx.send(to, Msg::DbRaft(msg));
        }
        if let Some(snapshot) = &ready.snapshot {
            if let Err(why) = self.restore(snapshot) {
                let why = format!(
                    "raft snapshot through {} unreadable: {why}",
                    snapshot.last_index
                );
                return self.ctx.fail_stop(why).await;
            }
        }
        for entry in &ready.committed {
            self.apply(entry);
        }
        self.compact_if_due();
        // Reads that waited for this term's no-op: its commit proves leadership after they
        // arrived, as a barrier would.
        if self.is_ready_primary() && !self.deferred_reads.is_empty() {
            for (env, req) in std::mem::take(&mut self.deferred_reads) {
                let reply = self.answer_read(&req);
                self.ctx.reply(&env, Msg::DbReply(reply));
            }
        }
        if self.leading.is_some() && !self.read_barriers.is_empty() {
            self.answer_barriered_reads();
        }
    }

    /// Replaces the state machine with a snapshot's (a restart, or the primary catching this
    /// replica up), and the views and in-doubt list derived from it.
    fn restore(&mut self, snapshot: &Snapshot) -> Result<(), String> {
        self.state = BooksState::from_snapshot(&snapshot.data)?;
        self.applied = snapshot.last_index;
        self.stock_view = Arc::new(self.state.all_stock().clone());
        self.reserved_view = Arc::new(self.state.all_reserved().clone());
        let prepared: Vec<String> = self.state.prepared_txns().map(|(t, _)| t.clone()).collect();
        self.in_doubt.reset_to(&prepared, self.ctx.now());
        Ok(())
    }

    /// Snapshots `BooksState` once `COMPACT_EVERY_ENTRIES` applied entries follow the last
    /// snapshot; the next Ready persists it and the log and disk forget the prefix.
    fn compact_if_due(&mut self) {
        if self.applied < self.raft.log().snapshot_index() + COMPACT_EVERY_ENTRIES {
            return;
        }
        let outcome = self.state.to_snapshot().and_then(|data| {
            self.raft
                .compact(self.applied, data)
                .map_err(|e| e.to_string())
        });
        if let Err(why) = outcome {
            self.ctx.log(format!("raft: log not compacted: {why}"));
        }
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
                for op in self.ops.drain() {
                    self.answer_retry(op);
                }
                for (env, _) in std::mem::take(&mut self.deferred_reads) {
                    self.ctx.reply(&env, Msg::DbReply(self.not_primary()));
                }
                for (_, env, _) in std::mem::take(&mut self.read_barriers) {
                    self.ctx.reply(&env, Msg::DbReply(self.not_primary()));
                }
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
            self.leading = Some((term, self.raft.log().last_index()));
        }
    }

    /// Applies one committed entry on this replica, records what it changed, and answers the
    /// client that is waiting for it (primary).
    fn apply(&mut self, entry: &Entry<DbCommand>) {
        self.applied = self.applied.max(entry.index);
        let Some(cmd) = &entry.command else {
            self.fact(Fact::DbApplied {
                cluster: CLUSTER.into(),
                index: entry.index,
                term: entry.term,
                op: "no-op",
                txn: None,
            });
            return;
        };
        // Broken variant for "stock conserved on every replica" (stock_conservation.rs).
        #[cfg(test)]
        if crate::bugs::planted(crate::bugs::Bug::BackupSkipsCommits)
            && !self.raft.is_leader()
            && matches!(cmd, DbCommand::Commit { .. })
        {
            return;
        }
        let (result, changes) = self.state.apply(cmd);
        let txn = txn_of(cmd);
        self.fact(Fact::DbApplied {
            cluster: CLUSTER.into(),
            index: entry.index,
            term: entry.term,
            op: cmd.label(),
            txn: txn.clone(),
        });
        if !changes.is_empty() {
            for c in changes {
                Arc::make_mut(&mut self.stock_view).insert(c.book.clone(), c.stock_after);
                let fact = Fact::StockChanged {
                    index: entry.index,
                    book: c.book,
                    delta: c.delta,
                    stock_after: c.stock_after,
                    txn: txn.clone(),
                };
                self.fact(fact);
            }
        }
        self.track_in_doubt(cmd);
        if let Some((op, granted)) = self.ops.take_applied(entry.index) {
            if let Some(env) = &op.env {
                if op.term == entry.term {
                    self.fact(Fact::DbAcked {
                        index: entry.index,
                        term: entry.term,
                        op: cmd.label(),
                    });
                    self.ctx.reply(
                        env,
                        Msg::DbReply(DbReply::Written {
                            result,
                            index: entry.index,
                        }),
                    );
                } else {
                    self.ctx.reply(env, Msg::DbReply(self.not_primary()));
                }
            }
            for g in granted {
                self.propose(g);
            }
        }
    }

    fn track_in_doubt(&mut self, cmd: &DbCommand) {
        match cmd {
            DbCommand::Prepare { txn, .. }
            | DbCommand::Commit { txn }
            | DbCommand::Abort { txn } => {
                if self.state.reservation(txn).is_some() {
                    self.in_doubt.prepared(txn, self.ctx.now());
                } else {
                    self.in_doubt.settled(txn);
                }
                if self.reserved_view.as_ref() != self.state.all_reserved() {
                    self.reserved_view = Arc::new(self.state.all_reserved().clone());
                }
            }
            _ => {}
        }
    }

    /// Primary: asks the coordinators about every transaction prepared for too long.
    fn chase_in_doubt(&mut self) {
        if self.is_ready_primary() {
            let coordinators = self.ctx.nodes_of(&self.cfg.coordinator_service);
            self.in_doubt
                .ask_due(&self.ctx, &coordinators, self.cfg.in_doubt_after_us);
        }
    }

    /// Carries out the outcomes the coordinators gave (as the primary's own writes).
    fn take_answers(&mut self) {
        for (txn, decision) in self.in_doubt.take_decided(&self.ctx) {
            let cmd = if decision.is_commit() {
                DbCommand::Commit { txn }
            } else {
                DbCommand::Abort { txn }
            };
            self.submit(None, cmd);
        }
    }

    fn fact(&self, fact: Fact) {
        self.ctx.trace(TraceKind::Fact(Box::new(fact)), 0, None);
    }

    fn publish_view(&mut self) {
        let deadline = (!self.raft.is_leader()).then(|| self.raft.election_deadline_us());
        self.timer.update(self.ctx.now(), deadline);
        let locks = self.ops.locks();
        let view = BooksDbView {
            role: self.raft.role().label().to_string(),
            standing: self.raft.role().into(),
            term: self.raft.term(),
            leader: self.raft.leader_hint(),
            voted_for: self.raft.voted_for(),
            timer_started_us: self.timer.started_us,
            timer_deadline_us: self.timer.deadline_us,
            commit_index: self.raft.commit_index(),
            applied_index: self.applied,
            log_len: self.raft.log().last_index(),
            stock: self.stock_view.clone(),
            reserved: self.reserved_view.clone(),
            prepared: self.state.prepared_count() as u32,
            locks_held: locks.held_keys() as u32,
            lock_waiters: locks.waiting() as u32,
            writes_in_flight: self.ops.len() as u32,
        };
        if self.last_view.as_ref() != Some(&view) {
            self.ctx.set_view(NodeView::BooksDb(view.clone()));
            self.last_view = Some(view);
        }
    }
}

fn txn_of(cmd: &DbCommand) -> Option<String> {
    match cmd {
        DbCommand::Prepare { txn, .. }
        | DbCommand::Commit { txn }
        | DbCommand::Abort { txn }
        | DbCommand::RecordDecision { txn, .. } => Some(txn.clone()),
        _ => None,
    }
}

/// Refuses writes no honest client sends, before they reach the log.
fn check_shape(cmd: &DbCommand) -> Result<(), String> {
    let long = |k: &str| k.is_empty() || k.len() > MAX_KEY_BYTES;
    match cmd {
        DbCommand::Prepare { txn, items } if items.len() > MAX_ITEMS || long(txn) => Err(format!(
            "a transaction takes 1–{MAX_ITEMS} items and a 1–{MAX_KEY_BYTES}-byte id"
        )),
        DbCommand::Prepare { items, .. } if items.iter().any(|i| long(&i.book)) => {
            Err("a book key is empty or too long".into())
        }
        DbCommand::Write { book, .. } | DbCommand::Adjust { book, .. } if long(book) => {
            Err("a book key is empty or too long".into())
        }
        _ => Ok(()),
    }
}
