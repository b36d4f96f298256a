//! The Orders tab as plain Rust: where each event of the validation DAG is drawn, its vector
//! clock in a compact form, and the order's journey after validation (queue, lease, execution)
//! pieced together from the queue view and the snapshot's milestone history.
use crate::view_model::txns::TxnRow;
use engine::clock::VectorClock;
use engine::msg::DagEvent;
use engine::order_step::OrderStep;
use engine::protocol::two_pc::TxnState;
use engine::sim::Micros;
use engine::snapshot::log_tail::LogLine;
use engine::snapshot::observations::OrderTrack;
use engine::view::{DagEventView, EventState, LeaseView, OrderDagView, OrderStatus, QueueView};

// ---- the DAG drawing ----

/// The drawing's coordinate space (the SVG's viewBox); it scales with the panel.
pub const DAG_WIDTH: u32 = 320;
pub const DAG_HEIGHT: u32 = 324;
pub const NODE_WIDTH: u32 = 154;
pub const NODE_HEIGHT: u32 = 58;
const COLUMN_X: [u32; 2] = [4, 162];
const ROW_Y: [u32; 4] = [6, 90, 174, 258];

/// Top-left corner of an event's box: a ∥ b on the first row, c under a, d under b, then e
/// between them and f under e — the seed's diagram.
pub fn node_origin(event: DagEvent) -> (u32, u32) {
    let middle = (COLUMN_X[0] + COLUMN_X[1]) / 2;
    match event {
        DagEvent::VerifyItems => (COLUMN_X[0], ROW_Y[0]),
        DagEvent::VerifyUserData => (COLUMN_X[1], ROW_Y[0]),
        DagEvent::VerifyCardFormat => (COLUMN_X[0], ROW_Y[1]),
        DagEvent::CheckUserData => (COLUMN_X[1], ROW_Y[1]),
        DagEvent::CheckCardData => (middle, ROW_Y[2]),
        DagEvent::GetSuggestions => (middle, ROW_Y[3]),
    }
}

/// One dependency arrow, from the bottom of `from` to the top of `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DagEdge {
    pub from: DagEvent,
    pub to: DagEvent,
    pub x1: u32,
    pub y1: u32,
    pub x2: u32,
    pub y2: u32,
}

/// Every arrow of the DAG, from the engine's own dependency list.
pub fn dag_edges() -> Vec<DagEdge> {
    DagEvent::ALL
        .iter()
        .flat_map(|&to| to.depends_on().iter().map(move |&from| (from, to)))
        .map(|(from, to)| {
            let (fx, fy) = node_origin(from);
            let (tx, ty) = node_origin(to);
            // Arrows into e leave c and d on their inner side, so both run nearly straight down.
            let (x1, x2) = match (from, to) {
                (DagEvent::VerifyCardFormat, DagEvent::CheckCardData) => {
                    (fx + NODE_WIDTH * 3 / 4, tx + NODE_WIDTH / 4)
                }
                (DagEvent::CheckUserData, DagEvent::CheckCardData) => {
                    (fx + NODE_WIDTH / 4, tx + NODE_WIDTH * 3 / 4)
                }
                _ => (fx + NODE_WIDTH / 2, tx + NODE_WIDTH / 2),
            };
            DagEdge {
                from,
                to,
                x1,
                y1: fy + NODE_HEIGHT,
                x2,
                y2: ty - 2,
            }
        })
        .collect()
}

pub fn state_name(state: EventState) -> &'static str {
    match state {
        EventState::Waiting => "waiting",
        EventState::Running => "running",
        EventState::Ok => "ok",
        EventState::Failed => "failed",
        EventState::Skipped => "skipped",
    }
}

pub fn status_name(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Validating => "validating",
        OrderStatus::Approved => "approved",
        OrderStatus::Rejected => "rejected",
    }
}

