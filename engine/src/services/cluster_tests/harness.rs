//! A world with a queue, an executor cluster (and a lock node in lease mode) and a client, plus
//! the facts the tests assert on, collected from the trace as it is written (so the bounded
//! trace ring can never hide an early event).

use crate::msg::Msg;
use crate::protocol::order_queue::{QueueConfig, QueueEntry, ShippingMethod};
use crate::services::executor::{add_executor_cluster, ElectionAlgorithm, ExecutorConfig};
use crate::services::lock::{add_lock, LockServiceConfig};
use crate::services::queue::{add_queue, QueueServiceConfig};
use crate::sim::trace::TraceKind;
use crate::sim::{ms, secs, LinkConfig, Micros, NodeId, World, WorldConfig};
use crate::view::{ExecutorView, NodeView, QueueView};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

/// One trace event the cluster tests care about.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub t_us: Micros,
    pub node: NodeId,
    pub kind: TraceKind,
}

pub struct Cluster {
    pub world: World,
    pub queue: NodeId,
    pub lock: Option<NodeId>,
    pub executors: Vec<NodeId>,
    pub client: NodeId,
    pub facts: Rc<RefCell<Vec<Fact>>>,
    /// Orders the queue has confirmed (the client retries each until it is confirmed).
    pub confirmed: Rc<RefCell<BTreeSet<String>>>,
    /// Orders handed to the client, confirmed or not yet.
    pub submitted: Vec<String>,
}

pub struct Setup {
    pub seed: u64,
    pub algorithm: ElectionAlgorithm,
    pub executors: u32,
    pub link: LinkConfig,
    pub queue: QueueConfig,
    /// The deliberate bug: Raft executors send before their sync completes.
    pub send_before_sync: bool,
}

impl Setup {
    pub fn new(seed: u64, algorithm: ElectionAlgorithm) -> Self {
        Self {
            seed,
            algorithm,
            executors: 3,
            link: LinkConfig::default(),
            queue: QueueConfig::default(),
            send_before_sync: false,
        }
    }
}

fn is_fact(kind: &TraceKind) -> bool {
    matches!(
        kind,
        TraceKind::Leader { .. }
            | TraceKind::StepDown { .. }
            | TraceKind::Dequeued { .. }
            | TraceKind::Executed { .. }
            | TraceKind::Order { .. }
            | TraceKind::Crash
            | TraceKind::Restart { .. }
    ) || matches!(
        kind,
        TraceKind::Send {
            label: "AckOrder" | "Vote✓",
            ..
        }
    )
}

pub fn build(setup: Setup) -> Cluster {
    let mut cfg = WorldConfig::new(setup.seed);
    cfg.link = setup.link;
    let mut world = World::new(cfg);
    let facts = Rc::new(RefCell::new(Vec::new()));
    let sink = facts.clone();
    world.set_trace_sink(Some(Box::new(move |ev| {
        if is_fact(&ev.kind) {
            sink.borrow_mut().push(Fact {
                t_us: ev.t_us,
                node: ev.node,
                kind: ev.kind.clone(),
            });
        }
    })));
    let queue_cfg = QueueServiceConfig {
        queue: setup.queue,
        ..Default::default()
    };
    let queue = add_queue(&mut world, queue_cfg).expect("queue node");
    let lock = match setup.algorithm {
        ElectionAlgorithm::Lease(_) => {
            Some(add_lock(&mut world, LockServiceConfig::default()).expect("lock node"))
        }
        _ => None,
    };
    let client = world
        .add_node("client", "client", |ctx| async move {
            loop {
                ctx.recv().await;
            }
        })
        .expect("client node");
    let exec_cfg = ExecutorConfig {
        algorithm: setup.algorithm,
        send_before_sync: setup.send_before_sync,
        ..Default::default()
    };
    let executors = add_executor_cluster(&mut world, setup.executors, exec_cfg).expect("executors");
    Cluster {
        world,
        queue,
        lock,
        executors,
        client,
        facts,
        confirmed: Rc::new(RefCell::new(BTreeSet::new())),
        submitted: Vec::new(),
    }
}

pub fn entry(
    order_id: &str,
    shipping: ShippingMethod,
    quantity: u32,
    gift_wrap: bool,
) -> QueueEntry {
    QueueEntry {
        order_id: order_id.to_string(),
        total_quantity: quantity,
        shipping,
        gift_wrap,
        country: None,
        enqueued_at_us: 0,
        payload: "{}".to_string(),
    }
}

