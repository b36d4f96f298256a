//! The shape of a bookmesh world: which services run, how many executors, which election
//! algorithm, the network's defaults. Read from a scenario file's "cluster" section.

use crate::checkout::CalendarDate;
use crate::services::stock_reader::StockReads;
use crate::sim::{DiskConfig, LinkConfig};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Raft's pre-vote and leader stickiness (thesis §9.6), on by default; off to compare.
    /// Written out only when off, so existing scenario files and share links read the same.
    #[serde(skip_serializing_if = "is_true")]
    pub pre_vote: bool,
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
    /// Every node's disk: how long an fsync takes, and nodes with disks of their own.
    pub disk: DiskSettings,
    /// Nodes' own clocks, by node name ("executor-1") or service name ("executor", every node
    /// of it; a node's own entry wins). Nodes not named read true time.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub clocks: BTreeMap<String, ClockConfig>,
    /// Where the shopper's storefront reads stock from: "off" (default), "primary" (strong) or
    /// "replicas" (round-robin over every replica, possibly stale). Switchable while running.
    pub stock_reads: StockReads,
    /// How long (virtual ms) fraud and suggestions wait for the optional LLM's answer before
    /// falling back to their local models (the option itself is the recorded `llm` input).
    #[serde(skip_serializing_if = "is_default_llm_timeout")]
    pub llm_timeout_ms: u64,
    /// How long the queue lends an order to an executor before handing it out again
    /// (at-least-once delivery: a shorter lease redelivers sooner, and more often to an
    /// executor that is still working on it).
    #[serde(skip_serializing_if = "is_default_queue_lease")]
    pub queue_lease_ms: u64,
}

/// The queue's own default (`QueueConfig::lease_us`), in ms.
pub const DEFAULT_QUEUE_LEASE_MS: u64 = 10_000;

fn is_default_queue_lease(ms: &u64) -> bool {
    *ms == DEFAULT_QUEUE_LEASE_MS
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_default_llm_timeout(ms: &u64) -> bool {
    *ms == crate::services::llm_desk::DEFAULT_LLM_TIMEOUT_MS
}

/// The "disk" section. Microseconds, not milliseconds: an fsync takes about one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskSettings {
    pub fsync_us: u64,
    /// Each fsync takes `fsync_us` plus a uniform draw from 0..=`fsync_jitter_us`.
    pub fsync_jitter_us: u64,
    /// Node name → its own timing (a slow disk on the queue, say); unset fields are inherited.
    pub nodes: BTreeMap<String, DiskOverride>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskOverride {
    pub fsync_us: Option<u64>,
    pub fsync_jitter_us: Option<u64>,
}

impl Default for DiskSettings {
    fn default() -> Self {
        let d = DiskConfig::default();
        Self {
            fsync_us: d.fsync_us,
            fsync_jitter_us: d.fsync_jitter_us,
            nodes: BTreeMap::new(),
        }
    }
}

impl DiskSettings {
    /// The timing of every node without an override.
    pub fn default_config(&self) -> DiskConfig {
        DiskConfig {
            fsync_us: self.fsync_us,
            fsync_jitter_us: self.fsync_jitter_us,
        }
    }

    /// Each overridden node's timing, by name.
    pub fn overrides(&self) -> impl Iterator<Item = (&str, DiskConfig)> + '_ {
        let base = self.default_config();
        self.nodes.iter().map(move |(name, o)| {
            let cfg = DiskConfig {
                fsync_us: o.fsync_us.unwrap_or(base.fsync_us),
                fsync_jitter_us: o.fsync_jitter_us.unwrap_or(base.fsync_jitter_us),
            };
            (name.as_str(), cfg)
        })
    }

    /// The timings; whether each overridden node exists is checked when the world is built.
    fn validate(&self) -> Result<(), String> {
        self.default_config()
            .validate()
            .map_err(|e| format!("cluster.disk: {e}"))?;
        for (name, cfg) in self.overrides() {
            cfg.validate()
                .map_err(|e| format!("cluster.disk.nodes.{name}: {e}"))?;
        }
        Ok(())
    }
}

/// One node's clock: `skew_ms` ahead of true time at the start (negative = behind; it never
/// reads below 0) and `drift_ppm` parts per million fast (negative = slow).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockConfig {
    pub skew_ms: i64,
    pub drift_ppm: i64,
}

/// The client node stands for the shopper outside the system: the page matches its records
/// against the world's time axis, so it keeps true time.
pub const TRUE_TIME_NODE: &str = "client";

impl ClockConfig {
    pub fn skew_us(&self) -> i64 {
        self.skew_ms.saturating_mul(1000)
    }
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
            pre_vote: true,
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
            disk: DiskSettings::default(),
            clocks: BTreeMap::new(),
            stock_reads: StockReads::Off,
            llm_timeout_ms: crate::services::llm_desk::DEFAULT_LLM_TIMEOUT_MS,
            queue_lease_ms: DEFAULT_QUEUE_LEASE_MS,
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
        self.disk.validate()?;
        CalendarDate::parse(&self.calendar_start)
            .map_err(|e| format!("cluster.calendar_start: {e}"))?;
        if !(1_000..=5_000_000).contains(&self.trace_capacity) {
            return Err("cluster.trace_capacity: must be 1000–5000000".into());
        }
        self.validate_clocks()
    }

    /// Ranges only; whether each name is a node or a service is checked once the world is built.
    fn validate_clocks(&self) -> Result<(), String> {
        for (name, c) in &self.clocks {
            if name == TRUE_TIME_NODE {
                return Err(format!(
                    "cluster.clocks.{name}: the client stands for the shopper outside the system and keeps true time"
                ));
            }
            crate::sim::LocalClock::new(c.skew_us(), c.drift_ppm)
                .map_err(|e| format!("cluster.clocks.{name}: {e}"))?;
        }
        Ok(())
    }

    /// The clock configured for a node: its own entry, else its service's.
    pub fn clock_for(&self, name: &str, service: &str) -> Option<ClockConfig> {
        self.clocks
            .get(name)
            .or_else(|| self.clocks.get(service))
            .copied()
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
        if !(100..=60_000).contains(&self.llm_timeout_ms) {
            return Err(format!(
                "cluster.llm_timeout_ms: must be 100–60000, got {}",
                self.llm_timeout_ms
            ));
        }
        if !(500..=600_000).contains(&self.queue_lease_ms) {
            return Err(format!(
                "cluster.queue_lease_ms: must be 500–600000, got {}",
                self.queue_lease_ms
            ));
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
