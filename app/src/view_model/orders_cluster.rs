//! The Cluster tab as plain Rust: election-timer progress, the terms timeline, node names, and
//! the queue's rows (priority with aging, lease countdowns).
use engine::sim::Liveness;
use engine::sim::{Micros, NodeId};
use engine::snapshot::{ExecutorSnap, NodeSnap};
use engine::system::observer::LeaderSpan;
use engine::view::Standing;

pub use crate::view_model::mesh::{NodeRole, RoleClass};

/// How far an election timer has run, in permille (0 = just reset, 1000 = fires now).
pub fn timer_permille(
    started_us: Option<Micros>,
    deadline_us: Option<Micros>,
    now_us: Micros,
) -> Option<u32> {
    let (start, deadline) = (started_us?, deadline_us?);
    if deadline <= start {
        return Some(1000);
    }
    let elapsed = now_us.saturating_sub(start).min(deadline - start);
    Some((elapsed * 1000 / (deadline - start)) as u32)
}

/// "1.2 s" left until `deadline_us` (never negative).
pub fn time_left(deadline_us: Micros, now_us: Micros) -> String {
    let left = deadline_us.saturating_sub(now_us);
    format!("{}.{} s", left / 1_000_000, (left % 1_000_000) / 100_000)
}

/// The name of a node, or "node 7" if the snapshot does not list it.
pub fn node_name(nodes: &[NodeSnap], id: NodeId) -> String {
    nodes
        .iter()
        .find(|n| n.id == id)
        .map_or_else(|| format!("node {}", id.0), |n| n.name.clone())
}

/// One bar of the terms timeline: who led which term, from when to when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermRow {
    pub cluster: String,
    pub term: u64,
    pub node: String,
    pub from_us: Micros,
    pub to_us: Option<Micros>,
    /// Left edge and width in permille of the run so far, for the bar.
    pub x_permille: u32,
    pub w_permille: u32,
}

/// Leader spans, newest first, with their bars scaled to `[0, now]`.
pub fn term_rows(leaders: &[LeaderSpan], nodes: &[NodeSnap], now_us: Micros) -> Vec<TermRow> {
    let scale = |t: Micros| (t.min(now_us) * 1000).checked_div(now_us).unwrap_or(0) as u32;
    leaders
        .iter()
        .rev()
        .map(|s| {
            let x = scale(s.from_us);
            let end = scale(s.to_us.unwrap_or(now_us));
            TermRow {
                cluster: s.cluster.clone(),
                term: s.term,
                node: node_name(nodes, s.node),
                from_us: s.from_us,
                to_us: s.to_us,
                x_permille: x,
                w_permille: end.saturating_sub(x).max(4),
            }
        })
        .collect()
}

/// One executor as the Cluster tab shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorRow {
    pub name: String,
    /// The role in the algorithm's own words, for people.
    pub role: String,
    /// How it is drawn (the same typed role as on the mesh).
    pub drawn: NodeRole,
    pub term: u64,
    pub voted_for: String,
    pub leader: String,
    pub commit_index: u64,
    pub log_len: u64,
    pub executed: u32,
    /// Election timer progress (permille), when the node runs one.
    pub timer_permille: Option<u32>,
    /// What the timer row says: time left, "sends heartbeats", "crashed"…
    pub timer_text: String,
}

pub fn executor_row(e: &ExecutorSnap, nodes: &[NodeSnap], now_us: Micros) -> ExecutorRow {
    // The timer in its view is on the executor's own clock.
    let now_us = nodes
        .iter()
        .find(|n| n.id == e.id)
        .map_or(now_us, |n| n.local_now_us(now_us));
    let name_of =
        |id: Option<NodeId>| id.map_or_else(|| "—".to_string(), |id| node_name(nodes, id));
    let down = matches!(e.liveness, Liveness::Crashed);
    match (&e.view, down) {
        (Some(v), false) => {
            let permille = timer_permille(v.timer_started_us, v.timer_deadline_us, now_us);
            let leads = v.standing == Standing::Leader;
            let paused = matches!(e.liveness, Liveness::Paused);
            let timer_text = match (leads, v.timer_deadline_us) {
                (true, _) => {
                    "leader: heartbeats keep the followers' timers from firing".to_string()
                }
                (_, Some(deadline)) => {
                    format!("election timer: fires in {}", time_left(deadline, now_us))
                }
                _ => String::new(),
            };
            ExecutorRow {
                name: e.name.clone(),
                role: if paused {
                    format!("{} (paused)", v.role)
                } else {
                    v.role.clone()
                },
                drawn: if paused {
                    NodeRole::Paused
                } else {
                    NodeRole::elected(v.standing)
                },
                term: v.term,
                voted_for: name_of(v.voted_for),
                leader: name_of(v.leader),
                commit_index: v.commit_index,
                log_len: v.log_len,
                executed: v.executed,
                timer_permille: if leads { None } else { permille },
                timer_text,
            }
        }
        _ => ExecutorRow {
            name: e.name.clone(),
            role: if down {
                "crashed".into()
            } else {
                "starting".into()
            },
            drawn: if down {
                NodeRole::Crashed
            } else {
                NodeRole::Starting
            },
            term: e.view.as_ref().map_or(0, |v| v.term),
            voted_for: "—".into(),
            leader: "—".into(),
            commit_index: e.view.as_ref().map_or(0, |v| v.commit_index),
            log_len: e.view.as_ref().map_or(0, |v| v.log_len),
            executed: e.view.as_ref().map_or(0, |v| v.executed),
            timer_permille: None,
            timer_text: if down {
                "crashed: no timer, no votes, no work".into()
            } else {
                String::new()
            },
        },
    }
}

