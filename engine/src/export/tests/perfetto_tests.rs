//! The Chrome trace-event export read back with serde_json and held to the format's rules:
//! every thread named, every flow start with one end, complete slices well nested per thread,
//! timestamps in microseconds of the run.

use super::run;
use crate::export::perfetto::trace_events;
use crate::export::{NodeNames, Window};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn export(id: &str, seed: u64, until_s: u64) -> (Value, u64) {
    let sys = run(id, seed, until_s);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let doc = trace_events(trace.since(0), &names, Window::ALL, id);
    let text = serde_json::to_string(&doc).expect("serialises");
    (serde_json::from_str(&text).expect("parses back"), sys.now())
}

fn events(doc: &Value) -> &Vec<Value> {
    doc["traceEvents"].as_array().expect("traceEvents")
}

fn track(e: &Value) -> (u64, u64) {
    (
        e["pid"].as_u64().expect("pid"),
        e["tid"].as_u64().expect("tid"),
    )
}

/// Complete slices on one thread must nest: sorted by start (longest first), each one ends
/// before the enclosing one does or starts after it ended.
fn assert_well_nested(doc: &Value) -> usize {
    let mut per_track: BTreeMap<(u64, u64), Vec<(f64, f64)>> = BTreeMap::new();
    for e in events(doc).iter().filter(|e| e["ph"] == "X") {
        let ts = e["ts"].as_f64().expect("ts");
        let dur = e["dur"].as_f64().expect("dur");
        assert!(dur >= 0.0, "{e}");
        per_track.entry(track(e)).or_default().push((ts, ts + dur));
    }
    let mut slices = 0;
    for (t, mut spans) in per_track {
        spans.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut open: Vec<f64> = Vec::new();
        for (from, to) in spans {
            while open.last().is_some_and(|end| *end <= from) {
                open.pop();
            }
            if let Some(end) = open.last() {
                assert!(
                    to <= *end + 1e-9,
                    "track {t:?}: [{from}, {to}] overlaps a slice ending {end}"
                );
            }
            open.push(to);
            slices += 1;
        }
    }
    slices
}

#[test]
fn the_trace_events_are_well_formed_for_perfetto() {
    let (doc, now_us) = export("2pc-commit", 1, 8);
    let all = events(&doc);
    let named: BTreeSet<(u64, u64)> = all
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
        .map(track)
        .collect();
    for e in all.iter().filter(|e| e["ph"] != "M") {
        assert!(named.contains(&track(e)), "an unnamed track: {e}");
        let ts = e["ts"].as_f64().expect("ts");
        assert!(
            (0.0..=now_us as f64 + 1.0).contains(&ts),
            "ts in µs of the run: {e}"
        );
    }
    let processes: BTreeSet<u64> = named.iter().map(|t| t.0).collect();
    assert!(
        processes.len() >= 10,
        "a track group per node: {processes:?}"
    );
    assert!(assert_well_nested(&doc) > 500);
    for ph in ["X", "i", "s", "f"] {
        assert!(all.iter().any(|e| e["ph"] == ph), "no {ph} event");
    }
    let spans: Vec<&str> = all
        .iter()
        .filter(|e| e["ph"] == "X" && e["cat"] != "message")
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(
        spans.iter().any(|n| n.starts_with("2PC tx-ord-0001")),
        "{spans:?}"
    );
    assert!(
        spans.contains(&"PREPARING") && spans.contains(&"COMMITTING"),
        "{spans:?}"
    );
    assert!(
        spans.iter().any(|n| n.starts_with("leads executors")),
        "{spans:?}"
    );
}

#[test]
fn every_flow_start_has_one_end_inside_a_message_slice() {
    let (doc, _) = export("leader-crash", 2, 8);
    let all = events(&doc);
    let mut starts: BTreeMap<u64, &Value> = BTreeMap::new();
    let mut ends: BTreeMap<u64, &Value> = BTreeMap::new();
    for e in all {
        let id = || e["id"].as_u64().expect("flow id");
        match e["ph"].as_str() {
            Some("s") => assert!(starts.insert(id(), e).is_none(), "one start per id"),
            Some("f") => {
                assert_eq!(e["bp"], "e", "binds to the enclosing slice");
                assert!(ends.insert(id(), e).is_none(), "one end per id");
            }
            _ => {}
        }
    }
    assert!(starts.len() > 100);
    assert_eq!(
        starts.keys().collect::<Vec<_>>(),
        ends.keys().collect::<Vec<_>>()
    );
    let slices: Vec<&Value> = all
        .iter()
        .filter(|e| e["ph"] == "X" && e["cat"] == "message")
        .collect();
    let inside = |flow: &Value, verb: &str| {
        let ts = flow["ts"].as_f64().expect("ts");
        slices.iter().any(|x| {
            let from = x["ts"].as_f64().unwrap_or(0.0);
            let to = from + x["dur"].as_f64().unwrap_or(0.0);
            track(x) == track(flow)
                && (from..=to).contains(&ts)
                && x["name"].as_str().is_some_and(|n| n.starts_with(verb))
        })
    };
    for (id, s) in &starts {
        let f = ends[id];
        assert!(
            s["ts"].as_f64() <= f["ts"].as_f64(),
            "a message arrives after it leaves"
        );
        assert!(inside(s, "send "), "flow {id} starts in its send slice");
        assert!(inside(f, "receive "), "flow {id} ends in its receive slice");
    }
}
