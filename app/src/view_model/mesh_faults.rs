//! The faults panel's rules: what the network's defaults are now (the scenario's settings,
//! overridden by the latest loss / latency fault in the log), the partition a set of checked
//! nodes makes, and which model outages are on.
use engine::snapshot::log_tail::LogLine;
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

/// The network's defaults now: the scenario's, then every "loss x%" / "latency b±j ms" fault
/// in the log in order (the log keeps the last few hundred lines; older changes are assumed to
/// be superseded by newer ones, which is true unless a run is very long and very quiet).
pub fn network_settings(scenario: NetworkSettings, log: &[LogLine]) -> NetworkSettings {
    let mut now = scenario;
    for line in log.iter().filter(|l| l.kind == "fault") {
        if let Some(p) = line.text.strip_prefix("loss ").and_then(|t| t.strip_suffix('%')).and_then(|t| t.parse::<f64>().ok()) {
            now.loss = p / 100.0;
        } else if let Some((b, j)) = line.text.strip_prefix("latency ").and_then(|t| t.strip_suffix(" ms")).and_then(|t| t.split_once('±')) {
            if let (Ok(b), Ok(j)) = (b.parse(), j.parse()) {
                now.base_ms = b;
                now.jitter_ms = j;
            }
        }
    }
    now
}

/// A loss slider's position (0–50, whole percent) as the verb's probability.
pub fn loss_from_percent(text: &str) -> Result<f64, String> {
    let p: f64 = text.trim().parse().map_err(|_| format!("loss: not a number: {text:?}"))?;
    if !(0.0..=MAX_LOSS * 100.0).contains(&p) {
        return Err(format!("loss: choose 0–{}%", MAX_LOSS * 100.0));
    }
    Ok(p / 100.0)
}

/// Reads a latency field (whole milliseconds, 0–10 000).
pub fn parse_ms(field: &str, text: &str) -> Result<u64, String> {
    let ms: u64 = text.trim().parse().map_err(|_| format!("{field}: whole milliseconds, e.g. 20"))?;
    if ms > 10_000 {
        return Err(format!("{field}: at most 10000 ms"));
    }
    Ok(ms)
}

/// Group A (the checked nodes) against everyone else.
pub fn partition_action(all: &[String], group_a: &[String]) -> Result<Action, String> {
    let a: Vec<String> = all.iter().filter(|n| group_a.contains(n)).cloned().collect();
    let rest: Vec<String> = all.iter().filter(|n| !group_a.contains(n)).cloned().collect();
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
pub const MODELS: [(&str, &str); 2] = [("fraud", "Fraud model"), ("suggestions", "Suggestions model")];

pub fn model_down(flags: &[String], model: &str) -> bool {
    flags.iter().any(|f| f.strip_prefix("model-down:") == Some(model))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(seq: u64, text: &str) -> LogLine {
        LogLine { seq, t_us: seq * 1000, node: "world".into(), kind: "fault", text: text.into(), corr: 0 }
    }

    const DEFAULTS: NetworkSettings = NetworkSettings { loss: 0.0, base_ms: 5, jitter_ms: 5 };

    #[test]
    fn the_latest_loss_and_latency_faults_override_the_scenario() {
        assert_eq!(network_settings(DEFAULTS, &[]), DEFAULTS);
        let log = [fault(1, "loss 10.0%"), fault(2, "latency 40±60 ms"), fault(3, "heal all"), fault(4, "loss 2.5%")];
        let now = network_settings(DEFAULTS, &log);
        assert!((now.loss - 0.025).abs() < 1e-12);
        assert_eq!((now.base_ms, now.jitter_ms), (40, 60));
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
        assert_eq!(action, Action::Partition(vec![vec!["a".into(), "c".into()], vec!["b".into()]]));
        assert!(partition_action(&all(), &[]).is_err());
        assert!(partition_action(&all(), &all()).is_err());
    }

    #[test]
    fn isolating_a_node_puts_it_alone() {
        assert_eq!(isolate_action(&all(), "b").unwrap(), Action::Partition(vec![vec!["b".into()], vec!["a".into(), "c".into()]]));
    }

    #[test]
    fn a_one_way_cut_needs_two_different_nodes() {
        assert_eq!(one_way_action("a", "b").unwrap(), Action::PartitionOneWay("a".into(), "b".into()));
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
