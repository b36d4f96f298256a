//! Causality in text tables: a small trace in, the expected clocks and cones out.

use super::*;
use crate::sim::trace::{DropReason, TraceEvent, TraceKind};
use crate::sim::NodeId;

/// One trace record per line: `NODE send MSG TO`, `NODE recv MSG FROM`, `NODE drop MSG TO`,
/// `NODE dup MSG COPY TO`, `NODE crash`, `NODE timer`. Nodes are single letters A, B, C…;
/// seq is the line number from 0 and time is 10 µs per line.
fn trace(table: &str) -> Vec<TraceEvent> {
    let node = |s: &str| NodeId((s.as_bytes()[0] - b'A') as u32);
    table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let n = |k: usize| w[k].parse::<u64>().expect("a message number");
            let kind = match w[1] {
                "send" => TraceKind::Send {
                    msg: n(2),
                    to: node(w[3]),
                    label: "Msg",
                    deliver_at_us: 0,
                },
                "recv" => TraceKind::Deliver {
                    msg: n(2),
                    from: node(w[3]),
                    label: "Msg",
                },
                "drop" => TraceKind::Drop {
                    msg: n(2),
                    from: node(w[0]),
                    to: node(w[3]),
                    label: "Msg",
                    reason: DropReason::Loss,
                },
                "dup" => TraceKind::Duplicate {
                    msg: n(2),
                    copy: n(3),
                    to: node(w[4]),
                },
                "crash" => TraceKind::Crash,
                "timer" => TraceKind::Timer,
                other => panic!("unknown record {other:?}"),
            };
            TraceEvent {
                seq: i as u64,
                t_us: i as u64 * 10,
                node: node(w[0]),
                kind,
                corr: 0,
                vc: None,
            }
        })
        .collect()
}

fn diagram(table: &str) -> SpaceTime {
    let mut st = SpaceTime::default();
    for ev in trace(table) {
        st.observe(&ev);
    }
    st
}

const RELAY: &str = "
    A send 1 B
    B crash
    B recv 1 A
    C crash
    B send 2 C
    C recv 2 B
    A timer
";

#[test]
fn a_receive_merges_the_senders_clock_then_ticks() {
    let st = diagram(RELAY);
    let clock = |seq| st.event(seq).expect("held").clock.0.clone();
    assert_eq!(clock(0), vec![1]);
    assert_eq!(clock(1), vec![0, 1]);
    assert_eq!(clock(2), vec![1, 2]);
    assert_eq!(clock(3), vec![0, 0, 1]);
    assert_eq!(clock(5), vec![1, 3, 2]);
    assert!(st.event(6).is_none(), "a timer is not a diagram event");
}

#[test]
fn the_cone_of_a_receive_holds_its_causal_past_and_future_and_the_rest_is_concurrent() {
    let st = diagram(RELAY);
    let cone = st.cone(2, 0, 1_000).expect("held");
    assert_eq!(cone.past, vec![0, 1]);
    assert_eq!(cone.future, vec![4, 5]);
    assert_eq!(cone.concurrent, vec![3]);
}

#[test]
fn a_send_knows_its_receive_and_a_receive_its_send() {
    let st = diagram(RELAY);
    assert!(matches!(
        st.event(0).map(|e| &e.kind),
        Some(StKind::Send {
            fate: MsgFate::Delivered(2),
            ..
        })
    ));
    assert!(matches!(
        st.event(5).map(|e| &e.kind),
        Some(StKind::Receive {
            send_seq: Some(4),
            ..
        })
    ));
}

#[test]
fn a_dropped_message_carries_no_causality() {
    let st = diagram(
        "
        A send 1 B
        A drop 1 B
        B crash
        ",
    );
    assert_eq!(
        st.cone(0, 0, 1_000).expect("held").future,
        Vec::<u64>::new()
    );
    assert!(matches!(
        st.event(0).map(|e| &e.kind),
        Some(StKind::Send {
            fate: MsgFate::Dropped(DropReason::Loss),
            ..
        })
    ));
    let drops: Vec<_> = st.drops_between(0, 1_000).collect();
    assert_eq!((drops.len(), drops[0].send_seq), (1, Some(0)));
}

