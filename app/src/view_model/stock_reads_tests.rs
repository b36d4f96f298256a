use super::*;
use engine::sim::NodeId;
use engine::system::stock_reads::{Acked, ReadCounts};
use std::collections::BTreeMap;

fn record(
    issued_ms: u64,
    replica: u32,
    copies: u32,
    applied: u64,
    latest: Option<(u64, u32)>,
) -> ReadRecord {
    let latest = latest.map(|(index, copies)| Acked { index, copies });
    ReadRecord {
        reader: NodeId(0),
        book: "Dune".into(),
        replica: NodeId(replica),
        strong: false,
        issued_us: issued_ms * 1000,
        answered_us: issued_ms * 1000 + 60_000,
        copies: Some(copies),
        applied_index: applied,
        latest,
        stale: latest.is_some_and(|a| applied < a.index),
    }
}

fn snap(records: Vec<ReadRecord>) -> StockReadsSnap {
    let stale: Vec<ReadRecord> = records.iter().filter(|r| r.stale).cloned().collect();
    let by_book: BTreeMap<String, ReadRecord> = records
        .iter()
        .map(|r| (r.book.clone(), r.clone()))
        .collect();
    StockReadsSnap {
        counts: ReadCounts {
            issued: records.len() as u32 + 1,
            answered: records.len() as u32,
            stale: stale.len() as u32,
            stale_strong: 0,
        },
        recent: records,
        stale,
        by_book,
    }
}

#[test]
fn rows_are_newest_first_with_the_value_read_beside_the_acknowledged_one() {
    let s = snap(vec![
        record(1000, 1, 3, 2, None),
        record(1500, 2, 3, 0, Some((3, 2))),
        record(2000, 3, 2, 3, Some((3, 2))),
    ]);
    let rows = read_rows(&s, &[], false);
    let view: Vec<(&str, &str, &str, bool)> = rows
        .iter()
        .map(|r| {
            (
                r.replica.as_str(),
                r.read.as_str(),
                r.latest.as_str(),
                r.stale,
            )
        })
        .collect();
    assert_eq!(
        view,
        [
            ("node 3", "2 (#3)", "2 (#3)", false),
            ("node 2", "3 (#0)", "2 (#3)", true),
            ("node 1", "3 (#2)", "unchanged", false),
        ]
    );
    assert_eq!(rows[1].when, "1.500s");
    let stale = read_rows(&s, &[], true);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].key, (0, 1_500_000));
}

#[test]
fn the_counts_line_gives_the_stale_share_and_says_when_reads_are_off() {
    let s = snap(vec![
        record(1000, 1, 3, 0, Some((3, 2))),
        record(1500, 2, 2, 3, Some((3, 2))),
    ]);
    assert_eq!(
        counts_text(&s, StockReads::Replicas),
        "3 issued · 2 answered · 1 stale (50%)"
    );
    assert!(counts_text(&StockReadsSnap::default(), StockReads::Off).ends_with("reads are off"));
}

#[test]
fn the_shop_shows_the_newest_read_marked_stale_and_nothing_while_reads_are_off() {
    let s = snap(vec![record(1500, 2, 3, 0, Some((3, 2)))]);
    let shown = shop_stock(&s, StockReads::Replicas, "Dune", &[]).expect("read");
    assert_eq!(shown.text, "3 in stock");
    assert!(shown.stale);
    assert_eq!(
        shown.source,
        "read from node 2 (replica) at 1.560s; stale: 2 was acknowledged"
    );
    assert_eq!(shop_stock(&s, StockReads::Off, "Dune", &[]), None);
    assert_eq!(shop_stock(&s, StockReads::Replicas, "Emma", &[]), None);
}

/// End to end: the replica-reads scenario's cut-off replica is caught answering stale stock.
#[test]
fn the_replica_reads_scenario_shows_stale_answers_from_the_cut_off_replica() {
    let scenario =
        engine::scenario::Scenario::parse(include_str!("../../../scenarios/replica-reads.json"))
            .expect("parses");
    let mut sys = scenario.build(scenario.seed).expect("builds");
    sys.run_until(8_000_000);
    let s = engine::snapshot::SnapshotBuilder::default().build(&sys);
    assert_eq!(s.live.stock_reads, StockReads::Replicas);
    let stale = read_rows(&s.reads, &s.nodes, true);
    assert!(!stale.is_empty(), "{:?}", s.reads.counts);
    assert!(stale
        .iter()
        .all(|r| r.replica == "books-db-2" && r.book == "Dune"));
    assert!(shop_stock(&s.reads, s.live.stock_reads, "Dune", &s.nodes).is_some());
}
