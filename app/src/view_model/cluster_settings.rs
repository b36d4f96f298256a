//! The cluster settings form: text fields → a cluster configuration the engine validates.
use engine::system::config::{ClusterConfig, Election};

/// What the form's fields hold (text, as typed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterDraft {
    pub election: String,
    pub executors: String,
    pub timeout_min_ms: String,
    pub timeout_max_ms: String,
    pub heartbeat_ms: String,
}

impl ClusterDraft {
    pub fn of(c: &ClusterConfig) -> Self {
        Self {
            election: c.election.as_str().to_string(),
            executors: c.executors.to_string(),
            timeout_min_ms: c.election_timeout_min_ms.to_string(),
            timeout_max_ms: c.election_timeout_max_ms.to_string(),
            heartbeat_ms: c.heartbeat_ms.to_string(),
        }
    }

    /// `base` with the draft applied; the message names the field that is wrong.
    pub fn apply(&self, base: &ClusterConfig) -> Result<ClusterConfig, String> {
        let number = |name: &str, text: &str| -> Result<u64, String> {
            text.trim().parse::<u64>().map_err(|_| {
                format!(
                    "{name}: {:?} is not a whole number",
                    text.chars().take(20).collect::<String>()
                )
            })
        };
        let election = match self.election.as_str() {
            "raft" => Election::Raft,
            "bully" => Election::Bully,
            "lease" => Election::Lease,
            other => return Err(format!("unknown election algorithm {other:?}")),
        };
        let executors = u32::try_from(number("Executors", &self.executors)?)
            .map_err(|_| "Executors: too many".to_string())?;
        let out = ClusterConfig {
            election,
            executors,
            election_timeout_min_ms: number("Election timeout (min)", &self.timeout_min_ms)?,
            election_timeout_max_ms: number("Election timeout (max)", &self.timeout_max_ms)?,
            heartbeat_ms: number("Heartbeat", &self.heartbeat_ms)?,
            ..base.clone()
        };
        out.validate()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_the_config_it_was_made_from() {
        let c = ClusterConfig::default();
        assert_eq!(ClusterDraft::of(&c).apply(&c), Ok(c));
    }

    #[test]
    fn the_draft_changes_algorithm_size_and_timings() {
        let c = ClusterConfig::default();
        let d = ClusterDraft {
            election: "bully".into(),
            executors: "5".into(),
            timeout_min_ms: "800".into(),
            timeout_max_ms: "1600".into(),
            heartbeat_ms: "200".into(),
        };
        let out = d.apply(&c).expect("valid");
        assert_eq!(
            (
                out.election,
                out.executors,
                out.election_timeout_min_ms,
                out.heartbeat_ms
            ),
            (Election::Bully, 5, 800, 200)
        );
    }

    #[test]
    fn bad_fields_are_refused_with_their_name() {
        let c = ClusterConfig::default();
        let mut d = ClusterDraft::of(&c);
        d.executors = "nine".into();
        assert!(d.apply(&c).expect_err("refused").contains("Executors"));
        d.executors = "9".into();
        assert!(d.apply(&c).expect_err("refused").contains("executors"));
        let mut d = ClusterDraft::of(&c);
        d.heartbeat_ms = "5000".into();
        assert!(d.apply(&c).expect_err("refused").contains("heartbeat"));
    }
}