#[test]
fn both_copies_of_a_duplicated_message_carry_the_senders_clock() {
    let st = diagram(
        "
        A send 1 B
        A dup 1 9 B
        B recv 1 A
        B recv 9 A
        ",
    );
    assert_eq!(st.event(3).expect("held").clock.0, vec![1, 2]);
    assert_eq!(st.cone(0, 0, 1_000).expect("held").future, vec![2, 3]);
}

#[test]
fn the_window_selects_by_time_and_the_memory_is_bounded() {
    let st = diagram(RELAY);
    let seqs: Vec<u64> = st.events_between(20, 50).map(|e| e.seq).collect();
    assert_eq!(seqs, vec![2, 3, 4]);
    let mut big = SpaceTime::default();
    for i in 0..(EVENTS_MAX as u64 + 10) {
        big.observe(&TraceEvent {
            seq: i,
            t_us: i,
            node: NodeId(0),
            kind: TraceKind::Crash,
            corr: 0,
            vc: None,
        });
    }
    assert_eq!(big.events_between(0, u64::MAX).count(), EVENTS_MAX);
    assert_eq!(big.earliest_us(), Some(10));
}

#[test]
fn a_real_run_has_no_event_that_shares_a_clock_with_another_and_every_receive_follows_its_send() {
    let sys = crate::scenario::builtin::get("leader-crash")
        .expect("built in")
        .expect("parses")
        .run(2, 8_000)
        .expect("runs");
    let mut st = SpaceTime::default();
    st.catch_up(&sys.world().trace());
    let events: Vec<&StEvent> = st.events_between(0, u64::MAX).collect();
    assert!(events.len() > 500, "too small a run: {}", events.len());
    for e in &events {
        if let StKind::Receive {
            send_seq: Some(s), ..
        } = e.kind
        {
            let send = st.event(s).expect("held");
            assert_eq!(send.clock.compare(&e.clock), Causality::Before, "{e:?}");
        }
    }
    let mut clocks: Vec<&Vec<u32>> = events.iter().map(|e| &e.clock.0).collect();
    clocks.sort();
    clocks.dedup();
    assert_eq!(clocks.len(), events.len(), "two events share a clock");
}

mod layout_tests {
    use super::super::layout::{lay_out, ConeRole, Viewport, ARROWS_MAX};
    use super::*;

    fn viewport(lanes: &[u32], selected: Option<u64>) -> Viewport {
        Viewport {
            t0_us: 0,
            t1_us: 100,
            width_px: 1_000.0,
            lane_height_px: 20.0,
            lanes: lanes.iter().map(|n| NodeId(*n)).collect(),
            selected,
            order_corr: 0,
        }
    }

    #[test]
    fn events_sit_on_their_lane_at_their_time_and_arrows_join_send_to_receive() {
        let frame = lay_out(&diagram(RELAY), &viewport(&[0, 1, 2], None));
        assert_eq!(frame.lanes[1], (NodeId(1), 30.0));
        let dot = |seq| frame.dots.iter().find(|d| d.seq == seq).expect("drawn");
        assert_eq!((dot(2).x, dot(2).y), (200.0, 30.0));
        let a = &frame.arrows[0];
        assert_eq!(
            (a.x1, a.y1, a.x2, a.y2, a.arrived),
            (0.0, 10.0, 200.0, 30.0, true)
        );
        assert_eq!(frame.arrows.len(), 2);
    }

    #[test]
    fn a_hidden_lane_hides_its_events_and_the_arrows_that_would_reach_it() {
        let frame = lay_out(&diagram(RELAY), &viewport(&[0, 1], None));
        assert!(frame.dots.iter().all(|d| d.y < 40.0));
        assert_eq!(frame.arrows.len(), 1, "B → C is hidden with C");
    }

    #[test]
    fn the_selection_marks_its_cone_on_dots_and_arrows() {
        let frame = lay_out(&diagram(RELAY), &viewport(&[0, 1, 2], Some(2)));
        let role = |seq| {
            frame
                .dots
                .iter()
                .find(|d| d.seq == seq)
                .expect("drawn")
                .role
        };
        assert_eq!(
            [role(0), role(1), role(2), role(3), role(4), role(5)],
            [
                ConeRole::Past,
                ConeRole::Past,
                ConeRole::Selected,
                ConeRole::Concurrent,
                ConeRole::Future,
                ConeRole::Future
            ]
        );
        assert_eq!(frame.arrows[0].role, ConeRole::Past);
    }

