//! Golden trace hashes: (built-in scenario, seed, virtual ms) → the hash every platform must
//! produce. The native test below and the wasm-bindgen test in headless Chromium
//! (app/tests/determinism.rs) check the same table, so native and browser runs are proven equal.
//! When engine behaviour changes on purpose, the failing test prints the new value to paste here.

pub const GOLDEN: &[(&str, u64, u64, &str)] = &[
    ("ping-ring", 7, 20_000, "fc0500f862412c91"),
    // Changed from e3e02ffbfc4f68ad when every orchestrator event started ticking its clock
    // entry (the vector clocks in the trace changed; nothing else did).
    ("leader-crash", 11, 20_000, "1df2a66258e8a1da"),
    // The scenarios added with narration (issue 9), each on its own seed to its end; the four
    // with checkouts taken after every orchestrator event ticked its clock.
    ("invalid-card", 1, 8_000, "e91f22c473f07a42"),
    ("fraud-rejection", 1, 8_000, "2e0ed6ad3f022e22"),
    ("card-velocity", 1, 12_000, "f08e4e8108a023a8"),
    ("split-vote", 1, 6_000, "68cc9fa46bb24b54"),
    ("cache-clear-conflict", 1, 8_000, "41ab3f9b828a116f"),
];

/// Runs one golden case and returns its hash as 16 hex digits.
pub fn golden_hash(id: &str, seed: u64, until_ms: u64) -> Result<String, String> {
    let s = super::builtin::get(id).ok_or_else(|| format!("no built-in scenario {id}"))??;
    let sys = s.run(seed, until_ms)?;
    Ok(format!("{:016x}", sys.world().trace_hash()))
}

/// Every mismatch as a readable line (empty = all equal).
pub fn check_all() -> Vec<String> {
    GOLDEN
        .iter()
        .filter_map(
            |(id, seed, until, want)| match golden_hash(id, *seed, *until) {
                Ok(got) if got == *want => None,
                Ok(got) => Some(format!(
                    "{id} seed {seed} until {until} ms: trace_hash {got}, golden {want}"
                )),
                Err(e) => Some(format!("{id}: {e}")),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn native_runs_reproduce_the_golden_trace_hashes() {
        let bad = super::check_all();
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
