//! The scenarios shipped in `scenarios/`, compiled in so the page can offer them.
use super::Scenario;

pub const BUILTIN: &[(&str, &str)] = &[
    ("ping-ring", include_str!("../../../scenarios/ping-ring.json")),
];

/// Every built-in scenario, parsed. A broken file is a bug caught by the tests.
pub fn all() -> Vec<(&'static str, Result<Scenario, String>)> {
    BUILTIN.iter().map(|(id, text)| (*id, Scenario::parse(text))).collect()
}

pub fn get(id: &str) -> Option<Result<Scenario, String>> {
    BUILTIN.iter().find(|(k, _)| *k == id).map(|(_, text)| Scenario::parse(text))
}
