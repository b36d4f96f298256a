//! The lease lock under drifting clocks (issue 11), on the whole checkout deployment. The lock
//! node's clock runs fast and every executor's slow — the worst way round: the lock frees the
//! lease early in true time while its holder goes on believing it holds it. Three times the
//! holder is cut off from the lock (its renewals fail) while orders keep coming, so the lease
//! must pass to another executor.
//!
//! Within the bound `protocol/lease/client.rs` states (margin ≥ (client drift + server drift)
//! × ttl; the margin is 10 % of the ttl) no two executors ever hold at once. Beyond it they do,
//! and the lease-exclusion checker says so — yet the queue still refuses the stale holder's
//! token, so no order is handed out twice and none is executed twice.

use super::config::{ClockConfig, ClusterConfig, Election};
use super::fulfilment_tests::{checkout, order, system};
use super::inputs::Action;
use super::System;
use crate::invariants::{lease_exclusion, Checker, Violation};
use crate::protocol::lease::LeaseConfig;
use crate::sim::secs;
use crate::sim::trace::TraceKind;
use crate::testing::{seeds, SeedGuard};

/// A lease world whose lock clock runs `drift_ppm` fast and whose executors' run as much slow
/// (with skews too, which leases must not care about).
fn lease_world(seed: u64, drift_ppm: i64) -> System {
    let mut cfg = ClusterConfig {
        election: Election::Lease,
        db_nodes: 0,
        ..ClusterConfig::default()
    };
    let lock = ClockConfig {
        skew_ms: 1_500,
        drift_ppm,
    };
    let executors = ClockConfig {
        skew_ms: -700,
        drift_ppm: -drift_ppm,
    };
    cfg.clocks.insert("lock".into(), lock);
    cfg.clocks.insert("executor".into(), executors);
    let orders = (0..40)
        .map(|n| checkout(2_000 + n * 500, order(n, "Clean Architecture", 1)))
        .collect();
    system(cfg, seed, orders)
}

/// Cuts whoever holds the lease off the lock for 8 s, three times, then runs to 40 s.
fn cut_holders_off_the_lock(sys: &mut System) {
    for round in 0..3 {
        sys.run_until(secs(5 + 10 * round));
        let Some(holder) = sys.observer.current_leader("executors").map(|s| s.node) else {
            continue;
        };
        let name = sys.world().nodes()[holder.0 as usize].name.clone();
        sys.act(Action::Cut(name.clone(), "lock".into()))
            .expect("both nodes exist");
        sys.run_until(secs(13 + 10 * round));
        sys.act(Action::HealLink(name, "lock".into()))
            .expect("both nodes exist");
    }
    sys.run_until(secs(40));
}

fn all_violations(sys: &System) -> Vec<Violation> {
    let mut all = sys.checker.violations.clone();
    all.extend(Checker::final_violations(sys));
    all
}

/// Lease grants (distinct tokens) in the run.
fn grants(sys: &System) -> usize {
    sys.observer
        .leaders
        .iter()
        .filter(|s| s.cluster == "executors")
        .count()
}

/// Executors that stepped down because the queue refused their token (the lease driver gives
/// the lease up when fenced and writes the reason as its "lease" state).
fn fenced_step_downs(sys: &System) -> usize {
    sys.world()
        .trace()
        .since(0)
        .filter(|ev| {
            matches!(&ev.kind, TraceKind::State { key, value } if key == "lease" && value.ends_with("Released"))
        })
        .count()
}

/// For each grant after the first: how long after the previous holder's step-down it came.
fn handover_gaps(sys: &System) -> Vec<u64> {
    let spans: Vec<_> = sys
        .observer
        .leaders
        .iter()
        .filter(|s| s.cluster == "executors")
        .collect();
    spans
        .windows(2)
        .filter_map(|w| w[0].to_us.map(|end| w[1].from_us.saturating_sub(end)))
        .collect()
}