/// The processes of the checkout clocks in the order the seed lists its services; any other
/// process follows alphabetically.
const PREFERRED_PROCESSES: [&str; 4] = ["orchestrator", "verification", "fraud", "suggestions"];

/// The columns for compact clocks: every process that appears in any of `clocks`.
pub fn clock_columns<'a>(clocks: impl IntoIterator<Item = &'a VectorClock>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for vc in clocks {
        for (p, _) in vc.iter() {
            if !seen.iter().any(|s| s == p) {
                seen.push(p.to_string());
            }
        }
    }
    let rank = |p: &str| {
        PREFERRED_PROCESSES
            .iter()
            .position(|q| *q == p)
            .unwrap_or(PREFERRED_PROCESSES.len())
    };
    seen.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    seen
}

/// A clock as one number per column; `true` marks the entry of `ticked` (the service that ran
/// the event, whose own counter went up).
pub fn compact_clock(vc: &VectorClock, columns: &[String], ticked: &str) -> Vec<(u64, bool)> {
    columns.iter().map(|p| (vc.get(p), p == ticked)).collect()
}

/// "orch", "verif", "fraud", "sugg": the column heads of compact clocks.
pub fn short_process(process: &str) -> String {
    match process {
        "orchestrator" => "orch".into(),
        "verification" => "verif".into(),
        "suggestions" => "sugg".into(),
        other => other.chars().take(6).collect(),
    }
}

/// "12 ms" from start to finish, or "running 3 ms" against `now`.
pub fn event_duration(ev: &DagEventView, now_us: Micros) -> Option<String> {
    let start = ev.started_at_us?;
    Some(match ev.finished_at_us {
        Some(end) => format!("{} ms", end.saturating_sub(start).div_ceil(1000)),
        None => format!("running {} ms", now_us.saturating_sub(start) / 1000),
    })
}

/// What one event's box shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DagNodeView {
    pub event: DagEvent,
    pub state: EventState,
    pub duration: Option<String>,
    /// The compact clock (one number per column, the ticking service marked), once it ran.
    pub clock: Option<Vec<(u64, bool)>>,
}

/// The clock columns and the six boxes of an order's DAG, in `DagEvent::ALL` order.
pub fn dag_nodes(order: &OrderDagView, now_us: Micros) -> (Vec<String>, Vec<DagNodeView>) {
    let columns = clock_columns(
        order
            .events
            .iter()
            .filter_map(|e| e.vc.as_ref())
            .chain(order.final_vc.as_ref()),
    );
    let nodes = DagEvent::ALL
        .iter()
        .map(
            |&event| match order.events.iter().find(|e| e.event == event) {
                Some(ev) => DagNodeView {
                    event,
                    state: ev.state,
                    duration: event_duration(ev, now_us),
                    clock: ev
                        .vc
                        .as_ref()
                        .map(|vc| compact_clock(vc, &columns, event.service())),
                },
                None => DagNodeView {
                    event,
                    state: EventState::Waiting,
                    duration: None,
                    clock: None,
                },
            },
        )
        .collect();
    (columns, nodes)
}

// ---- the journey after validation ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepState {
    Done,
    Active,
    Todo,
    Failed,
}

impl StepState {
    pub fn class(self) -> &'static str {
        match self {
            StepState::Done => "is-done",
            StepState::Active => "is-active",
            StepState::Todo => "is-todo",
            StepState::Failed => "is-failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JourneyStep {
    pub label: String,
    pub detail: String,
    pub t_us: Option<Micros>,
    pub state: StepState,
}

/// Where the order stands overall, for its header badge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    Validating,
    Rejected,
    Queued,
    Leased {
        executor: String,
    },
    /// Executed by the executor leader (COMMITTED in the run report).
    Committed,
    /// Its two-phase commit aborted; the reason in words.
    Aborted {
        reason: String,
    },
    /// Approved, left the queue, and its later history is older than the milestone history.
    Unknown,
}

