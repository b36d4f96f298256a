//! The shape of a bookmesh world: which services run, how many executors, which election
//! algorithm, the network's defaults. Read from a scenario file's "cluster" section.

use crate::checkout::CalendarDate;
use crate::services::stock_reader::StockReads;
use crate::sim::LinkConfig;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Election {
    Raft,
    Bully,
    Lease,
}

impl Election {
    pub fn as_str(self) -> &'static str {
        match self {
            Election::Raft => "raft",
            Election::Bully => "bully",
            Election::Lease => "lease",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// Run the checkout services (client, orchestrator, validators, queue, executors).
    pub checkout: bool,
    pub executors: u32,
    pub election: Election,
    pub election_timeout_min_ms: u64,
    pub election_timeout_max_ms: u64,
    pub heartbeat_ms: u64,
    /// A ring of demo nodes pinging each other (0 = none).
    pub ping_nodes: u32,
    pub ping_interval_ms: u64,
    pub latency_ms: u64,
    pub jitter_ms: u64,
    /// Probability that a message is lost, 0.0 – 1.0.
    pub loss: f64,
    pub duplicate: f64,
    pub reorder: bool,
    /// The simulation's calendar date at virtual time 0 (card expiry is checked against it).
    pub calendar_start: String,
    pub trace_capacity: u32,
    /// The fulfilment half: books database nodes (3–7; 0 = none, and no payment node) that,
    /// with the payment node, take part in each order's two-phase commit.
    pub db_nodes: u32,
    /// Probability that the payment service declines a card (any brand not listed below).
    pub decline_rate: f64,
    /// Per card brand ("visa", "mastercard", "americanexpress", …): decline probability.
    pub decline_rates: std::collections::BTreeMap<String, f64>,
    /// Title → initial copies, on top of the catalog-derived stock (scarce books for a race).
    pub stock: std::collections::BTreeMap<String, u32>,
    /// Transactions the executor leader runs at once.
    pub max_in_flight: u32,
    /// Where the shopper's storefront reads stock from: "off" (default), "primary" (strong) or
    /// "replicas" (round-robin over every replica, possibly stale). Switchable while running.
    pub stock_reads: StockReads,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            checkout: true,
            executors: 3,
            election: Election::Raft,
            election_timeout_min_ms: 1500,
            election_timeout_max_ms: 3000,
            heartbeat_ms: 500,
            ping_nodes: 0,
            ping_interval_ms: 400,
            // Long enough to see on the page (a few frames at 1×), short next to the 500 ms
            // heartbeat and 1.5–3 s election timeouts, as on a real LAN/WAN mix.
            latency_ms: 30,
            jitter_ms: 20,
            loss: 0.0,
            duplicate: 0.0,
            reorder: false,
            calendar_start: "2026-11-21".to_string(),
            trace_capacity: 200_000,
            db_nodes: 3,
            decline_rate: 0.05,
            decline_rates: Default::default(),
            stock: Default::default(),
            max_in_flight: 16,
            stock_reads: StockReads::Off,
        }
    }
}

/// A probability as parts per million. Only `*` and `round` on a parsed f64: both are exact
/// IEEE operations, so native and wasm agree.
pub fn ppm(p: f64) -> u32 {
    (p.clamp(0.0, 1.0) * 1_000_000.0).round() as u32
}

/// Each named probability must lie in 0–1; the error names the field.
fn check_probabilities(named: impl IntoIterator<Item = (String, f64)>) -> Result<(), String> {
    for (name, p) in named {
        if !(0.0..=1.0).contains(&p) {
            return Err(format!("cluster.{name}: must be between 0 and 1, got {p}"));
        }
    }
    Ok(())
}

impl ClusterConfig {
    /// Checks every field; the message names the field that is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.checkout && !(3..=7).contains(&self.executors) {
            return Err(format!(
                "cluster.executors: must be 3–7, got {}",
                self.executors
            ));
        }
        if self.election_timeout_min_ms == 0
            || self.election_timeout_min_ms > self.election_timeout_max_ms
        {
            return Err(
                "cluster.election_timeout_min_ms: must be > 0 and ≤ election_timeout_max_ms".into(),
            );
        }
        if self.heartbeat_ms == 0 || self.heartbeat_ms >= self.election_timeout_min_ms {
            return Err(
                "cluster.heartbeat_ms: must be > 0 and below election_timeout_min_ms".into(),
            );
        }
        if self.ping_nodes > 64 {
            return Err(format!(
                "cluster.ping_nodes: at most 64, got {}",
                self.ping_nodes
            ));
        }
        check_probabilities([
            ("loss".to_string(), self.loss),
            ("duplicate".to_string(), self.duplicate),
        ])?;
        if self.latency_ms > 60_000 || self.jitter_ms > 60_000 {
            return Err("cluster.latency_ms / jitter_ms: at most 60000".into());
        }
        self.validate_fulfilment()?;
        CalendarDate::parse(&self.calendar_start)
            .map_err(|e| format!("cluster.calendar_start: {e}"))?;
        if !(1_000..=5_000_000).contains(&self.trace_capacity) {
            return Err("cluster.trace_capacity: must be 1000–5000000".into());
        }
        Ok(())
    }

    /// The books database, payment and 2PC settings.
    fn validate_fulfilment(&self) -> Result<(), String> {
        if self.db_nodes != 0 && !(3..=7).contains(&self.db_nodes) {
            return Err(format!(
                "cluster.db_nodes: must be 0 (none) or 3–7, got {}",
                self.db_nodes
            ));
        }
        let per_brand = self
            .decline_rates
            .iter()
            .map(|(k, v)| (format!("decline_rates.{k}"), *v));
        check_probabilities(
            std::iter::once(("decline_rate".to_string(), self.decline_rate)).chain(per_brand),
        )?;
        if let Some((title, n)) = self
            .stock
            .iter()
            .find(|(t, n)| t.is_empty() || t.len() > 512 || **n > 1_000_000)
        {
            return Err(format!(
                "cluster.stock: {title:?} → {n}: titles 1–512 bytes, at most 1000000 copies"
            ));
        }
        if self.stock_reads != StockReads::Off && (self.db_nodes == 0 || !self.checkout) {
            return Err("cluster.stock_reads: needs the checkout services and a books database (db_nodes 3–7)".into());
        }
        if !(1..=64).contains(&self.max_in_flight) {
            return Err(format!(
                "cluster.max_in_flight: must be 1–64, got {}",
                self.max_in_flight
            ));
        }
        Ok(())
    }

    pub fn link(&self) -> LinkConfig {
        LinkConfig {
            latency_base_us: self.latency_ms * 1000,
            jitter_us: self.jitter_ms * 1000,
            loss_ppm: ppm(self.loss),
            duplicate_ppm: ppm(self.duplicate),
            reorder: self.reorder,
        }
    }

    pub fn calendar(&self) -> CalendarDate {
        CalendarDate::parse(&self.calendar_start).unwrap_or(CalendarDate::UNIX_EPOCH)
    }
}
