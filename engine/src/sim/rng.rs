//! Seeded randomness for the simulation.
//!
//! Why not `rand::rngs::SmallRng`: it is Xoshiro256++ on 64-bit targets but Xoshiro128++ on
//! wasm32, so the same seed would give different runs natively and in the browser. We name the
//! generator explicitly and draw ranges and probabilities with integer math only, so no
//! platform-dependent float or `usize` path reaches a decision.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};

/// Probabilities are parts per million: 1_000_000 = always.
pub const PPM: u32 = 1_000_000;

#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    pub fn new(seed: u64) -> Self {
        Self {
            inner: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    /// A child generator for one component (a node, the network), derived from this one's seed
    /// and a stable label, so adding a node never shifts another node's random stream.
    pub fn derive(root_seed: u64, label: &str) -> Self {
        Self::new(mix64(root_seed ^ fnv1a64(label.as_bytes())))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in `lo..=hi` (inclusive), unbiased (Lemire's rejection method).
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        if span == u64::MAX {
            return self.next_u64();
        }
        let n = span + 1;
        let zone = u64::MAX - (u64::MAX - n + 1) % n;
        loop {
            let x = self.next_u64();
            if x <= zone {
                return lo + x % n;
            }
        }
    }

    /// Uniform in `0..n`; `n == 0` yields 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.range_inclusive(0, n - 1)
        }
    }

    /// True with probability `ppm / 1_000_000`.
    pub fn chance_ppm(&mut self, ppm: u32) -> bool {
        if ppm == 0 {
            return false;
        }
        if ppm >= PPM {
            return true;
        }
        self.below(PPM as u64) < ppm as u64
    }
}

/// FNV-1a, 64 bit: a stable hash of bytes (identical on every platform).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser: spreads nearby seeds far apart.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = SimRng::new(7);
        let mut b = SimRng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn derived_streams_differ_by_label_and_are_stable() {
        let a = SimRng::derive(1, "node-a").next_u64();
        let b = SimRng::derive(1, "node-b").next_u64();
        assert_ne!(a, b);
        assert_eq!(a, SimRng::derive(1, "node-a").next_u64());
    }

    #[test]
    fn ranges_stay_in_bounds_and_cover_them() {
        let mut r = SimRng::new(3);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let x = r.range_inclusive(10, 14);
            assert!((10..=14).contains(&x));
            seen[(x - 10) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn chance_ppm_extremes_are_exact() {
        let mut r = SimRng::new(9);
        assert!((0..1000).all(|_| !r.chance_ppm(0)));
        assert!((0..1000).all(|_| r.chance_ppm(PPM)));
        let hits = (0..100_000).filter(|_| r.chance_ppm(250_000)).count();
        assert!((23_000..27_000).contains(&hits), "{hits}");
    }

    #[test]
    fn fnv_is_the_reference_value() {
        // FNV-1a 64 of "a", from the FNV reference test vectors.
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