/// "Raft", "Bully", "Lease lock (SETNX + TTL)".
pub fn algorithm_label(algorithm: &str) -> String {
    match algorithm {
        "raft" => "Raft".into(),
        "bully" => "Bully".into(),
        "lease" => "Lease lock (SETNX + TTL)".into(),
        other => other.to_string(),
    }
}

/// Aging: how many points an order gained by waiting.
pub fn aging_points(base: u64, effective: u64) -> u64 {
    effective.saturating_sub(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timer_runs_from_zero_to_a_thousand_and_stays_there() {
        assert_eq!(timer_permille(Some(1_000), Some(3_000), 1_000), Some(0));
        assert_eq!(timer_permille(Some(1_000), Some(3_000), 2_000), Some(500));
        assert_eq!(timer_permille(Some(1_000), Some(3_000), 9_000), Some(1000));
        assert_eq!(timer_permille(Some(1_000), Some(3_000), 0), Some(0));
        assert_eq!(timer_permille(None, Some(3_000), 0), None);
        assert_eq!(timer_permille(Some(5), Some(5), 0), Some(1000));
    }

    #[test]
    fn time_left_never_goes_negative() {
        assert_eq!(time_left(2_500_000, 1_000_000), "1.5 s");
        assert_eq!(time_left(1_000, 2_000), "0.0 s");
    }

    #[test]
    fn bully_roles_are_drawn_as_on_the_mesh() {
        // "electing" was a candidate on the mesh and "other" here: one typed role now.
        let mut snap = executor("electing", Liveness::Up);
        if let Some(v) = snap.view.as_mut() {
            v.algorithm = "bully";
        }
        let row = executor_row(&snap, &[], 2_000_000);
        assert_eq!(row.drawn, NodeRole::Candidate);
        assert_eq!(row.drawn.class(), "is-candidate");
        assert_eq!(row.role, "electing");
        let paused = executor_row(&executor("leader", Liveness::Paused), &[], 2_000_000);
        assert_eq!(paused.drawn, NodeRole::Paused);
    }

    #[test]
    fn term_rows_list_newest_first_scaled_to_the_run() {
        let spans = vec![
            LeaderSpan {
                cluster: "executors".into(),
                term: 1,
                node: NodeId(8),
                from_us: 1_000_000,
                to_us: Some(3_000_000),
            },
            LeaderSpan {
                cluster: "executors".into(),
                term: 2,
                node: NodeId(6),
                from_us: 3_500_000,
                to_us: None,
            },
        ];
        let rows = term_rows(&spans, &[], 4_000_000);
        assert_eq!(rows[0].term, 2);
        assert_eq!(rows[0].node, "node 6");
        assert_eq!((rows[0].x_permille, rows[0].w_permille), (875, 125));
        assert_eq!((rows[1].x_permille, rows[1].w_permille), (250, 500));
    }

    fn executor(role: &str, liveness: Liveness) -> ExecutorSnap {
        use engine::view::ExecutorView;
        ExecutorSnap {
            id: NodeId(6),
            name: "executor-0".into(),
            liveness,
            view: Some(ExecutorView {
                algorithm: "raft",
                role: role.into(),
                standing: crate::view_model::mesh::standing_of(role),
                term: 3,
                voted_for: Some(NodeId(8)),
                leader: Some(NodeId(8)),
                timer_started_us: Some(1_000_000),
                timer_deadline_us: Some(3_000_000),
                commit_index: 4,
                log_len: 5,
                executed: 2,
            }),
        }
    }

    #[test]
    fn a_follower_row_shows_its_timer_and_names_its_leader() {
        let row = executor_row(&executor("follower", Liveness::Up), &[], 2_000_000);
        assert_eq!(row.timer_permille, Some(500));
        assert_eq!(row.timer_text, "election timer: fires in 1.0 s");
        assert_eq!(
            (row.leader.as_str(), row.voted_for.as_str()),
            ("node 8", "node 8")
        );
        assert_eq!((row.commit_index, row.log_len, row.executed), (4, 5, 2));
    }

    #[test]
    fn a_leader_has_no_timer_bar_and_a_crashed_node_says_so() {
        let leader = executor_row(&executor("leader", Liveness::Up), &[], 2_000_000);
        assert_eq!(leader.timer_permille, None);
        let crashed = executor_row(&executor("follower", Liveness::Crashed), &[], 2_000_000);
        assert_eq!(crashed.role, "crashed");
        assert_eq!(crashed.drawn, NodeRole::Crashed);
        assert_eq!(crashed.timer_permille, None);
    }

    #[test]
    fn aging_is_the_gain_over_the_base() {
        assert_eq!(aging_points(310, 340), 30);
        assert_eq!(aging_points(310, 300), 0);
    }
}
