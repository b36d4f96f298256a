//! The linearizability checker: hand-written histories with a known answer, the search bound,
//! the shrink, the `replica-reads` scenario (stale replica reads fail, strong reads pass) and a
//! primary that skips its read barrier (a broken variant that trips the promise).

use super::*;
use crate::invariants::linearizability::search::{check, Answer, Limits, Timed};
use crate::invariants::linearizability::{witness, Outcome, StockRegister, NAME};
use crate::scenario::builtin;
use crate::services::stock_reader::StockReads;
use crate::sim::{secs, NodeId};
use crate::system::client_history::OpKind;
use crate::system::config::{ClusterConfig, Election};
use crate::system::fulfilment_tests::{checkout, config, order, system};
use crate::system::inputs::Action;

/// One operation per line: `read COPIES CALL-RETURN` or `add DELTA CALL-RETURN`, times in ms;
/// an empty return (`10-`) never returned.
fn history(table: &str) -> Vec<Timed<OpKind>> {
    table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let (call, ret) = w[2].split_once('-').expect("CALL-RETURN");
            let op = match w[0] {
                "read" => OpKind::Read {
                    copies: w[1].parse().expect("copies"),
                    strong: true,
                    replica: NodeId(0),
                },
                "add" => OpKind::Add {
                    delta: w[1].parse().expect("delta"),
                    index: 0,
                    txn: None,
                },
                other => panic!("unknown op {other:?}"),
            };
            Timed {
                op,
                call: call.parse().expect("call"),
                ret: ret.parse().ok(),
            }
        })
        .collect()
}

fn answer(table: &str) -> Answer {
    check(
        &StockRegister { initial: 5 },
        &history(table),
        Limits::default(),
    )
}

#[test]
fn histories_with_a_known_answer() {
    let cases = [
        (
            "a sale, then a read of what it left",
            "add -1 0-10\n read 4 20-30",
            Answer::Linearizable,
        ),
        (
            "a read overlapping a sale may see either",
            "add -1 0-30\n read 5 10-20\n read 4 15-25",
            Answer::Linearizable,
        ),
        (
            "a read after an acknowledged sale sees it",
            "add -1 0-10\n read 5 20-30",
            Answer::NotLinearizable,
        ),
        (
            "a value the stock never held",
            "add -1 0-10\n read 3 20-30",
            Answer::NotLinearizable,
        ),
        (
            "an unacknowledged sale may not have happened yet",
            "add -1 0-\n read 5 20-30",
            Answer::Linearizable,
        ),
        (
            "once seen, a sale cannot be unseen",
            "add -1 0-\n read 4 20-30\n read 5 40-50",
            Answer::NotLinearizable,
        ),
        (
            "two sales in either order",
            "add -1 0-10\n add -2 5-15\n read 2 20-30",
            Answer::Linearizable,
        ),
        (
            "touching intervals may go either way",
            "add -1 0-10\n read 5 10-20",
            Answer::Linearizable,
        ),
    ];
    for (what, table, want) in cases {
        assert_eq!(answer(table), want, "{what}");
    }
}

#[test]
fn the_search_stops_at_its_bound_and_says_unknown() {
    let ops = history("add -1 0-10\n read 4 20-30\n read 4 40-50");
    let tight = Limits {
        ops_max: 2,
        cache_max: 100,
    };
    assert!(matches!(
        check(&StockRegister { initial: 5 }, &ops, tight),
        Answer::Unknown(_)
    ));
    let tiny_cache = Limits {
        ops_max: 100,
        cache_max: 1,
    };
    assert!(matches!(
        check(&StockRegister { initial: 5 }, &ops, tiny_cache),
        Answer::Unknown(_)
    ));
}

#[test]
fn the_witness_is_the_stale_read_with_the_sales_before_it() {
    // Forty reads around three sales; one read, at 512 ms, misses the sale acknowledged at 370.
    let mut table = String::new();
    let mut stock = 5;
    for i in 0..40u64 {
        let t = i * 20;
        if i % 13 == 5 {
            stock -= 1;
            table.push_str(&format!("add -1 {t}-{}\n", t + 10));
        }
        let seen = if t == 500 { stock + 1 } else { stock };
        table.push_str(&format!("read {seen} {}-{}\n", t + 12, t + 18));
    }
    let ops = history(&table);
    let model = StockRegister { initial: 5 };
    assert_eq!(
        check(&model, &ops, Limits::default()),
        Answer::NotLinearizable
    );
    let (keep, minimal) = witness(&model, &ops, Limits::default());
    assert!(minimal);
    let kept: Vec<String> = keep
        .iter()
        .map(|&i| format!("{:?} {}", ops[i].op, ops[i].call))
        .collect();
    let calls: Vec<u64> = keep.iter().map(|&i| ops[i].call).collect();
    // The two sales before the stale read (the one at 620 cannot precede it), and the read.
    assert_eq!(calls, [100, 360, 512], "{kept:#?}");
    assert!(
        matches!(ops[keep[2]].op, OpKind::Read { copies: 4, .. }),
        "{kept:#?}"
    );
    let witness_ops: Vec<Timed<OpKind>> = keep.iter().map(|&i| ops[i].clone()).collect();
    assert_minimal(&model, &witness_ops);
}

