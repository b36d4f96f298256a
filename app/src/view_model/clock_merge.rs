//! The vector-clock explainer as plain Rust: the engine's step-by-step merge of one receive
//! (`engine::snapshot::spacetime::explain`) in the page's words, node names instead of
//! indices, and the seed comparison of the order's answer clock when the receive belongs to
//! an order whose answer is known.
use engine::clock::VectorClock;
use engine::snapshot::spacetime::explain::{
    against_seed_example, MergeExplained, MergeRow, NoMerge, SeedEntry,
};
use engine::view::OrderDagView;

pub use engine::snapshot::spacetime::explain::MERGE_RULE;

/// The engine's row of the merge, under the node's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeLine {
    pub name: String,
    pub row: MergeRow,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeView {
    pub heading: String,
    pub lines: Vec<MergeLine>,
    /// How many entries the message taught the receiver.
    pub learned: usize,
    pub consistent: bool,
}

fn name(names: &[String], id: engine::sim::NodeId) -> String {
    names
        .get(id.0 as usize)
        .cloned()
        .unwrap_or_else(|| format!("node {}", id.0))
}

pub fn merge_view(m: &MergeExplained, names: &[String]) -> MergeView {
    let lines: Vec<MergeLine> = m
        .rows
        .iter()
        .map(|r| MergeLine {
            name: name(names, r.node),
            row: r.clone(),
        })
        .collect();
    MergeView {
        heading: format!(
            "{} receives {} from {}",
            name(names, m.receiver),
            m.label,
            name(names, m.sender)
        ),
        learned: lines.iter().filter(|l| l.row.learned).count(),
        lines,
        consistent: m.consistent,
    }
}

/// What to say when the selected event has no merge to show (None: not a receive, say nothing).
pub fn no_merge_text(why: &NoMerge) -> Option<&'static str> {
    match why {
        NoMerge::NotAReceive | NoMerge::NotHeld => None,
        NoMerge::SendForgotten => {
            Some("The message was sent before the diagram's memory: its clock is no longer held.")
        }
        NoMerge::PreviousForgotten => Some(
            "The receiver's previous event is older than the diagram's memory: its clock before the merge is no longer held.",
        ),
    }
}

/// The answer clock of the order `corr` belongs to, once it was answered.
pub fn answer_clock(orders: &[OrderDagView], corr: u64) -> Option<&VectorClock> {
    if corr == 0 {
        return None;
    }
    orders
        .iter()
        .find(|o| o.corr == corr)
        .and_then(|o| o.final_vc.as_ref())
}

/// The answer's `finalVectorClock` against seed 000's example, entry by entry.
pub fn seed_comparison(final_vc: &VectorClock) -> Vec<SeedEntry> {
    against_seed_example(final_vc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::sim::NodeId;
    use engine::snapshot::spacetime::explain::MergeRow;

    fn row(node: u32, before: u32, message: u32, ticked: bool) -> MergeRow {
        let max = before.max(message);
        MergeRow {
            node: NodeId(node),
            before,
            message,
            max,
            after: max + u32::from(ticked),
            learned: message > before,
            ticked,
        }
    }

    #[test]
    fn a_merge_reads_with_node_names_and_counts_what_was_learned() {
        let m = MergeExplained {
            receive_seq: 9,
            send_seq: 4,
            previous_seq: Some(7),
            receiver: NodeId(1),
            sender: NodeId(0),
            label: "EventOk",
            corr: 5,
            rows: vec![row(0, 3, 5, false), row(1, 2, 1, true), row(2, 1, 4, false)],
            consistent: true,
        };
        let names = vec!["fraud".to_string(), "orchestrator".to_string()];
        let v = merge_view(&m, &names);
        assert_eq!(v.heading, "orchestrator receives EventOk from fraud");
        assert_eq!(v.learned, 2);
        assert_eq!(v.lines[2].name, "node 2");
        assert_eq!((v.lines[1].row.max, v.lines[1].row.after), (2, 3));
        assert!(v.lines[1].row.ticked && !v.lines[1].row.learned);
        assert!(MERGE_RULE.contains("element-wise maximum"));
    }

    #[test]
    fn only_a_receive_whose_clocks_are_gone_says_why() {
        assert_eq!(no_merge_text(&NoMerge::NotAReceive), None);
        assert!(no_merge_text(&NoMerge::SendForgotten)
            .unwrap()
            .contains("sent before"));
    }

    #[test]
    fn the_answer_clock_is_found_by_the_orders_correlation_id() {
        let vc = VectorClock::from_pairs([("orchestrator", 26), ("verification", 4)]);
        let order = OrderDagView {
            order_id: "ord-0001".into(),
            corr: 7,
            status: engine::view::OrderStatus::Approved,
            received_at_us: 0,
            events: vec![],
            errors: vec![],
            final_vc: Some(vc.clone()),
            conflicts: vec![],
        };
        let orders = [order];
        assert_eq!(answer_clock(&orders, 7), Some(&vc));
        assert_eq!(answer_clock(&orders, 0), None);
        let rows = seed_comparison(&vc);
        assert_eq!((rows[0].seed, rows[0].ours), (1, 26));
        assert_eq!(
            (rows[1].seed_name, rows[1].ours),
            ("transaction_verification", 4)
        );
    }
}
