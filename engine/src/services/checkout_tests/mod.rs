//! Tests of the checkout services running together on the simulated network: the orchestrator,
//! the three validators, a small test-only queue node (the real queue service lives elsewhere)
//! and a client driven from a detached task.

mod cache_tests;
mod clock_tests;
mod concurrency_tests;
mod dag_order_tests;
mod dag_state_tests;
mod fault_tests;
mod fraud_model_tests;
mod hostile_body_tests;
mod rejection_tests;
mod shop_tests;

use super::fraud::fraud_node;
use super::orchestrator::{orchestrator_node, OrchestratorConfig};
use super::suggestions::suggestions_node;
use super::validator_cache::ValidatorConfig;
use super::verification::verification_node;
use crate::checkout::{CheckoutRequest, CheckoutResponse};
use crate::clock::VectorClock;
use crate::msg::{DagEvent, Msg};
use crate::protocol::order_queue::{OrderQueue, QueueConfig, QueueEntry};
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{secs, Micros, NodeId, World, WorldConfig};
use crate::view::{NodeView, OrchestratorView, OrderDagView, ValidatorView};
use std::cell::RefCell;
use std::rc::Rc;

/// How the test queue node behaves.
#[derive(Clone, Debug)]
pub enum QueueMode {
    /// A real `OrderQueue` core: accepts, refuses duplicates and, past capacity, everything.
    Accept { capacity: u32 },
    /// No queue node at all.
    Missing,
}

pub struct Shop {
    pub world: World,
    pub client: NodeId,
    pub orchestrator: NodeId,
    pub verification: NodeId,
    pub fraud: NodeId,
    pub suggestions: NodeId,
    pub queue: Option<NodeId>,
    /// Every entry the test queue accepted, in order.
    pub queued: Rc<RefCell<Vec<QueueEntry>>>,
}

pub type Answer = Rc<RefCell<Option<Result<CheckoutResponse, String>>>>;

pub fn shop(seed: u64) -> Shop {
    shop_with(
        seed,
        OrchestratorConfig::default(),
        ValidatorConfig::default(),
        QueueMode::Accept { capacity: 10_000 },
    )
}

pub fn shop_with(
    seed: u64,
    orch: OrchestratorConfig,
    val: ValidatorConfig,
    queue: QueueMode,
) -> Shop {
    let mut world = World::new(WorldConfig::new(seed));
    let client = world
        .add_node("client", "client", |_ctx| async {})
        .expect("client");
    let orchestrator = world
        .add_node("orchestrator", "orchestrator", move |ctx| {
            orchestrator_node(ctx, orch.clone())
        })
        .expect("orchestrator");
    let v = val.clone();
    let verification = world
        .add_node("verification", "verification", move |ctx| {
            verification_node(ctx, v.clone())
        })
        .expect("verification");
    let v = val.clone();
    let fraud = world
        .add_node("fraud", "fraud", move |ctx| fraud_node(ctx, v.clone()))
        .expect("fraud");
    let suggestions = world
        .add_node("suggestions", "suggestions", move |ctx| {
            suggestions_node(ctx, val.clone())
        })
        .expect("suggestions");
    let queued = Rc::new(RefCell::new(Vec::new()));
    let queue = match queue {
        QueueMode::Missing => None,
        QueueMode::Accept { capacity } => {
            Some(add_test_queue(&mut world, capacity, queued.clone()))
        }
    };
    Shop {
        world,
        client,
        orchestrator,
        verification,
        fraud,
        suggestions,
        queue,
        queued,
    }
}

/// A stand-in for the queue service: the real `OrderQueue` core behind Enqueue only.
fn add_test_queue(
    world: &mut World,
    capacity: u32,
    queued: Rc<RefCell<Vec<QueueEntry>>>,
) -> NodeId {
    world
        .add_node("queue", "queue", move |ctx| {
            let queued = queued.clone();
            async move {
                let mut queue = OrderQueue::new(QueueConfig {
                    capacity,
                    ..QueueConfig::default()
                });
                loop {
                    let env = ctx.recv().await;
                    if let Msg::Enqueue { entry } = &env.msg {
                        let result = queue.enqueue(entry.clone()).map_err(|e| e.to_string());
                        if result.is_ok() {
                            queued.borrow_mut().push(entry.clone());
                        }
                        ctx.reply(&env, Msg::EnqueueReply { result });
                    }
                }
            }
        })
        .expect("queue")
}