    #[test]
    fn crowded_events_merge_into_one_dot_that_keeps_the_selection() {
        let mut st = SpaceTime::default();
        for i in 0..100u64 {
            st.observe(&TraceEvent {
                seq: i,
                t_us: i,
                node: NodeId(0),
                kind: TraceKind::Crash,
                corr: 0,
                vc: None,
            });
        }
        let mut vp = viewport(&[0], Some(57));
        vp.width_px = 100.0; // one pixel per event: three per dot at least
        let frame = lay_out(&st, &vp);
        assert!(frame.dots.len() <= 34, "{} dots", frame.dots.len());
        assert_eq!(frame.dots.iter().map(|d| d.count).sum::<u32>(), 100);
        assert!(frame
            .dots
            .iter()
            .any(|d| d.seq == 57 && d.role == ConeRole::Selected));
    }

    #[test]
    fn past_the_arrow_budget_only_the_selections_arrows_are_drawn() {
        let mut table = String::new();
        for m in 0..(ARROWS_MAX as u64 + 50) {
            table.push_str(&format!("A send {m} B\nB recv {m} A\n"));
        }
        let st = diagram(&table);
        let mut vp = viewport(&[0, 1], Some(1));
        vp.t1_us = 1_000_000;
        let frame = lay_out(&st, &vp);
        assert!(frame.arrows_hidden > 0);
        assert_eq!(
            frame.arrows.len(),
            1,
            "only the message the selected receive took"
        );
        assert_eq!(frame.arrows[0].send_seq, 0);
    }
}

/// The merge of one receive as a text table: node, before, message, max, after, and a mark
/// (`+` the message taught the receiver this entry, `*` the receiver's own tick).
fn merge_table(st: &SpaceTime, seq: u64) -> String {
    let m = st
        .explain_receive(seq)
        .expect("a receive with its send held");
    assert!(m.consistent, "max + tick must be the clock the receive got");
    m.rows
        .iter()
        .map(|r| {
            let mark = match (r.learned, r.ticked) {
                (_, true) => "*",
                (true, false) => "+",
                _ => "",
            };
            let name = (b'A' + r.node.0 as u8) as char;
            format!(
                "{name} {} {} {} {}{mark}",
                r.before, r.message, r.max, r.after
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_receive_is_explained_as_max_then_tick() {
    // A sends to B twice; B hears from C in between; B's second receive learns A's second send.
    let st = diagram(
        "A send 1 B
         C send 2 B
         B recv 1 A
         A send 3 B
         B recv 2 C
         B recv 3 A",
    );
    // The first receive: B had no event yet; it learns A's send, then ticks its own entry.
    assert_eq!(merge_table(&st, 2), "A 0 1 1 1+\nB 0 0 0 1*");
    // The last: B knew A 1, B 2, C 1; the message knew A 2; max then tick.
    assert_eq!(merge_table(&st, 5), "A 1 2 2 2+\nB 2 0 2 3*\nC 1 0 1 1");
    let m = st.explain_receive(5).expect("explained");
    assert_eq!((m.send_seq, m.previous_seq), (3, Some(4)));
    assert_eq!(
        st.explain_receive(0),
        Err(explain::NoMerge::NotAReceive),
        "a send has no merge"
    );
    assert_eq!(st.explain_receive(99), Err(explain::NoMerge::NotHeld));
}

#[test]
fn the_answer_clock_is_read_against_the_seed_example() {
    use crate::clock::VectorClock;
    let ours = VectorClock::from_pairs([
        ("orchestrator", 26),
        ("verification", 4),
        ("fraud", 3),
        ("suggestions", 2),
    ]);
    let rows = explain::against_seed_example(&ours);
    let table: Vec<(&str, u64, u64)> = rows.iter().map(|r| (r.seed_name, r.seed, r.ours)).collect();
    assert_eq!(
        table,
        [
            ("orchestrator", 1, 26),
            ("transaction_verification", 4, 4),
            ("fraud_detection", 3, 3),
            ("suggestions", 2, 2)
        ]
    );
    assert!(rows[0].why.contains("every event"));
}
