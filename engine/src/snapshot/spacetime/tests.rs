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
