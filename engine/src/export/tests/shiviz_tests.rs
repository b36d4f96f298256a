//! The ShiViz export parsed the way ShiViz parses it (`js/model/parser.js`: the first line is
//! the regex, wrapped in `^…$` with the `m` flag; the second the delimiter; each clock JSON)
//! and checked by ShiViz's rules (`js/model/modelGraph.js`, `vectorTimestamp.js`): own entry
//! present and counting 1, 2, 3 … per host; every other entry names a host with that many
//! events; each clock is exactly the maximum of its host predecessor's and the clocks of the
//! sends it received, so a receive's clock dominates its send's.

use super::run;
use crate::export::shiviz::{execution, log, DELIMITER, REGEX};
use crate::export::{NodeNames, Window};
use regex::Regex;
use std::collections::BTreeMap;

type Clock = BTreeMap<String, u64>;

struct Parsed {
    host: String,
    clock: Clock,
    event: String,
}

/// The file split into executions as ShiViz does, each parsed with the file's own regex.
fn parse(file: &str) -> Vec<(String, Vec<Parsed>)> {
    let mut lines = file.splitn(3, '\n');
    let regex = lines.next().expect("regex line");
    let delimiter = lines.next().expect("delimiter line");
    let log = lines.next().expect("log");
    assert_eq!((regex, delimiter), (REGEX, DELIMITER));
    let event_re = Regex::new(&format!("(?m)^{regex}$")).expect("ShiViz's regex compiles");
    let delim_re = Regex::new(&format!("(?m)^{delimiter}$")).expect("delimiter compiles");
    let labels: Vec<String> = delim_re
        .captures_iter(log)
        .map(|c| c["trace"].to_string())
        .collect();
    let chunks: Vec<&str> = delim_re
        .split(log.trim())
        .filter(|c| !c.trim().is_empty())
        .collect();
    assert_eq!(labels.len(), chunks.len(), "one label per execution");
    labels
        .into_iter()
        .zip(chunks)
        .map(|(label, chunk)| {
            let events = event_re
                .captures_iter(chunk)
                .map(|c| Parsed {
                    host: c["host"].to_string(),
                    clock: serde_json::from_str(&c["clock"]).expect("the clock is JSON"),
                    event: c["event"].to_string(),
                })
                .collect();
            (label, events)
        })
        .collect()
}

/// ShiViz's checks, and the message pairing its graph would draw: returns how many receives
/// were matched with their send (whose clock the receive's dominates).
fn check_like_shiviz(events: &[Parsed]) -> usize {
    let mut count: BTreeMap<&str, u64> = BTreeMap::new();
    for e in events {
        let own = e.clock.get(&e.host).copied();
        let n = count.entry(&e.host).or_insert(0);
        *n += 1;
        assert_eq!(
            own,
            Some(*n),
            "{}'s own entry counts its events: {}",
            e.host,
            e.event
        );
        assert!(
            e.clock.values().all(|v| *v > 0),
            "zero entries are left out"
        );
    }
    let by_host: BTreeMap<&str, Vec<&Parsed>> = events.iter().fold(BTreeMap::new(), |mut m, e| {
        m.entry(e.host.as_str()).or_insert_with(Vec::new).push(e);
        m
    });
    let mut matched = 0;
    for e in events {
        let prev: Clock = match e.clock[&e.host] {
            1 => Clock::new(),
            k => by_host[e.host.as_str()][k as usize - 2].clock.clone(),
        };
        // Candidates: the newest event of each host this clock knows more of than its
        // predecessor; those another candidate already knew are only transitive (ShiViz's
        // `initParentChild`). What is left are the sends this event received.
        let mut candidates: Vec<(&str, u64)> = Vec::new();
        for (host, &t) in &e.clock {
            let seen = by_host.get(host.as_str()).map_or(0, |v| v.len() as u64);
            assert!(t <= seen, "{} names {host}'s event {t} of {seen}", e.event);
            if host != &e.host && prev.get(host).is_none_or(|p| *p < t) {
                candidates.push((host.as_str(), t));
            }
        }
        let event_of = |(h, t): (&str, u64)| by_host[h][t as usize - 1];
        let parents: Vec<&Parsed> = candidates
            .iter()
            .filter(|(h, t)| {
                !candidates
                    .iter()
                    .any(|c| c.0 != *h && event_of(*c).clock.get(*h) == Some(t))
            })
            .map(|c| event_of(*c))
            .collect();
        let mut expected = prev;
        expected.insert(e.host.clone(), e.clock[&e.host]);
        for sender in &parents {
            assert!(
                sender.event.contains(" send "),
                "a parent is a send: {}",
                sender.event
            );
            assert!(
                e.event.contains(" receive "),
                "only a receive has a parent: {}",
                e.event
            );
            for (h, v) in &sender.clock {
                let mine = expected.entry(h.clone()).or_insert(0);
                *mine = (*mine).max(*v);
            }
            matched += 1;
        }
        assert_eq!(
            e.clock, expected,
            "clock = predecessor ⊔ sends received: {}",
            e.event
        );
    }
    matched
}

