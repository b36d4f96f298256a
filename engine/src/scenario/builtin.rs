//! The scenarios shipped in `scenarios/`, compiled in so the page can offer them.
use super::Scenario;

pub const BUILTIN: &[(&str, &str)] = &[
    ("checkout", include_str!("../../../scenarios/checkout.json")),
    (
        "invalid-card",
        include_str!("../../../scenarios/invalid-card.json"),
    ),
    (
        "fraud-rejection",
        include_str!("../../../scenarios/fraud-rejection.json"),
    ),
    (
        "card-velocity",
        include_str!("../../../scenarios/card-velocity.json"),
    ),
    (
        "initial-election",
        include_str!("../../../scenarios/initial-election.json"),
    ),
    (
        "leader-crash",
        include_str!("../../../scenarios/leader-crash.json"),
    ),
    (
        "split-vote",
        include_str!("../../../scenarios/split-vote.json"),
    ),
    (
        "partition-heal",
        include_str!("../../../scenarios/partition-heal.json"),
    ),
    ("bully", include_str!("../../../scenarios/bully.json")),
    ("lease", include_str!("../../../scenarios/lease.json")),
    (
        "model-outage",
        include_str!("../../../scenarios/model-outage.json"),
    ),
    (
        "cache-clear-conflict",
        include_str!("../../../scenarios/cache-clear-conflict.json"),
    ),
    (
        "priority-rush",
        include_str!("../../../scenarios/priority-rush.json"),
    ),
    (
        "2pc-commit",
        include_str!("../../../scenarios/2pc-commit.json"),
    ),
    (
        "2pc-insufficient-stock",
        include_str!("../../../scenarios/2pc-insufficient-stock.json"),
    ),
    (
        "2pc-payment-decline",
        include_str!("../../../scenarios/2pc-payment-decline.json"),
    ),
    (
        "2pc-participant-timeout",
        include_str!("../../../scenarios/2pc-participant-timeout.json"),
    ),
    (
        "db-primary-crash",
        include_str!("../../../scenarios/db-primary-crash.json"),
    ),
    (
        "2pc-coordinator-crash",
        include_str!("../../../scenarios/2pc-coordinator-crash.json"),
    ),
    (
        "2pc-participant-restart",
        include_str!("../../../scenarios/2pc-participant-restart.json"),
    ),
    (
        "last-copies-race",
        include_str!("../../../scenarios/last-copies-race.json"),
    ),
    (
        "replica-reads",
        include_str!("../../../scenarios/replica-reads.json"),
    ),
    (
        "ping-ring",
        include_str!("../../../scenarios/ping-ring.json"),
    ),
];

/// Every built-in scenario, parsed. A broken file is a bug caught by the tests.
pub fn all() -> Vec<(&'static str, Result<Scenario, String>)> {
    BUILTIN
        .iter()
        .map(|(id, text)| (*id, Scenario::parse(text)))
        .collect()
}

pub fn get(id: &str) -> Option<Result<Scenario, String>> {
    BUILTIN
        .iter()
        .find(|(k, _)| *k == id)
        .map(|(_, text)| Scenario::parse(text))
}
