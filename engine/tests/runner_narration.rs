//! `bookmesh run` asserts a scenario's narration: a true story exits 0 with every verdict in
//! the report; a false claim exits 1 and stderr names the scenario, step, claim, expected and
//! actual.

use std::process::Command;

fn bookmesh(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bookmesh"))
        .args(args)
        .output()
        .expect("bookmesh runs")
}

#[test]
fn a_true_narration_passes_and_is_reported() {
    let out = bookmesh(&["run", "initial-election"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["narration"]["checked"], true);
    let steps = report["narration"]["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 5);
    assert!(steps
        .iter()
        .flat_map(|s| s["claims"].as_array().expect("claims"))
        .all(|c| c["passed"] == true));
}

#[test]
fn a_false_claim_fails_the_run_and_says_what_was_expected_and_found() {
    let text = include_str!("../../scenarios/initial-election.json").replace(
        r#""node": "executor-2",
            "term": 1"#,
        r#""node": "executor-1",
            "term": 1"#,
    );
    assert!(
        text.contains("executor-1\",\n            \"term\": 1"),
        "the claim was rewritten"
    );
    let path =
        std::env::temp_dir().join(format!("bookmesh-false-claim-{}.json", std::process::id()));
    std::fs::write(&path, text).expect("temp file");
    let out = bookmesh(&["run", path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bookmesh-false-claim")
            && stderr.contains("narration step 3 (\"A majority elects executor-2 in term 1\", at 1700 ms), claim 0")
            && stderr.contains("expected executor-1 leads executors in term 1, actual executor-2 leads executors (term 1)"),
        "{stderr}"
    );
}

#[test]
fn another_seed_is_not_judged_against_the_story() {
    let out = bookmesh(&["run", "initial-election", "--seed", "5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["narration"]["checked"], false);
}