impl Shop {
    /// Sends `body` as the client; the answer lands in the returned cell.
    pub fn submit(&mut self, body: String) -> Answer {
        let answer: Answer = Rc::new(RefCell::new(None));
        let (slot, ctx, to) = (
            answer.clone(),
            self.world.ctx(self.client),
            self.orchestrator,
        );
        self.world.spawn_detached(async move {
            let reply = ctx.rpc(to, Msg::Checkout { body }, secs(30), 0).await;
            let out = match reply {
                Ok(Msg::CheckoutReply { response }) => Ok(response),
                Ok(other) => Err(format!("unexpected reply {}", other.label())),
                Err(e) => Err(e.to_string()),
            };
            *slot.borrow_mut() = Some(out);
        });
        answer
    }

    /// Submits and runs the world until the answer is in (at most 10 s of virtual time).
    pub fn checkout(&mut self, body: String) -> CheckoutResponse {
        let answer = self.submit(body);
        self.run_until(secs(10), |_| answer.borrow().is_some());
        let out = answer.borrow_mut().take();
        match out {
            Some(Ok(response)) => response,
            Some(Err(e)) => panic!("the client's RPC failed: {e}"),
            None => panic!("no answer within 10 s"),
        }
    }

    /// Steps the world one unit at a time until `done` holds or `limit_us` of virtual time passed.
    pub fn run_until(&mut self, limit_us: Micros, done: impl Fn(&World) -> bool) -> bool {
        let limit = self.world.now() + limit_us;
        while !done(&self.world) {
            if !self.world.step_before(limit) {
                return false;
            }
        }
        true
    }

    pub fn orchestrator_view(&self) -> OrchestratorView {
        match self.world.view(self.orchestrator) {
            Some(NodeView::Orchestrator(v)) => v,
            other => panic!("orchestrator view is {other:?}"),
        }
    }

    pub fn order_row(&self, order_id: &str) -> OrderDagView {
        let view = self.orchestrator_view();
        view.orders
            .into_iter()
            .find(|o| o.order_id == order_id)
            .unwrap_or_else(|| panic!("{order_id} is not on the board"))
    }

    pub fn validator_view(&self, node: NodeId) -> ValidatorView {
        match self.world.view(node) {
            Some(NodeView::Validator(v)) => v,
            other => panic!("validator view is {other:?}"),
        }
    }

    /// Trace events of one order, oldest first.
    pub fn trace_of(&self, corr: u64) -> Vec<TraceEvent> {
        self.world
            .trace()
            .since(0)
            .filter(|e| e.corr == corr)
            .cloned()
            .collect()
    }

    /// The vector clock recorded by the node that ran `event` of the order `corr`.
    pub fn event_clock(&self, corr: u64, event: DagEvent) -> Option<VectorClock> {
        self.trace_of(corr).into_iter().find_map(|e| match e.kind {
            TraceKind::Event { name } if name == event.name() => e.vc,
            _ => None,
        })
    }

    /// Every log line of the order `corr`.
    pub fn logs_of(&self, corr: u64) -> Vec<String> {
        self.trace_of(corr)
            .into_iter()
            .filter_map(|e| match e.kind {
                TraceKind::Log { text } => Some(text),
                _ => None,
            })
            .collect()
    }
}

pub fn example_json() -> String {
    serde_json::to_string(&CheckoutRequest::example()).expect("the example serialises")
}

pub fn json_of(request: &CheckoutRequest) -> String {
    serde_json::to_string(request).expect("a request serialises")
}

/// A Luhn-valid 16-digit Visa test number that differs for each `n`.
pub fn visa_number(n: u64) -> String {
    let body = format!("4{:014}", n % 100_000_000_000_000);
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    // Luhn: double every second digit from the right of the full number (check digit excluded).
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The example order from buyer number `n`: its own card and e-mail, so orders are independent.
pub fn example_from_buyer(n: u64) -> CheckoutRequest {
    let mut r = CheckoutRequest::example();
    r.credit_card.number = visa_number(n);
    r.user.contact = format!("buyer{n}@example.com");
    r
}

pub fn fields(response: &CheckoutResponse) -> Vec<String> {
    response.errors.iter().map(|e| e.field.clone()).collect()
}

pub fn error_text(response: &CheckoutResponse) -> String {
    response
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
