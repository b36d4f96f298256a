//! Virtual time: integer microseconds since the world started. Never the wall clock.

/// Microseconds of virtual time.
pub type Micros = u64;
pub const US_PER_MS: Micros = 1_000;
pub const US_PER_SEC: Micros = 1_000_000;

pub const fn ms(n: u64) -> Micros {
    n * US_PER_MS
}

pub const fn secs(n: u64) -> Micros {
    n * US_PER_SEC
}

/// `12.345s` style, for logs and the page.
pub fn fmt_secs(t: Micros) -> String {
    format!("{}.{:03}s", t / US_PER_SEC, (t % US_PER_SEC) / US_PER_MS)
}
