//! Nodes' own clocks in the world: a node reads skewed, drifting time and its timers count in
//! it, while the world, the trace and other nodes keep true time.
use super::trace::TraceKind;
use super::*;
use crate::services::ping::{add_ring, PingConfig};

/// True times (from the trace) at which `node` logged `text`.
fn logged_at(w: &World, node: NodeId, text: &str) -> Vec<Micros> {
    w.trace()
        .since(0)
        .filter(|ev| ev.node == node)
        .filter(|ev| matches!(&ev.kind, TraceKind::Log { text: t } if t == text))
        .map(|ev| ev.t_us)
        .collect()
}

/// A node that sleeps `d` of its own clock, logs "woke", and stops.
fn sleeper(w: &mut World, name: &str, d: Micros) -> NodeId {
    w.add_node(name, "sleeper", move |ctx| async move {
        ctx.sleep(d).await;
        ctx.log("woke");
    })
    .expect("unique name")
}

#[test]
fn a_skewed_drifting_node_reads_its_own_time_while_the_world_keeps_true_time() {
    let mut w = World::new(WorldConfig::new(1));
    let fast = sleeper(&mut w, "fast", secs(100));
    let plain = sleeper(&mut w, "plain", secs(100));
    w.configure_clock(fast, 200_000, 50_000)
        .expect("valid clock");
    w.run_until(secs(10));
    assert_eq!(w.now(), secs(10));
    // 10 s of true time on a clock 5 % fast that started 200 ms ahead.
    assert_eq!(w.ctx(fast).now(), 200_000 + secs(10) + 500_000);
    assert_eq!(w.local_now(fast), w.ctx(fast).now());
    assert_eq!(w.ctx(plain).now(), secs(10));
    assert_eq!(
        w.clock(fast),
        ClockReading {
            offset_us: 700_000,
            drift_ppm: 50_000
        }
    );
    assert_eq!(w.clock(plain), ClockReading::default());
}

#[test]
fn a_timer_on_a_drifting_node_fires_when_its_own_clock_reaches_the_deadline() {
    let mut w = World::new(WorldConfig::new(2));
    let slow = sleeper(&mut w, "slow", secs(1));
    let fast = sleeper(&mut w, "fast", secs(1));
    let odd = sleeper(&mut w, "odd", secs(1));
    let ahead = w
        .add_node("ahead", "sleeper", |ctx| async move {
            ctx.sleep_until(secs(6)).await;
            ctx.log("woke");
        })
        .expect("unique name");
    w.configure_clock(slow, 0, -200_000).expect("valid");
    w.configure_clock(fast, 0, 250_000).expect("valid");
    w.configure_clock(odd, 0, 333_333).expect("valid");
    w.configure_clock(ahead, 5_000_000, 0).expect("valid");
    w.run_until(secs(5));
    // One local second is 1.25 s of true time at 80 % speed, 0.8 s at 125 %.
    assert_eq!(logged_at(&w, slow, "woke"), vec![1_250_000]);
    assert_eq!(logged_at(&w, fast, "woke"), vec![800_000]);
    // 10⁶ / 1.333333 = 750 000.19 µs: the first whole microsecond at which the clock has
    // reached one second is 750 001 (at 750 000 it reads 999 999).
    assert_eq!(logged_at(&w, odd, "woke"), vec![750_001]);
    // A clock 5 s ahead reaches 6 s after one second.
    assert_eq!(logged_at(&w, ahead, "woke"), vec![secs(1)]);
}

#[test]
fn a_clock_changed_mid_sleep_re_aims_the_timer() {
    let mut w = World::new(WorldConfig::new(3));
    let sped = sleeper(&mut w, "sped", secs(10));
    let stepped_back = sleeper(&mut w, "stepped-back", secs(10));
    w.run_until(secs(2));
    w.set_clock(sped, None, 100_000).expect("valid");
    w.set_clock(stepped_back, Some(-3_000_000), 0)
        .expect("valid");
    w.run_until(secs(20));
    // 8 local seconds left at 110 %: 7.272 727 3 s of true time, rounded up.
    assert_eq!(logged_at(&w, sped, "woke"), vec![secs(2) + 7_272_728]);
    // Told it is 3 s behind, the clock stands still for 3 s, then runs its last 8 s.
    assert_eq!(logged_at(&w, stepped_back, "woke"), vec![secs(13)]);
    // The timers aimed at 10 s were cancelled, not left to wake the world for nothing.
    assert_eq!(w.next_event_at(), None);
    let faults: Vec<String> = w
        .trace()
        .since(0)
        .filter_map(|ev| match &ev.kind {
            TraceKind::Fault { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        faults,
        vec![
            "clock sped +0 ms, +100000 ppm".to_string(),
            "clock stepped-back +0 ms, +0 ppm".to_string()
        ]
    );
}

#[test]
fn clocks_without_skew_or_drift_leave_a_run_unchanged() {
    let run = |with_clocks: bool| {
        let mut w = World::new(WorldConfig::new(7));
        let ids = add_ring(
            &mut w,
            4,
            PingConfig {
                interval_us: ms(400),
            },
        )
        .expect("ring");
        if with_clocks {
            for id in ids {
                w.configure_clock(id, 0, 0).expect("valid");
            }
        }
        w.run_until(secs(20));
        w.trace_hash()
    };
    assert_eq!(run(false), run(true));
}

#[test]
fn a_drifting_clock_changes_the_run() {
    // The control for the test above: the hash does see clocks.
    let run = |drift: i64| {
        let mut w = World::new(WorldConfig::new(7));
        let ids = add_ring(
            &mut w,
            4,
            PingConfig {
                interval_us: ms(400),
            },
        )
        .expect("ring");
        w.configure_clock(ids[0], 0, drift).expect("valid");
        w.run_until(secs(20));
        w.trace_hash()
    };
    assert_ne!(run(0), run(100_000));
}

#[test]
fn a_clock_keeps_running_across_a_crash_and_restart() {
    let mut w = World::new(WorldConfig::new(4));
    let n = sleeper(&mut w, "n", secs(100));
    w.configure_clock(n, 0, 100_000).expect("valid");
    w.run_until(secs(1));
    w.crash(n).expect("crash");
    w.run_until(secs(2));
    w.restart(n).expect("restart");
    w.run_until(secs(3));
    assert_eq!(w.local_now(n), 3_300_000);
}

#[test]
fn bad_clocks_are_refused_and_change_nothing() {
    let mut w = World::new(WorldConfig::new(5));
    let n = sleeper(&mut w, "n", secs(1));
    let err = w.set_clock(n, None, 2_000_000).expect_err("too fast");
    assert!(err.contains("drift_ppm"), "{err}");
    assert!(w.configure_clock(NodeId(9), 0, 0).is_err());
    assert!(w.set_clock(NodeId(9), None, 0).is_err());
    assert_eq!(w.clock(n), ClockReading::default());
    w.run_until(secs(2));
    assert_eq!(logged_at(&w, n, "woke"), vec![secs(1)]);
}
