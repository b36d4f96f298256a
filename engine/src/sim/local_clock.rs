//! A node's own clock: what `NodeCtx::now()` reads, and what its timers and TTLs count in.
//! The world keeps true time (the scheduler, the network, the trace); a node sees it through a
//! clock that may be offset (skew) and run at a wrong rate (drift, in parts per million), as a
//! real quartz clock does. Without a configured clock a node reads true time exactly.
//!
//! The model is piecewise linear from the last change, made at true time `since_us`:
//!
//! ```text
//! local(t) = max(floor_us, base_us + (t − since_us) × (10⁶ + drift_ppm) / 10⁶)
//! ```
//!
//! A clock configured behind true time at time 0 would start below zero, which a `Micros`
//! cannot read. Such a clock is lifted by a common epoch (`EPOCH_US`, the largest skew allowed)
//! so it runs at its rate from the first instant, as a machine's monotonic clock counts from an
//! arbitrary boot value; its reported offset is measured from that epoch, so the page still
//! shows "200 ms behind". (It used to be held at 0 until true time caught up: a clock standing
//! still for the length of its skew, an error in rate that no lease margin covers. Swarm seeds
//! 959 and 1631 found a lease holder whose clock stood still for 1.4 s believe it still held
//! the lease after the lock had given it away.) No service compares readings across nodes, so
//! the epoch changes only what a lifted node's own readings are, never a difference of two.
//!
//! `floor_us` is the reading at the last change (0 at the start), so the clock never goes
//! back: a change made *during* the run that would step it backwards makes it stand still
//! until the new line catches up, as a monotonic clock does. That one is a fault someone
//! injected (a clock stepped back), and the page and the nemesis present it as one. The
//! services rely on monotonicity — they subtract an earlier reading from a later one and
//! sleep until readings they computed.
//!
//! Integer math only (the same answer natively and in wasm): the reading rounds down, its
//! inverse (`true_at`) rounds up, so a timer set for local instant L fires at the first true
//! microsecond at which the clock reads at least L — never early in local terms, never later.

use super::time::Micros;

/// Parts per million: drift 50_000 = the clock runs 5 % fast.
pub const PPM: i64 = 1_000_000;
/// At most ±50 %: a clock must still run forwards, and a larger error is not a clock.
pub const MAX_DRIFT_PPM: i64 = 500_000;
/// At most an hour either way.
pub const MAX_SKEW_US: i64 = 3_600_000_000;
/// What a clock configured behind true time at time 0 is lifted by, so it never reads below 0.
pub const EPOCH_US: i64 = MAX_SKEW_US;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalClock {
    since_us: Micros,
    base_us: i128,
    floor_us: Micros,
    drift_ppm: i64,
    /// 0, or `EPOCH_US` for a clock configured behind true time at time 0.
    epoch_us: i64,
}

/// A node's clock as the page and the report show it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ClockReading {
    /// Local reading minus true time, now.
    pub offset_us: i64,
    pub drift_ppm: i64,
}

fn check(skew_us: Option<i64>, drift_ppm: i64) -> Result<(), String> {
    if !(-MAX_DRIFT_PPM..=MAX_DRIFT_PPM).contains(&drift_ppm) {
        return Err(format!(
            "drift_ppm must be between -{MAX_DRIFT_PPM} and {MAX_DRIFT_PPM}, got {drift_ppm}"
        ));
    }
    match skew_us {
        Some(s) if !(-MAX_SKEW_US..=MAX_SKEW_US).contains(&s) => Err(format!(
            "skew_ms must be between -{} and {}, got {}",
            MAX_SKEW_US / 1000,
            MAX_SKEW_US / 1000,
            s / 1000
        )),
        _ => Ok(()),
    }
}

fn to_micros(x: i128) -> Micros {
    x.clamp(0, i128::from(u64::MAX)) as Micros
}

impl LocalClock {
    /// A clock that reads `skew_us` ahead of true time at time 0 (relative to the epoch when
    /// the skew is negative) and runs `drift_ppm` fast.
    pub fn new(skew_us: i64, drift_ppm: i64) -> Result<Self, String> {
        check(Some(skew_us), drift_ppm)?;
        let epoch_us = if skew_us < 0 { EPOCH_US } else { 0 };
        Ok(Self {
            since_us: 0,
            base_us: i128::from(epoch_us) + i128::from(skew_us),
            floor_us: 0,
            drift_ppm,
            epoch_us,
        })
    }

    /// The same clock changed at true time `now_us`: from now on it runs `drift_ppm` fast, and
    /// reads `skew_us` ahead of true time if given (else it goes on from its current reading).
    pub fn changed(
        &self,
        now_us: Micros,
        skew_us: Option<i64>,
        drift_ppm: i64,
    ) -> Result<Self, String> {
        check(skew_us, drift_ppm)?;
        let reading = self.local(now_us);
        let base_us = match skew_us {
            Some(s) => i128::from(now_us) + i128::from(self.epoch_us) + i128::from(s),
            None => i128::from(reading),
        };
        Ok(Self {
            since_us: now_us,
            base_us,
            floor_us: reading,
            drift_ppm,
            epoch_us: self.epoch_us,
        })
    }

    fn rate(&self) -> i128 {
        i128::from(PPM + self.drift_ppm)
    }

    /// The clock's reading at true time `t_us` (not before its last change).
    pub fn local(&self, t_us: Micros) -> Micros {
        let elapsed = i128::from(t_us.saturating_sub(self.since_us));
        let line = self.base_us + elapsed * self.rate() / i128::from(PPM);
        to_micros(line).max(self.floor_us)
    }

    /// The first true instant, not before `now_us`, at which the clock reads at least `local_us`.
    pub fn true_at(&self, local_us: Micros, now_us: Micros) -> Micros {
        if self.local(now_us) >= local_us {
            return now_us;
        }
        // local_us is above the floor and the line at `now_us`, so only the line matters.
        let need = i128::from(local_us) - self.base_us;
        let rate = self.rate();
        let elapsed = (need * i128::from(PPM) + rate - 1) / rate;
        to_micros(i128::from(self.since_us) + elapsed).max(now_us)
    }

    pub fn reading(&self, t_us: Micros) -> ClockReading {
        let offset = i128::from(self.local(t_us)) - i128::from(t_us) - i128::from(self.epoch_us);
        ClockReading {
            offset_us: offset.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
            drift_ppm: self.drift_ppm,
        }
    }
}

#[cfg(test)]
#[path = "local_clock_tests.rs"]
mod tests;
