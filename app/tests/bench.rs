//! Benchmark, not a test: message deliveries per second for the 16-node ping-pong ring, in
//! headless Chromium. Ignored in the normal run; `./dev bench` runs it with `--include-ignored`
//! and prints the figure. It asserts nothing about speed.
#![cfg(target_arch = "wasm32")]

use engine::services::ping::{add_ring, PingConfig};
use engine::sim::{secs, World, WorldConfig};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

#[wasm_bindgen_test]
#[ignore]
fn pingpong_deliveries_per_second_in_the_browser() {
    let mut best = 0.0f64;
    for round in 0..3u64 {
        let mut cfg = WorldConfig::new(7 + round);
        cfg.trace_capacity = 100_000;
        let mut w = World::new(cfg);
        add_ring(&mut w, 16, PingConfig { interval_us: 0 }).expect("ring");
        let start = now_ms();
        w.run_until(secs(600));
        let wall_s = (now_ms() - start) / 1000.0;
        let rate = w.delivered() as f64 / wall_s;
        console_log!(
            "round {round}: {} deliveries in {wall_s:.3} s = {:.2} M deliveries/s",
            w.delivered(),
            rate / 1e6
        );
        best = best.max(rate);
    }
    console_log!(
        "pingpong 16 nodes: best {:.2} M deliveries/s (wasm, headless Chromium)",
        best / 1e6
    );
}
