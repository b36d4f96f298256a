//! An order's latency by phase, for the journey: each phase the engine measured
//! (`OrderTrack::phases`) with its duration and its share of the total, so the longest stretch
//! stands out.
use engine::snapshot::observations::OrderTrack;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LatencyRow {
    pub label: &'static str,
    /// "12 ms" or "1.250 s".
    pub took: String,
    /// Share of the measured total, ‰ (the bar's width).
    pub share_permille: u32,
}

fn duration(us: u64) -> String {
    if us < 1_000_000 {
        format!("{} ms", us.div_ceil(1000))
    } else {
        format!("{}.{:03} s", us / 1_000_000, (us % 1_000_000) / 1000)
    }
}

pub fn latency_rows(track: &OrderTrack) -> Vec<LatencyRow> {
    let phases = track.phases();
    let total: u64 = phases.iter().map(|p| p.took_us).sum::<u64>().max(1);
    phases
        .iter()
        .map(|p| LatencyRow {
            label: p.name.label(),
            took: duration(p.took_us),
            share_permille: (p.took_us.saturating_mul(1000) / total) as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::order_step::OrderStep;
    use engine::sim::NodeId;
    use engine::snapshot::observations::{TrackExecution, TrackLease, TrackStep};

    #[test]
    fn phases_read_as_durations_with_their_share() {
        let step = |t_us, step| TrackStep {
            t_us,
            node_name: "orchestrator".into(),
            step,
        };
        let track = OrderTrack {
            order_id: "ord-0001".into(),
            steps: vec![
                step(1_000_000, OrderStep::Received),
                step(1_040_000, OrderStep::Validated),
                step(1_050_000, OrderStep::Enqueued),
            ],
            leases: vec![TrackLease {
                t_us: 2_850_000,
                executor: NodeId(8),
                executor_name: "executor-1".into(),
                term: 2,
            }],
            executed: Some(TrackExecution {
                t_us: 3_000_000,
                node_name: "executor-1".into(),
                term: 2,
            }),
        };
        let rows = latency_rows(&track);
        let read: Vec<(&str, &str, u32)> = rows
            .iter()
            .map(|r| (r.label, r.took.as_str(), r.share_permille))
            .collect();
        assert_eq!(
            read,
            [
                ("validation (DAG a–f)", "40 ms", 20),
                ("waiting in the queue", "1.800 s", 904),
                ("execution (2PC when there is a database)", "150 ms", 75),
            ],
            "not acknowledged yet: no acknowledgement row"
        );
    }
}
