//! Virtual time for the shell: the animation-frame loop turns wall time × speed into virtual
//! microseconds. When the engine is wired in, it owns virtual time and this clock goes away;
//! the conversion rules (integer µs, bounded frames, no drift) carry over.
use super::speed::Speed;

/// One press of Step advances virtual time by this much (until the engine defines a step as
/// "the next event").
pub const STEP_US: u64 = 100_000;

/// Longest wall-time gap one frame may account for. Browsers stop animation frames in hidden
/// tabs; without a bound, returning to the tab would jump the run forward by minutes.
pub const MAX_FRAME_WALL_US: u64 = 100_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VirtualClock {
    now_us: u64,
    /// Sub-microsecond remainder (in thousandths of a µs) carried between frames, so slow
    /// speeds do not lose time to integer division.
    carry_milli_us: u64,
}

impl VirtualClock {
    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    /// Advances by `wall_delta_ms` (a requestAnimationFrame timestamp difference) at `speed`.
    /// Negative, NaN or huge deltas are clamped to [0, MAX_FRAME_WALL_US].
    pub fn advance_wall(&mut self, wall_delta_ms: f64, speed: Speed) {
        let wall_us = wall_ms_to_us(wall_delta_ms);
        let scaled = wall_us * u64::from(speed.permille()) + self.carry_milli_us;
        self.now_us = self.now_us.saturating_add(scaled / 1_000);
        self.carry_milli_us = scaled % 1_000;
    }

    pub fn step(&mut self) {
        self.now_us = self.now_us.saturating_add(STEP_US);
    }

    pub fn reset(&mut self) {
        *self = VirtualClock::default();
    }
}

fn wall_ms_to_us(wall_delta_ms: f64) -> u64 {
    let micros = wall_delta_ms * 1_000.0;
    if micros.is_nan() || micros <= 0.0 {
        return 0;
    }
    // `as` saturates; the bound keeps later arithmetic far from overflow.
    (micros as u64).min(MAX_FRAME_WALL_US)
}

/// Formats virtual time as `mm:ss.mmm`, or `h:mm:ss.mmm` from one hour on.
pub fn format_virtual_time(now_us: u64) -> String {
    let total_ms = now_us / 1_000;
    let millis = total_ms % 1_000;
    let total_s = total_ms / 1_000;
    let (hours, minutes, seconds) = (total_s / 3_600, (total_s / 60) % 60, total_s % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}.{millis:03}")
    } else {
        format!("{minutes:02}:{seconds:02}.{millis:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speed(value: &str) -> Speed {
        Speed::from_option_value(value).expect("offered speed")
    }

    #[test]
    fn at_real_time_a_frame_of_16_ms_is_16_ms_of_virtual_time() {
        let mut clock = VirtualClock::default();
        clock.advance_wall(16.0, Speed::NORMAL);
        assert_eq!(clock.now_us(), 16_000);
    }

    #[test]
    fn fifty_times_speed_multiplies_the_frame() {
        let mut clock = VirtualClock::default();
        clock.advance_wall(10.0, speed("50"));
        assert_eq!(clock.now_us(), 500_000);
    }

    #[test]
    fn slow_speeds_do_not_drift_over_many_tiny_frames() {
        let mut clock = VirtualClock::default();
        for _ in 0..1_000 {
            clock.advance_wall(0.001, speed("0.25")); // 1 µs of wall time per frame
        }
        assert_eq!(clock.now_us(), 250);
    }

    #[test]
    fn a_hidden_tab_gap_advances_at_most_one_bounded_frame() {
        let mut clock = VirtualClock::default();
        clock.advance_wall(120_000.0, Speed::NORMAL);
        assert_eq!(clock.now_us(), MAX_FRAME_WALL_US);
    }

    #[test]
    fn negative_and_nan_frames_do_not_move_time() {
        let mut clock = VirtualClock::default();
        clock.advance_wall(-5.0, Speed::NORMAL);
        clock.advance_wall(f64::NAN, Speed::NORMAL);
        assert_eq!(clock.now_us(), 0);
    }

    #[test]
    fn step_advances_and_reset_returns_to_zero() {
        let mut clock = VirtualClock::default();
        clock.step();
        assert_eq!(clock.now_us(), STEP_US);
        clock.reset();
        assert_eq!(clock, VirtualClock::default());
    }

    #[test]
    fn virtual_time_reads_as_minutes_seconds_and_millis() {
        assert_eq!(format_virtual_time(0), "00:00.000");
        assert_eq!(format_virtual_time(61_234_999), "01:01.234");
        assert_eq!(format_virtual_time(3_723_004_000), "1:02:03.004");
    }
}
