//! Helpers for seeded (randomised) tests: `SEED=n` reruns one seed, and a failing seed prints a
//! one-line command that reproduces it.

/// The seeds to run: `default`, or only `$SEED` when it is set.
pub fn seeds(default: std::ops::Range<u64>) -> Vec<u64> {
    match std::env::var("SEED") {
        Ok(s) => vec![s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("SEED must be a number, got {s:?}"))],
        Err(_) => default.collect(),
    }
}

/// Held while one seed runs; if the test panics meanwhile, prints the seed and how to rerun it.
pub struct SeedGuard {
    test: &'static str,
    seed: u64,
}

impl SeedGuard {
    pub fn new(test: &'static str, seed: u64) -> Self {
        Self { test, seed }
    }
}

impl Drop for SeedGuard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "failing seed {}; reproduce: SEED={} cargo test -p engine {}",
                self.seed, self.seed, self.test
            );
        }
    }
}

/// True when `SEED` narrows a sweep to one seed: whole-sweep totals don't apply then.
pub fn one_seed_only() -> bool {
    std::env::var("SEED").is_ok()
}
