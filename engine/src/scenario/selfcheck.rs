//! Determinism self-check: run the same scenario and seed twice and stop at the first event
//! where the two traces differ (madsim / openraft style). A divergence means something in the
//! engine read state it should not have (wall clock, unseeded RNG, unordered iteration).

use super::Scenario;
use crate::sim::trace::TraceEvent;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug)]
pub struct Divergence {
    pub seq: u64,
    pub first: Option<String>,
    pub second: Option<String>,
}

/// Returns the trace hash when both runs agree event by event.
pub fn self_check(
    s: &Scenario,
    seed: u64,
    until_ms: u64,
) -> Result<Result<u64, Divergence>, String> {
    let a = run_fingerprints(s, seed, until_ms, None)?;
    let b = run_fingerprints(s, seed, until_ms, None)?;
    let first_diff =
        a.0.iter()
            .zip(b.0.iter())
            .position(|(x, y)| x != y)
            .or(if a.0.len() != b.0.len() {
                Some(a.0.len().min(b.0.len()))
            } else {
                None
            });
    match first_diff {
        None => Ok(Ok(a.1)),
        Some(i) => {
            let ea = run_fingerprints(s, seed, until_ms, Some(i as u64))?.2;
            let eb = run_fingerprints(s, seed, until_ms, Some(i as u64))?.2;
            Ok(Err(Divergence {
                seq: i as u64,
                first: ea,
                second: eb,
            }))
        }
    }
}

type Fingerprints = (Vec<u64>, u64, Option<String>);

/// Per-event fingerprints of one run, its final hash, and (if asked) event `capture` as JSON.
fn run_fingerprints(
    s: &Scenario,
    seed: u64,
    until_ms: u64,
    capture: Option<u64>,
) -> Result<Fingerprints, String> {
    let mut sys = s.build(seed)?;
    let prints = Rc::new(RefCell::new(Vec::new()));
    let captured = Rc::new(RefCell::new(None));
    let (p, c) = (prints.clone(), captured.clone());
    sys.world_mut()
        .set_trace_sink(Some(Box::new(move |ev: &TraceEvent| {
            let line = serde_json::to_string(ev).unwrap_or_default();
            p.borrow_mut()
                .push(crate::sim::rng::fnv1a64(line.as_bytes()));
            if capture == Some(ev.seq) {
                *c.borrow_mut() = Some(line);
            }
        })));
    sys.run_until(until_ms * 1000);
    let hash = sys.world().trace_hash();
    sys.world_mut().set_trace_sink(None);
    let out = prints.borrow().clone();
    let cap = captured.borrow().clone();
    Ok((out, hash, cap))
}
