//! Behaviour of the world: network faults, crashes, durability, determinism.
use super::*;
use crate::msg::Msg;
use crate::services::ping::{add_ring, PingConfig};
use std::cell::RefCell;
use std::rc::Rc;

/// Every message a recorder received, with its arrival time.
type Received = Rc<RefCell<Vec<(Micros, Msg)>>>;

/// A node that records every message it receives.
fn recorder(world: &mut World, name: &str) -> (NodeId, Received) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    let id = world
        .add_node(name, "recorder", move |ctx| {
            let l = l.clone();
            async move {
                loop {
                    let env = ctx.recv().await;
                    l.borrow_mut().push((ctx.now(), env.msg));
                }
            }
        })
        .expect("unique name");
    (id, log)
}

fn world(seed: u64) -> World {
    World::new(WorldConfig::new(seed))
}

#[test]
fn a_partitioned_pair_exchanges_nothing_and_healing_restores_delivery() {
    let mut w = world(1);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    w.net_fault("partition a|b", |n| n.partition(&[vec![a], vec![b]]));
    for seq in 0..10 {
        w.ctx(a).send(b, Msg::Ping { seq });
    }
    w.run_for(secs(1));
    assert!(got.borrow().is_empty());
    w.net_fault("heal", |n| n.heal_all());
    w.ctx(a).send(b, Msg::Ping { seq: 99 });
    w.run_for(secs(1));
    assert_eq!(got.borrow().len(), 1);
}

#[test]
fn a_message_in_flight_when_the_partition_starts_is_dropped() {
    let mut w = world(2);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    w.ctx(a).send(b, Msg::Ping { seq: 1 });
    w.net_fault("partition", |n| n.partition(&[vec![a], vec![b]]));
    w.run_for(secs(1));
    assert!(got.borrow().is_empty());
    assert_eq!(w.dropped(), 1);
}

#[test]
fn loss_of_one_drops_every_message() {
    let mut w = world(3);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    w.net_fault("loss 100%", |n| n.default_link.loss_ppm = 1_000_000);
    for seq in 0..100 {
        w.ctx(a).send(b, Msg::Ping { seq });
    }
    w.run_for(secs(1));
    assert!(got.borrow().is_empty());
    assert_eq!(w.dropped(), 100);
}

#[test]
fn latency_stays_within_the_configured_bounds() {
    let mut cfg = WorldConfig::new(4);
    cfg.link = LinkConfig {
        latency_base_us: ms(20),
        jitter_us: ms(10),
        reorder: true,
        ..Default::default()
    };
    let mut w = World::new(cfg);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    for seq in 0..200 {
        w.ctx(a).send(b, Msg::Ping { seq });
    }
    w.run_for(secs(1));
    assert_eq!(got.borrow().len(), 200);
    assert!(got
        .borrow()
        .iter()
        .all(|(t, _)| (ms(20)..=ms(30)).contains(t)));
}

#[test]
fn a_held_link_delivers_only_after_release() {
    let mut w = world(5);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    w.net_fault("hold a->b", |n| n.hold(a, b));
    w.ctx(a).send(b, Msg::Ping { seq: 1 });
    w.run_for(secs(2));
    assert!(got.borrow().is_empty());
    w.net_fault("release a->b", |n| n.release(a, b));
    w.run_for(secs(1));
    assert_eq!(got.borrow().len(), 1);
    assert!(got.borrow()[0].0 >= secs(2));
}

#[test]
fn a_crashed_node_keeps_its_durable_store_but_loses_volatile_state() {
    let mut w = world(6);
    let volatile = Rc::new(RefCell::new(Vec::new()));
    let v = volatile.clone();
    let n = w
        .add_node("disk", "test", move |ctx| {
            let v = v.clone();
            async move {
                let boots: u64 = ctx.durable(|d| d.get("boots").unwrap_or(0)) + 1;
                ctx.durable(|d| d.put("boots", &boots));
                let mut counter = 0u64; // volatile: starts from zero on every boot
                loop {
                    counter += 1;
                    v.borrow_mut().push((boots, counter));
                    ctx.sleep(ms(100)).await;
                }
            }
        })
        .expect("node");
    w.run_for(ms(450));
    w.crash(n).expect("crash");
    let before = volatile.borrow().len();
    w.run_for(secs(1));
    assert_eq!(
        volatile.borrow().len(),
        before,
        "a crashed node runs nothing"
    );
    w.restart(n).expect("restart");
    w.run_for(ms(50));
    assert_eq!(w.durable(n).and_then(|d| d.get::<u64>("boots")), Some(2));
    assert_eq!(
        volatile.borrow().last(),
        Some(&(2, 1)),
        "volatile counter restarted from zero"
    );
}

