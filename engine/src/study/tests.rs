//! The study's runner on small cases: a timeout with no randomness elects slowly (split votes),
//! a wide range always elects, the same seeds give the same CSV, the CSV and plot read back.

use super::summary::{table, Quantile};
use super::*;

fn run(ranges: &str, trials: u32, seed: u64) -> StudyRun {
    let cfg = StudyConfig {
        ranges: parse_ranges("ranges", ranges).unwrap(),
        trials,
        seed,
        ..StudyConfig::default()
    };
    let mut run = StudyRun::new(cfg).unwrap();
    run.run_to_end();
    println!("{}", table(&run.summaries()));
    run
}

fn measured_ms(q: Quantile) -> u64 {
    match q {
        Quantile::Measured(us) => us / 1_000,
        Quantile::Censored => u64::MAX,
    }
}

#[test]
fn no_randomness_elects_far_slower_than_a_wide_range() {
    let run = run("150-150,150-300", 30, 1);
    let [fixed, wide] = &run.summaries()[..] else {
        panic!("two ranges")
    };
    // Every trial got as far as crashing a settled leader: the slowness is the re-election's.
    assert!(run
        .outcomes()
        .iter()
        .all(|o| o.cut.is_none() || o.cut == Some(Cut::NoNewLeader)));
    let wide_median = measured_ms(wide.percentile(50));
    let fixed_median = measured_ms(fixed.percentile(50));
    assert!(
        fixed_median >= 5 * wide_median,
        "150-150 median {fixed_median} ms is not well above 150-300's {wide_median} ms"
    );
    assert!(
        fixed.censored > 0,
        "no randomness: split votes should go on past the cap"
    );
}

#[test]
fn a_wide_range_always_elects_within_a_bound() {
    let run = run("150-300", 60, 100);
    let wide = &run.summaries()[0];
    assert_eq!(wide.censored, 0);
    // Detection (≤ 300 ms) plus a couple of split-vote retries fit well under 1.5 s.
    let p99 = measured_ms(wide.percentile(99));
    assert!(p99 < 1_500, "150-300 p99 {p99} ms");
    // And never faster than the minimum timeout minus one heartbeat: a follower waits it out.
    assert!(wide.sorted_us[0] >= 75_000, "{:?}", wide.sorted_us[0]);
}

#[test]
fn the_same_seeds_give_the_same_csv_and_other_seeds_differ() {
    let a = csv::write(run("150-200,25-50", 8, 7).outcomes());
    let b = csv::write(run("150-200,25-50", 8, 7).outcomes());
    let c = csv::write(run("150-200,25-50", 8, 8).outcomes());
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_csv_reads_back_row_for_row() {
    let run = run("150-150,150-175", 5, 3);
    let text = csv::write(run.outcomes());
    assert_eq!(text.lines().count(), 11);
    let back = csv::parse(&text).unwrap();
    assert_eq!(back, run.outcomes());
    let err = csv::parse(&text.replace(",0,\n", ",maybe,\n")).unwrap_err();
    assert!(err.contains("censored"), "{err}");
}

#[test]
fn the_plot_has_one_line_per_range_within_the_frame() {
    let run = run("150-155,150-300", 6, 5);
    let plot = plot::layout(&run.summaries());
    assert_eq!(plot.series.len(), 2);
    assert!(plot.x_min_ms <= 100 && plot.x_max_ms >= 1_000);
    for s in &plot.series {
        assert!(s
            .points
            .iter()
            .all(|(x, y)| (plot::LEFT..=plot::RIGHT).contains(x)
                && (plot::TOP..=plot::BOTTOM).contains(y)));
        // A staircase never goes down.
        assert!(s
            .points
            .windows(2)
            .all(|w| w[1].1 <= w[0].1 && w[1].0 >= w[0].0));
    }
    let svg = svg(&run);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert!(svg.contains("latency 5-10 ms"));
}

#[test]
fn bad_settings_are_refused_with_the_field_named() {
    assert!(parse_ranges("ranges", "300-150")
        .unwrap_err()
        .contains("ranges"));
    assert!(parse_ranges("ranges", "1-5")
        .unwrap_err()
        .contains("at least 2 ms"));
    assert!(MsRange::parse("latency-ms", "a-b")
        .unwrap_err()
        .contains("latency-ms"));
    let cfg = StudyConfig {
        trials: 0,
        ..StudyConfig::default()
    };
    assert!(StudyRun::new(cfg).err().unwrap().contains("trials"));
}
