//! A whole bookmesh deployment on one simulated world: the services of `ClusterConfig`, timed
//! inputs (checkouts and faults), the shopper, and the observer + invariant checker that read
//! the trace after every step. Inputs with a condition (`when`) wait in their own list and are
//! carried out right after the step whose trace event makes the condition true.

pub mod builder;
pub mod client;
pub mod client_history;
pub mod condition;
pub mod config;
pub mod inputs;
pub mod live;
pub mod llm_calls;
pub mod observer;
pub mod observer_window;
pub mod report;
pub mod services;
pub mod stock_reads;

#[cfg(test)]
mod clock_tests;
#[cfg(test)]
pub(crate) mod fulfilment_tests;
#[cfg(test)]
mod lease_drift_tests;
#[cfg(test)]
mod llm_tests;

use crate::invariants::Checker;
use crate::order_step::FaultKind::{self, Harm, Heal};
use crate::scenario::workload::{Workload, WorkloadStream};
use crate::sim::{Micros, NodeId, World, WorldConfig};
use client::{ClientLog, ClientRecord};
use config::ClusterConfig;
use inputs::{Action, TimedInput};
use live::LiveSettings;
use observer::Observer;
use std::rc::Rc;

/// A generated workload being fed to the run: the next order, drawn ahead so its time is known.
struct WorkloadFeed {
    spec: Workload,
    stream: WorkloadStream,
    next: Option<TimedInput>,
}

impl WorkloadFeed {
    fn advance(&mut self) -> Option<TimedInput> {
        let taken = self.next.take();
        self.next = self.stream.next_input();
        taken
    }
}

pub struct System {
    world: World,
    cfg: ClusterConfig,
    /// Inputs not yet applied, in time order (stable for equal times). A deque: a generated
    /// stream holds one input per order, and taking each from the front of a Vec was O(n).
    pending: std::collections::VecDeque<TimedInput>,
    /// Inputs waiting for their condition, in the order they were scheduled (which is the
    /// order they are carried out in when one event satisfies several).
    waiting: Vec<TimedInput>,
    /// Inputs applied so far, in order: with the config, the seed and the workload, the whole
    /// run.
    applied: Vec<TimedInput>,
    /// A generated workload, drawn one order at a time as the run reaches it. Its inputs are
    /// not kept in `applied`: its rate, duration and seed reproduce them.
    workload: Option<WorkloadFeed>,
    client: Option<NodeId>,
    client_log: ClientLog,
    /// Handles on what the `stock_reads` and `decline_rate` inputs change (see `live.rs`).
    reader: Option<Rc<crate::services::stock_reader::StockReader>>,
    declines: Option<crate::services::payment::SharedDeclines>,
    /// Where LLM requests wait for their replies (with the checkout services only).
    llm: Option<crate::services::llm_desk::LlmDesk>,
    live: LiveSettings,
    /// For naming ordered books as the database does (loaded once, with a reader only).
    catalog: Option<Rc<crate::catalog::Catalog>>,
    pub observer: Observer,
    pub checker: Checker,
    /// The nemesis, while it is on (`Action::Nemesis`): its drawn faults not yet carried out.
    nemesis: Option<crate::nemesis::live::LiveNemesis>,
    /// A receipt for every fault carried out: what it did in the window after it.
    pub receipts: crate::nemesis::receipts::Ledger,
    /// Inputs that could not be carried out (restart of a running node, …), with time.
    pub input_errors: Vec<(Micros, String)>,
}

