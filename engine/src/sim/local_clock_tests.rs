use super::*;

const S: Micros = 1_000_000;

#[test]
fn a_clock_without_skew_or_drift_reads_true_time() {
    let c = LocalClock::new(0, 0).expect("valid");
    for t in [0, 1, 999, 3 * S, u64::MAX / 4] {
        assert_eq!(c.local(t), t);
        assert_eq!(c.true_at(t, 0), t);
    }
    assert_eq!(c.reading(7 * S), ClockReading::default());
}

#[test]
fn skew_offsets_the_reading_and_drift_changes_its_rate() {
    let c = LocalClock::new(200_000, 50_000).expect("valid");
    assert_eq!(c.local(0), 200_000);
    // 10 s of true time is 10.5 s on a clock 5 % fast.
    assert_eq!(c.local(10 * S), 200_000 + 10 * S + S / 2);
    assert_eq!(
        c.reading(10 * S),
        ClockReading {
            offset_us: 700_000,
            drift_ppm: 50_000
        }
    );
    let slow = LocalClock::new(0, -100_000).expect("valid");
    assert_eq!(slow.local(10 * S), 9 * S);
}

#[test]
fn a_clock_behind_true_time_runs_from_the_first_instant_and_reports_its_skew() {
    // Held at 0 until true time caught up, it used to stand still for 300 ms.
    let c = LocalClock::new(-300_000, 0).expect("valid");
    assert_eq!(c.local(1_000) - c.local(0), 1_000);
    assert_eq!(c.reading(0).offset_us, -300_000);
    assert_eq!(c.reading(5 * S).offset_us, -300_000);
    let slow = LocalClock::new(-300_000, -100_000).expect("valid");
    assert_eq!(slow.local(10 * S) - slow.local(0), 9 * S);
    assert_eq!(slow.reading(10 * S).offset_us, -1_300_000);
    let at = slow.true_at(slow.local(0) + S, 0);
    assert_eq!(slow.local(at), slow.local(0) + S);
    // A later step to a stated skew keeps the epoch: the page still reads "behind".
    let stepped = c.changed(S, Some(-100_000), 0).expect("valid");
    assert_eq!(stepped.reading(S).offset_us, -100_000);
}

#[test]
fn true_at_is_the_first_true_instant_the_clock_reaches_a_reading() {
    for drift in [-500_000, -123_457, -1, 0, 1, 33_333, 500_000] {
        for skew in [-2_000, 0, 1_234] {
            let c = LocalClock::new(skew, drift).expect("valid");
            // Readings counted from the clock's own start (a clock behind starts at the epoch).
            let start = c.local(0);
            for want in [0, 1, 2, 3, 997, 1_000, 12_345, 3 * S + 7].map(|w| start + w) {
                let t = c.true_at(want, 0);
                assert!(
                    c.local(t) >= want,
                    "drift {drift} skew {skew}: early for {want}"
                );
                assert!(
                    t == 0 || c.local(t - 1) < want,
                    "drift {drift} skew {skew}: {t} is not the first instant reading {want}"
                );
            }
        }
    }
}

#[test]
fn a_change_never_moves_the_clock_backwards() {
    let c = LocalClock::new(0, 0).expect("valid");
    // At 10 s the clock is told it is 2 s behind: it stands still for 2 s, then runs again.
    let behind = c.changed(10 * S, Some(-2 * S as i64), 0).expect("valid");
    assert_eq!(behind.local(10 * S), 10 * S);
    assert_eq!(behind.local(11 * S), 10 * S);
    assert_eq!(behind.local(13 * S), 11 * S);
    assert_eq!(behind.true_at(10 * S + 1, 10 * S), 12 * S + 1);
    // Without a skew only the rate changes: the reading goes on from where it was.
    let fast = c.changed(10 * S, None, 100_000).expect("valid");
    assert_eq!(fast.local(10 * S), 10 * S);
    assert_eq!(fast.local(20 * S), 21 * S);
    // A forward skew jumps.
    let ahead = c.changed(10 * S, Some(500_000), 0).expect("valid");
    assert_eq!(ahead.local(10 * S), 10 * S + 500_000);
}

#[test]
fn out_of_range_clocks_are_refused_with_the_field_named() {
    let err = LocalClock::new(0, 600_000).expect_err("too fast");
    assert!(err.contains("drift_ppm"), "{err}");
    let err = LocalClock::new(0, -1_000_000).expect_err("stopped");
    assert!(err.contains("drift_ppm"), "{err}");
    let err = LocalClock::new(MAX_SKEW_US + 1, 0).expect_err("too far");
    assert!(err.contains("skew_ms"), "{err}");
    let c = LocalClock::new(0, 0).expect("valid");
    assert!(c.changed(S, Some(i64::MIN), 0).is_err());
}