impl Cluster {
    /// Hands an order to the client, which enqueues it and retries until the queue confirms.
    pub fn submit(&mut self, e: QueueEntry) {
        let ctx = self.world.ctx(self.client);
        let (queue, confirmed) = (self.queue, self.confirmed.clone());
        self.submitted.push(e.order_id.clone());
        self.world.spawn_detached(async move {
            loop {
                let reply = ctx
                    .rpc(queue, Msg::Enqueue { entry: e.clone() }, secs(1), 0)
                    .await;
                match reply {
                    Ok(Msg::EnqueueReply { result: Ok(_) }) => {
                        confirmed.borrow_mut().insert(e.order_id.clone());
                        return;
                    }
                    Ok(Msg::EnqueueReply { result: Err(why) }) => {
                        panic!("enqueue of {} refused: {why}", e.order_id)
                    }
                    _ => ctx.sleep(ms(500)).await,
                }
            }
        });
    }

    pub fn facts(&self) -> Vec<Fact> {
        self.facts.borrow().clone()
    }

    /// (time, node, term) of every Leader event, in order.
    pub fn leaders(&self) -> Vec<(Micros, NodeId, u64)> {
        self.facts
            .borrow()
            .iter()
            .filter_map(|f| match f.kind {
                TraceKind::Leader { term, .. } => Some((f.t_us, f.node, term)),
                _ => None,
            })
            .collect()
    }

    /// Runs until a Leader event matching `pred` appears (checked every 10 ms) or `limit` passes.
    pub fn run_until_leader(
        &mut self,
        limit: Micros,
        pred: impl Fn(Micros, NodeId, u64) -> bool,
    ) -> Option<(Micros, NodeId, u64)> {
        let end = self.world.now() + limit;
        while self.world.now() < end {
            if let Some(found) = self
                .leaders()
                .into_iter()
                .find(|(t, n, term)| pred(*t, *n, *term))
            {
                return Some(found);
            }
            self.world.run_for(ms(10));
        }
        self.leaders()
            .into_iter()
            .find(|(t, n, term)| pred(*t, *n, *term))
    }

    /// Steps the world one unit at a time until `pred` holds for the facts (or `limit` passes).
    pub fn step_until(&mut self, limit: Micros, pred: impl Fn(&[Fact]) -> bool) -> bool {
        let end = self.world.now() + limit;
        while !pred(&self.facts.borrow()) {
            if !self.world.step_before(end) {
                return pred(&self.facts.borrow());
            }
        }
        true
    }

    pub fn executor_view(&self, id: NodeId) -> Option<ExecutorView> {
        match self.world.view(id) {
            Some(NodeView::Executor(v)) => Some(v),
            _ => None,
        }
    }

    pub fn queue_view(&self) -> Option<QueueView> {
        match self.world.view(self.queue) {
            Some(NodeView::Queue(v)) => Some(v),
            _ => None,
        }
    }

    /// Live executors whose view says they lead.
    pub fn current_leaders(&self) -> Vec<NodeId> {
        self.executors
            .iter()
            .copied()
            .filter(|id| self.executor_view(*id).is_some_and(|v| v.role == "leader"))
            .collect()
    }

    pub fn order_events(&self, order_id: &str, status: &str) -> usize {
        self.facts
            .borrow()
            .iter()
            .filter(|f| matches!(&f.kind, TraceKind::Order { order_id: o, status: s } if o == order_id && s == status))
            .count()
    }
}

pub use crate::testing::seeds;

/// Runs `run` for every seed; on any failure panics listing each failing seed with a one-line
/// command that reruns it.
pub fn for_seeds<T>(test: &str, seeds: Vec<u64>, run: impl Fn(u64) -> Result<T, String>) -> Vec<T> {
    let mut outs = Vec::new();
    let mut failures = Vec::new();
    for seed in seeds {
        match run(seed) {
            Ok(x) => outs.push(x),
            Err(why) => failures.push(format!(
                "seed {seed}: {why}\n  reproduce: SEED={seed} cargo test -p engine {test}"
            )),
        }
    }
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(5).collect();
        panic!(
            "{} seed(s) failed:\n{}",
            failures.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    outs
}