#[test]
fn a_run_exports_as_a_log_shiviz_parses_and_accepts() {
    let sys = run("2pc-commit", 1, 8);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let file = log(&[execution("seed 1", trace.since(0), &names, Window::ALL)]);
    let execs = parse(&file);
    assert_eq!(execs.len(), 1);
    let (label, events) = &execs[0];
    assert_eq!(label, "seed 1");
    assert!(events.len() > 500, "{} events", events.len());
    let receives = events
        .iter()
        .filter(|e| e.event.contains(" receive "))
        .count();
    let matched = check_like_shiviz(events);
    assert!(
        matched > 100 && matched <= receives,
        "{matched} of {receives}"
    );
    assert!(events.iter().any(|e| e.event.contains("COMMITTED")));
}

#[test]
fn several_seeds_go_in_one_file_for_the_comparison_view() {
    let runs: Vec<_> = [1, 2, 3]
        .map(|seed| (seed, run("leader-crash", seed, 6)))
        .into();
    let execs: Vec<_> = runs
        .iter()
        .map(|(seed, sys)| {
            let names = NodeNames::of(sys.world());
            let trace = sys.world().trace();
            execution(&format!("seed {seed}"), trace.since(0), &names, Window::ALL)
        })
        .collect();
    let parsed = parse(&log(&execs));
    let labels: Vec<&str> = parsed.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["seed 1", "seed 2", "seed 3"]);
    for (_, events) in &parsed {
        check_like_shiviz(events);
    }
    assert_ne!(
        parsed[0].1.len(),
        parsed[1].1.len(),
        "different seeds, different runs"
    );
}

#[test]
fn a_window_starts_every_clock_afresh_and_still_passes() {
    let sys = run("2pc-commit", 1, 8);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let window = Window {
        from_us: 3_000_000,
        to_us: 5_000_000,
    };
    let file = log(&[execution("window", trace.since(0), &names, window)]);
    let (_, events) = &parse(&file)[0];
    assert!(!events.is_empty());
    assert!(
        events[0].clock.values().all(|v| *v == 1),
        "{:?}",
        events[0].clock
    );
    check_like_shiviz(events);
}

#[test]
fn a_clock_that_breaks_happens_before_is_refused_by_the_check() {
    let sys = run("2pc-commit", 1, 4);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let file = log(&[execution("seed 1", trace.since(0), &names, Window::ALL)]);
    // Drop one send line: the receive that took it now names an event its host never had,
    // or learns from something that is not a send.
    let cut = file
        .lines()
        .position(|l| l.contains(" send "))
        .expect("a send");
    let broken: String = file
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != cut)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let (_, events) = &parse(&broken)[0];
    let caught = std::panic::catch_unwind(|| check_like_shiviz(events));
    assert!(caught.is_err(), "the check notices a missing event");
}
