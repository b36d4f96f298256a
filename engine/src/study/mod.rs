//! The election timing study: the Raft paper's Figure 16 experiment (Ongaro & Ousterhout,
//! "In Search of an Understandable Consensus Algorithm", 2014, §9.3) run on this engine's own
//! Raft executors, network and disks.
//!
//! Why it runs the real services and not the sans-IO core in a loop: the experiment's point is
//! that downtime depends on things around the algorithm — one-way latency, the disk sync a
//! vote waits for before it is sent (`services/executor/raft_driver.rs`), how heartbeats spread
//! the followers' timers. A bare core would measure a cluster that does not exist here. Each
//! trial therefore builds a fresh world (five executors and the queue they need) and only the
//! election timeout range, the latency and the disk sync vary.
//!
//! Why the trials are seeded `seed + i` for every range: range A and range B then see the same
//! boot order, crash moment and (until their timers diverge) the same network draws, so the
//! curves differ because of the timeouts, not the luck of the draw. Same config ⇒ the same
//! CSV, byte for byte, natively and in the browser.
//!
//! Why censored trials are kept: the ranges without randomness fail by never electing; dropping
//! those trials would draw their curve as if they did well. A censored trial counts in every
//! percentile as "longer than the cap" and the plot's line ends below 100 %.
//!
//! `trial.rs` runs one trial and defines "elected"; `run.rs` sequences trials so a caller can
//! run them one at a time; `summary.rs`, `csv.rs`, `plot.rs` and `svg.rs` turn outcomes into
//! the table, the file and the picture.

pub mod config;
pub mod csv;
pub mod plot;
pub mod run;
pub mod summary;
pub mod svg;
#[cfg(test)]
mod tests;
pub mod trial;

pub use config::{parse_ranges, MsRange, StudyConfig};
pub use run::StudyRun;
pub use summary::RangeSummary;
pub use trial::{run_trial, Cut, TrialOutcome};

/// The lines printed under the plot: what the study assumed.
pub fn assumptions(cfg: &StudyConfig) -> Vec<String> {
    vec![
        format!(
            "{} nodes; one-way latency {} ms; disk sync {} ms (a vote is synced before it is sent); heartbeat = min timeout / 2; pre-vote {}",
            trial::CLUSTER_SIZE,
            cfg.latency.label(),
            cfg.disk_sync.label(),
            if cfg.pre_vote { "on" } else { "off" },
        ),
        format!(
            "{} trials per range on seeds {}..{}; a trial with no new leader after {} ms is cut (censored)",
            cfg.trials,
            cfg.seed,
            cfg.seed.wrapping_add(cfg.trials as u64),
            cfg.cap_ms
        ),
    ]
}

/// The plot of a finished (or partly finished) study as SVG, with its assumptions beneath.
pub fn svg(run: &StudyRun) -> String {
    svg::write(&plot::layout(&run.summaries()), &assumptions(run.config()))
}
