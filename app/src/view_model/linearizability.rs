//! The linearizability verdicts as the reads panel shows them: one line per verdict and the
//! witness — the operations that show a failing history's fault — as rows, from the engine's
//! typed report (`engine::invariants::linearizability`), never recomputed here.
use crate::view_model::orders_cluster::node_name;
use engine::invariants::linearizability::{Outcome, Report, Verdict};
use engine::sim::fmt_secs;
use engine::snapshot::NodeSnap;
use engine::system::client_history::OpKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessRow {
    pub key: usize,
    pub what: String,
    pub from: String,
    pub to: String,
    /// A read (the highlighted, failing side of the witness) rather than a write.
    pub is_read: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinView {
    /// "Strong reads (the promise): linearizable", …
    pub lines: Vec<(String, bool)>,
    /// The book whose history fails, and its witness.
    pub book: Option<String>,
    pub witness: Vec<WitnessRow>,
    pub minimal: bool,
}

fn outcome_text(v: &Verdict) -> (String, bool) {
    match &v.outcome {
        Outcome::Linearizable => (format!("linearizable ({} operations)", v.operations), true),
        Outcome::NotLinearizable => (
            format!(
                "NOT linearizable: {:?} ({} operations)",
                v.book.as_deref().unwrap_or(""),
                v.operations
            ),
            false,
        ),
        Outcome::Unknown(why) => (why.clone(), true),
    }
}

pub fn lin_view(report: &Report, nodes: &[NodeSnap]) -> LinView {
    let (strong, strong_ok) = outcome_text(&report.strong_reads);
    let (all, all_ok) = outcome_text(&report.all_reads);
    let lines = vec![
        (
            format!("Strong reads and writes (the promise): {strong}"),
            strong_ok,
        ),
        (format!("Every read and write: {all}"), all_ok),
    ];
    // The promise's witness first: a broken promise matters more than replica staleness.
    let failing = [&report.strong_reads, &report.all_reads]
        .into_iter()
        .find(|v| v.outcome == Outcome::NotLinearizable);
    let witness = failing.map_or_else(Vec::new, |v| {
        v.witness
            .iter()
            .enumerate()
            .map(|(key, op)| {
                let what = match &op.kind {
                    OpKind::Read {
                        copies,
                        strong,
                        replica,
                    } => format!(
                        "{} read from {} → {copies}",
                        if *strong { "strong" } else { "replica" },
                        node_name(nodes, *replica)
                    ),
                    OpKind::Add { delta, index, txn } => format!(
                        "write {delta:+} (log #{index}{})",
                        txn.as_ref().map(|t| format!(", {t}")).unwrap_or_default()
                    ),
                };
                WitnessRow {
                    key,
                    what,
                    from: fmt_secs(op.call_us),
                    to: op
                        .return_us
                        .map_or_else(|| "no answer".to_string(), fmt_secs),
                    is_read: matches!(op.kind, OpKind::Read { .. }),
                }
            })
            .collect()
    });
    LinView {
        lines,
        book: failing.and_then(|v| v.book.clone()),
        witness,
        minimal: failing.is_none_or(|v| v.minimal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::system::client_history::Op;

    fn verdict(outcome: Outcome, witness: Vec<Op>) -> Verdict {
        Verdict {
            outcome,
            operations: 9,
            book: Some("Dune".into()),
            witness,
            minimal: true,
        }
    }

    #[test]
    fn a_stale_replica_read_shows_as_the_witness_with_the_sale_it_missed() {
        let sale = Op {
            book: "Dune".into(),
            kind: OpKind::Add {
                delta: -1,
                index: 3,
                txn: Some("tx-ord-0001".into()),
            },
            call_us: 3_000_000,
            return_us: Some(3_100_000),
        };
        let read = Op {
            book: "Dune".into(),
            kind: OpKind::Read {
                copies: 3,
                strong: false,
                replica: engine::sim::NodeId(8),
            },
            call_us: 4_000_000,
            return_us: None,
        };
        let report = Report {
            strong_reads: verdict(Outcome::Linearizable, vec![]),
            all_reads: verdict(Outcome::NotLinearizable, vec![sale, read]),
        };
        let v = lin_view(&report, &[]);
        assert!(v.lines[0].1 && !v.lines[1].1, "{:?}", v.lines);
        assert!(v.lines[1].0.contains("NOT linearizable"));
        assert_eq!(v.book.as_deref(), Some("Dune"));
        assert_eq!(v.witness.len(), 2);
        assert!(v.witness[0]
            .what
            .starts_with("write -1 (log #3, tx-ord-0001)"));
        assert!(v.witness[1].is_read && v.witness[1].what.starts_with("replica read"));
        assert_eq!(v.witness[1].to, "no answer");
    }
}