impl Fate {
    pub fn label(&self) -> String {
        match self {
            Fate::Validating => "validating".into(),
            Fate::Rejected => "rejected".into(),
            Fate::Queued => "queued".into(),
            Fate::Leased { executor } => format!("at {executor}"),
            Fate::Committed => "committed".into(),
            Fate::Aborted { .. } => "aborted".into(),
            Fate::Unknown => "approved".into(),
        }
    }

    /// Why the order failed after approval, in words (an aborted transaction's reason).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Fate::Aborted { reason } => Some(reason),
            _ => None,
        }
    }

    pub fn class(&self) -> &'static str {
        match self {
            Fate::Validating | Fate::Queued | Fate::Leased { .. } => "is-active",
            Fate::Rejected | Fate::Aborted { .. } => "is-failed",
            Fate::Committed | Fate::Unknown => "is-done",
        }
    }
}

/// True if `text` names `id` as a whole word ("ord-0001" is not in "ord-00010").
pub fn mentions(text: &str, id: &str) -> bool {
    !id.is_empty()
        && text
            .split(|c: char| c.is_whitespace() || "()[],;:".contains(c))
            .any(|w| w == id)
}

/// The log's lines about one order: its own lines (correlation id) and any naming it.
pub fn order_lines<'a>(
    log: &'a [LogLine],
    order_id: &'a str,
    corr: u64,
) -> impl Iterator<Item = &'a LogLine> + 'a {
    log.iter()
        .filter(move |l| (corr != 0 && l.corr == corr) || mentions(&l.text, order_id))
}

/// The order's journey, step by step: received → validated → queued → leased → executed,
/// read off the engine's typed `OrderTrack` (None: nothing tracked yet, or forgotten).
/// `two_pc` are the fulfilment steps (prepare → decision → outcome, see `txns::txn_steps`),
/// drawn between the lease and the execution; empty when the deployment has no database.
pub fn journey(
    order: &OrderDagView,
    queue: Option<&QueueView>,
    track: Option<&OrderTrack>,
    two_pc: &[JourneyStep],
    now_us: Micros,
) -> Vec<JourneyStep> {
    let status_at = |step: OrderStep| track.and_then(|t| t.first(step));
    let mut steps = vec![JourneyStep {
        label: "Received".into(),
        detail: "by the orchestrator".into(),
        // The trace's time (true time, like every other step) over the orchestrator's clock.
        t_us: status_at(OrderStep::Received).or(Some(order.received_at_us)),
        state: StepState::Done,
    }];
    let ok = order
        .events
        .iter()
        .filter(|e| e.state == EventState::Ok)
        .count();
    let validated = match order.status {
        OrderStatus::Validating => JourneyStep {
            label: "Validating".into(),
            detail: format!("{ok} of {} events done", order.events.len()),
            t_us: None,
            state: StepState::Active,
        },
        OrderStatus::Approved => JourneyStep {
            label: "Approved".into(),
            detail: format!("all {ok} events ok"),
            t_us: status_at(OrderStep::Validated).or(status_at(OrderStep::Approved)),
            state: StepState::Done,
        },
        OrderStatus::Rejected => {
            let n = order.errors.len();
            JourneyStep {
                label: "Rejected".into(),
                detail: format!(
                    "{n} problem{} — nothing was charged",
                    if n == 1 { "" } else { "s" }
                ),
                t_us: status_at(OrderStep::Rejected),
                state: StepState::Failed,
            }
        }
    };
    steps.push(validated);
    if order.status != OrderStatus::Approved {
        return steps;
    }
    let empty = OrderTrack::default();
    let mut rest = after_validation(order, queue, track.unwrap_or(&empty), now_us);
    rest.splice(2..2, two_pc.iter().cloned());
    steps.extend(rest);
    steps
}

