//! The Log tab as plain Rust: which category each line kind belongs to (the kind chips), and
//! which lines a filter keeps (text, an order, hidden categories).
use engine::snapshot::log_tail::LogLine;

use super::orders::mentions;

/// The kind chips, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Orders,
    Roles,
    Faults,
    Drops,
    Logs,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Orders,
        Category::Roles,
        Category::Faults,
        Category::Drops,
        Category::Logs,
    ];

    /// The category of a trace kind ("order", "leader", "crash", "drop", "log", …).
    pub fn of(kind: &str) -> Category {
        match kind {
            "order" | "dequeued" | "executed" | "event" => Category::Orders,
            "state" | "leader" | "step_down" => Category::Roles,
            "crash" | "restart" | "pause" | "resume" | "fault" => Category::Faults,
            "drop" | "duplicate" | "held" => Category::Drops,
            _ => Category::Logs,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Orders => "orders",
            Category::Roles => "roles",
            Category::Faults => "faults",
            Category::Drops => "drops",
            Category::Logs => "logs",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Category::Orders => "order lifecycle, DAG events, dequeues and executions",
            Category::Roles => "role changes, new leaders, step-downs",
            Category::Faults => "crashes, restarts, pauses and injected faults",
            Category::Drops => "dropped, duplicated and held messages",
            Category::Logs => "what the services wrote",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The set of hidden categories (a bit set: `Copy`, cheap to compare).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden(u8);

impl Hidden {
    pub fn contains(self, c: Category) -> bool {
        self.0 & c.bit() != 0
    }

    pub fn toggle(&mut self, c: Category) {
        self.0 ^= c.bit();
    }
}

/// "#a1b2c3d4": the first 8 hex digits of a correlation id; empty for none.
pub fn corr_label(corr: u64) -> String {
    if corr == 0 {
        String::new()
    } else {
        format!("#{:08x}", corr >> 32)
    }
}

/// What the Log tab filters by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogQuery {
    /// Matched (ignoring case) against node, kind, text and the correlation id (hex or decimal).
    pub text: String,
    /// Only lines of this order: its correlation id, or lines naming it.
    pub order: Option<(String, u64)>,
    pub hidden: Hidden,
}

impl LogQuery {
    pub fn keeps(&self, line: &LogLine) -> bool {
        if self.hidden.contains(Category::of(line.kind)) {
            return false;
        }
        if let Some((id, corr)) = &self.order {
            if !((*corr != 0 && line.corr == *corr) || mentions(&line.text, id)) {
                return false;
            }
        }
        let wanted = self.text.trim().to_lowercase();
        if wanted.is_empty() {
            return true;
        }
        let wanted = wanted.trim_start_matches('#');
        [
            line.node.to_lowercase(),
            line.kind.to_string(),
            line.text.to_lowercase(),
            format!("{:016x}", line.corr),
            line.corr.to_string(),
        ]
        .iter()
        .any(|field| field.contains(wanted))
    }

    /// The kept lines, oldest first.
    pub fn apply<'a>(&self, lines: &'a [LogLine]) -> Vec<&'a LogLine> {
        lines.iter().filter(|l| self.keeps(l)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: &'static str, node: &str, text: &str, corr: u64) -> LogLine {
        LogLine {
            seq: 0,
            t_us: 0,
            node: node.into(),
            kind,
            text: text.into(),
            corr,
        }
    }

    #[test]
    fn every_known_kind_has_its_category() {
        assert_eq!(Category::of("executed"), Category::Orders);
        assert_eq!(Category::of("leader"), Category::Roles);
        assert_eq!(Category::of("crash"), Category::Faults);
        assert_eq!(Category::of("drop"), Category::Drops);
        assert_eq!(Category::of("log"), Category::Logs);
        assert_eq!(Category::of("something new"), Category::Logs);
    }

    #[test]
    fn hiding_a_category_hides_its_lines_and_toggling_back_shows_them() {
        let mut q = LogQuery::default();
        let l = line(
            "drop",
            "client",
            "Checkout to orchestrator dropped (loss)",
            0,
        );
        assert!(q.keeps(&l));
        q.hidden.toggle(Category::Drops);
        assert!(!q.keeps(&l));
        q.hidden.toggle(Category::Drops);
        assert!(q.keeps(&l));
    }

    #[test]
    fn text_matches_node_text_and_correlation_id_in_hex_or_decimal() {
        let l = line(
            "event",
            "fraud",
            "CheckUserData [fraud:2]",
            0xa1b2_c3d4_0000_0001,
        );
        let q = |t: &str| LogQuery {
            text: t.into(),
            ..LogQuery::default()
        };
        assert!(q("FRAUD").keeps(&l));
        assert!(q("checkuser").keeps(&l));
        assert!(q("#a1b2c3d4").keeps(&l));
        assert!(q(&0xa1b2_c3d4_0000_0001u64.to_string()).keeps(&l));
        assert!(!q("executor").keeps(&l));
    }

    #[test]
    fn an_order_filter_keeps_its_correlated_lines_and_lines_naming_it() {
        let q = LogQuery {
            order: Some(("ord-0001".into(), 42)),
            ..LogQuery::default()
        };
        assert!(q.keeps(&line("event", "verification", "VerifyItems", 42)));
        assert!(q.keeps(&line(
            "executed",
            "executor-2",
            "executed ord-0001 (term 1)",
            0
        )));
        assert!(!q.keeps(&line(
            "executed",
            "executor-2",
            "executed ord-0002 (term 1)",
            0
        )));
        assert!(!q.keeps(&line("leader", "executor-2", "became leader", 0)));
    }

    #[test]
    fn correlation_labels_are_short_and_empty_for_none() {
        assert_eq!(corr_label(0), "");
        assert_eq!(corr_label(0xa1b2_c3d4_0000_0001), "#a1b2c3d4");
    }
}
