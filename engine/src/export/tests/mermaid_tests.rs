//! The Mermaid export read by a small parser of the sequenceDiagram statements it may use,
//! and its arrows held to the run's causal order (world clocks of the space-time diagram).

use super::run;
use crate::export::mermaid::{id, sequence_diagram, OrderScope, Selection};
use crate::export::{replay, NodeNames, Window};
use crate::snapshot::spacetime::{Causality, StKind, WorldClock};
use regex::Regex;
use std::collections::BTreeSet;

#[derive(Debug, PartialEq, Eq)]
struct Arrow {
    from: String,
    to: String,
    text: String,
}

/// Every line must be a statement Mermaid's sequenceDiagram grammar accepts; returns the
/// arrows in order.
fn parse(diagram: &str) -> Vec<Arrow> {
    let ident = r"[A-Za-z_][A-Za-z0-9_]*";
    let participant = Regex::new(&format!(r"^    participant ({ident})( as [^;\n]+)?$")).unwrap();
    let arrow = Regex::new(&format!(r"^    ({ident})(->>|-x|-\))({ident}): ([^;\n]+)$")).unwrap();
    let note = Regex::new(&format!(r"^    Note over ({ident})(,{ident})?: [^;\n]+$")).unwrap();
    let comment = Regex::new(r"^    %%.*$").unwrap();
    let mut lines = diagram.lines();
    assert_eq!(lines.next(), Some("sequenceDiagram"));
    let mut declared = BTreeSet::new();
    let mut arrows = Vec::new();
    for line in lines {
        if let Some(c) = participant.captures(line) {
            assert!(arrows.is_empty(), "participants come first");
            declared.insert(c[1].to_string());
        } else if let Some(c) = arrow.captures(line) {
            assert!(
                declared.contains(&c[1]) && declared.contains(&c[3]),
                "{line}"
            );
            arrows.push(Arrow {
                from: c[1].into(),
                to: c[3].into(),
                text: c[4].into(),
            });
        } else if let Some(c) = note.captures(line) {
            assert!(declared.contains(&c[1]), "{line}");
        } else {
            assert!(
                comment.is_match(line) || line.is_empty(),
                "not a statement: {line:?}"
            );
        }
    }
    arrows
}

#[test]
fn an_orders_diagram_parses_and_its_arrows_follow_causality() {
    let sys = run("2pc-commit", 1, 8);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let order = Selection::Order("ord-0001".into());
    let text = sequence_diagram(trace.since(0), &names, &order, "2pc-commit").expect("exports");
    let arrows = parse(&text);
    assert!(arrows.len() >= 12, "{text}");
    assert!(
        text.contains("Note over") && text.contains("COMMITTED"),
        "{text}"
    );
    assert!(
        text.contains("PrepareTransaction") && text.contains("CommitPayment"),
        "{text}"
    );
    assert_follows_causality(
        &arrows,
        trace.since(0),
        &names,
        Some("ord-0001"),
        Window::ALL,
    );
}

/// Matches each arrow with the first unused send of the run it names (sender, receiver,
/// label), checks that no later arrow's send happened before an earlier arrow's, and, for an
/// order, that every message tagged with its correlation id is drawn.
fn assert_follows_causality<'a>(
    arrows: &[Arrow],
    events: impl IntoIterator<Item = &'a crate::sim::trace::TraceEvent>,
    names: &NodeNames,
    order: Option<&str>,
    window: Window,
) {
    let replayed = replay(events, window);
    let corr = order.map(|o| {
        replayed
            .events
            .iter()
            .find(|e| matches!(&e.kind, crate::sim::trace::TraceKind::Order { order_id, .. } if order_id == o))
            .expect("the order")
            .corr
    });
    let scope = order.map(|o| OrderScope::of(&replayed.events, o).expect("the order"));
    let drawn = |seq: u64| {
        let ev = replayed.events.iter().find(|e| e.seq == seq).expect("held");
        match (&scope, &ev.kind) {
            (Some(s), crate::sim::trace::TraceKind::Send { to, .. }) => s.takes(ev, *to),
            _ => true,
        }
    };
    let mut sends: Vec<(Arrow, WorldClock, u64, bool)> = replayed
        .st_events()
        .filter(|e| drawn(e.seq))
        .filter_map(|e| match &e.kind {
            StKind::Send { to, label, .. } => Some((
                Arrow {
                    from: id(names, e.node),
                    to: id(names, *to),
                    text: label.to_string(),
                },
                e.clock.clone(),
                e.corr,
                false,
            )),
            _ => None,
        })
        .collect();
    let mut clocks = Vec::new();
    for a in arrows {
        let s = sends
            .iter_mut()
            .find(|(s, _, _, used)| {
                !*used && s.from == a.from && s.to == a.to && a.text.starts_with(&s.text)
            })
            .unwrap_or_else(|| panic!("no such message: {a:?}"));
        s.3 = true;
        clocks.push(s.1.clone());
    }
    for (i, earlier) in clocks.iter().enumerate() {
        for later in &clocks[i + 1..] {
            assert_ne!(
                later.compare(earlier),
                Causality::Before,
                "arrows out of causal order"
            );
        }
    }
    if let Some(corr) = corr {
        let missed = sends.iter().filter(|s| s.2 == corr && !s.3).count();
        assert_eq!(missed, 0, "every message of the order is drawn");
    }
    assert!(sends.iter().all(|s| s.3), "every message in scope is drawn");
}

#[test]
fn a_window_diagram_parses_and_an_unknown_order_is_refused_by_name() {
    let sys = run("leader-crash", 2, 8);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let span = Window {
        from_us: 4_000_000,
        to_us: 6_000_000,
    };
    let window = Selection::Window(span);
    let text = sequence_diagram(trace.since(0), &names, &window, "leader-crash").expect("exports");
    let arrows = parse(&text);
    assert!(arrows.len() > 10);
    assert_follows_causality(&arrows, trace.since(0), &names, None, span);
    let err = sequence_diagram(
        trace.since(0),
        &names,
        &Selection::Order("ord-9999".into()),
        "x",
    )
    .expect_err("no such order");
    assert!(err.contains("ord-9999"), "{err}");
}
