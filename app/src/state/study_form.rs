//! The study panel's fields as the user typed them, turned into an `engine::study::StudyConfig`
//! (every error names the field), and how many trials the page runs per slice of the event
//! loop. Plain Rust, tested natively.

use engine::study::config::{MsRange, PAPER_RANGES};
use engine::study::{parse_ranges, StudyConfig};

/// Wall time one slice of the study may take before the page yields to the browser (so
/// clicks, the progress bar and Cancel stay live: about two frames).
pub const SLICE_MS: f64 = 30.0;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudyForm {
    pub trials: String,
    pub seed: String,
    pub ranges: String,
    pub latency_ms: String,
    pub disk_sync_ms: String,
    pub pre_vote: bool,
}

impl Default for StudyForm {
    fn default() -> Self {
        let d = StudyConfig::default();
        Self {
            trials: d.trials.to_string(),
            seed: d.seed.to_string(),
            ranges: PAPER_RANGES.to_string(),
            latency_ms: d.latency.label(),
            disk_sync_ms: d.disk_sync.label(),
            pre_vote: d.pre_vote,
        }
    }
}

impl StudyForm {
    pub fn to_config(&self) -> Result<StudyConfig, String> {
        let whole = |field: &str, text: &str| {
            text.trim()
                .parse::<u64>()
                .map_err(|_| format!("{field}: not a whole number: {text:?}"))
        };
        let trials = whole("trials", &self.trials)?;
        let cfg = StudyConfig {
            trials: u32::try_from(trials).map_err(|_| "trials: too many".to_string())?,
            seed: whole("seed", &self.seed)?,
            ranges: parse_ranges("ranges", &self.ranges)?,
            latency: MsRange::parse("latency", &self.latency_ms)?,
            disk_sync: MsRange::parse("disk sync", &self.disk_sync_ms)?,
            pre_vote: self.pre_vote,
            ..StudyConfig::default()
        };
        cfg.validate()?;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_is_the_paper_experiment() {
        let cfg = StudyForm::default().to_config().unwrap();
        assert_eq!(cfg, StudyConfig::default());
        assert_eq!(cfg.ranges.len(), 10);
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = |f: fn(&mut StudyForm), field: &str| {
            let mut form = StudyForm::default();
            f(&mut form);
            let err = form.to_config().unwrap_err();
            assert!(err.contains(field), "{err} should name {field}");
        };
        bad(|f| f.trials = "many".into(), "trials");
        bad(|f| f.trials = "0".into(), "trials");
        bad(|f| f.ranges = "150-100".into(), "ranges");
        bad(|f| f.latency_ms = "5..10".into(), "latency");
        bad(|f| f.disk_sync_ms = "x".into(), "disk sync");
        bad(|f| f.seed = "-1".into(), "seed");
    }
}
