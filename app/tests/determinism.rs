//! The engine in a real browser: the golden scenarios must produce exactly the trace hashes the
//! native test checks (engine/src/scenario/golden.rs), so a run is the same natively and in wasm.
#![cfg(target_arch = "wasm32")]

use engine::scenario::golden::{check_all, golden_hash, GOLDEN};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn browser_runs_reproduce_the_native_golden_trace_hashes() {
    assert!(!GOLDEN.is_empty());
    let bad = check_all();
    assert!(
        bad.is_empty(),
        "wasm diverged from native:\n{}",
        bad.join("\n")
    );
}

#[wasm_bindgen_test]
fn another_seed_gives_another_trace_in_the_browser_too() {
    let (id, seed, until, _) = GOLDEN[0];
    let a = golden_hash(id, seed, until).expect("runs");
    let b = golden_hash(id, seed + 1, until).expect("runs");
    assert_ne!(a, b);
}
