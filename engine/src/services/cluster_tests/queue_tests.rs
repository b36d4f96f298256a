//! The queue node on its own, driven by test code posing as executors ("executor" service nodes
//! that only make the calls the test spells out) and as the orchestrator.

use super::harness::{entry, Fact};
use crate::msg::{DequeueResult, Msg};
use crate::protocol::order_queue::{Lease, QueueConfig, QueueEntry, QueueStatus, ShippingMethod};
use crate::services::queue::{add_queue, QueueServiceConfig};
use crate::sim::trace::TraceKind;
use crate::sim::{secs, NodeId, RpcError, World, WorldConfig};
use std::cell::RefCell;
use std::rc::Rc;

struct Bench {
    world: World,
    queue: NodeId,
    exec: [NodeId; 2],
    client: NodeId,
    facts: Rc<RefCell<Vec<Fact>>>,
    requests: u64,
}

fn idle(world: &mut World, name: &str, service: &str) -> NodeId {
    world
        .add_node(name, service, |ctx| async move {
            loop {
                ctx.recv().await;
            }
        })
        .expect("unique node name")
}

fn bench(lease_us: u64) -> Bench {
    let mut world = World::new(WorldConfig::new(7));
    let facts = Rc::new(RefCell::new(Vec::new()));
    let sink = facts.clone();
    world.set_trace_sink(Some(Box::new(move |ev| {
        if matches!(
            ev.kind,
            TraceKind::Order { .. } | TraceKind::Dequeued { .. }
        ) {
            sink.borrow_mut().push(Fact {
                t_us: ev.t_us,
                node: ev.node,
                kind: ev.kind.clone(),
            });
        }
    })));
    let cfg = QueueServiceConfig {
        queue: QueueConfig {
            lease_us,
            ..Default::default()
        },
        ..Default::default()
    };
    let queue = add_queue(&mut world, cfg).expect("queue");
    let exec = [
        idle(&mut world, "executor-0", "executor"),
        idle(&mut world, "executor-1", "executor"),
    ];
    let client = idle(&mut world, "client", "client");
    Bench {
        world,
        queue,
        exec,
        client,
        facts,
        requests: 0,
    }
}

impl Bench {
    fn next_request(&mut self) -> u64 {
        self.requests += 1;
        self.requests
    }

    /// Sends `msg` from `from` and runs the world until the reply (or the deadline) is in.
    fn call(&mut self, from: NodeId, msg: Msg) -> Result<Msg, RpcError> {
        let out = Rc::new(RefCell::new(None));
        let (o, ctx, queue) = (out.clone(), self.world.ctx(from), self.queue);
        self.world.spawn_detached(async move {
            let reply = ctx.rpc(queue, msg, secs(1), 0).await;
            *o.borrow_mut() = Some(reply);
        });
        while out.borrow().is_none() {
            self.world.step_before(u64::MAX);
        }
        out.take().expect("reply or deadline")
    }