impl System {
    pub fn new(cfg: ClusterConfig, seed: u64) -> Result<Self, String> {
        cfg.validate()?;
        let mut wc = WorldConfig::new(seed);
        wc.link = cfg.link();
        wc.trace_capacity = cfg.trace_capacity as usize;
        wc.disk = cfg.disk.default_config();
        let mut world = World::new(wc);
        let built = builder::build(&mut world, &cfg)?;
        let catalog = match built.reader {
            Some(_) => Some(Rc::new(crate::catalog::Catalog::embedded()?)),
            None => None,
        };
        for (name, disk) in cfg.disk.overrides() {
            let id = world
                .node_id(name)
                .ok_or_else(|| format!("cluster.disk.nodes: no node named {name:?}"))?;
            world.set_disk_config(id, disk)?;
        }
        let checker = Checker::for_config(&cfg);
        Ok(Self {
            world,
            live: LiveSettings::of(&cfg),
            cfg,
            pending: Default::default(),
            waiting: Vec::new(),
            applied: Vec::new(),
            workload: None,
            client: built.client,
            client_log: Default::default(),
            reader: built.reader,
            declines: built.declines,
            llm: built.llm,
            catalog,
            observer: Observer::default(),
            checker,
            nemesis: None,
            receipts: Default::default(),
            input_errors: Vec::new(),
        })
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    pub fn seed(&self) -> u64 {
        self.world.seed()
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    pub fn now(&self) -> Micros {
        self.world.now()
    }

    /// Checks that every node an input names exists and the world runs what it acts on.
    fn validate(&self, input: &TimedInput) -> Result<(), String> {
        for name in input.node_names() {
            if self.world.node_id(name).is_none() {
                return Err(format!("no node named {name:?}"));
            }
        }
        if let Action::Clock { node, .. } = &input.action {
            if node == config::TRUE_TIME_NODE {
                return Err(format!(
                    "clock: {node} stands for the shopper outside the system and keeps true time"
                ));
            }
        }
        // Every condition watches 2PC or payment facts: without them it could never hold.
        if input.when.is_some() && (self.cfg.db_nodes == 0 || !self.cfg.checkout) {
            return Err(
                "when: this world runs no books database or payment node (cluster.db_nodes is 0), so the condition can never hold"
                    .into(),
            );
        }
        match &input.action {
            Action::Checkout(_) if self.client.is_none() => {
                Err("this world runs no checkout services".into())
            }
            Action::StockReads(_) if self.reader.is_none() => {
                Err("this world runs no books database to read stock from".into())
            }
            Action::DeclineRate { .. } if self.declines.is_none() => {
                Err("this world runs no payment service".into())
            }
            Action::DeclineRate { brand, rate } => {
                inputs::check_decline_rate(brand.as_deref(), *rate)
            }
            Action::Llm { .. } | Action::LlmReply { .. } if self.llm.is_none() => {
                Err("this world runs no checkout services to ask the LLM".into())
            }
            _ => Ok(()),
        }
    }

    /// Adds inputs to run at their times (or on their conditions). All are checked first: one
    /// bad input adds none.
    pub fn schedule(&mut self, inputs: Vec<TimedInput>) -> Result<(), String> {
        for (i, input) in inputs.iter().enumerate() {
            self.validate(input)
                .map_err(|e| format!("inputs[{i}]: {e}"))?;
        }
        let (conditional, timed): (Vec<_>, Vec<_>) =
            inputs.into_iter().partition(|i| i.when.is_some());
        self.waiting.extend(conditional);
        self.pending.extend(timed);
        self.pending.make_contiguous().sort_by_key(|i| i.at_ms);
        Ok(())
    }

    /// Feeds a generated workload into the run, one order at a time (see `WorkloadFeed`).
    pub fn stream_workload(&mut self, workload: Workload) {
        let mut stream = workload.stream();
        let next = stream.next_input();
        self.workload = Some(WorkloadFeed {
            spec: workload,
            stream,
            next,
        });
    }

    /// The generated workload this run streams, if any.
    pub fn workload(&self) -> Option<Workload> {
        self.workload.as_ref().map(|f| f.spec)
    }

    /// When the next timed input is due: the scenario's or the user's, the generated
    /// workload's, or the nemesis's.
    fn next_input_at_us(&mut self) -> Option<Micros> {
        let (scheduled, generated, drawn) = self.next_input_times_ms();
        [scheduled, generated, drawn]
            .into_iter()
            .flatten()
            .min()
            .map(|ms| ms * 1000)
    }

    fn next_input_times_ms(&mut self) -> (Option<u64>, Option<u64>, Option<u64>) {
        let scheduled = self.pending.front().map(|i| i.at_ms);
        let generated = self
            .workload
            .as_ref()
            .and_then(|f| f.next.as_ref())
            .map(|i| i.at_ms);
        let drawn = self.nemesis.as_mut().and_then(|n| n.next_at_ms());
        (scheduled, generated, drawn)
    }

    /// Takes the next timed input, and whether it is recorded in `applied` (a generated one is
    /// not: the workload's rate, duration and seed reproduce it). At equal times scheduled
    /// inputs go first, then generated ones, then the nemesis's.
    fn take_next_input(&mut self) -> Option<(TimedInput, bool)> {
        let (scheduled, generated, drawn) = self.next_input_times_ms();
        let first = [scheduled, generated, drawn].into_iter().flatten().min()?;
        if scheduled == Some(first) {
            return self.pending.pop_front().map(|i| (i, true));
        }
        if generated == Some(first) {
            return self.workload.as_mut()?.advance().map(|i| (i, false));
        }
        self.nemesis.as_mut()?.pop().map(|i| (i, true))
    }

    /// Applies `action` at the next whole millisecond (so a replay can hit the same instant).
    pub fn act(&mut self, action: Action) -> Result<u64, String> {
        let at_ms = self.now().div_ceil(1000);
        let input = TimedInput::at(at_ms, action);
        self.validate(&input)?;
        let pos = self.pending.partition_point(|i| i.at_ms <= at_ms);
        self.pending.insert(pos, input);
        Ok(at_ms)
    }

    pub fn applied_inputs(&self) -> &[TimedInput] {
        &self.applied
    }

    pub fn pending_inputs(&self) -> impl Iterator<Item = &TimedInput> {
        self.pending.iter()
    }

    /// Inputs whose condition has not held yet (at the end of a run: never did).
    pub fn waiting_inputs(&self) -> &[TimedInput] {
        &self.waiting
    }

    /// Runs to virtual time `t`, applying due inputs and checking invariants after every step.
    pub fn run_until(&mut self, t: Micros) {
        self.run(t, false);
    }

    /// `run_until`, but stops right after the step that leaves an LLM request with no reply
    /// scheduled (returning true): the page then fetches the answer while virtual time waits,
    /// and records it at this very moment. Replays use `run_until`: their replies are inputs.
    pub fn run_until_llm_asks(&mut self, t: Micros) -> bool {
        self.run(t, true)
    }

    fn run(&mut self, t: Micros, stop_for_llm: bool) -> bool {
        if stop_for_llm && self.llm_needs_reply() {
            return true;
        }
        loop {
            let next_input = self.next_input_at_us().filter(|at| *at <= t);
            let target = next_input.unwrap_or(t);
            while self.world.step_before(target) {
                self.observe();
                if stop_for_llm && self.llm_needs_reply() {
                    return true;
                }
            }
            self.world.run_until(target);
            if next_input.is_none() {
                break;
            }
            let Some((input, recorded)) = self.take_next_input() else {
                break;
            };
            self.apply(input, recorded);
            self.observe();
        }
        false
    }

    /// The nemesis's settings while it is on.
    pub fn nemesis(&self) -> Option<&crate::nemesis::NemesisSettings> {
        self.live.nemesis.as_ref()
    }

    /// Advances to the next thing that shows in the trace, or to `limit`.
    pub fn step_visible(&mut self, limit: Micros) -> bool {
        let target = self.next_input_at_us().map_or(limit, |at| at.min(limit));
        let progressed = self.world.step_visible(target);
        if !progressed {
            self.run_until(target);
        }
        self.observe();
        progressed || target < limit
    }

    /// Reads the new trace events, then carries out the inputs they satisfied — whose own
    /// events (a crash) are read in turn. Ends: each round takes inputs off `waiting`.
    fn observe(&mut self) {
        loop {
            let fired = self.observe_new_events();
            if fired.is_empty() {
                return;
            }
            for input in fired {
                self.apply(input, true);
            }
        }
    }

    /// Feeds new events to the observer and checker; returns the waiting inputs they fired.
    fn observe_new_events(&mut self) -> Vec<TimedInput> {
        let trace = self.world.trace();
        let mut fired = Vec::new();
        let mut forget_settled = false;
        if trace.total() == self.observer.next_seq() {
            return fired;
        }
        for ev in trace.since(self.observer.next_seq()) {
            self.observer.observe(ev);
            self.checker.check(ev, &self.observer);
            forget_settled |= self
                .observer
                .next_seq()
                .is_multiple_of(observer_window::FORGET_EVERY_EVENTS);
            self.receipts.observe(ev);
            if !self.waiting.iter().any(|i| i.fires_on(ev)) {
                continue;
            }
            let (hit, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiting)
                .into_iter()
                .partition(|i| i.fires_on(ev));
            self.waiting = rest;
            fired.extend(hit);
        }
        drop(trace);
        if forget_settled {
            self.forget_settled();
        }
        fired
    }

    /// Bounds what the run remembers per order (`observer_window.rs`): first the approved
    /// orders whose fate is settled leave the client's list (they can never be lost now), then
    /// the observer forgets its oldest settled facts.
    fn forget_settled(&mut self) {
        let approved = std::mem::take(&mut self.client_log.borrow_mut().approved);
        let open: Vec<String> = approved
            .into_iter()
            .filter(|id| !crate::invariants::no_order_lost::has_outcome(self, id))
            .collect();
        self.client_log.borrow_mut().approved = open;
        self.observer.forget_settled();
    }

    fn node(&self, name: &str) -> Result<NodeId, String> {
        self.world
            .node_id(name)
            .ok_or_else(|| format!("no node named {name:?}"))
    }

    fn apply(&mut self, input: TimedInput, recorded: bool) {
        self.receipts.open(&input, self.now(), &self.world);
        let result = self.carry_out(&input.action);
        if let Err(e) = result {
            self.input_errors.push((self.now(), e));
        }
        if recorded {
            self.applied.push(input);
        }
    }

    fn carry_out(&mut self, action: &Action) -> Result<(), String> {
        let w = &mut self.world;
        match action {
            Action::Checkout(body) => {
                let client = self.client.ok_or("no client")?;
                let orch = w.node_id("orchestrator").ok_or("no orchestrator")?;
                let slot = self.client_log.borrow_mut().push(ClientRecord {
                    submitted_at_us: w.now(),
                    body: body.clone(),
                    response: None,
                    answered_at_us: None,
                    error: None,
                });
                let ctx = w.ctx(client);
                client::publish(&ctx, &self.client_log);
                w.spawn_detached(client::submit(ctx, orch, self.client_log.clone(), slot));
                self.watch_ordered_books(body);
                Ok(())
            }
            Action::StockReads(mode) => self.set_stock_reads(*mode),
            Action::Nemesis(settings) => {
                self.set_nemesis(settings.clone());
                Ok(())
            }
            Action::DeclineRate { brand, rate } => self.set_decline_rate(brand.as_deref(), *rate),
            Action::Llm { on } => self.set_llm(*on),
            Action::LlmReply { request, reply } => self.deliver_llm_reply(*request, reply),
            Action::Crash(n) => {
                let id = self.node(n)?;
                self.world.crash(id)
            }
            Action::Restart(n) => {
                let id = self.node(n)?;
                self.world.restart(id)
            }
            Action::Pause(n) => {
                let id = self.node(n)?;
                self.world.pause(id)
            }
            Action::Resume(n) => {
                let id = self.node(n)?;
                self.world.resume(id)
            }
            Action::Partition(groups) => {
                let ids = groups
                    .iter()
                    .map(|g| {
                        g.iter()
                            .map(|n| self.node(n))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let text = format!(
                    "partition {}",
                    groups
                        .iter()
                        .map(|g| g.join(","))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                self.world.net_fault(text, |net| net.partition(&ids));
                Ok(())
            }
            Action::PartitionOneWay(a, b) => {
                self.link_fault(a, b, "one-way partition", Harm, |net, x, y| {
                    net.partition_one_way(x, y)
                })
            }
            Action::Heal => {
                self.world
                    .net_change(FaultKind::Heal, "heal all", |net| net.heal_all());
                Ok(())
            }
            Action::Cut(a, b) => self.link_fault(a, b, "cut", Harm, |net, x, y| net.cut_link(x, y)),
            Action::HealLink(a, b) => {
                self.link_fault(a, b, "heal", Heal, |net, x, y| net.heal_link(x, y))
            }
            Action::Hold(a, b) => self.link_fault(a, b, "hold", Harm, |net, x, y| net.hold(x, y)),
            Action::Release(a, b) => {
                self.link_fault(a, b, "release", Heal, |net, x, y| net.release(x, y))
            }
            Action::Loss(p) => {
                let ppm = config::ppm(*p);
                self.world
                    .net_fault(format!("loss {:.1}%", *p * 100.0), |net| {
                        net.default_link.loss_ppm = ppm
                    });
                Ok(())
            }
            Action::Duplicate(p) => {
                let ppm = config::ppm(*p);
                self.world
                    .net_fault(format!("duplicate {:.1}%", *p * 100.0), |net| {
                        net.default_link.duplicate_ppm = ppm
                    });
                Ok(())
            }
            Action::Reorder(on) => {
                let (kind, text) = if *on {
                    (Harm, "reorder on")
                } else {
                    (Heal, "reorder off")
                };
                self.world
                    .net_change(kind, text, |net| net.default_link.reorder = *on);
                Ok(())
            }
            Action::Latency { base_ms, jitter_ms } => {
                let (b, j) = (*base_ms * 1000, *jitter_ms * 1000);
                self.world
                    .net_fault(format!("latency {base_ms}±{jitter_ms} ms"), |net| {
                        net.default_link.latency_base_us = b;
                        net.default_link.jitter_us = j;
                    });
                Ok(())
            }
            Action::Slow { node, extra_ms } => {
                let id = self.node(node)?;
                let us = *extra_ms * 1000;
                self.world
                    .net_fault(format!("slow {node} +{extra_ms} ms"), |net| {
                        net.set_node_delay(id, us)
                    });
                Ok(())
            }
            Action::Clock {
                node,
                skew_ms,
                drift_ppm,
            } => self.set_clock(node, *skew_ms, *drift_ppm),
            Action::ModelOutage { model, on } => {
                self.world.set_flag(&format!("model-down:{model}"), *on);
                Ok(())
            }
            Action::DiskFull { .. } | Action::CorruptDisk(_) => self.disk_fault(action),
            Action::RestartCrashed => {
                let crashed: Vec<NodeId> = self
                    .world
                    .nodes()
                    .iter()
                    .filter(|n| n.liveness == crate::sim::Liveness::Crashed)
                    .map(|n| n.id)
                    .collect();
                // One node that refuses to start (a torn disk) must not keep the others down.
                let refused: Vec<String> = crashed
                    .into_iter()
                    .filter_map(|id| self.world.restart(id).err())
                    .collect();
                if refused.is_empty() {
                    Ok(())
                } else {
                    Err(refused.join("; "))
                }
            }
            Action::CrashLeader(cluster) => {
                let leader = self.leader_of(cluster)?;
                self.world.crash(leader)
            }
            Action::IsolateLeader(cluster) => {
                let leader = self.leader_of(cluster)?;
                let rest: Vec<NodeId> = self
                    .world
                    .nodes()
                    .iter()
                    .map(|n| n.id)
                    .filter(|id| *id != leader)
                    .collect();
                let name = self.world.nodes()[leader.0 as usize].name.clone();
                self.world
                    .net_fault(format!("isolate leader {name}"), |net| {
                        net.partition(&[vec![leader], rest])
                    });
                Ok(())
            }
        }
    }

    fn disk_fault(&mut self, action: &Action) -> Result<(), String> {
        match action {
            Action::DiskFull { node, on } => {
                let id = self.node(node)?;
                self.world.set_disk_full(id, *on)
            }
            Action::CorruptDisk(n) => {
                let id = self.node(n)?;
                self.world.corrupt_disk(id).map(|_| ())
            }
            _ => Ok(()),
        }
    }

    fn set_clock(
        &mut self,
        node: &str,
        skew_ms: Option<i64>,
        drift_ppm: i64,
    ) -> Result<(), String> {
        let id = self.node(node)?;
        let skew_us = skew_ms.map(|s| s.saturating_mul(1000));
        self.world.set_clock(id, skew_us, drift_ppm)
    }

    /// The live node currently leading `cluster`, per the trace.
    fn leader_of(&self, cluster: &str) -> Result<NodeId, String> {
        self.observer
            .current_leader(cluster)
            .map(|s| s.node)
            .filter(|id| self.world.liveness(*id) == Some(crate::sim::Liveness::Up))
            .ok_or_else(|| format!("{cluster} has no leader right now"))
    }

    fn link_fault(
        &mut self,
        a: &str,
        b: &str,
        verb: &str,
        kind: FaultKind,
        f: impl FnOnce(&mut crate::sim::net::Network, NodeId, NodeId),
    ) -> Result<(), String> {
        let (x, y) = (self.node(a)?, self.node(b)?);
        self.world
            .net_change(kind, format!("{verb} {a}→{b}"), |net| f(net, x, y));
        Ok(())
    }

    /// The stock every database replica started from (None without a books database).
    pub fn initial_stock(&self) -> Option<std::collections::BTreeMap<String, u32>> {
        if self.cfg.db_nodes == 0 || !self.cfg.checkout {
            return None;
        }
        let catalog = crate::catalog::Catalog::embedded().ok()?;
        Some(crate::protocol::books_db::initial_stock(
            &catalog,
            &self.cfg.stock,
        ))
    }

    /// The linearizability verdicts over the books database's client history so far (None
    /// without a books database). A search: call it at the end of a run or on request.
    pub fn linearizability(&self) -> Option<crate::invariants::linearizability::Report> {
        let initial = self.initial_stock()?;
        Some(crate::invariants::linearizability::report(
            &self.observer.history,
            &initial,
        ))
    }

    /// A copy of the newest `client::RECORDS_KEPT` checkout records (O(records): for reports
    /// and tests, not per step).
    pub fn client_records(&self) -> Vec<ClientRecord> {
        self.client_log.borrow().records.iter().cloned().collect()
    }

    /// Every order the client was told is approved, oldest first.
    pub fn approved_order_ids(&self) -> Vec<String> {
        self.client_log.borrow().approved.clone()
    }

    /// Checkouts the client ever sent (records beyond the window included).
    pub fn checkouts_submitted(&self) -> usize {
        self.client_log.borrow().submitted()
    }
}
