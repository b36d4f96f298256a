//! Vector clocks (Fidge 1988, Mattern 1989) as a plain value type.
//!
//! Entries are keyed by process name in a `BTreeMap`, so iteration, display and hashing are in
//! a fixed order. A missing entry means 0.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VectorClock {
    entries: BTreeMap<String, u64>,
}

/// How two clocks relate in the happened-before order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Causality {
    Before,
    After,
    Equal,
    Concurrent,
}

impl VectorClock {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a clock from `(process, counter)` pairs; zero counters are omitted.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, u64)>) -> Self {
        let mut vc = Self::new();
        for (p, n) in pairs {
            if n > 0 {
                vc.entries.insert(p.to_string(), n);
            }
        }
        vc
    }

    pub fn get(&self, process: &str) -> u64 {
        self.entries.get(process).copied().unwrap_or(0)
    }

    /// A local event at `process`: its own entry goes up by one.
    pub fn tick(&mut self, process: &str) -> &mut Self {
        *self.entries.entry(process.to_string()).or_insert(0) += 1;
        self
    }

    /// Receipt of `other`: entry-wise maximum (the caller ticks afterwards for the receive event).
    pub fn merge(&mut self, other: &VectorClock) -> &mut Self {
        for (p, n) in &other.entries {
            let e = self.entries.entry(p.clone()).or_insert(0);
            if *n > *e {
                *e = *n;
            }
        }
        self
    }

    /// `self ≤ other` entry-wise (happened-before or equal).
    pub fn le(&self, other: &VectorClock) -> bool {
        self.entries.iter().all(|(p, n)| *n <= other.get(p))
    }

    pub fn compare(&self, other: &VectorClock) -> Causality {
        match (self.le(other), other.le(self)) {
            (true, true) => Causality::Equal,
            (true, false) => Causality::Before,
            (false, true) => Causality::After,
            (false, false) => Causality::Concurrent,
        }
    }

    pub fn happened_before(&self, other: &VectorClock) -> bool {
        self.compare(other) == Causality::Before
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.entries.iter().map(|(p, n)| (p.as_str(), *n))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sum of entries: a cheap total used to sort events for display (not an ordering proof).
    pub fn weight(&self) -> u64 {
        self.entries.values().sum()
    }
}

impl fmt::Display for VectorClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, (p, n)) in self.entries.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            write!(f, "{p}:{n}")?;
        }
        write!(f, "]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses "a:1 b:2" (empty string = zero clock).
    fn vc(s: &str) -> VectorClock {
        VectorClock::from_pairs(s.split_whitespace().map(|kv| {
            let (k, v) = kv.split_once(':').expect("k:v");
            (k, v.parse().expect("number"))
        }))
    }

    #[test]
    fn compare_follows_the_text_table() {
        // left | right | relation
        let table = "
            a:1        | a:1        | Equal
            a:1        | a:2        | Before
            a:2        | a:1        | After
            a:1        | b:1        | Concurrent
            a:1 b:1    | a:1 b:2    | Before
            a:2 b:1    | a:1 b:2    | Concurrent
                       | a:1        | Before
                       |            | Equal
            a:3 b:3 c:1| a:3 b:3    | After
        ";
        for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let cols: Vec<&str> = line.split('|').map(str::trim).collect();
            let want = match cols[2] {
                "Equal" => Causality::Equal,
                "Before" => Causality::Before,
                "After" => Causality::After,
                _ => Causality::Concurrent,
            };
            assert_eq!(vc(cols[0]).compare(&vc(cols[1])), want, "row: {line}");
        }
    }

    #[test]
    fn merge_is_entrywise_max_then_tick_counts_the_receive() {
        let mut local = vc("a:2 b:1");
        local.merge(&vc("b:4 c:1")).tick("a");
        assert_eq!(local, vc("a:3 b:4 c:1"));
    }

    #[test]
    fn a_send_happens_before_its_receive() {
        let mut sender = VectorClock::new();
        sender.tick("p");
        let stamp = sender.clone();
        let mut receiver = VectorClock::new();
        receiver.tick("q");
        receiver.merge(&stamp).tick("q");
        assert!(stamp.happened_before(&receiver));
        assert_eq!(sender.compare(&receiver), Causality::Before);
    }

    #[test]
    fn display_is_ordered_by_process_name() {
        assert_eq!(vc("z:1 a:2").to_string(), "[a:2 z:1]");
    }
}