fn after_validation(
    order: &OrderDagView,
    queue: Option<&QueueView>,
    track: &OrderTrack,
    now_us: Micros,
) -> Vec<JourneyStep> {
    let lease = queue.and_then(|q| q.in_flight.iter().find(|l| l.order_id == order.order_id));
    let executed = track.executed.as_ref();
    let mut out = vec![
        queued_step(order, queue, track),
        leased_step(track, lease, executed.is_none(), now_us),
        match executed {
            Some(e) => JourneyStep {
                label: "Executed".into(),
                detail: format!(
                    "by {} (term {}){}",
                    e.node_name,
                    e.term,
                    if track.has(OrderStep::Acked) {
                        " · acknowledged"
                    } else {
                        ""
                    }
                ),
                t_us: Some(e.t_us),
                state: StepState::Done,
            },
            None => JourneyStep {
                label: "Executed".into(),
                detail: "by the leader, then acknowledged".into(),
                t_us: None,
                state: StepState::Todo,
            },
        },
    ];
    // Steps the journey has no place for (a new status, say) still show, in their order.
    out.extend(track.other_steps().map(|s| JourneyStep {
        label: s.step.title(),
        detail: format!("at {}", s.node_name),
        t_us: Some(s.t_us),
        state: StepState::Done,
    }));
    out
}

