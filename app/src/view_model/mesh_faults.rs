//! The faults panel's rules: the network's defaults now (read from the engine's link
//! settings), the partition a set of checked nodes makes, and which model outages are on.
use engine::sim::LinkConfig;
use engine::system::inputs::Action;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkSettings {
    /// Message loss probability, 0–1.
    pub loss: f64,
    pub base_ms: u64,
    pub jitter_ms: u64,
}

/// The highest loss the slider offers.
pub const MAX_LOSS: f64 = 0.5;

impl NetworkSettings {
    /// The network's default link as the panel shows it.
    pub fn of(link: &LinkConfig) -> Self {
        Self {
            loss: link.loss_ppm as f64 / 1_000_000.0,
            base_ms: link.latency_base_us / 1000,
            jitter_ms: link.jitter_us / 1000,
        }
    }
}

/// A loss slider's position (0–50, whole percent) as the verb's probability.
pub fn loss_from_percent(text: &str) -> Result<f64, String> {
    let p: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("loss: not a number: {text:?}"))?;
    if !(0.0..=MAX_LOSS * 100.0).contains(&p) {
        return Err(format!("loss: choose 0–{}%", MAX_LOSS * 100.0));
    }
    Ok(p / 100.0)
}

/// Reads a latency field (whole milliseconds, 0–10 000).
pub fn parse_ms(field: &str, text: &str) -> Result<u64, String> {
    let ms: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{field}: whole milliseconds, e.g. 20"))?;
    if ms > 10_000 {
        return Err(format!("{field}: at most 10000 ms"));
    }
    Ok(ms)
}

/// Group A (the checked nodes) against everyone else.
pub fn partition_action(all: &[String], group_a: &[String]) -> Result<Action, String> {
    let a: Vec<String> = all
        .iter()
        .filter(|n| group_a.contains(n))
        .cloned()
        .collect();
    let rest: Vec<String> = all
        .iter()
        .filter(|n| !group_a.contains(n))
        .cloned()
        .collect();
    if a.is_empty() {
        return Err("Tick at least one node for group A".into());
    }
    if rest.is_empty() {
        return Err("Leave at least one node outside group A".into());
    }
    Ok(Action::Partition(vec![a, rest]))
}

/// Cut every link of `node`: it alone against everyone else.
pub fn isolate_action(all: &[String], node: &str) -> Result<Action, String> {
    partition_action(all, &[node.to_string()])
}

/// A one-way cut: `from` can no longer reach `to`.
pub fn one_way_action(from: &str, to: &str) -> Result<Action, String> {
    if from.is_empty() || to.is_empty() {
        return Err("Pick both ends of the one-way cut".into());
    }
    if from == to {
        return Err("Pick two different nodes".into());
    }
    Ok(Action::PartitionOneWay(from.to_string(), to.to_string()))
}

/// The models that can be taken down.
pub const MODELS: [(&str, &str); 2] = [
    ("fraud", "Fraud model"),
    ("suggestions", "Suggestions model"),
];

pub fn model_down(flags: &[String], model: &str) -> bool {
    flags
        .iter()
        .any(|f| f.strip_prefix("model-down:") == Some(model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_shows_the_engines_link_settings() {
        let link = LinkConfig {
            loss_ppm: 25_000,
            latency_base_us: 40_000,
            jitter_us: 60_000,
            ..LinkConfig::default()
        };
        let now = NetworkSettings::of(&link);
        assert_eq!((now.base_ms, now.jitter_ms), (40, 60));
        assert!((now.loss - 0.025).abs() < 1e-9);
    }

    #[test]
    fn the_loss_slider_reads_whole_percent_up_to_fifty() {
        assert_eq!(loss_from_percent("20"), Ok(0.2));
        assert!(loss_from_percent("51").is_err());
        assert!(loss_from_percent("lots").is_err());
    }

    #[test]
    fn latency_fields_take_whole_milliseconds() {
        assert_eq!(parse_ms("base", " 20 "), Ok(20));
        assert!(parse_ms("base", "-1").unwrap_err().starts_with("base:"));
        assert!(parse_ms("jitter", "20000").is_err());
    }

    fn all() -> Vec<String> {
        ["a", "b", "c"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn checked_nodes_are_partitioned_from_the_rest_in_node_order() {
        let action = partition_action(&all(), &["c".into(), "a".into()]).unwrap();
        assert_eq!(
            action,
            Action::Partition(vec![vec!["a".into(), "c".into()], vec!["b".into()]])
        );
        assert!(partition_action(&all(), &[]).is_err());
        assert!(partition_action(&all(), &all()).is_err());
    }

    #[test]
    fn isolating_a_node_puts_it_alone() {
        assert_eq!(
            isolate_action(&all(), "b").unwrap(),
            Action::Partition(vec![vec!["b".into()], vec!["a".into(), "c".into()]])
        );
    }

    #[test]
    fn a_one_way_cut_needs_two_different_nodes() {
        assert_eq!(
            one_way_action("a", "b").unwrap(),
            Action::PartitionOneWay("a".into(), "b".into())
        );
        assert!(one_way_action("a", "a").is_err());
        assert!(one_way_action("", "a").is_err());
    }

    #[test]
    fn model_outages_are_read_from_the_world_flags() {
        let flags = vec!["model-down:fraud".to_string()];
        assert!(model_down(&flags, "fraud"));
        assert!(!model_down(&flags, "suggestions"));
    }
}
