//! The safety properties, each checked over the facts of a whole run. Each returns a message
//! naming the first violation.

use super::harness::Fact;
use crate::sim::trace::TraceKind;
use crate::sim::NodeId;
use std::collections::{BTreeMap, BTreeSet};

/// Election safety (Raft §5.2; Bully epochs; lease tokens): at most one node leads any term.
pub fn one_leader_per_term(facts: &[Fact]) -> Result<(), String> {
    let mut by_term: BTreeMap<u64, NodeId> = BTreeMap::new();
    for f in facts {
        if let TraceKind::Leader { term, .. } = f.kind {
            match by_term.get(&term) {
                Some(other) if *other != f.node => {
                    return Err(format!(
                        "term {term} led by both {other} and {} (at {} us)",
                        f.node, f.t_us
                    ));
                }
                _ => {
                    by_term.insert(term, f.node);
                }
            }
        }
    }
    Ok(())
}

/// Only the leader dequeues: every Dequeued{executor, term} follows a Leader{term} of that
/// executor.
pub fn only_leaders_dequeue(facts: &[Fact]) -> Result<(), String> {
    let mut led = BTreeSet::new();
    for f in facts {
        match &f.kind {
            TraceKind::Leader { term, .. } => {
                led.insert((f.node, *term));
            }
            TraceKind::Dequeued {
                order_id,
                executor,
                term,
                ..
            } if !led.contains(&(*executor, *term)) => {
                return Err(format!(
                    "{executor} dequeued {order_id} with term {term} it never led (at {} us)",
                    f.t_us
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Effects are applied by the leader of the term they name.
pub fn executed_by_the_leader_of_its_term(facts: &[Fact]) -> Result<(), String> {
    let mut led = BTreeSet::new();
    for f in facts {
        match &f.kind {
            TraceKind::Leader { term, .. } => {
                led.insert((f.node, *term));
            }
            TraceKind::Executed { order_id, term } if !led.contains(&(f.node, *term)) => {
                return Err(format!(
                    "{} executed {order_id} for term {term} it never led",
                    f.node
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every confirmed order executed exactly once, and nothing else executed.
pub fn every_order_executed_once(
    facts: &[Fact],
    confirmed: &BTreeSet<String>,
) -> Result<(), String> {
    let mut count: BTreeMap<&str, u32> = BTreeMap::new();
    for f in facts {
        if let TraceKind::Executed { order_id, .. } = &f.kind {
            *count.entry(order_id.as_str()).or_insert(0) += 1;
        }
    }
    for id in confirmed {
        match count.get(id.as_str()).copied().unwrap_or(0) {
            1 => {}
            0 => {
                return Err(format!(
                    "order {id} was confirmed but never executed (lost)"
                ))
            }
            n => return Err(format!("order {id} was executed {n} times")),
        }
    }
    if let Some(extra) = count.keys().find(|id| !confirmed.contains(**id)) {
        return Err(format!(
            "order {extra} was executed but never confirmed by the queue"
        ));
    }
    Ok(())
}

/// Fencing works: the queue hands out orders under terms that never go back.
pub fn dequeue_terms_never_decrease(facts: &[Fact]) -> Result<(), String> {
    let mut highest = 0;
    for f in facts {
        if let TraceKind::Dequeued {
            order_id,
            term,
            executor,
            ..
        } = &f.kind
        {
            if *term < highest {
                return Err(format!(
                    "{executor} dequeued {order_id} with term {term} after term {highest}"
                ));
            }
            highest = *term;
        }
    }
    Ok(())
}

pub fn all(facts: &[Fact], confirmed: &BTreeSet<String>) -> Result<(), String> {
    one_leader_per_term(facts)?;
    dequeue_terms_never_decrease(facts)?;
    only_leaders_dequeue(facts)?;
    executed_by_the_leader_of_its_term(facts)?;
    every_order_executed_once(facts, confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::NodeId;

    fn fact(node: u32, kind: TraceKind) -> Fact {
        Fact {
            t_us: 0,
            node: NodeId(node),
            kind,
        }
    }

    fn leader(node: u32, term: u64) -> Fact {
        fact(
            node,
            TraceKind::Leader {
                cluster: "executors".into(),
                term,
            },
        )
    }

    #[test]
    fn two_nodes_leading_one_term_is_caught() {
        assert!(one_leader_per_term(&[leader(1, 3), leader(1, 3), leader(2, 4)]).is_ok());
        assert!(one_leader_per_term(&[leader(1, 3), leader(2, 3)]).is_err());
    }

    #[test]
    fn a_dequeue_with_a_term_the_executor_never_led_is_caught() {
        let deq = |node: u32, term| {
            fact(
                9,
                TraceKind::Dequeued {
                    order_id: "o".into(),
                    executor: NodeId(node),
                    term,
                    lease_id: 1,
                    requested_at_us: 9,
                },
            )
        };
        assert!(only_leaders_dequeue(&[leader(1, 3), deq(1, 3)]).is_ok());
        assert!(only_leaders_dequeue(&[leader(1, 3), deq(2, 3)]).is_err());
        assert!(only_leaders_dequeue(&[deq(1, 3), leader(1, 3)]).is_err());
    }

    #[test]
    fn a_lost_or_doubled_order_is_caught() {
        let exec = |id: &str| {
            fact(
                1,
                TraceKind::Executed {
                    order_id: id.into(),
                    term: 1,
                },
            )
        };
        let confirmed: BTreeSet<String> = ["a".to_string(), "b".to_string()].into();
        assert!(every_order_executed_once(&[exec("a"), exec("b")], &confirmed).is_ok());
        assert!(every_order_executed_once(&[exec("a")], &confirmed).is_err());
        assert!(every_order_executed_once(&[exec("a"), exec("b"), exec("b")], &confirmed).is_err());
        assert!(every_order_executed_once(&[exec("a"), exec("b"), exec("c")], &confirmed).is_err());
    }
}