#[test]
fn messages_to_a_crashed_node_are_dropped() {
    let mut w = world(7);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    w.crash(b).expect("crash");
    w.ctx(a).send(b, Msg::Ping { seq: 1 });
    w.run_for(secs(1));
    w.restart(b).expect("restart");
    w.run_for(secs(1));
    assert!(got.borrow().is_empty());
}

#[test]
fn a_paused_node_runs_nothing_until_resumed_and_then_gets_its_mail() {
    let mut w = world(8);
    let (a, _) = recorder(&mut w, "a");
    let (b, got) = recorder(&mut w, "b");
    w.pause(b).expect("pause");
    w.ctx(a).send(b, Msg::Ping { seq: 1 });
    w.run_for(secs(1));
    assert!(got.borrow().is_empty());
    w.resume(b).expect("resume");
    w.run_for(ms(1));
    assert_eq!(got.borrow().len(), 1);
}

#[test]
fn rpc_returns_the_reply_or_deadline_exceeded() {
    let mut w = world(9);
    let server = w
        .add_node("server", "test", |ctx| async move {
            loop {
                let env = ctx.recv().await;
                if let Msg::Ping { seq } = env.msg {
                    ctx.reply(&env, Msg::Pong { seq });
                }
            }
        })
        .expect("server");
    let (client, _) = recorder(&mut w, "client");
    let out = Rc::new(RefCell::new(Vec::new()));
    let (o, c) = (out.clone(), w.ctx(client));
    w.spawn_detached(async move {
        let first = c.rpc(server, Msg::Ping { seq: 1 }, ms(100), 0).await;
        o.borrow_mut().push(first);
    });
    w.run_for(secs(1));
    w.net_fault("cut", |n| n.cut_link(client, server));
    let (o, c) = (out.clone(), w.ctx(client));
    w.spawn_detached(async move {
        let second = c.rpc(server, Msg::Ping { seq: 2 }, ms(100), 0).await;
        o.borrow_mut().push(second);
    });
    w.run_for(secs(1));
    assert_eq!(
        *out.borrow(),
        vec![Ok(Msg::Pong { seq: 1 }), Err(RpcError::DeadlineExceeded)]
    );
}

fn ring_hash(seed: u64) -> (u64, u64) {
    let mut w = world(seed);
    add_ring(
        &mut w,
        8,
        PingConfig {
            interval_us: ms(50),
        },
    )
    .expect("ring");
    w.run_until(secs(5));
    let total = w.trace().total();
    (w.trace_hash(), total)
}

#[test]
fn the_same_seed_gives_the_same_trace_and_another_seed_does_not() {
    assert_eq!(ring_hash(42), ring_hash(42));
    assert_ne!(ring_hash(42).0, ring_hash(43).0);
}

#[test]
fn time_jumps_straight_to_the_next_timer() {
    let mut w = world(10);
    let hits = Rc::new(RefCell::new(Vec::new()));
    let h = hits.clone();
    w.add_node("sleeper", "test", move |ctx| {
        let h = h.clone();
        async move {
            ctx.sleep(secs(3600)).await;
            h.borrow_mut().push(ctx.now());
        }
    })
    .expect("node");
    w.run_until(secs(7200));
    assert_eq!(*hits.borrow(), vec![secs(3600)]);
}

#[test]
fn an_abandoned_timeout_does_not_leave_a_phantom_event() {
    let mut w = world(11);
    let (a, _) = recorder(&mut w, "a");
    let c = w.ctx(a);
    w.spawn_detached(async move {
        let _ = super::futures::timeout(&c, secs(10), std::future::ready(())).await;
    });
    w.run_for(ms(1));
    assert_eq!(w.next_event_at(), None);
}

#[test]
fn hot_path_structs_stay_small() {
    // The event heap and the trace ring move these on every message; keep them compact.
    let sched = std::mem::size_of::<super::shared::Scheduled>();
    let ev = std::mem::size_of::<super::trace::TraceEvent>();
    println!(
        "Scheduled {sched} B, TraceEvent {ev} B, Envelope {} B, Msg {} B",
        std::mem::size_of::<Envelope>(),
        std::mem::size_of::<Msg>()
    );
    assert!(sched <= 64, "Scheduled is {sched} bytes");
    assert!(ev <= 128, "TraceEvent is {ev} bytes");
}
