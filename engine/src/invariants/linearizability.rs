//! Stock reads are linearizable (Herlihy & Wing, "Linearizability: a correctness condition
//! for concurrent objects", TOPLAS 12(3), 1990): every read and write of a book's stock seems
//! to take effect at one instant between its invocation and its response, in an order a
//! single copy of the stock would allow. Seed 003 promises it for reads from the primary
//! ("strong"), not for round-robin replica reads, which are "visibly stale".
//!
//! How it is checked. The observer records the client history (`system/client_history.rs`:
//! reads with the copies they saw, committed stock changes, each with invoke and response
//! times). It is split by book — linearizability is compositional (P-compositionality,
//! Herlihy & Wing §3.3; Porcupine's partitioning by key): a history is linearizable iff each
//! book's is — and each book's sub-history is searched by `search.rs` (Wing & Gong 1993 with
//! Lowe's and Porcupine's memoisation) against a sequential model: a per-book integer
//! register starting at the book's initial stock, where a write adds its delta and a read must
//! return the current value. For a failing book the history is shrunk to the operations that
//! show the fault (`witness`: a smallest set of reads that still fails, no single one of them
//! can be dropped, with the writes before them), which is what a person reads.
//!
//! Two verdicts. The history of the writes and the *strong* reads is the promise: non-
//! linearizable there is a violation (a broken primary: `bugs::Bug::StrongReadSkipsBarrier`).
//! The history with *every* read is reported beside it: with replica reads on, a stale read
//! makes it non-linearizable, as seed 003 says it will — a finding, not a violation. The
//! search is bounded (`search::Limits`, `SHRINK_CHECKS_MAX`); a bound reached is reported as
//! "unknown (search bound reached)", neither pass nor fail.

pub mod search;

use crate::system::client_history::{ClientHistory, Op, OpKind};
use search::{Answer, Limits, Model, Timed};
use serde::Serialize;
use std::collections::BTreeMap;

pub const NAME: &str = "strong stock reads linearizable";
pub const SOURCE: &str = "Herlihy & Wing 1990; checked by Wing & Gong's search (1993) with Porcupine's memoisation; seed 003 strong reads";

/// Searches one shrink may run (each over a shrinking sub-history).
pub const SHRINK_CHECKS_MAX: usize = 2_000;

/// One book's stock: a register that writes add to and reads must match.
pub struct StockRegister {
    pub initial: i64,
}

impl Model for StockRegister {
    type State = i64;
    type Op = OpKind;

    fn init(&self) -> i64 {
        self.initial
    }

    fn step(&self, state: &i64, op: &OpKind) -> Option<i64> {
        match op {
            OpKind::Add { delta, .. } => Some(state + delta),
            OpKind::Read { copies, .. } => (i64::from(*copies) == *state).then_some(*state),
        }
    }
}

/// The operations that show a failing history's fault: a smallest set of its reads that
/// still fails against every write, with the writes that could come before those reads.
///
/// Why not drop writes freely: dropping a write from a history can make a read fail that did
/// not fail before (it read what that write left), so a shrink over every operation ends on
/// a "failure" the real history does not have — one read disagreeing with the initial stock,
/// or two honest reads around a sale that was dropped. Reads constrain nothing but themselves,
/// so dropping reads never invents a failure; writes stay, and those invoked after the last
/// kept read returned cannot precede it in any order, so they are left out of the witness.
/// Returns the indices kept (call order) and whether no kept read can be dropped.
pub fn witness(
    model: &StockRegister,
    history: &[Timed<OpKind>],
    limits: Limits,
) -> (Vec<usize>, bool) {
    let (reads, writes): (Vec<usize>, Vec<usize>) =
        (0..history.len()).partition(|&i| matches!(history[i].op, OpKind::Read { .. }));
    let (kept_reads, minimal) =
        search::shrink(model, history, &writes, &reads, limits, SHRINK_CHECKS_MAX);
    let last_return = kept_reads
        .iter()
        .map(|&i| history[i].ret.unwrap_or(u64::MAX))
        .max()
        .unwrap_or(0);
    let mut keep: Vec<usize> = writes
        .into_iter()
        .filter(|&w| history[w].call <= last_return)
        .chain(kept_reads)
        .collect();
    keep.sort_by_key(|&i| (history[i].call, i));
    (keep, minimal)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Linearizable,
    NotLinearizable,
    /// Why no answer: the search bound was reached, or the history was cut.
    Unknown(String),
}