fn queued_step(order: &OrderDagView, queue: Option<&QueueView>, track: &OrderTrack) -> JourneyStep {
    let enqueued = track.first(OrderStep::Enqueued);
    let waiting = queue.and_then(|q| {
        q.waiting
            .iter()
            .position(|w| w.order_id == order.order_id)
            .map(|i| (i, q))
    });
    if let Some((i, q)) = waiting {
        let w = &q.waiting[i];
        let again = if w.deliveries > 0 {
            format!(
                " · back after {} hand-out{}",
                w.deliveries,
                if w.deliveries == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        return JourneyStep {
            label: "Queued".into(),
            detail: format!(
                "position {} of {} · priority {}{again}",
                i + 1,
                q.waiting.len(),
                w.effective_priority
            ),
            t_us: enqueued,
            state: StepState::Active,
        };
    }
    let in_flight = queue.is_some_and(|q| q.in_flight.iter().any(|l| l.order_id == order.order_id));
    JourneyStep {
        label: "Queued".into(),
        detail: match track.queue_wait_us() {
            Some(wait) => format!(
                "in the priority queue · waited {} for the leader",
                seconds(wait)
            ),
            None => "in the priority queue".into(),
        },
        t_us: enqueued,
        state: if enqueued.is_some()
            || in_flight
            || !track.leases.is_empty()
            || track.executed.is_some()
        {
            StepState::Done
        } else {
            StepState::Todo
        },
    }
}

fn leased_step(
    track: &OrderTrack,
    lease: Option<&LeaseView>,
    not_executed: bool,
    now_us: Micros,
) -> JourneyStep {
    let handed = if track.leases.len() > 1 {
        format!(" · handed out {} times", track.leases.len())
    } else {
        String::new()
    };
    let last = track.leases.last();
    match (lease, last) {
        (Some(l), _) if not_executed => JourneyStep {
            label: "Leased".into(),
            detail: format!(
                "to {} · term {} · lease ends in {}{handed}",
                last.map_or_else(
                    || format!("node {}", l.executor.0),
                    |t| t.executor_name.clone()
                ),
                l.term,
                seconds(l.deadline_us.saturating_sub(now_us))
            ),
            t_us: last.map(|d| d.t_us),
            state: StepState::Active,
        },
        (_, Some(d)) => JourneyStep {
            label: "Leased".into(),
            detail: format!("leased to {} (term {}){handed}", d.executor_name, d.term),
            t_us: Some(d.t_us),
            state: StepState::Done,
        },
        _ => JourneyStep {
            label: "Leased".into(),
            detail: "to the executor leader".into(),
            t_us: None,
            state: StepState::Todo,
        },
    }
}

/// True when the orchestrator refused the body before any check ran (not JSON, not a
/// checkout): every event is skipped.
pub fn refused_at_the_door(order: &OrderDagView) -> bool {
    order.status == OrderStatus::Rejected
        && order
            .events
            .iter()
            .all(|e| e.state == EventState::Skipped || e.state == EventState::Waiting)
}

/// "orchestrator 1 · verification 4 · fraud 3 · suggestions 2": a clock in the seed's order.
pub fn format_clock(vc: &VectorClock) -> String {
    clock_columns([vc])
        .iter()
        .map(|p| format!("{p} {}", vc.get(p)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The order's overall state, for its header.
/// `txn` is the order's 2PC transaction, when one started (see `txns::order_txn`).
pub fn fate(
    order: &OrderDagView,
    queue: Option<&QueueView>,
    track: Option<&OrderTrack>,
    txn: Option<&TxnRow>,
) -> Fate {
    let id = order.order_id.as_str();
    match order.status {
        OrderStatus::Validating => return Fate::Validating,
        OrderStatus::Rejected => return Fate::Rejected,
        OrderStatus::Approved => {}
    }
    match txn {
        Some(t) if t.aborted() => {
            return Fate::Aborted {
                reason: t.reason.clone().unwrap_or_else(|| "aborted".into()),
            }
        }
        Some(t) if t.state == TxnState::Committed => return Fate::Committed,
        _ => {}
    }
    if track.is_some_and(|t| t.executed.is_some()) && txn.is_none_or(|t| t.state.is_final()) {
        return Fate::Committed;
    }
    if let Some(q) = queue {
        if q.in_flight.iter().any(|l| l.order_id == id) {
            let executor = track
                .and_then(|t| t.leases.last())
                .map_or_else(|| "an executor".into(), |l| l.executor_name.clone());
            return Fate::Leased { executor };
        }
        if q.waiting.iter().any(|w| w.order_id == id) {
            return Fate::Queued;
        }
    }
    if track.is_some_and(|t| t.has(OrderStep::Enqueued)) {
        return Fate::Queued;
    }
    Fate::Unknown
}

fn seconds(us: Micros) -> String {
    format!("{}.{} s", us / 1_000_000, (us % 1_000_000) / 100_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::checkout::FieldError;
    use engine::protocol::order_queue::{QueueStatus, QueuedView, ShippingMethod};
    use engine::sim::NodeId;
    use engine::view::LeaseView;

    /// An order's typed track, as the engine folds it from the trace.
    fn track(
        steps: &[(Micros, &str, OrderStep)],
        leases: &[(Micros, &str, u64)],
        executed: Option<(Micros, &str, u64)>,
    ) -> OrderTrack {
        use engine::snapshot::observations::{TrackExecution, TrackLease, TrackStep};
        OrderTrack {
            order_id: "ord-0001".into(),
            steps: steps
                .iter()
                .map(|&(t_us, node, step)| TrackStep {
                    t_us,
                    node_name: node.into(),
                    step,
                })
                .collect(),
            leases: leases
                .iter()
                .map(|&(t_us, name, term)| TrackLease {
                    t_us,
                    executor: NodeId(8),
                    executor_name: name.into(),
                    term,
                })
                .collect(),
            executed: executed.map(|(t_us, node, term)| TrackExecution {
                t_us,
                node_name: node.into(),
                term,
            }),
        }
    }

    #[allow(dead_code)]
    fn line(seq: u64, t: Micros, node: &str, kind: &'static str, text: &str) -> LogLine {
        LogLine {
            seq,
            t_us: t,
            node: node.into(),
            kind,
            text: text.into(),
            corr: 0,
        }
    }

    fn order(status: OrderStatus) -> OrderDagView {
        let state = match status {
            OrderStatus::Approved => EventState::Ok,
            OrderStatus::Validating => EventState::Running,
            OrderStatus::Rejected => EventState::Failed,
        };
        OrderDagView {
            order_id: "ord-0001".into(),
            corr: 7,
            status,
            received_at_us: 2_500_000,
            events: DagEvent::ALL
                .iter()
                .map(|&event| DagEventView {
                    event,
                    state,
                    started_at_us: Some(1),
                    finished_at_us: Some(2),
                    vc: None,
                })
                .collect(),
            errors: if status == OrderStatus::Rejected {
                vec![FieldError::new("creditCard.number", "Luhn")]
            } else {
                vec![]
            },
            final_vc: None,
            conflicts: vec![],
        }
    }

    fn empty_queue() -> QueueView {
        let status = QueueStatus {
            length: 0,
            in_flight: 0,
            executed: 0,
            head: None,
            by_shipping: Default::default(),
            highest_term: 0,
        };
        QueueView {
            status,
            waiting: vec![],
            in_flight: vec![],
        }
    }

    #[test]
    fn edges_follow_the_seed_dag() {
        let pairs: Vec<(char, char)> = dag_edges()
            .iter()
            .map(|e| (e.from.letter(), e.to.letter()))
            .collect();
        assert_eq!(
            pairs,
            vec![('a', 'c'), ('b', 'd'), ('c', 'e'), ('d', 'e'), ('e', 'f')]
        );
        for e in dag_edges() {
            assert!(e.y2 > e.y1, "arrows point down");
        }
    }

    #[test]
    fn nodes_fit_the_drawing_and_never_overlap() {
        for a in DagEvent::ALL {
            let (x, y) = node_origin(a);
            assert!(
                x + NODE_WIDTH <= DAG_WIDTH && y + NODE_HEIGHT <= DAG_HEIGHT,
                "{a:?} outside"
            );
            for b in DagEvent::ALL.into_iter().filter(|b| *b != a) {
                let (bx, by) = node_origin(b);
                let apart = x + NODE_WIDTH <= bx
                    || bx + NODE_WIDTH <= x
                    || y + NODE_HEIGHT <= by
                    || by + NODE_HEIGHT <= y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn clock_columns_put_the_seed_services_first() {
        let a = VectorClock::from_pairs([("suggestions", 1), ("fraud", 2), ("zeta", 1)]);
        let b = VectorClock::from_pairs([("orchestrator", 1), ("verification", 4), ("alpha", 2)]);
        assert_eq!(
            clock_columns([&a, &b]),
            [
                "orchestrator",
                "verification",
                "fraud",
                "suggestions",
                "alpha",
                "zeta"
            ]
        );
    }

    #[test]
    fn a_compact_clock_marks_the_ticking_service_and_fills_zeros() {
        let cols: Vec<String> = ["orchestrator", "verification", "fraud"]
            .map(String::from)
            .to_vec();
        let vc = VectorClock::from_pairs([("orchestrator", 1), ("verification", 2)]);
        assert_eq!(
            compact_clock(&vc, &cols, "verification"),
            vec![(1, false), (2, true), (0, false)]
        );
    }

    #[test]
    fn mentions_matches_whole_ids_only() {
        assert!(mentions(
            "ord-0001 leased to executor-2 (term 1)",
            "ord-0001"
        ));
        assert!(mentions("executed ord-0001 (term 1)", "ord-0001"));
        assert!(!mentions("executed ord-00010 (term 1)", "ord-0001"));
        assert!(!mentions("anything", ""));
    }

    #[test]
    fn a_rejected_order_stops_after_validation() {
        let steps = journey(&order(OrderStatus::Rejected), None, None, &[], 0);
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].state, StepState::Failed);
        assert!(steps[1].detail.starts_with("1 problem "));
        assert_eq!(
            fate(&order(OrderStatus::Rejected), None, None, None),
            Fate::Rejected
        );
    }

    #[test]
    fn received_is_dated_by_the_trace_not_by_the_orchestrators_own_clock() {
        // The orchestrator's clock runs 500 ms ahead: its view says 2.5 s, the trace 2.0 s.
        let t = track(
            &[(2_000_000, "orchestrator", OrderStep::Received)],
            &[],
            None,
        );
        let o = order(OrderStatus::Rejected);
        assert_eq!(o.received_at_us, 2_500_000);
        assert_eq!(journey(&o, None, Some(&t), &[], 0)[0].t_us, Some(2_000_000));
        // Without the track (it aged out), the view's time is all there is.
        assert_eq!(journey(&o, None, None, &[], 0)[0].t_us, Some(2_500_000));
    }

    #[test]
    fn a_waiting_order_shows_its_position_and_priority() {
        let mut q = empty_queue();
        let entry = |id: &str, p| QueuedView {
            order_id: id.into(),
            shipping: ShippingMethod::Standard,
            total_quantity: 1,
            gift_wrap: false,
            country: None,
            enqueued_at_us: 0,
            seq: 0,
            deliveries: 0,
            base_priority: p,
            effective_priority: p,
        };
        q.waiting = vec![entry("ord-0009", 300), entry("ord-0001", 10)];
        let t = track(
            &[(2_600_000, "orchestrator", OrderStep::Enqueued)],
            &[],
            None,
        );
        let steps = journey(
            &order(OrderStatus::Approved),
            Some(&q),
            Some(&t),
            &[],
            3_000_000,
        );
        let queued = &steps[2];
        assert_eq!(
            (queued.state, queued.t_us),
            (StepState::Active, Some(2_600_000))
        );
        assert_eq!(queued.detail, "position 2 of 2 · priority 10");
        assert_eq!(
            fate(&order(OrderStatus::Approved), Some(&q), Some(&t), None),
            Fate::Queued
        );
    }

    #[test]
    fn a_leased_order_names_its_executor_term_and_deadline() {
        let mut q = empty_queue();
        q.in_flight = vec![LeaseView {
            order_id: "ord-0001".into(),
            lease_id: 1,
            executor: NodeId(8),
            term: 3,
            deadline_us: 5_500_000,
        }];
        let t = track(
            &[(2_600_000, "orchestrator", OrderStep::Enqueued)],
            &[(2_800_000, "executor-2", 3)],
            None,
        );
        let steps = journey(
            &order(OrderStatus::Approved),
            Some(&q),
            Some(&t),
            &[],
            3_000_000,
        );
        assert_eq!(steps[2].state, StepState::Done);
        assert_eq!(steps[3].state, StepState::Active);
        assert_eq!(
            steps[3].detail,
            "to executor-2 · term 3 · lease ends in 2.5 s"
        );
        assert_eq!(
            fate(&order(OrderStatus::Approved), Some(&q), Some(&t), None),
            Fate::Leased {
                executor: "executor-2".into()
            }
        );
    }

    #[test]
    fn an_executed_order_is_committed_and_steps_without_a_place_follow() {
        let t = track(
            &[
                (2_600_000, "orchestrator", OrderStep::Enqueued),
                (2_830_000, "queue", OrderStep::Acked),
                // A step the journey has no place for shows after the others, by its title.
                (2_900_000, "orchestrator", OrderStep::EnqueueFailed),
            ],
            &[(2_800_000, "executor-2", 1)],
            Some((2_820_000, "executor-2", 1)),
        );
        let steps = journey(
            &order(OrderStatus::Approved),
            Some(&empty_queue()),
            Some(&t),
            &[],
            3_000_000,
        );
        let labels: Vec<&str> = steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Received",
                "Approved",
                "Queued",
                "Leased",
                "Executed",
                "Enqueue failed"
            ]
        );
        assert_eq!(
            steps[2].detail,
            "in the priority queue · waited 0.2 s for the leader"
        );
        assert_eq!(steps[3].detail, "leased to executor-2 (term 1)");
        assert_eq!(steps[4].detail, "by executor-2 (term 1) · acknowledged");
        assert!(steps.iter().all(|s| s.state == StepState::Done));
        assert_eq!(
            fate(&order(OrderStatus::Approved), None, Some(&t), None),
            Fate::Committed
        );
    }

    #[test]
    fn the_two_phase_commit_sits_between_the_lease_and_the_execution() {
        let t = track(
            &[(2_600_000, "orchestrator", OrderStep::Enqueued)],
            &[(2_800_000, "executor-2", 1)],
            None,
        );
        let two_pc = crate::view_model::txns::txn_steps(None, |_| String::new());
        let steps = journey(
            &order(OrderStatus::Approved),
            Some(&empty_queue()),
            Some(&t),
            &two_pc,
            3_000_000,
        );
        let labels: Vec<&str> = steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Received", "Approved", "Queued", "Leased", "Prepare", "Decision", "Executed"]
        );
        let aborted = TxnRow {
            txn: "tx-ord-0001".into(),
            order_id: "ord-0001".into(),
            coordinator: engine::sim::NodeId(1),
            state: TxnState::Aborted,
            reason: Some("payment declined (visa)".into()),
            started_us: None,
            prepare_us: None,
            decided_us: None,
            finished_us: None,
        };
        let f = fate(
            &order(OrderStatus::Approved),
            None,
            Some(&t),
            Some(&aborted),
        );
        assert_eq!(
            f,
            Fate::Aborted {
                reason: "payment declined (visa)".into()
            }
        );
        assert_eq!((f.label(), f.class()), ("aborted".to_string(), "is-failed"));
        assert_eq!(f.reason(), Some("payment declined (visa)"));
    }

    #[test]
    fn an_approved_order_with_no_history_left_is_unknown_not_lost() {
        assert_eq!(
            fate(
                &order(OrderStatus::Approved),
                Some(&empty_queue()),
                None,
                None
            ),
            Fate::Unknown
        );
    }

    #[test]
    fn dag_nodes_list_all_six_events_with_their_compact_clocks() {
        let mut o = order(OrderStatus::Approved);
        o.events[0].vc = Some(VectorClock::from_pairs([
            ("orchestrator", 1),
            ("verification", 2),
        ]));
        o.events.pop();
        let (columns, nodes) = dag_nodes(&o, 0);
        assert_eq!(columns, ["orchestrator", "verification"]);
        assert_eq!(nodes.len(), 6);
        assert_eq!(nodes[0].clock, Some(vec![(1, false), (2, true)]));
        assert_eq!(nodes[1].clock, None);
        assert_eq!(
            nodes[5].state,
            EventState::Waiting,
            "a missing event is drawn as waiting"
        );
    }

    #[test]
    fn a_body_refused_before_any_check_is_told_apart() {
        let mut o = order(OrderStatus::Rejected);
        assert!(!refused_at_the_door(&o), "a failed check ran");
        for e in &mut o.events {
            e.state = EventState::Skipped;
        }
        assert!(refused_at_the_door(&o));
    }

    #[test]
    fn clocks_print_in_the_seed_order() {
        let vc = VectorClock::from_pairs([
            ("fraud", 3),
            ("orchestrator", 1),
            ("suggestions", 2),
            ("verification", 4),
        ]);
        assert_eq!(
            format_clock(&vc),
            "orchestrator 1 · verification 4 · fraud 3 · suggestions 2"
        );
    }

    #[test]
    fn durations_read_in_milliseconds() {
        let ev = DagEventView {
            event: DagEvent::VerifyItems,
            state: EventState::Ok,
            started_at_us: Some(1_000),
            finished_at_us: Some(13_500),
            vc: None,
        };
        assert_eq!(event_duration(&ev, 0).as_deref(), Some("13 ms"));
        let running = DagEventView {
            finished_at_us: None,
            ..ev
        };
        assert_eq!(
            event_duration(&running, 5_000).as_deref(),
            Some("running 4 ms")
        );
    }
}
