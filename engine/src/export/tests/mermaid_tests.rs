//! The Mermaid export read by a small parser of the sequenceDiagram statements it may use,
//! and its arrows held to the run's causal order (world clocks of the space-time diagram).

use super::run;
use crate::export::mermaid::{id, sequence_diagram, Selection};
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
    // The order's sends, from the same trace, with the sender's clock at each.
    let replayed = replay(trace.since(0), Window::ALL);
    let corr = replayed
        .events
        .iter()
        .find(|e| matches!(&e.kind, crate::sim::trace::TraceKind::Order { order_id, .. } if order_id == "ord-0001"))
        .expect("the order")
        .corr;
    let mut sends: Vec<(Arrow, WorldClock, bool)> = replayed
        .st_events()
        .filter(|e| e.corr == corr)
        .filter_map(|e| match &e.kind {
            StKind::Send { to, label, .. } => Some((
                Arrow {
                    from: id(&names, e.node),
                    to: id(&names, *to),
                    text: label.to_string(),
                },
                e.clock.clone(),
                false,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        arrows.len(),
        sends.len(),
        "one arrow per message of the order"
    );
    // Match each arrow to the first unused send it names, then check no later arrow's send
    // happened before an earlier arrow's.
    let mut clocks = Vec::new();
    for a in &arrows {
        let s = sends
            .iter_mut()
            .find(|(s, _, used)| {
                !*used && s.from == a.from && s.to == a.to && a.text.starts_with(&s.text)
            })
            .unwrap_or_else(|| panic!("no such message: {a:?}"));
        s.2 = true;
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
}

#[test]
fn a_window_diagram_parses_and_an_unknown_order_is_refused_by_name() {
    let sys = run("leader-crash", 2, 8);
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let window = Selection::Window(Window {
        from_us: 4_000_000,
        to_us: 6_000_000,
    });
    let text = sequence_diagram(trace.since(0), &names, &window, "leader-crash").expect("exports");
    assert!(!parse(&text).is_empty());
    let err = sequence_diagram(
        trace.since(0),
        &names,
        &Selection::Order("ord-9999".into()),
        "x",
    )
    .expect_err("no such order");
    assert!(err.contains("ord-9999"), "{err}");
}