#[test]
fn lease_holders_never_overlap_when_drift_stays_within_the_margin() {
    let test = "lease_holders_never_overlap_when_drift_stays_within_the_margin";
    let mut closest = u64::MAX;
    for seed in seeds(0..6) {
        let _guard = SeedGuard::new(test, seed);
        // 4.5 % + 4.5 % = 9 %, under the margin of 10 % of the ttl.
        let mut sys = lease_world(seed, 45_000);
        cut_holders_off_the_lock(&mut sys);
        closest = closest.min(handover_gaps(&sys).into_iter().min().unwrap_or(u64::MAX));
        let found = all_violations(&sys);
        assert!(found.is_empty(), "seed {seed}: {found:#?}");
        assert!(
            grants(&sys) >= 4,
            "seed {seed}: the lease changed hands only {} times",
            grants(&sys)
        );
        // The clocks really were drifting (else this proves nothing).
        let lock = sys.world().node_id("lock").expect("lock node");
        assert_eq!(sys.world().clock(lock).drift_ppm, 45_000);
        assert!(sys.world().clock(lock).offset_us > 1_500_000);
    }
    if crate::testing::one_seed_only() {
        return;
    }
    // Drift ate into the margin. With true clocks a holder whose lease runs out steps down at
    // least the margin before the lock frees it (measured here without drift: 411 ms at the
    // closest); with these clocks some successor got the lease sooner (measured: 117 ms after),
    // and still none overlapped.
    let margin = LeaseConfig::default().safety_margin_us;
    assert!(
        closest < margin,
        "closest handover {closest} us after a step-down, not within the {margin} us margin"
    );
}

#[test]
fn lease_holders_overlap_when_drift_exceeds_the_margin_and_fencing_saves_the_queue() {
    let test = "lease_holders_overlap_when_drift_exceeds_the_margin_and_fencing_saves_the_queue";
    let (mut overlapping_runs, mut fenced_runs) = (0, 0);
    let runs = seeds(0..6);
    for &seed in &runs {
        let _guard = SeedGuard::new(test, seed);
        // 25 % + 25 % = 50 %, five times what the margin covers.
        let mut sys = lease_world(seed, 250_000);
        cut_holders_off_the_lock(&mut sys);
        let (overlaps, others): (Vec<Violation>, Vec<Violation>) = all_violations(&sys)
            .into_iter()
            .partition(|v| v.invariant == lease_exclusion::NAME);
        // Two holders at once, but the queue fenced the stale one: nothing else went wrong.
        assert!(others.is_empty(), "seed {seed}: {others:#?}");
        if !overlaps.is_empty() {
            overlapping_runs += 1;
        }
        // A stale holder that happens not to touch the queue while it overlaps (an idle
        // dequeue probe goes out once per poll interval) needs no fencing that run.
        if fenced_step_downs(&sys) > 0 {
            fenced_runs += 1;
        }
    }
    assert!(
        overlapping_runs == runs.len(),
        "only {overlapping_runs} of {} runs had two lease holders at once",
        runs.len()
    );
    assert!(
        fenced_runs > 0,
        "two holders in every run, yet the queue never refused a stale token"
    );
}

#[test]
fn the_executor_clock_is_what_its_lease_counts_in() {
    // An executor on a clock 25 % slow renews its lease every second of its own clock: 4/3 s
    // of true time apart.
    let mut cfg = ClusterConfig {
        election: Election::Lease,
        db_nodes: 0,
        ..ClusterConfig::default()
    };
    let slow = ClockConfig {
        skew_ms: 0,
        drift_ppm: -250_000,
    };
    cfg.clocks.insert("executor".into(), slow);
    let mut sys = system(cfg, 3, Vec::new());
    sys.run_until(secs(10));
    let holder = sys
        .observer
        .current_leader("executors")
        .map(|s| s.node)
        .expect("someone holds the lease");
    let renewals: Vec<u64> = sys
        .world()
        .trace()
        .since(0)
        .filter(|ev| ev.node == holder)
        .filter(|ev| {
            matches!(
                ev.kind,
                TraceKind::Send {
                    label: "lease.renew",
                    ..
                }
            )
        })
        .map(|ev| ev.t_us)
        .collect();
    let gaps: Vec<u64> = renewals.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.len() >= 3, "renewals at {renewals:?}");
    // Each renewal is due 1 s (local) after the previous one was sent: 1 333 333.3 µs of true
    // time, which whole microseconds round either way.
    assert!(
        gaps.iter().all(|g| g.abs_diff(1_333_333) <= 1),
        "renewal gaps {gaps:?}"
    );
}
