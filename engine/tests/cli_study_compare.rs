//! The headless runner's `study elections` and `compare` commands, run as a user would: the CSV
//! it writes parses row for row, the SVG is one self-contained document, the comparison's JSON
//! carries both sides, and bad options are refused (exit 2) with the option named.

use std::process::Command;

fn bookmesh(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bookmesh"))
        .args(args)
        .output()
        .expect("bookmesh runs")
}

#[test]
fn study_writes_a_parsable_csv_and_an_svg() {
    let dir = std::env::temp_dir().join(format!("bookmesh-study-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (csv, svg) = (dir.join("out.csv"), dir.join("out.svg"));
    let out = bookmesh(&[
        "study",
        "elections",
        "--trials",
        "6",
        "--ranges",
        "150-150,150-300",
        "--latency-ms",
        "2-4",
        "--csv",
        csv.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("latency 2-4 ms") && stdout.contains("150-300"),
        "{stdout}"
    );
    let rows = engine::study::csv::parse(&std::fs::read_to_string(&csv).unwrap()).unwrap();
    assert_eq!(rows.len(), 12);
    assert!(rows
        .iter()
        .filter(|r| r.range.label() == "150-300")
        .all(|r| !r.censored));
    assert!(rows
        .iter()
        .filter(|r| r.range.label() == "150-150")
        .all(|r| r.censored));
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg xmlns") && picture.matches("<polyline").count() == 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn study_refuses_a_bad_range_naming_the_option() {
    let out = bookmesh(&["study", "elections", "--latency-ms", "10-5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--latency-ms"));
}

#[test]
fn compare_prints_both_sides_as_json() {
    let out = bookmesh(&[
        "compare",
        "replica-reads",
        "--a",
        "stock_reads=replicas",
        "--b",
        "stock_reads=primary",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["a"]["stale_reads"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(v["b"]["stale_reads"].as_u64(), Some(0), "{v}");
    let bad = bookmesh(&[
        "compare",
        "leader-crash",
        "--a",
        "electoin=bully",
        "--b",
        "",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("electoin"));
}
