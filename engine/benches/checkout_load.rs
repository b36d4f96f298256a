//! Benchmark (figures, not a test): the full deployment — orchestrator, validators, queue,
//! three Raft executors running 2PC, three books-database replicas and payment — fed a seeded
//! stream of varied checkouts (`--checkouts-per-sec`'s generator) for several virtual
//! durations. Prints per run: virtual seconds per wall second, trace events and deliveries per
//! wall second, peak RSS, orders committed per virtual second, the queue's length over time
//! (max and last), approval → outcome latency, and how far wall time strays from linear in the
//! virtual duration. Asserts nothing about speed.
//!
//! Each duration runs in a child process of this binary so its peak RSS is its own.
//! Run: `cargo bench -p engine --bench checkout_load` (BENCH_MINUTES="1,10,30" and
//! BENCH_CPS=20 change the durations and the rate).
use engine::protocol::two_pc::txn_id;
use engine::scenario::builtin;
use engine::scenario::workload::Workload;
use engine::sim::secs;
use engine::system::System;
use engine::view::NodeView;
use std::process::Command;
use std::time::Instant;

const SAMPLE_EVERY_S: u64 = 10;

fn main() {
    if let Ok(minutes) = std::env::var("BENCH_ONE_RUN_MINUTES") {
        let minutes = minutes.parse().expect("BENCH_ONE_RUN_MINUTES is a number");
        one_run(minutes, rate());
        return;
    }
    let durations: Vec<u64> = std::env::var("BENCH_MINUTES")
        .unwrap_or_else(|_| "1,10".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let exe = std::env::current_exe().expect("own path");
    let mut per_minute_wall = Vec::new();
    for m in durations {
        let out = Command::new(&exe)
            .env("BENCH_ONE_RUN_MINUTES", m.to_string())
            .output()
            .expect("spawn a child run");
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{text}");
        if !out.status.success() {
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
        if let Some(wall) = text
            .lines()
            .find_map(|l| l.strip_prefix("wall_s "))
            .and_then(|s| s.trim().parse::<f64>().ok())
        {
            per_minute_wall.push((m, wall / m as f64));
        }
    }
    if let Some((m0, w0)) = per_minute_wall.first().copied() {
        for (m, w) in &per_minute_wall[1..] {
            println!(
                "linearity: wall s per virtual minute at {m} min = {:.3} vs {:.3} at {m0} min ({:+.1} %)",
                w,
                w0,
                (w / w0 - 1.0) * 100.0
            );
        }
    }
}

fn rate() -> u32 {
    std::env::var("BENCH_CPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

fn one_run(minutes: u64, cps: u32) {
    let until_ms = minutes * 60_000;
    let scenario = builtin::get("checkout")
        .expect("built-in checkout scenario")
        .expect("parses");
    let mut sys = scenario.build(1).expect("builds");
    let workload = Workload::new(cps, until_ms, 1).expect("valid workload");
    sys.stream_workload(workload);
    let mut queue_lengths = Vec::new();
    let start = Instant::now();
    let mut t_s = 0;
    while t_s < minutes * 60 {
        t_s += SAMPLE_EVERY_S;
        sys.run_until(secs(t_s));
        queue_lengths.push(queue_length(&sys));
    }
    let wall_s = start.elapsed().as_secs_f64();
    print_figures(&sys, minutes, cps, wall_s, &queue_lengths);
}

fn queue_length(sys: &System) -> u64 {
    let w = sys.world();
    match w.node_id("queue").and_then(|id| w.view(id)) {
        Some(NodeView::Queue(q)) => q.status.length as u64,
        _ => 0,
    }
}

fn print_figures(sys: &System, minutes: u64, cps: u32, wall_s: f64, queue: &[u64]) {
    let virtual_s = (minutes * 60) as f64;
    let events = sys.world().trace().total();
    let delivered = sys.world().delivered();
    let committed = sys
        .observer
        .txns
        .values()
        .filter(|t| t.commit == Some(true) && t.state.is_final())
        .count();
    let aborted = sys
        .observer
        .txns
        .values()
        .filter(|t| t.commit == Some(false) && t.state.is_final())
        .count();
    println!("== {minutes} virtual min at {cps} checkouts/s (seed 1)");
    println!("wall_s {wall_s:.3}");
    println!(
        "speed: {:.0} virtual s per wall s; {:.2} M trace events/s ({events} events); {:.2} M deliveries/s",
        virtual_s / wall_s,
        events as f64 / wall_s / 1e6,
        delivered as f64 / wall_s / 1e6
    );
    println!("peak RSS: {} MB", peak_rss_mb());
    println!(
        "orders: {committed} committed ({:.1}/virtual s), {aborted} aborted",
        committed as f64 / virtual_s
    );
    let max_q = queue.iter().max().copied().unwrap_or(0);
    let last: Vec<String> = queue
        .iter()
        .rev()
        .take(6)
        .rev()
        .map(u64::to_string)
        .collect();
    println!(
        "queue length every {SAMPLE_EVERY_S} s: max {max_q}, last {}",
        last.join(" ")
    );
    let mut lat = approval_to_outcome_ms(sys);
    lat.sort_unstable();
    if !lat.is_empty() {
        let pct = |p: usize| lat[(lat.len() - 1) * p / 100];
        println!(
            "approval → outcome: p50 {} ms, p99 {} ms, max {} ms ({} orders)",
            pct(50),
            pct(99),
            lat[lat.len() - 1],
            lat.len()
        );
    }
}

/// Milliseconds from the shopper's "Order Approved" answer to the transaction's final state.
fn approval_to_outcome_ms(sys: &System) -> Vec<u64> {
    sys.client_records()
        .iter()
        .filter_map(|r| {
            let answered = r.answered_at_us?;
            let order = &r.response.as_ref()?.order_id;
            let txn = sys.observer.txns.get(&txn_id(order))?;
            let done = txn.finished_us?;
            Some(done.saturating_sub(answered) / 1000)
        })
        .collect()
}

/// The process's peak resident set (Linux VmHWM), in MB; 0 where /proc is absent.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
