//! Each export parsed back and checked against the rules of the tool that reads it.

mod mermaid_tests;
mod perfetto_tests;
mod shiviz_tests;

use crate::scenario::builtin;
use crate::sim::secs;
use crate::system::System;

/// A built-in scenario run to `until_s` with `seed`.
pub fn run(id: &str, seed: u64, until_s: u64) -> System {
    let scenario = builtin::get(id).expect("built-in").expect("parses");
    let mut sys = scenario.build(seed).expect("builds");
    sys.run_until(secs(until_s));
    sys
}