/// The verdict over one history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub operations: usize,
    /// The first book (by title) whose history fails, and the operations that show it, in
    /// call order: a smallest set of its reads that fails with the writes before them
    /// (`witness`).
    pub book: Option<String>,
    pub witness: Vec<Op>,
    /// Whether no single read of `witness` can be dropped (false: the shrink budget ran out
    /// first; the witness still fails).
    pub minimal: bool,
}

/// Both verdicts: the promise (strong reads) and every read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub strong_reads: Verdict,
    pub all_reads: Verdict,
}

/// Checks the recorded history against `initial` stock.
pub fn report(history: &ClientHistory, initial: &BTreeMap<String, u32>) -> Report {
    let strong: Vec<&Op> = history
        .ops
        .iter()
        .filter(|o| !matches!(o.kind, OpKind::Read { strong: false, .. }))
        .collect();
    let all: Vec<&Op> = history.ops.iter().collect();
    let cut = history.cut.then(|| {
        format!(
            "the history was cut at {} operations",
            crate::system::client_history::OPS_MAX
        )
    });
    Report {
        strong_reads: verdict(&strong, initial, Limits::default(), cut.clone()),
        all_reads: verdict(&all, initial, Limits::default(), cut),
    }
}

/// The verdict over `ops`, book by book.
pub fn verdict(
    ops: &[&Op],
    initial: &BTreeMap<String, u32>,
    limits: Limits,
    cut: Option<String>,
) -> Verdict {
    let mut by_book: BTreeMap<&str, Vec<Timed<OpKind>>> = BTreeMap::new();
    for op in ops {
        by_book.entry(op.book.as_str()).or_default().push(Timed {
            op: op.kind.clone(),
            call: op.call_us,
            ret: op.return_us,
        });
    }
    let mut unknown = cut;
    for (book, history) in &by_book {
        let model = StockRegister {
            initial: initial.get(*book).map_or(0, |n| i64::from(*n)),
        };
        // Writes alone always linearise (an add has no precondition): no search needed.
        if !history.iter().any(|t| matches!(t.op, OpKind::Read { .. })) {
            continue;
        }
        match search::check(&model, history, limits) {
            Answer::Linearizable => {}
            Answer::Unknown(why) => {
                unknown.get_or_insert(format!("{book:?}: {why}"));
            }
            Answer::NotLinearizable => {
                let (keep, minimal) = witness(&model, history, limits);
                let witness = keep.iter().map(|&i| as_op(book, &history[i])).collect();
                return Verdict {
                    outcome: Outcome::NotLinearizable,
                    operations: ops.len(),
                    book: Some(book.to_string()),
                    witness,
                    minimal,
                };
            }
        }
    }
    Verdict {
        outcome: match unknown {
            Some(why) => Outcome::Unknown(format!("unknown (search bound reached): {why}")),
            None => Outcome::Linearizable,
        },
        operations: ops.len(),
        book: None,
        witness: Vec::new(),
        minimal: true,
    }
}

fn as_op(book: &str, t: &Timed<OpKind>) -> Op {
    Op {
        book: book.to_string(),
        kind: t.op.clone(),
        call_us: t.call,
        return_us: t.ret,
    }
}

/// The witness in words, one operation per clause (for a violation's detail).
pub fn describe(v: &Verdict) -> String {
    let ops: Vec<String> = v
        .witness
        .iter()
        .map(|o| {
            let span = match o.return_us {
                Some(r) => format!("{}–{} ms", o.call_us / 1000, r / 1000),
                None => format!("{} ms–(no answer)", o.call_us / 1000),
            };
            match &o.kind {
                OpKind::Read { copies, strong, .. } => {
                    let how = if *strong {
                        "strong read"
                    } else {
                        "replica read"
                    };
                    format!("{how} → {copies} ({span})")
                }
                OpKind::Add { delta, index, .. } => format!("write {delta:+} (#{index}, {span})"),
            }
        })
        .collect();
    format!(
        "{:?}: no single order of these {} operations fits one copy of the stock: {}",
        v.book.as_deref().unwrap_or(""),
        v.witness.len(),
        ops.join("; ")
    )
}