    fn enqueue(&mut self, e: QueueEntry) -> Result<u32, String> {
        match self.call(self.client, Msg::Enqueue { entry: e }) {
            Ok(Msg::EnqueueReply { result }) => result,
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn dequeue(&mut self, exec: usize, term: u64) -> Result<DequeueResult, RpcError> {
        let request_id = self.next_request();
        match self.call(self.exec[exec], Msg::Dequeue { term, request_id })? {
            Msg::DequeueReply { result } => Ok(result),
            other => panic!("unexpected reply {other:?}"),
        }
    }

    fn leased(&mut self, exec: usize, term: u64) -> Lease {
        match self.dequeue(exec, term) {
            Ok(DequeueResult::Leased(lease)) => lease,
            other => panic!("expected a lease, got {other:?}"),
        }
    }

    fn ack(&mut self, exec: usize, lease: &Lease, term: u64) -> Result<(), String> {
        let msg = Msg::AckOrder {
            order_id: lease.order_id().to_string(),
            lease_id: lease.lease_id,
            term,
        };
        match self.call(self.exec[exec], msg) {
            Ok(Msg::AckReply { result }) => result,
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn status(&mut self) -> QueueStatus {
        match self.call(self.client, Msg::QueueStatusRequest) {
            Ok(Msg::QueueStatusReply { status }) => status,
            other => panic!("unexpected {other:?}"),
        }
    }

    fn order_events(&self, status: &str) -> Vec<String> {
        self.facts
            .borrow()
            .iter()
            .filter_map(|f| match &f.kind {
                TraceKind::Order {
                    order_id,
                    status: s,
                } if s == status => Some(order_id.clone()),
                _ => None,
            })
            .collect()
    }
}

#[test]
fn status_reports_length_head_and_counts_per_shipping_method() {
    let mut b = bench(secs(10));
    b.enqueue(entry("std", ShippingMethod::Standard, 1, false))
        .expect("enqueue");
    b.enqueue(entry("exp", ShippingMethod::Express, 1, false))
        .expect("enqueue");
    b.enqueue(entry("pri", ShippingMethod::Priority, 5, true))
        .expect("enqueue");
    let s = b.status();
    assert_eq!((s.length, s.head.as_deref()), (3, Some("exp")));
    assert_eq!(
        (
            s.by_shipping.standard,
            s.by_shipping.priority,
            s.by_shipping.express
        ),
        (1, 1, 1)
    );
    let order: Vec<String> = (0..3)
        .map(|_| b.leased(0, 1).order_id().to_string())
        .collect();
    assert_eq!(order, ["exp", "pri", "std"]);
}

#[test]
fn an_acknowledged_enqueue_survives_a_queue_crash_at_the_moment_of_the_reply() {
    let mut b = bench(secs(10));
    for i in 0..3 {
        b.enqueue(entry(&format!("o{i}"), ShippingMethod::Standard, 1, false))
            .expect("enqueue");
        // The reply has just been handled: nothing after it ran on the queue. Crash it now.
        b.world.crash(b.queue).expect("crash");
        b.world.restart(b.queue).expect("restart");
    }
    let s = b.status();
    assert_eq!(
        s.length, 3,
        "every acknowledged order is back after the restarts"
    );
    assert_eq!(
        b.enqueue(entry("o1", ShippingMethod::Standard, 1, false)),
        Ok(s_position(&b, "o1"))
    );
}

/// Where `id` waits now (the answer a retried enqueue gets).
fn s_position(b: &Bench, id: &str) -> u32 {
    match b.world.view(b.queue) {
        Some(crate::view::NodeView::Queue(v)) => {
            v.waiting.iter().position(|o| o.order_id == id).unwrap_or(0) as u32
        }
        _ => panic!("queue has no view"),
    }
}

#[test]
fn an_unacknowledged_lease_comes_back_and_only_the_new_lease_can_ack() {
    let mut b = bench(secs(2));
    b.enqueue(entry("o1", ShippingMethod::Express, 2, false))
        .expect("enqueue");
    let first = b.leased(0, 1);
    b.world.run_for(secs(3));
    assert_eq!(b.order_events("redelivered"), ["o1"]);
    let second = b.leased(1, 2);
    assert_eq!((second.order_id(), second.order.deliveries), ("o1", 2));
    assert!(
        b.ack(0, &first, 1).is_err(),
        "the expired lease (and a fenced term) cannot ack"
    );
    assert_eq!(b.ack(1, &second, 2), Ok(()));
    assert_eq!(b.order_events("acked"), ["o1"]);
    assert_eq!(
        b.dequeue(0, 2),
        Ok(DequeueResult::Empty),
        "an acked order never comes back"
    );
}

#[test]
fn a_deposed_leaders_dequeue_is_fenced_but_it_may_ask_again_about_its_decided_ack() {
    let mut b = bench(secs(10));
    b.enqueue(entry("o1", ShippingMethod::Standard, 1, false))
        .expect("enqueue");
    b.enqueue(entry("o2", ShippingMethod::Standard, 1, false))
        .expect("enqueue");
    let lease = b.leased(0, 3);
    assert_eq!(b.ack(0, &lease, 3), Ok(()));
    assert_eq!(
        b.dequeue(1, 5)
            .map(|r| matches!(r, DequeueResult::Leased(_))),
        Ok(true)
    );
    assert_eq!(
        b.dequeue(0, 3),
        Ok(DequeueResult::Fenced { highest_term: 5 })
    );
    // The same ack again (its reply was lost): a question about a past decision, answered Ok.
    assert_eq!(b.ack(0, &lease, 3), Ok(()));
    assert_eq!(b.order_events("acked"), ["o1"], "re-asking changes nothing");
}

#[test]
fn only_executors_may_dequeue() {
    let mut b = bench(secs(10));
    b.enqueue(entry("o1", ShippingMethod::Standard, 1, false))
        .expect("enqueue");
    let client = b.client;
    assert_eq!(
        b.call(
            client,
            Msg::Dequeue {
                term: 99,
                request_id: 1
            }
        ),
        Err(RpcError::DeadlineExceeded)
    );
    assert_eq!(
        b.status().highest_term,
        0,
        "the refused request did not move the fence"
    );
}

#[test]
fn a_lease_in_flight_survives_a_queue_restart_and_still_expires() {
    let mut b = bench(secs(4));
    b.enqueue(entry("o1", ShippingMethod::Standard, 1, false))
        .expect("enqueue");
    let lease = b.leased(0, 1);
    b.world.crash(b.queue).expect("crash");
    b.world.run_for(secs(1));
    b.world.restart(b.queue).expect("restart");
    b.world.run_for(secs(1));
    assert_eq!(b.status().in_flight, 1);
    b.world.run_for(secs(3));
    assert_eq!(b.order_events("redelivered"), ["o1"]);
    assert!(b.ack(0, &lease, 1).is_err());
    assert_eq!(b.leased(1, 2).order_id(), "o1");
}

#[test]
fn a_malformed_order_is_refused_with_a_reason_and_nothing_is_stored() {
    let mut b = bench(secs(10));
    let why = b
        .enqueue(entry("", ShippingMethod::Standard, 1, false))
        .expect_err("empty id refused");
    assert!(why.contains("order id"), "{why}");
    assert!(b
        .enqueue(entry("zero", ShippingMethod::Standard, 0, false))
        .is_err());
    assert_eq!(b.status().length, 0);
}

#[test]
fn a_dequeue_retried_after_a_lost_reply_gets_the_lease_it_took() {
    let mut b = bench(secs(10));
    for id in ["o1", "o2"] {
        b.enqueue(entry(id, ShippingMethod::Standard, 1, false))
            .expect("enqueue");
    }
    let ask = |b: &mut Bench, request_id: u64| match b.call(
        b.exec[0],
        Msg::Dequeue {
            term: 1,
            request_id,
        },
    ) {
        Ok(Msg::DequeueReply {
            result: DequeueResult::Leased(lease),
        }) => lease,
        other => panic!("expected a lease, got {other:?}"),
    };
    let first = ask(&mut b, 7);
    let retried = ask(&mut b, 7);
    assert_eq!(retried, first, "the retry is answered with the same lease");
    assert_eq!(b.status().in_flight, 1, "and took nothing more");
    assert_ne!(ask(&mut b, 8).order_id(), first.order_id());
}
