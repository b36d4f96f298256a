//! Benchmark (not a test): message deliveries per second for a 16-node ping-pong ring, every
//! node pinging its neighbour as fast as the simulated network allows. Reports a figure; it
//! asserts nothing about speed. Run: `cargo bench -p engine --bench pingpong`.
use engine::services::ping::{add_ring, PingConfig};
use engine::sim::{secs, World, WorldConfig};
use std::time::Instant;

fn main() {
    let nodes = 16;
    let mut best = 0.0f64;
    // BENCH_VIRTUAL_SECS shortens the run (e.g. under callgrind).
    let virtual_secs: u64 = std::env::var("BENCH_VIRTUAL_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    for round in 0..3 {
        let mut cfg = WorldConfig::new(7 + round);
        cfg.trace_capacity = 100_000;
        let mut w = World::new(cfg);
        add_ring(&mut w, nodes, PingConfig { interval_us: 0 }).expect("ring");
        let start = Instant::now();
        w.run_until(secs(virtual_secs));
        let wall = start.elapsed().as_secs_f64();
        let rate = w.delivered() as f64 / wall;
        println!(
            "round {round}: {} deliveries, {} trace events in {:.3} s wall = {:.2} M deliveries/s",
            w.delivered(),
            w.trace().total(),
            wall,
            rate / 1e6
        );
        best = best.max(rate);
    }
    println!(
        "pingpong {nodes} nodes: best {:.2} M deliveries/s (native)",
        best / 1e6
    );
}
