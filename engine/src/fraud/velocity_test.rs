use super::velocity::{card_fingerprint, contact_fingerprint, VelocityTracker};

const SECOND_US: u64 = 1_000_000;

#[test]
fn a_use_counts_until_exactly_one_window_later() {
    let mut t = VelocityTracker::new(60 * SECOND_US, 100);
    let card = card_fingerprint("4111 1111 1111 1111");
    let contact = contact_fingerprint("ada@example.com");
    assert_eq!(
        t.record(card, contact, 10 * SECOND_US).card_uses_in_window,
        1
    );
    assert_eq!(
        t.card_uses(card, 70 * SECOND_US - 1),
        1,
        "one microsecond before the edge it still counts"
    );
    assert_eq!(
        t.card_uses(card, 70 * SECOND_US),
        0,
        "exactly one window later it has left"
    );
    let counts = t.record(card, contact, 70 * SECOND_US);
    assert_eq!(counts.card_uses_in_window, 1, "only the new use");
    assert_eq!(t.len(), 1, "the expired use was evicted");
}

#[test]
fn uses_accumulate_inside_the_window_per_card() {
    let mut t = VelocityTracker::default();
    let (a, b) = (
        card_fingerprint("4111111111111111"),
        card_fingerprint("5500000000000004"),
    );
    let contact = contact_fingerprint("ada@example.com");
    for i in 0..4 {
        assert_eq!(
            t.record(a, contact, i * SECOND_US).card_uses_in_window,
            (i + 1) as u32
        );
    }
    let counts = t.record(b, contact, 5 * SECOND_US);
    assert_eq!(counts.card_uses_in_window, 1);
    assert_eq!(counts.distinct_cards_for_contact, 2);
    assert_eq!(t.card_uses(a, 5 * SECOND_US), 4);
}

#[test]
fn distinct_cards_are_counted_per_contact_and_only_once_each() {
    let mut t = VelocityTracker::default();
    let (ada, bob) = (
        contact_fingerprint("ada@example.com"),
        contact_fingerprint("bob@example.com"),
    );
    for (i, number) in ["4111111111111111", "5500000000000004", "4111111111111111"]
        .iter()
        .enumerate()
    {
        t.record(card_fingerprint(number), ada, i as u64);
    }
    assert_eq!(t.distinct_cards(ada, 3), 2);
    assert_eq!(
        t.record(card_fingerprint("340000000000009"), bob, 4)
            .distinct_cards_for_contact,
        1
    );
}

#[test]
fn memory_is_bounded_by_the_capacity() {
    let mut t = VelocityTracker::new(3600 * SECOND_US, 8);
    let contact = contact_fingerprint("x@example.com");
    for i in 0..100u64 {
        t.record(i, contact, i);
    }
    assert_eq!(t.len(), 8);
    assert_eq!(t.card_uses(99, 100), 1);
    assert_eq!(
        t.card_uses(0, 100),
        0,
        "the oldest entries were dropped first"
    );
}

#[test]
fn a_time_from_the_past_does_not_move_the_window_backwards() {
    let mut t = VelocityTracker::new(10 * SECOND_US, 100);
    let contact = contact_fingerprint("ada@example.com");
    t.record(1, contact, 100 * SECOND_US);
    let counts = t.record(1, contact, 5 * SECOND_US);
    assert_eq!(
        counts.card_uses_in_window, 2,
        "the late record is filed at the latest time"
    );
    assert_eq!(
        t.card_uses(1, 50 * SECOND_US),
        0,
        "a query about the past does not see later uses"
    );
}

#[test]
fn fingerprints_ignore_formatting_but_not_digits() {
    assert_eq!(
        card_fingerprint("4111 1111-1111 1111"),
        card_fingerprint("4111111111111111")
    );
    assert_ne!(
        card_fingerprint("4111111111111111"),
        card_fingerprint("4111111111111112")
    );
    assert_eq!(
        contact_fingerprint(" Ada@Example.com "),
        contact_fingerprint("ada@example.com")
    );
    assert_ne!(
        card_fingerprint("1"),
        contact_fingerprint("1"),
        "card and contact spaces are salted apart"
    );
}

#[test]
fn the_tracker_keeps_no_card_number() {
    let mut t = VelocityTracker::default();
    t.record(
        card_fingerprint("4111111111111111"),
        contact_fingerprint("a@b.c"),
        1,
    );
    let saved = serde_json::to_string(&t).expect("tracker serialises");
    assert!(!saved.contains("4111111111111111"), "{saved}");
}
