use super::*;
use crate::protocol::two_pc::{AbortReason, Decision, Vote};
use std::collections::BTreeMap;

fn state(books: &[(&str, u32)]) -> BooksState {
    BooksState::new(
        books
            .iter()
            .map(|(b, n)| (b.to_string(), *n))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn item(book: &str, quantity: u32) -> TxnItem {
    TxnItem {
        book: book.into(),
        quantity,
    }
}

fn prepare(s: &mut BooksState, txn: &str, items: Vec<TxnItem>) -> DbResult {
    s.apply(&DbCommand::Prepare {
        txn: txn.into(),
        items,
    })
    .0
}

#[test]
fn prepare_reserves_and_commit_applies_once() {
    let mut s = state(&[("Dune", 3)]);
    assert_eq!(
        prepare(&mut s, "t1", vec![item("Dune", 2)]),
        DbResult::Vote(Vote::Commit)
    );
    assert_eq!((s.stock("Dune"), s.reserved("Dune")), (Some(3), 2));
    let (r, changes) = s.apply(&DbCommand::Commit { txn: "t1".into() });
    assert_eq!(r, DbResult::Done);
    assert_eq!(
        changes,
        vec![AppliedChange {
            book: "Dune".into(),
            delta: -2,
            stock_after: 1
        }]
    );
    // A retried commit is acknowledged and changes nothing.
    assert_eq!(
        s.apply(&DbCommand::Commit { txn: "t1".into() }),
        (DbResult::Done, vec![])
    );
    assert_eq!((s.stock("Dune"), s.reserved("Dune")), (Some(1), 0));
}

#[test]
fn a_reservation_makes_the_next_prepare_vote_abort() {
    let mut s = state(&[("Dune", 2)]);
    prepare(&mut s, "t1", vec![item("Dune", 2)]);
    let want = AbortReason::InsufficientStock {
        book: "Dune".into(),
        available: 0,
        wanted: 1,
    };
    assert_eq!(
        prepare(&mut s, "t2", vec![item("Dune", 1)]),
        DbResult::Vote(Vote::Abort(want))
    );
    s.apply(&DbCommand::Abort { txn: "t1".into() });
    assert_eq!(
        prepare(&mut s, "t2", vec![item("Dune", 1)]),
        DbResult::Vote(Vote::Commit)
    );
}

#[test]
fn prepare_is_all_or_nothing_and_idempotent() {
    let mut s = state(&[("Dune", 5), ("Emma", 0)]);
    let r = prepare(&mut s, "t1", vec![item("Dune", 1), item("Emma", 1)]);
    assert!(matches!(
        r,
        DbResult::Vote(Vote::Abort(AbortReason::InsufficientStock { .. }))
    ));
    assert_eq!(
        s.reserved("Dune"),
        0,
        "nothing reserved when one line fails"
    );
    assert_eq!(
        prepare(&mut s, "t2", vec![item("Dune", 2)]),
        DbResult::Vote(Vote::Commit)
    );
    assert_eq!(
        prepare(&mut s, "t2", vec![item("Dune", 2)]),
        DbResult::Vote(Vote::Commit)
    );
    assert_eq!(s.reserved("Dune"), 2, "a repeated prepare reserves once");
}

#[test]
fn an_abort_before_the_prepare_makes_the_late_prepare_vote_abort() {
    let mut s = state(&[("Dune", 5)]);
    assert_eq!(
        s.apply(&DbCommand::Abort { txn: "t1".into() }).0,
        DbResult::Done
    );
    assert_eq!(
        prepare(&mut s, "t1", vec![item("Dune", 1)]),
        DbResult::Vote(Vote::Abort(AbortReason::PresumedAbort))
    );
    assert_eq!(s.reserved("Dune"), 0);
}

#[test]
fn commit_without_prepare_and_abort_after_commit_are_refused() {
    let mut s = state(&[("Dune", 5)]);
    assert!(matches!(
        s.apply(&DbCommand::Commit { txn: "t9".into() }).0,
        DbResult::Refused(DbError::NotPrepared { .. })
    ));
    prepare(&mut s, "t1", vec![item("Dune", 1)]);
    s.apply(&DbCommand::Commit { txn: "t1".into() });
    assert!(matches!(
        s.apply(&DbCommand::Abort { txn: "t1".into() }).0,
        DbResult::Refused(DbError::AlreadyDecided { .. })
    ));
    assert_eq!(s.stock("Dune"), Some(4));
}

#[test]
fn bad_orders_vote_abort_with_a_reason() {
    let mut s = state(&[("Dune", 5)]);
    let unknown = prepare(&mut s, "t1", vec![item("Nope", 1)]);
    assert_eq!(
        unknown,
        DbResult::Vote(Vote::Abort(AbortReason::UnknownBook {
            book: "Nope".into()
        }))
    );
    let absurd = prepare(&mut s, "t2", vec![item("Dune", u32::MAX)]);
    assert!(matches!(
        absurd,
        DbResult::Vote(Vote::Abort(AbortReason::InvalidOrder { .. }))
    ));
    let empty = prepare(&mut s, "t3", vec![]);
    assert!(matches!(
        empty,
        DbResult::Vote(Vote::Abort(AbortReason::InvalidOrder { .. }))
    ));
    let twice = prepare(&mut s, "t4", vec![item("Dune", 3), item("Dune", 3)]);
    assert!(matches!(
        twice,
        DbResult::Vote(Vote::Abort(AbortReason::InsufficientStock {
            wanted: 6,
            ..
        }))
    ));
}

#[test]
fn decrement_refuses_to_go_below_zero_or_below_reservations() {
    let mut s = state(&[("Dune", 2)]);
    let dec = |delta| DbCommand::Adjust {
        book: "Dune".into(),
        delta,
        op_id: None,
    };
    assert_eq!(
        s.apply(&dec(-1)).0,
        DbResult::Stock {
            book: "Dune".into(),
            stock: 1
        }
    );
    assert!(matches!(
        s.apply(&dec(-2)).0,
        DbResult::Refused(DbError::WouldGoNegative { .. })
    ));
    prepare(&mut s, "t1", vec![item("Dune", 1)]);
    assert!(matches!(
        s.apply(&dec(-1)).0,
        DbResult::Refused(DbError::WouldGoNegative { .. })
    ));
    assert_eq!(s.stock("Dune"), Some(1));
    assert!(matches!(
        s.apply(&DbCommand::Adjust {
            book: "x".into(),
            delta: 1,
            op_id: None
        })
        .0,
        DbResult::Refused(DbError::UnknownBook { .. })
    ));
}

#[test]
fn a_retried_operation_with_an_op_id_is_applied_once() {
    let mut s = state(&[("Dune", 5)]);
    let cmd = DbCommand::Adjust {
        book: "Dune".into(),
        delta: -1,
        op_id: Some("c1/7".into()),
    };
    let first = s.apply(&cmd).0;
    assert_eq!(s.apply(&cmd).0, first);
    assert_eq!(s.stock("Dune"), Some(4));
}

#[test]
fn the_first_recorded_decision_wins() {
    let mut s = state(&[]);
    let abort = Decision::Abort(AbortReason::PresumedAbort);
    let r1 = s
        .apply(&DbCommand::RecordDecision {
            txn: "t1".into(),
            decision: abort.clone(),
        })
        .0;
    let r2 = s
        .apply(&DbCommand::RecordDecision {
            txn: "t1".into(),
            decision: Decision::Commit,
        })
        .0;
    assert_eq!(
        (r1, r2),
        (DbResult::Decision(abort.clone()), DbResult::Decision(abort))
    );
}

#[test]
fn locks_grant_in_arrival_order_without_barging() {
    let mut l = KeyLocks::default();
    let k = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(l.acquire(1, k(&["a"])));
    assert!(!l.acquire(2, k(&["a", "b"])));
    // 3 wants only b, which is free, but 2 asked first for it: 3 waits (no barging).
    assert!(!l.acquire(3, k(&["b"])));
    assert!(l.acquire(4, k(&["c"])));
    assert_eq!(l.release(1), vec![2]);
    assert_eq!(l.release(2), vec![3]);
    assert_eq!((l.held_keys(), l.waiting()), (2, 0));
}

#[test]
fn initial_stock_has_scarce_books_and_is_stable() {
    let catalog = crate::catalog::Catalog::embedded().unwrap();
    let stock = initial_stock(&catalog, &BTreeMap::new());
    assert_eq!(stock.len(), catalog.len());
    let scarce = stock.values().filter(|n| **n <= 3).count();
    assert!(
        scarce * 10 > stock.len(),
        "about one book in six is scarce, got {scarce} of {}",
        stock.len()
    );
    assert!(stock.values().all(|n| (1..=40).contains(n)));
    assert_eq!(initial_stock_for(7), initial_stock_for(7));
}