/// `witness` fails, and dropping any one of its reads makes it pass.
fn assert_minimal(model: &StockRegister, witness: &[Timed<OpKind>]) {
    assert_eq!(
        check(model, witness, Limits::default()),
        Answer::NotLinearizable
    );
    for i in 0..witness.len() {
        if matches!(witness[i].op, OpKind::Read { .. }) {
            let mut rest = witness.to_vec();
            rest.remove(i);
            assert_eq!(
                check(model, &rest, Limits::default()),
                Answer::Linearizable,
                "drop {i}"
            );
        }
    }
}

fn replica_reads(mode: StockReads) -> System {
    let mut scenario = builtin::get("replica-reads")
        .expect("built-in")
        .expect("parses");
    scenario.cluster.stock_reads = mode;
    let mut sys = scenario.build(scenario.seed).expect("builds");
    sys.run_until(secs(14));
    sys
}

#[test]
fn replica_reads_are_not_linearizable_and_the_witness_is_a_sale_and_a_stale_read() {
    let sys = replica_reads(StockReads::Replicas);
    let report = sys.linearizability().expect("a books database");
    assert_eq!(
        report.strong_reads.outcome,
        Outcome::Linearizable,
        "no strong read was made"
    );
    let all = &report.all_reads;
    assert_eq!(all.outcome, Outcome::NotLinearizable);
    assert_eq!(all.book.as_deref(), Some("Dune"));
    assert!(all.minimal);
    let reads = all
        .witness
        .iter()
        .filter(|o| matches!(o.kind, OpKind::Read { .. }))
        .count();
    assert_eq!(reads, 1, "one stale read shows it: {:#?}", all.witness);
    assert!(
        all.witness
            .iter()
            .any(|o| matches!(o.kind, OpKind::Add { .. })),
        "with the sale it missed"
    );
    let judged_stale: Vec<u64> = sys
        .observer
        .reads
        .stale
        .iter()
        .map(|r| r.issued_us)
        .collect();
    assert!(
        all.witness.iter().any(|o| matches!(o.kind, OpKind::Read { strong: false, .. })
            && judged_stale.contains(&o.call_us)),
        "the witness holds a replica read the staleness ledger judged stale: {:#?} {judged_stale:?}",
        all.witness
    );
    let timed: Vec<Timed<OpKind>> = all
        .witness
        .iter()
        .map(|o| Timed {
            op: o.kind.clone(),
            call: o.call_us,
            ret: o.return_us,
        })
        .collect();
    assert_minimal(&StockRegister { initial: 3 }, &timed);
    assert!(
        fired(&sys, NAME).is_empty(),
        "replica reads promise nothing"
    );
}

#[test]
fn strong_reads_in_the_same_scenario_are_linearizable() {
    let sys = replica_reads(StockReads::Primary);
    let report = sys.linearizability().expect("a books database");
    let strong_reads = sys
        .observer
        .history
        .ops
        .iter()
        .filter(|o| matches!(o.kind, OpKind::Read { strong: true, .. }))
        .count();
    assert!(strong_reads > 10, "{strong_reads} strong reads");
    assert_eq!(report.strong_reads.outcome, Outcome::Linearizable);
    assert_eq!(report.all_reads.outcome, Outcome::Linearizable);
}

/// At 2 s the database primary is cut off from the other replicas and from the executors
/// (the shopper still reaches it) and its clock slows to half speed, so it goes on believing
/// it leads for a while (its check-quorum timer runs slow). The majority elects a new primary,
/// which commits the sale ordered at 4 s. The shopper's strong reads still go to the old
/// primary first.
fn deposed_primary_keeps_reading() -> System {
    deposed_primary_at(4000, 2)
}

fn deposed_primary_at(order_ms: u64, cut_s: u64) -> System {
    let cfg = ClusterConfig {
        stock: [("Dune".to_string(), 5)].into(),
        stock_reads: StockReads::Primary,
        ..config(Election::Raft)
    };
    let mut sys = system(cfg, 21, vec![checkout(order_ms, order(1, "Dune", 1))]);
    sys.run_until(secs(cut_s));
    let old = sys
        .observer
        .current_leader("books-db")
        .expect("a primary")
        .node;
    let old_name = sys.world().nodes()[old.0 as usize].name.clone();
    let cut_from: Vec<String> = sys
        .world()
        .nodes()
        .iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE || n.service == "executor")
        .map(|n| n.name.clone())
        .filter(|n| *n != old_name)
        .collect();
    for other in cut_from {
        sys.act(Action::Cut(old_name.clone(), other))
            .expect("valid cut");
    }
    let slow = Action::Clock {
        node: old_name,
        skew_ms: None,
        drift_ppm: -500_000,
    };
    sys.act(slow).expect("valid clock");
    sys.run_until(secs(14));
    sys
}

#[test]
fn a_primary_that_answers_strong_reads_without_a_barrier_is_caught() {
    let (honest, clean, broken) = honest_and_broken(
        Bug::StrongReadSkipsBarrier,
        NAME,
        deposed_primary_keeps_reading,
    );
    assert!(
        honest
            .observer
            .txns
            .values()
            .any(|t| t.commit == Some(true)),
        "the sale commits on the new primary"
    );
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(broken[0].contains("strong read"), "{broken:#?}");
}
