//! Seed ranges and shards. Seeds are independent, so a range splits across any parallel runner:
//! `--shard I/N` (I from 0 to N−1) takes every N-th seed of the range starting at its I-th
//! (seed = start + I + k·N). Interleaved rather than contiguous so that each shard gets the
//! same mix of seeds whatever the range, and a shard's cost does not depend on where it lies.
//! 0-based so that a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` is the shard as it is.

/// The largest range one command takes (a billion seeds is a long weekend on a big cluster).
pub const MAX_SEEDS: u64 = 1_000_000_000;

/// `A..B` (B excluded), `A..=B` or one seed `A`.
pub fn parse_range(text: &str) -> Result<std::ops::Range<u64>, String> {
    let num = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("--seeds: not a whole number: {s:?} (expected A..B, A..=B or N)"))
    };
    let range = if let Some((a, b)) = text.split_once("..=") {
        num(a)?..num(b)?.checked_add(1).ok_or("--seeds: end too large")?
    } else if let Some((a, b)) = text.split_once("..") {
        num(a)?..num(b)?
    } else {
        let a = num(text)?;
        a..a + 1
    };
    if range.is_empty() {
        return Err(format!("--seeds: {text:?} holds no seed"));
    }
    if range.end - range.start > MAX_SEEDS {
        return Err(format!(
            "--seeds: at most {MAX_SEEDS} seeds per command; shard the range"
        ));
    }
    Ok(range)
}

/// A shard `I/N` of a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("--shard: expected I/N with 0 ≤ I < N (e.g. 0/8), got {text:?}");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }

    /// The seeds of `range` in this shard, in order.
    pub fn seeds(self, range: std::ops::Range<u64>) -> impl Iterator<Item = u64> {
        let start = range.start.saturating_add(self.index);
        (start..range.end).step_by(self.count as usize)
    }
}
