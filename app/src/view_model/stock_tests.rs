use super::*;
use engine::snapshot::layout::Point;
use std::sync::Arc;

fn map(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn replica(
    i: u32,
    role: &str,
    applied: u64,
    stock: &[(&str, u32)],
    reserved: &[(&str, u32)],
) -> NodeSnap {
    let view = NodeView::BooksDb(BooksDbView {
        role: role.into(),
        standing: crate::view_model::mesh::standing_of(role),
        term: 2,
        leader: Some(NodeId(0)),
        voted_for: None,
        timer_started_us: None,
        timer_deadline_us: None,
        commit_index: applied,
        applied_index: applied,
        log_len: applied,
        stock: Arc::new(map(stock)),
        reserved: Arc::new(map(reserved)),
        prepared: 0,
        locks_held: 0,
        lock_waiters: 0,
        writes_in_flight: 0,
    });
    let drawn = engine::snapshot::observations::NodeRole::of(Liveness::Up, &view);
    NodeSnap {
        id: NodeId(i),
        name: format!("books-db-{i}"),
        service: "books-db".into(),
        liveness: Liveness::Up,
        incarnation: 0,
        view,
        at: Point::CENTER,
        clock: Default::default(),
        role: drawn,
        unsynced_bytes: 0,
        disk_full: false,
    }
}

fn initial() -> BTreeMap<String, u32> {
    map(&[("Dune", 5), ("Emma", 3), ("Ulysses", 9)])
}

#[test]
fn quiet_books_are_left_out_and_busy_ones_shown() {
    let nodes = vec![
        replica(
            0,
            "leader",
            7,
            &[("Dune", 4), ("Emma", 3), ("Ulysses", 9)],
            &[("Emma", 1)],
        ),
        replica(
            1,
            "follower",
            7,
            &[("Dune", 4), ("Emma", 3), ("Ulysses", 9)],
            &[],
        ),
    ];
    let t = stock_table(&nodes, &initial(), &BTreeMap::new(), "");
    let books: Vec<&str> = t.rows.iter().map(|r| r.book.as_str()).collect();
    assert_eq!(
        books,
        ["Dune", "Emma"],
        "Dune moved, Emma is held; Ulysses is untouched"
    );
    assert_eq!(t.rows[1].cells[0].text(), "3 (1 held)");
    assert!(t.replicas[0].primary && !t.replicas[1].primary && !t.replicas[1].lagging);
}

#[test]
fn a_lagging_backup_is_marked_and_its_differing_cells_are_stale() {
    let nodes = vec![
        replica(
            0,
            "follower",
            5,
            &[("Dune", 5), ("Emma", 3), ("Ulysses", 9)],
            &[],
        ),
        replica(
            1,
            "leader",
            7,
            &[("Dune", 3), ("Emma", 3), ("Ulysses", 9)],
            &[],
        ),
    ];
    let t = stock_table(&nodes, &initial(), &BTreeMap::new(), "");
    assert!(t.replicas[0].lagging && t.replicas[1].primary);
    assert_eq!(t.replicas[0].caption(), "lagging · #5");
    assert_eq!(t.replicas[1].caption(), "primary · #7");
    assert_eq!(t.rows.len(), 1);
    assert!(t.rows[0].cells[0].stale && !t.rows[0].cells[1].stale);
}

#[test]
fn a_deposed_primary_that_still_believes_it_leads_is_not_the_primary_but_lagging() {
    let mut old = replica(0, "leader", 5, &[("Dune", 5)], &[]);
    if let NodeView::BooksDb(d) = &mut old.view {
        d.term = 1;
    }
    let nodes = vec![
        old,
        replica(1, "leader", 7, &[("Dune", 3)], &[]),
        replica(2, "follower", 7, &[("Dune", 3)], &[]),
    ];
    let t = stock_table(&nodes, &initial(), &BTreeMap::new(), "");
    let flags: Vec<(bool, bool)> = t.replicas.iter().map(|c| (c.primary, c.lagging)).collect();
    assert_eq!(flags, [(false, true), (true, false), (false, false)]);
    assert_eq!(t.replicas[0].caption(), "lagging · #5");
    assert!(t.rows[0].cells[0].stale);
}

/// End to end: in the replica-reads scenario books-db-2 is cut off from the other replicas
/// before two copies of "Dune" are sold, so its column lags and its Dune cell is stale.
#[test]
fn the_replica_reads_scenario_shows_the_cut_off_replica_lagging() {
    let scenario =
        engine::scenario::Scenario::parse(include_str!("../../../scenarios/replica-reads.json"))
            .expect("parses");
    let mut sys = scenario.build(scenario.seed).expect("builds");
    sys.run_until(8_000_000);
    let s = engine::snapshot::SnapshotBuilder::default().build(&sys);
    let initial = engine::protocol::books_db::initial_stock(
        crate::view_model::shop_catalog::catalog().expect("catalog"),
        &s.cluster.stock,
    );
    let t = stock_table(&s.nodes, &initial, &s.cluster.stock, "");
    let primaries: Vec<&str> = t
        .replicas
        .iter()
        .filter(|c| c.primary)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(primaries.len(), 1, "{t:?}");
    assert_ne!(primaries[0], "books-db-2");
    let cut_off = t
        .replicas
        .iter()
        .position(|c| c.name == "books-db-2")
        .expect("column");
    assert!(t.replicas[cut_off].lagging, "{:?}", t.replicas[cut_off]);
    let dune = t
        .rows
        .iter()
        .find(|r| r.book == "Dune")
        .expect("scarce book row");
    assert!(dune.cells[cut_off].stale && dune.cells[cut_off].copies == Some(3));
}

#[test]
fn a_crashed_replica_has_an_empty_column_and_no_primary_means_nothing_is_stale() {
    let mut down = replica(1, "follower", 0, &[], &[]);
    down.view = NodeView::Down;
    down.liveness = Liveness::Crashed;
    let nodes = vec![
        replica(
            0,
            "candidate",
            7,
            &[("Dune", 4), ("Emma", 3), ("Ulysses", 9)],
            &[],
        ),
        down,
    ];
    let t = stock_table(&nodes, &initial(), &BTreeMap::new(), "");
    assert!(t.replicas[1].down && !t.replicas[1].lagging);
    assert_eq!(t.replicas[1].caption(), "down");
    assert_eq!(t.rows[0].cells[1].text(), "—");
    assert!(t.rows.iter().flat_map(|r| &r.cells).all(|c| !c.stale));
}

#[test]
fn the_filter_finds_any_book_and_scarce_books_always_show() {
    let nodes = vec![replica(
        0,
        "leader",
        1,
        &[("Dune", 5), ("Emma", 3), ("Ulysses", 9)],
        &[],
    )];
    assert!(stock_table(&nodes, &initial(), &BTreeMap::new(), "")
        .rows
        .is_empty());
    let t = stock_table(&nodes, &initial(), &BTreeMap::new(), " ulys");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].book, "Ulysses");
    let t = stock_table(&nodes, &initial(), &map(&[("Emma", 3)]), "");
    assert_eq!(t.rows[0].book, "Emma");
}

#[test]
fn long_lists_are_cut_and_counted() {
    let stock: Vec<(String, u32)> = (0..50).map(|i| (format!("Book {i:02}"), 1)).collect();
    let pairs: Vec<(&str, u32)> = stock.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let nodes = vec![replica(0, "leader", 1, &pairs, &[])];
    let t = stock_table(&nodes, &BTreeMap::new(), &BTreeMap::new(), "book");
    assert_eq!(t.rows.len(), STOCK_ROWS);
    assert_eq!(t.more, 50 - STOCK_ROWS);
}
