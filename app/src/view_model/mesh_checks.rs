//! The checks panel's rows: each invariant the engine checks, with its source, a one-line
//! explanation for a reader, and the violations found so far.
use engine::invariants::Violation;
use engine::sim::Micros;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRow {
    pub name: &'static str,
    pub source: &'static str,
    pub explanation: &'static str,
    /// Checked continuously against the trace (false: only at the end of a headless run).
    pub live: bool,
    pub violations: Vec<(Micros, String)>,
}

impl CheckRow {
    pub fn holds(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Properties the engine checks only at the end of a run (not every frame). Linearizability
/// is a search over the whole history: the stock reads panel runs it on request.
const END_OF_RUN: [&str; 3] = [
    "no approved order lost",
    engine::invariants::stock_conservation::NAME,
    engine::invariants::linearizability::NAME,
];

/// What a property means, in a sentence a student can follow.
pub fn explanation(name: &str) -> &'static str {
    match name {
        "one leader per term" => "At most one node may win any given term; two leaders in one term would split the cluster's brain.",
        "only the leader dequeues" => "The queue hands orders only to the executor presenting the newest term (a fencing token), so a deposed leader cannot take work.",
        "no order executed twice" => "Each order's effects are applied exactly once, even when a leader dies mid-order and its lease is handed to another.",
        "clocks respect causality" => "If one event caused another, its vector clock is strictly smaller: the DAG's order shows up in the clocks.",
        "no approved order lost" => "Every approved order is eventually executed or still waiting in the queue; a crashed executor's lease comes back.",
        engine::invariants::linearizability::NAME => "Every strong read of a book's stock returns what one copy of the stock would have held at some instant during the read: never a count an acknowledged sale had already changed. Check it in the Cluster tab's stock reads.",
        _ => "Checked by the engine against every event of the trace.",
    }
}

/// One row per invariant in the catalogue's order, each with its violations (oldest first).
pub fn check_rows(
    catalogue: &[(&'static str, &'static str)],
    violations: &[Violation],
) -> Vec<CheckRow> {
    catalogue
        .iter()
        .map(|(name, source)| CheckRow {
            name,
            source,
            explanation: explanation(name),
            live: !END_OF_RUN.contains(name),
            violations: violations
                .iter()
                .filter(|v| v.invariant == *name)
                .map(|v| (v.t_us, v.detail.clone()))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: [(&str, &str); 3] = [
        ("one leader per term", "Raft §5.2"),
        ("only the leader dequeues", "fencing"),
        ("no approved order lost", "SPEC"),
    ];

    #[test]
    fn every_invariant_gets_a_row_that_holds_until_violated() {
        let rows = check_rows(&CATALOGUE, &[]);
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(CheckRow::holds));
        assert!(
            rows[0].live && !rows[2].live,
            "lost orders are only judged at the end of a run"
        );
        assert!(rows.iter().all(|r| !r.explanation.is_empty()));
    }

    #[test]
    fn violations_land_on_their_own_invariant() {
        let v = |name: &'static str, t: u64| Violation {
            invariant: name,
            t_us: t,
            detail: format!("at {t}"),
        };
        let rows = check_rows(
            &CATALOGUE,
            &[
                v("one leader per term", 5),
                v("one leader per term", 7),
                v("only the leader dequeues", 9),
            ],
        );
        assert_eq!(
            rows[0].violations,
            [(5, "at 5".to_string()), (7, "at 7".to_string())]
        );
        assert_eq!(rows[1].violations.len(), 1);
        assert!(rows[2].holds());
    }

    #[test]
    fn an_unknown_invariant_still_gets_an_explanation() {
        assert!(!explanation("stock never negative").is_empty());
    }
}
