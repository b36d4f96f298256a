//! Side by side on the built-in scenarios: the same configuration twice is the same run; replica
//! reads against primary reads show the stale reads only replicas give; Raft against Bully on a
//! leader crash both recover, through different numbers of messages; bad overrides are refused
//! with the field named.

use super::*;
use crate::scenario::builtin;

fn comparison(id: &str) -> Comparison {
    let scenario = builtin::get(id).expect("built-in").expect("parses");
    Comparison {
        seed: scenario.seed,
        until_ms: scenario.until_ms,
        scenario,
        checkouts_per_sec: None,
    }
}

fn variant(text: &str) -> Variant {
    Variant {
        overrides: text.to_string(),
    }
}

#[test]
fn the_same_configuration_twice_is_the_same_run() {
    let c = comparison("leader-crash");
    let [a, b] = c.run(&variant(""), &variant("")).unwrap();
    assert_eq!(a, b);
    assert!(a.executor_leaderless_ms > 0, "{a:?}");
    assert!(a.messages_sent > 0 && a.orders_committed > 0, "{a:?}");
}

#[test]
fn replica_reads_are_stale_where_primary_reads_are_not() {
    let c = comparison("replica-reads");
    let [replicas, primary] = c
        .run(
            &variant("stock_reads=replicas"),
            &variant("stock_reads=primary"),
        )
        .unwrap();
    println!("{}", summary::table(&replicas, &primary));
    assert!(replicas.stale_reads > 0, "{replicas:?}");
    assert_eq!(primary.stale_reads, 0, "{primary:?}");
    assert!(primary.stock_reads > 0);
}

#[test]
fn raft_and_bully_both_recover_from_the_leader_crash_differently() {
    let c = comparison("leader-crash");
    let [raft, bully] = c
        .run(&variant("election=raft"), &variant("election=bully"))
        .unwrap();
    println!("{}", summary::table(&raft, &bully));
    assert_ne!(raft.trace_hash, bully.trace_hash);
    assert_ne!(raft.messages_sent, bully.messages_sent);
    let svg = lanes::svg(&raft, &bully, c.until_ms);
    assert!(svg.starts_with("<svg") && svg.contains("executor-"));
    for s in [&raft, &bully] {
        // The lanes' gaps are the leaderless time: reigns + gaps cover the run.
        let led: u64 = s.executor_reigns.iter().map(|r| r.to_ms - r.from_ms).sum();
        let gap = (c.until_ms - led).abs_diff(s.executor_leaderless_ms);
        assert!(gap <= s.executor_reigns.len() as u64 + 1, "{s:?}");
        assert!(s.executor_elections >= 2, "{s:?}");
        assert!(s.executor_leaderless_ms < c.until_ms, "{s:?}");
        assert_eq!(s.invariant_violations, 0, "{s:?}");
    }
}

#[test]
fn pre_vote_is_a_knob_and_defaults_to_on() {
    let base = crate::system::config::ClusterConfig::default();
    assert!(base.pre_vote);
    assert!(
        !overrides::apply(&base, "pre_vote=false", "--b")
            .unwrap()
            .pre_vote
    );
    let c = comparison("partition-heal");
    let [on, off] = c
        .run(&variant("pre_vote=true"), &variant("pre_vote=false"))
        .unwrap();
    println!("{}", summary::table(&on, &off));
    assert_ne!(
        on.trace_hash, off.trace_hash,
        "the knob reached the Raft nodes"
    );
}

#[test]
fn bad_overrides_are_refused_with_the_field_named() {
    let base = crate::system::config::ClusterConfig::default();
    let err = overrides::apply(&base, "electoin=bully", "--a").unwrap_err();
    assert!(err.starts_with("--a") && err.contains("electoin"), "{err}");
    let err = overrides::apply(&base, "election=paxos", "--b").unwrap_err();
    assert!(err.contains("paxos"), "{err}");
    let err = overrides::apply(&base, "latency_ms", "--a").unwrap_err();
    assert!(err.contains("key=value"), "{err}");
    let cfg = overrides::apply(&base, "disk.fsync_us=5000, election=lease", "--a").unwrap();
    assert_eq!(cfg.disk.fsync_us, 5000);
    assert_eq!(cfg.election, crate::system::config::Election::Lease);
}
