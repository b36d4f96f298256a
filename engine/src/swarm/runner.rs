//! Running many seeds and summing up: seeds run, fault episodes by kind, failures with the
//! seed that found each. No wall clock here (the engine never reads one): the command times
//! the run and prints time per 1,000 seeds itself.

use super::{run_case, Case, Failure, SwarmSettings};
use crate::nemesis::FaultKind;
use std::collections::BTreeMap;

/// One failing seed and its first failure.
#[derive(Clone, Debug)]
pub struct Found {
    pub seed: u64,
    pub case: Case,
    pub failure: Failure,
    /// How many failures the run had in all.
    pub failures: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub seeds_run: u64,
    pub episodes_by_kind: BTreeMap<FaultKind, u64>,
    pub events: u64,
    pub transactions_decided: u64,
    pub failing: Vec<Found>,
    /// Seeds whose case the world refused (a bug in the drawing): never counted as passing.
    pub errors: Vec<(u64, String)>,
}

impl Summary {
    pub fn episodes(&self) -> u64 {
        self.episodes_by_kind.values().sum()
    }

    pub fn passed(&self) -> bool {
        self.failing.is_empty() && self.errors.is_empty()
    }

    /// Draws and runs one seed, and adds it in.
    pub fn run_seed(&mut self, seed: u64, settings: &SwarmSettings) -> Option<&Found> {
        self.seeds_run += 1;
        let case = match Case::draw(seed, settings) {
            Ok(c) => c,
            Err(e) => {
                self.errors.push((seed, format!("drawing the case: {e}")));
                return None;
            }
        };
        for kind in case.fault_kinds() {
            *self.episodes_by_kind.entry(kind).or_default() += 1;
        }
        match run_case(&case) {
            Err(e) => {
                self.errors.push((seed, e));
                None
            }
            Ok(outcome) => {
                self.events += outcome.events;
                self.transactions_decided += outcome.orders_decided as u64;
                let first = outcome.failures.first()?.clone();
                self.failing.push(Found {
                    seed,
                    case,
                    failure: first,
                    failures: outcome.failures.len(),
                });
                self.failing.last()
            }
        }
    }

    /// "crash 120, partition 98, …" in kind order.
    pub fn kinds_line(&self) -> String {
        self.episodes_by_kind
            .iter()
            .map(|(k, n)| format!("{} {n}", k.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
