//! Behaviour of the world: network faults, crashes, durability, determinism.
use super::trace::TraceKind;
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
                ctx.durable(|d| d.put("boots", &boots))
                    .expect("disk has space");
                ctx.sync().await;
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

/// What a disk-test node saw: (label, virtual time) of each step it reached.
type Steps = Rc<RefCell<Vec<(&'static str, Micros)>>>;

fn disk_world(seed: u64, fsync_us: Micros, jitter_us: Micros) -> World {
    let mut cfg = WorldConfig::new(seed);
    cfg.disk = DiskConfig {
        fsync_us,
        fsync_jitter_us: jitter_us,
    };
    World::new(cfg)
}

/// A node that writes "a", syncs, writes "b", syncs; on every boot it notes what it found.
fn writer(w: &mut World, steps: &Steps, found: &Rc<RefCell<Vec<(bool, bool)>>>) -> NodeId {
    let (st, fo) = (steps.clone(), found.clone());
    w.add_node("writer", "test", move |ctx| {
        let (st, fo) = (st.clone(), fo.clone());
        async move {
            let seen = ctx.durable(|d| (d.get::<u8>("a").is_some(), d.get::<u8>("b").is_some()));
            fo.borrow_mut().push(seen);
            if seen != (false, false) {
                return;
            }
            ctx.durable(|d| d.put("a", &1u8)).expect("space");
            ctx.sync().await;
            st.borrow_mut().push(("a synced", ctx.now()));
            ctx.durable(|d| d.put("b", &2u8)).expect("space");
            ctx.sync().await;
            st.borrow_mut().push(("b synced", ctx.now()));
        }
    })
    .expect("node")
}

#[test]
fn a_crash_between_a_write_and_its_sync_loses_exactly_that_write() {
    let mut w = disk_world(12, ms(10), 0);
    let steps: Steps = Default::default();
    let found = Rc::new(RefCell::new(Vec::new()));
    let n = writer(&mut w, &steps, &found);
    w.run_for(ms(15)); // "a" synced at 10 ms; "b" written, its fsync due at 20 ms
    assert_eq!(*steps.borrow(), vec![("a synced", ms(10))]);
    assert_eq!(w.read_disk(n, |d| d.unsynced_writes()), Some(1));
    w.crash(n).expect("crash");
    w.run_for(ms(50)); // the fsync that was under way completes nothing
    w.restart(n).expect("restart");
    w.run_for(ms(1));
    assert_eq!(*found.borrow(), vec![(false, false), (true, false)]);
    let disk = w.durable(n).expect("node");
    assert_eq!((disk.get::<u8>("a"), disk.get::<u8>("b")), (Some(1), None));
}

#[test]
fn without_a_crash_both_writes_become_durable_one_fsync_latency_apart() {
    let mut w = disk_world(13, ms(10), 0);
    let steps: Steps = Default::default();
    let found = Rc::new(RefCell::new(Vec::new()));
    let n = writer(&mut w, &steps, &found);
    w.run_for(ms(100));
    assert_eq!(
        *steps.borrow(),
        vec![("a synced", ms(10)), ("b synced", ms(20))]
    );
    assert_eq!(w.read_disk(n, |d| d.unsynced_writes()), Some(0));
    assert_eq!(w.durable(n).and_then(|d| d.get::<u8>("b")), Some(2));
}

/// Three tasks write and sync at the same instant: the first starts an fsync covering its own
/// write; the other two, and a fourth task writing while that fsync runs, all wait for the
/// next one, which starts when the first ends and covers all three (group commit: four syncs,
/// two fsyncs). A sync with nothing unsynced completes at once.
#[test]
fn concurrent_syncs_share_one_fsync_and_a_sync_with_nothing_to_do_is_immediate() {
    let mut w = disk_world(14, ms(10), ms(5));
    let steps: Steps = Default::default();
    let n = w
        .add_node("group", "test", |ctx| async move {
            loop {
                ctx.recv().await;
            }
        })
        .expect("node");
    for (i, label) in ["one", "two", "three"].into_iter().enumerate() {
        let (ctx, st) = (w.ctx(n), steps.clone());
        w.spawn_detached(async move {
            ctx.durable(|d| d.put(&format!("k{i}"), &i)).expect("space");
            ctx.sync().await;
            st.borrow_mut().push((label, ctx.now()));
        });
    }
    let (ctx, st) = (w.ctx(n), steps.clone());
    w.spawn_detached(async move {
        ctx.sleep(ms(1)).await;
        ctx.durable(|d| d.put("late", &0)).expect("space");
        ctx.sync().await;
        st.borrow_mut().push(("late", ctx.now()));
        ctx.sync().await; // nothing written since: no fsync, no wait
        st.borrow_mut().push(("again", ctx.now()));
    });
    w.run_for(ms(100));
    let got = steps.borrow().clone();
    let labels: Vec<&str> = got.iter().map(|(l, _)| *l).collect();
    assert_eq!(labels, ["one", "two", "three", "late", "again"]);
    let (first, second) = (got[0].1, got[1].1);
    assert!((ms(10)..=ms(15)).contains(&first), "{got:?}");
    assert!(
        (first + ms(10)..=first + ms(15)).contains(&second),
        "{got:?}"
    );
    assert!(got[1..].iter().all(|(_, t)| *t == second), "{got:?}");
}

#[test]
fn a_fact_held_for_durability_is_recorded_with_its_write_or_never() {
    let mut w = disk_world(15, ms(10), 0);
    let n = w
        .add_node("facts", "test", |ctx| async move {
            for round in 0..2u64 {
                ctx.durable(|d| d.put("round", &round)).expect("space");
                let text = format!("round {round} is durable");
                ctx.trace_when_durable(TraceKind::Log { text }, 0);
                ctx.sync().await;
            }
        })
        .expect("node");
    w.run_for(ms(5));
    w.crash(n).expect("crash"); // round 0 written, not synced: its fact goes with it
    w.restart(n).expect("restart");
    w.run_for(ms(100));
    let logs: Vec<(Micros, String)> = w
        .trace()
        .since(0)
        .filter_map(|e| match &e.kind {
            TraceKind::Log { text } => Some((e.t_us, text.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        logs,
        vec![
            (ms(15), "round 0 is durable".to_string()),
            (ms(25), "round 1 is durable".to_string())
        ]
    );
}

#[test]
fn a_torn_record_is_found_at_restart_and_the_node_refuses_to_start() {
    let mut w = disk_world(16, ms(10), 0);
    let steps: Steps = Default::default();
    let found = Rc::new(RefCell::new(Vec::new()));
    let n = writer(&mut w, &steps, &found);
    w.run_for(ms(100));
    assert_eq!(w.corrupt_disk(n), Ok("b".to_string()));
    w.crash(n).expect("crash");
    let err = w.restart(n).expect_err("a torn disk must not boot");
    assert!(err.contains("\"b\"") && err.contains("checksum"), "{err}");
    assert_eq!(w.liveness(n), Some(Liveness::Crashed));
    assert_eq!(found.borrow().len(), 1, "the node never ran on bad data");
    let in_trace = w.trace().since(0).any(|e| {
        e.node == n
            && matches!(&e.kind, TraceKind::Log { text } if text.contains("refused to start"))
    });
    assert!(in_trace, "the reason is in the trace");
}

#[test]
fn a_full_disk_refuses_writes_and_keeps_what_it_had() {
    let mut w = disk_world(17, ms(1), 0);
    let (n, _) = recorder(&mut w, "full");
    let ctx = w.ctx(n);
    ctx.durable(|d| d.put("kept", &1)).expect("space");
    w.set_disk_full(n, true).expect("node");
    assert_eq!(ctx.durable(|d| d.put("new", &2)), Err(DiskError::Full));
    assert_eq!(ctx.durable(|d| d.remove("kept")), Err(DiskError::Full));
    assert_eq!(ctx.durable(|d| d.get::<i32>("kept")), Some(1));
    assert!(w.nodes()[n.0 as usize].disk_full);
    w.set_disk_full(n, false).expect("node");
    assert_eq!(ctx.durable(|d| d.put("new", &2)), Ok(()));
}

#[test]
fn a_node_that_fails_stop_is_crashed_with_its_reason_and_can_restart() {
    let mut w = world(18);
    let boots = Rc::new(RefCell::new(0));
    let b = boots.clone();
    let n = w
        .add_node("stopper", "test", move |ctx| {
            let b = b.clone();
            async move {
                *b.borrow_mut() += 1;
                ctx.sleep(ms(10)).await;
                ctx.fail_stop("cannot write").await;
                unreachable!("fail_stop never returns");
            }
        })
        .expect("node");
    w.run_for(ms(20));
    assert_eq!(w.liveness(n), Some(Liveness::Crashed));
    let logged = w
        .trace()
        .since(0)
        .any(|e| matches!(&e.kind, TraceKind::Log { text } if text == "stopping: cannot write"));
    assert!(logged);
    w.restart(n).expect("restart");
    w.run_for(ms(1));
    assert_eq!(*boots.borrow(), 2);
}

/// A sync awaited outside the node (a detached task) when the node crashes never completes:
/// the writes it waited for are gone. (A timer re-polls it every millisecond meanwhile.)
#[test]
fn a_sync_outliving_its_nodes_crash_never_claims_the_lost_writes() {
    let mut w = disk_world(19, ms(10), 0);
    let (n, _) = recorder(&mut w, "gone");
    let done = Rc::new(RefCell::new(false));
    let (ctx, d) = (w.ctx(n), done.clone());
    w.spawn_detached(async move {
        ctx.durable(|disk| disk.put("k", &1)).expect("space");
        let mut sync = std::pin::pin!(ctx.sync());
        loop {
            let polled = super::futures::select_biased(sync.as_mut(), ctx.sleep(ms(1))).await;
            if let super::futures::Either::Left(()) = polled {
                *d.borrow_mut() = true;
                return;
            }
        }
    });
    w.run_for(ms(5));
    w.crash(n).expect("crash");
    w.restart(n).expect("restart");
    w.run_for(ms(100));
    assert!(!*done.borrow(), "the lost write was reported durable");
    assert_eq!(w.durable(n).and_then(|d| d.get::<i32>("k")), None);
}
