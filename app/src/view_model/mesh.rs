//! What the mesh draws for each node and message, computed from the snapshot in plain Rust:
//! a node's face (role, glyph, status line), the links between services that talk, which
//! links a partition cut, the colour family of a message and its short label.
use engine::sim::{ClockReading, Liveness, Micros, NodeId};
use engine::snapshot::NodeSnap;
use engine::view::{BooksDbView, NodeView, PaymentView, Standing};

pub use engine::snapshot::observations::{MsgFamily as MsgKind, NodeRole};

/// How a node is drawn: one CSS modifier per role or state (the role itself is the engine's
/// typed observation, `NodeSnap::role`).
pub trait RoleClass {
    fn class(self) -> &'static str;
}

impl RoleClass for NodeRole {
    fn class(self) -> &'static str {
        match self {
            NodeRole::Leader => "is-leader",
            NodeRole::Follower => "is-follower",
            NodeRole::Candidate => "is-candidate",
            NodeRole::Crashed => "is-crashed",
            NodeRole::Paused => "is-paused",
            NodeRole::Starting => "is-starting",
            NodeRole::Service => "is-service",
        }
    }
}

/// What changes on a node between frames (rarely): drawn over its fixed place and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeFace {
    pub id: NodeId,
    pub role: NodeRole,
    /// The term (Raft), epoch (Bully) or fencing token (lease) while leading.
    pub leader_term: Option<u64>,
    pub status: String,
    /// Something is wrong that is not a crash: a model outage on a validator.
    pub degraded: bool,
    pub incarnation: u32,
    /// A small badge with the node's clock offset, when its clock is not true time.
    pub clock: Option<String>,
}

/// The word a cluster algorithm uses for its term.
pub fn term_word(algorithm: &str) -> &'static str {
    match algorithm {
        "bully" => "epoch",
        "lease" => "token",
        _ => "term",
    }
}

/// A short monogram drawn inside a node: the service's initial, or the member's number.
pub fn monogram(name: &str, service: &str) -> String {
    let number = name
        .rsplit_once('-')
        .map(|(_, n)| n)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    match (service, number) {
        ("executor", Some(n)) => format!("E{n}"),
        ("ping", Some(n)) => n.to_string(),
        ("client", _) => "C".into(),
        ("orchestrator", _) => "O".into(),
        ("verification", _) => "V".into(),
        ("fraud", _) => "F".into(),
        ("suggestions", _) => "S".into(),
        ("queue", _) => "Q".into(),
        ("lock", _) => "L".into(),
        ("books-db", Some(n)) => format!("D{n}"),
        ("payment", _) => "P".into(),
        _ => name
            .chars()
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default(),
    }
}

fn name_of(names: &[String], id: NodeId) -> String {
    names
        .get(id.0 as usize)
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// The node's role for drawing (the engine's typed observation).
pub fn role_of(n: &NodeSnap) -> NodeRole {
    n.role
}

/// A books-database replica's status: the leader is the primary, followers are backups. The
/// primary's term is on its badge (T3), so its line stays as short as a backup's and the
/// labels of neighbouring replicas in the ring do not run into each other.
pub fn db_status(d: &BooksDbView) -> String {
    match d.standing {
        Standing::Leader => format!("primary · #{} applied", d.applied_index),
        Standing::Follower => format!("backup · #{} applied", d.applied_index),
        Standing::Seeking => format!("{} · term {}", d.role.replace('_', " "), d.term),
    }
}

/// The payment service's status: what it took and what it refused.
pub fn payment_status(p: &PaymentView) -> String {
    match p.prepared {
        0 => format!("captured {} · declined {}", p.captured, p.declined),
        n => format!(
            "captured {} · declined {} · {n} held",
            p.captured, p.declined
        ),
    }
}

/// The one-line status under a node's name.
pub fn status_line(view: &NodeView, names: &[String]) -> String {
    match view {
        NodeView::Starting => "starting…".into(),
        NodeView::Down => "crashed".into(),
        NodeView::Ping { sent, received } => format!("sent {sent} · got {received}"),
        NodeView::Client(c) => format!("sent {} · answered {}", c.submitted, c.answered),
        NodeView::Orchestrator(o) => match o.orders.len() {
            0 => "no orders yet".into(),
            1 => "1 order".into(),
            n => format!("{n} orders"),
        },
        NodeView::Validator(v) if !v.model_up => "model down".into(),
        NodeView::Validator(v) => match v.cached_orders {
            0 => format!("handled {}", v.handled),
            n => format!("{n} cached · handled {}", v.handled),
        },
        NodeView::Queue(q) => match (q.waiting.len(), q.in_flight.len()) {
            (0, 0) => "queue empty".into(),
            (w, 0) => format!("queue {w}"),
            (w, l) => format!("queue {w} · {l} leased"),
        },
        NodeView::Executor(e) => {
            let role = e.role.replace('_', " ");
            format!("{} {} · {role}", term_word(e.algorithm), e.term)
        }
        NodeView::LockServer(l) => match l.holder {
            Some(h) => format!("held by {} · token {}", name_of(names, h), l.token),
            None => "free".into(),
        },
        NodeView::BooksDb(d) => db_status(d),
        NodeView::Payment(p) => payment_status(p),
    }
}

/// `flags` are the world's fault flags (`model-down:fraud`, …): a model outage shows on its
/// service at once, before the service next publishes its view.
pub fn node_face(n: &NodeSnap, names: &[String], flags: &[String]) -> NodeFace {
    let role = role_of(n);
    let leader_term = match (&n.view, role) {
        (NodeView::Executor(e), NodeRole::Leader) => Some(e.term),
        (NodeView::BooksDb(d), NodeRole::Leader) => Some(d.term),
        _ => None,
    };
    let outage = flags
        .iter()
        .any(|f| f.strip_prefix("model-down:") == Some(n.service.as_str()));
    let degraded = role != NodeRole::Crashed
        && (outage || matches!(&n.view, NodeView::Validator(v) if !v.model_up));
    let mut status = if degraded && matches!(n.view, NodeView::Validator(_) | NodeView::Starting) {
        "model down".to_string()
    } else {
        status_line(&n.view, names)
    };
    if role == NodeRole::Paused {
        status = format!("paused · {status}");
    }
    NodeFace {
        id: n.id,
        role,
        leader_term,
        status,
        degraded,
        incarnation: n.incarnation,
        clock: clock_badge(&n.clock),
    }
}

/// Everything the inspector lists for a node: its view's facts, judged against the node's own
/// clock (the times in a view are on it), then the clock itself.
pub fn inspector_facts(
    n: &NodeSnap,
    names: &[String],
    now_us: Micros,
) -> Vec<(&'static str, String)> {
    let mut rows = view_facts(&n.view, names, n.local_now_us(now_us));
    rows.push(clock_fact(&n.clock));
    rows
}

/// A node's clock offset (local − true), in whole ms with its sign.
fn offset_ms(c: &ClockReading) -> String {
    format!("{:+} ms", c.offset_us / 1000)
}

/// The mesh badge: "⏱ +300 ms" for a node whose clock is off or drifting; None on true time.
pub fn clock_badge(c: &ClockReading) -> Option<String> {
    (c.offset_us / 1000 != 0 || c.drift_ppm != 0).then(|| format!("⏱ {}", offset_ms(c)))
}

/// The inspector row for a node's clock: its offset from true time and its drift.
pub fn clock_fact(c: &ClockReading) -> (&'static str, String) {
    let text = if *c == ClockReading::default() {
        "true time".to_string()
    } else {
        format!(
            "{} (local − true) · drift {:+} ppm",
            offset_ms(c),
            c.drift_ppm
        )
    };
    ("clock", text)
}

/// How much of a node's election timer is left, in ‰ (1000 = just reset, 0 = firing), for the
/// ring around followers and candidates. None when the node runs no election timer.
pub fn timer_left_permille(
    started: Option<Micros>,
    deadline: Option<Micros>,
    now: Micros,
) -> Option<u32> {
    let (s, d) = (started?, deadline?);
    if d <= s {
        return None;
    }
    if now >= d {
        return Some(0);
    }
    let left = d - now.max(s);
    Some((left * 1000 / (d - s)) as u32)
}

/// The election-timer ring of a live follower or candidate of an elected cluster (executors,
/// books-database replicas), in ‰ left; None for leaders, services and dead nodes.
pub fn election_timer(view: &NodeView, liveness: Liveness, now: Micros) -> Option<u32> {
    if liveness != Liveness::Up {
        return None;
    }
    match view {
        NodeView::Executor(e) if e.standing != Standing::Leader => {
            timer_left_permille(e.timer_started_us, e.timer_deadline_us, now)
        }
        NodeView::BooksDb(d) if d.standing != Standing::Leader => {
            timer_left_permille(d.timer_started_us, d.timer_deadline_us, now)
        }
        _ => None,
    }
}

type Pt = (f32, f32);

/// The path a link takes: straight, or bowed through `ctrl` (a quadratic Bézier control point)
/// when a straight line would run through another node — orchestrator → queue would otherwise
/// cross the fraud service and look like a hop through it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Route {
    pub a: Pt,
    pub b: Pt,
    pub ctrl: Option<Pt>,
}

/// How far a straight link must stay from the centre of a node it passes.
pub fn clearance(radius: f32) -> f32 {
    radius + 16.0
}

/// The route from `a` to `b` avoiding every point of `others` (node centres) by `clear`.
/// The bow is the same whichever end is `a`, so replies travel the same curve back.
pub fn route(a: Pt, b: Pt, others: &[Pt], clear: f32) -> Route {
    // Canonical order, so a→b and b→a bow the same way.
    let (p, q) = if (a.0, a.1) <= (b.0, b.1) {
        (a, b)
    } else {
        (b, a)
    };
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len2 = (dx * dx + dy * dy).max(1.0);
    let len = len2.sqrt();
    let mut need: f32 = 0.0;
    let mut side: f32 = 0.0;
    let mut at = 0.5;
    for o in others {
        let t = ((o.0 - p.0) * dx + (o.1 - p.1) * dy) / len2;
        if !(0.08..=0.92).contains(&t) {
            continue;
        }
        let cross = (dx * (o.1 - p.1) - dy * (o.0 - p.0)) / len;
        if cross.abs() < clear && clear - cross.abs() > need {
            need = clear - cross.abs() + 6.0;
            // Bow away from the obstacle; straight through it, bow towards the top.
            side = if cross.abs() > 0.5 {
                -cross.signum()
            } else if dx >= 0.0 {
                -1.0
            } else {
                1.0
            };
            at = t;
        }
    }
    if need == 0.0 {
        return Route { a, b, ctrl: None };
    }
    // A quadratic curve strays 2·t·(1−t)·h from its chord at t.
    let h = need / (2.0 * at * (1.0 - at)).max(0.1);
    let (nx, ny) = (-dy / len, dx / len);
    let mid = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
    Route {
        a,
        b,
        ctrl: Some((mid.0 + nx * h * side, mid.1 + ny * h * side)),
    }
}

impl Route {
    /// The point `t` (0–1) along the route.
    pub fn at(&self, t: f32) -> Pt {
        match self.ctrl {
            None => (
                self.a.0 + (self.b.0 - self.a.0) * t,
                self.a.1 + (self.b.1 - self.a.1) * t,
            ),
            Some(c) => {
                let u = 1.0 - t;
                (
                    u * u * self.a.0 + 2.0 * u * t * c.0 + t * t * self.b.0,
                    u * u * self.a.1 + 2.0 * u * t * c.1 + t * t * self.b.1,
                )
            }
        }
    }

    /// SVG path data.
    pub fn path(&self) -> String {
        match self.ctrl {
            None => format!(
                "M{:.1},{:.1} L{:.1},{:.1}",
                self.a.0, self.a.1, self.b.0, self.b.1
            ),
            Some(c) => format!(
                "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
                self.a.0, self.a.1, c.0, c.1, self.b.0, self.b.1
            ),
        }
    }

    /// Where a message `permille` of the way along is drawn: from the edge of the sender's
    /// circle to the edge of the receiver's (not centre to centre, so dots never hide under a
    /// node), shifted a little to the right of the direction of travel so that messages going
    /// a→b and b→a don't overlap.
    pub fn message_at(&self, permille: u32, radius: f32) -> Pt {
        let (dx, dy) = (self.b.0 - self.a.0, self.b.1 - self.a.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let margin = (radius / len).min(0.45);
        let t = margin + (1.0 - 2.0 * margin) * permille.min(1000) as f32 / 1000.0;
        let (nx, ny) = (-dy / len * 7.0, dx / len * 7.0);
        let p = self.at(t);
        (p.0 + nx, p.1 + ny)
    }
}

/// A straight route's message position (see `Route::message_at`).
pub fn edge_to_edge(a: Pt, b: Pt, permille: u32, radius: f32) -> Pt {
    Route { a, b, ctrl: None }.message_at(permille, radius)
}

/// Undirected links between services that talk in a checkout world (drawn faintly), in a
/// stable order: client→orchestrator→validators, orchestrator→queue, queue↔executors,
/// executors↔each other, the lock server↔executors, and each ping node to the next.
pub fn service_links(nodes: &[(NodeId, String)]) -> Vec<(NodeId, NodeId)> {
    let of = |svc: &str| {
        nodes
            .iter()
            .filter(|(_, s)| s == svc)
            .map(|(id, _)| *id)
            .collect::<Vec<_>>()
    };
    let (client, orch, queue, lock) = (of("client"), of("orchestrator"), of("queue"), of("lock"));
    let validators: Vec<NodeId> = ["verification", "fraud", "suggestions"]
        .iter()
        .flat_map(|s| of(s))
        .collect();
    let executors = of("executor");
    let pings = of("ping");
    let mut links = Vec::new();
    let mut join = |a: &[NodeId], b: &[NodeId]| {
        for x in a {
            for y in b {
                links.push((*x, *y));
            }
        }
    };
    join(&client, &orch);
    join(&orch, &validators);
    join(&orch, &queue);
    join(&queue, &executors);
    join(&lock, &executors);
    let (dbs, payment) = (of("books-db"), of("payment"));
    join(&executors, &dbs);
    join(&executors, &payment);
    for (i, a) in dbs.iter().enumerate() {
        for b in &dbs[i + 1..] {
            links.push((*a, *b));
        }
    }
    for (i, a) in executors.iter().enumerate() {
        for b in &executors[i + 1..] {
            links.push((*a, *b));
        }
    }
    if pings.len() > 1 {
        for (i, a) in pings.iter().enumerate() {
            let b = pings[(i + 1) % pings.len()];
            if pings.len() > 2 || i == 0 {
                links.push((*a, b));
            }
        }
    }
    links
}

/// A link a partition or cut blocks, drawn red and dashed. `both_ways` is false for a
/// one-way partition (then `from` cannot reach `to`, but `to` still reaches `from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CutLink {
    pub from: NodeId,
    pub to: NodeId,
    pub both_ways: bool,
}

/// Folds the snapshot's blocked (from, to) pairs into one entry per node pair, sorted.
pub fn cut_links(down: &[(NodeId, NodeId)]) -> Vec<CutLink> {
    let mut out: Vec<CutLink> = Vec::new();
    for &(a, b) in down {
        if a == b {
            continue;
        }
        let reverse = down.contains(&(b, a));
        let (from, to) = if reverse {
            (a.min(b), a.max(b))
        } else {
            (a, b)
        };
        let link = CutLink {
            from,
            to,
            both_ways: reverse,
        };
        if !out.contains(&link) {
            out.push(link);
        }
    }
    out.sort_by_key(|l| (l.from.min(l.to), l.from.max(l.to)));
    out
}

/// What the mesh draws for blocked links: a node cut off from every other node is drawn
/// *isolated* (one red ring, not a red line to everyone); otherwise a red line for each cut
/// link services use, and for every one-way cut (always deliberate).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CutView {
    pub lines: Vec<CutLink>,
    pub isolated: Vec<NodeId>,
}

pub fn cut_view(down: &[(NodeId, NodeId)], talk: &[(NodeId, NodeId)], nodes: &[NodeId]) -> CutView {
    let isolated: Vec<NodeId> = if nodes.len() > 2 {
        nodes
            .iter()
            .copied()
            .filter(|x| {
                nodes
                    .iter()
                    .filter(|y| *y != x)
                    .all(|y| down.contains(&(*x, *y)) && down.contains(&(*y, *x)))
            })
            .collect()
    } else {
        Vec::new()
    };
    let talks = |a: NodeId, b: NodeId| talk.contains(&(a, b)) || talk.contains(&(b, a));
    let lines = cut_links(down)
        .into_iter()
        .filter(|c| !isolated.contains(&c.from) && !isolated.contains(&c.to))
        .filter(|c| !c.both_ways || talks(c.from, c.to))
        .collect();
    CutView { lines, isolated }
}

/// How the mesh styles a message family (the family itself is the engine's observation,
/// `MessageSnap::look`).
pub trait FamilyStyle {
    fn class(self) -> &'static str;
    /// The legend's words.
    fn legend(self) -> &'static str;
}

impl FamilyStyle for MsgKind {
    fn class(self) -> &'static str {
        match self {
            MsgKind::Election => "msg--election",
            MsgKind::Replication => "msg--replication",
            MsgKind::Order => "msg--order",
            MsgKind::Queue => "msg--queue",
            MsgKind::Lease => "msg--lease",
            MsgKind::Txn => "msg--txn",
            MsgKind::Db => "msg--db",
            MsgKind::Ping => "msg--ping",
            MsgKind::Other => "msg--other",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            MsgKind::Election => "vote / election",
            MsgKind::Replication => "heartbeat / append",
            MsgKind::Order => "checkout DAG",
            MsgKind::Queue => "queue",
            MsgKind::Lease => "lease lock",
            MsgKind::Txn => "2PC / payment",
            MsgKind::Db => "books database",
            MsgKind::Ping => "ping",
            MsgKind::Other => "other",
        }
    }
}

/// The inspector's disk row: a full disk, or what a crash now would lose; None when neither.
pub fn disk_fact(unsynced_bytes: u64, full: bool) -> Option<(&'static str, String)> {
    match (full, unsynced_bytes) {
        (true, 0) => Some(("disk", "full: writes refused".into())),
        (true, n) => Some(("disk", format!("full: writes refused · {n} B unsynced"))),
        (false, 0) => None,
        (false, n) => Some(("disk", format!("{n} B unsynced (a crash now loses them)"))),
    }
}

/// Facts about one node for the inspector, as (label, value) rows.
pub fn view_facts(view: &NodeView, names: &[String], now: Micros) -> Vec<(&'static str, String)> {
    let who = |id: Option<NodeId>| id.map(|i| name_of(names, i)).unwrap_or_else(|| "—".into());
    match view {
        NodeView::Starting => vec![("state", "starting (no state published yet)".into())],
        NodeView::Down => vec![("state", "crashed: volatile state lost".into())],
        NodeView::Ping { sent, received } => vec![
            ("pings sent", sent.to_string()),
            ("pongs received", received.to_string()),
        ],
        NodeView::Client(c) => {
            vec![
                ("submitted", c.submitted.to_string()),
                ("answered", c.answered.to_string()),
                ("failed", c.failed.to_string()),
            ]
        }
        NodeView::Orchestrator(o) => {
            let mut rows = vec![
                ("orders", o.orders.len().to_string()),
                ("vector clock", o.clock.to_string()),
            ];
            if let Some(last) = o.orders.last() {
                rows.push((
                    "latest",
                    format!("{} · {:?}", last.order_id, last.status).to_lowercase(),
                ));
            }
            rows
        }
        NodeView::Validator(v) => vec![
            (
                "model",
                if v.model_up {
                    "up".into()
                } else {
                    "DOWN (rules fallback)".into()
                },
            ),
            ("cached orders", v.cached_orders.to_string()),
            ("handled", v.handled.to_string()),
            ("clock conflicts", v.conflicts.to_string()),
            ("vector clock", v.clock.to_string()),
        ],
        NodeView::Queue(q) => vec![
            ("waiting", q.waiting.len().to_string()),
            ("leased", q.in_flight.len().to_string()),
            ("executed", q.status.executed.to_string()),
            (
                "next out",
                q.waiting
                    .first()
                    .map(|o| o.order_id.clone())
                    .unwrap_or_else(|| "—".into()),
            ),
        ],
        NodeView::Executor(e) => {
            let word = term_word(e.algorithm);
            let mut rows = vec![
                ("algorithm", e.algorithm.to_string()),
                ("role", e.role.replace('_', " ")),
                (word, e.term.to_string()),
                ("voted for", who(e.voted_for)),
                ("leader", who(e.leader)),
            ];
            if e.algorithm == "raft" {
                rows.push((
                    "log",
                    format!("{} entries · commit {}", e.log_len, e.commit_index),
                ));
            }
            if let (Some(d), Some(left)) = (
                e.timer_deadline_us,
                timer_left_permille(e.timer_started_us, e.timer_deadline_us, now),
            ) {
                let _ = left;
                rows.push((
                    "election timer",
                    format!("{} ms left", d.saturating_sub(now) / 1000),
                ));
            }
            rows.push(("orders executed", e.executed.to_string()));
            rows
        }
        NodeView::LockServer(l) => vec![
            ("holder", who(l.holder)),
            ("token", l.token.to_string()),
            (
                "expires",
                l.expires_at_us
                    .map(|t| format!("in {} ms", t.saturating_sub(now) / 1000))
                    .unwrap_or_else(|| "—".into()),
            ),
        ],
        NodeView::BooksDb(d) => db_facts(d, names, now),
        NodeView::Payment(p) => payment_facts(p),
    }
}

/// Inspector rows for a books-database replica.
pub fn db_facts(d: &BooksDbView, names: &[String], now: Micros) -> Vec<(&'static str, String)> {
    let who = |id: Option<NodeId>| id.map(|i| name_of(names, i)).unwrap_or_else(|| "—".into());
    let role = match d.standing {
        Standing::Leader => "primary (Raft leader)".to_string(),
        Standing::Follower => "backup (Raft follower)".to_string(),
        Standing::Seeking => d.role.replace('_', " "),
    };
    let mut rows = vec![
        ("role", role),
        ("term", d.term.to_string()),
        ("voted for", who(d.voted_for)),
        ("primary", who(d.leader)),
        (
            "log",
            format!(
                "{} entries · commit {} · applied {}",
                d.log_len, d.commit_index, d.applied_index
            ),
        ),
    ];
    if let (Some(deadline), Some(_)) = (
        d.timer_deadline_us,
        timer_left_permille(d.timer_started_us, d.timer_deadline_us, now),
    ) {
        rows.push((
            "election timer",
            format!("{} ms left", deadline.saturating_sub(now) / 1000),
        ));
    }
    let copies: u64 = d.stock.values().map(|c| u64::from(*c)).sum();
    rows.push((
        "stock",
        format!("{} titles · {copies} copies", d.stock.len()),
    ));
    let held: u64 = d.reserved.values().map(|c| u64::from(*c)).sum();
    rows.push((
        "reserved",
        format!("{held} copies of {} titles", d.reserved.len()),
    ));
    rows.push(("prepared txns", d.prepared.to_string()));
    rows.push((
        "locks",
        format!("{} held · {} waiting", d.locks_held, d.lock_waiters),
    ));
    rows.push(("writes in flight", d.writes_in_flight.to_string()));
    rows
}

/// Inspector rows for the payment service.
pub fn payment_facts(p: &PaymentView) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        (
            "captured",
            format!(
                "{} · {}.{:02} total",
                p.captured,
                p.captured_cents / 100,
                p.captured_cents % 100
            ),
        ),
        ("held (prepared)", p.prepared.to_string()),
        ("released", p.released.to_string()),
        ("declined", p.declined.to_string()),
    ];
    if let Some(r) = p.records.last() {
        let amount = format!("{}.{:02}", r.amount_cents / 100, r.amount_cents % 100);
        rows.push((
            "latest",
            format!("{} · {amount} · {} · {}", r.txn, r.method, r.state.as_str()),
        ));
    }
    rows
}

pub fn liveness_label(l: Liveness) -> &'static str {
    match l {
        Liveness::Up => "up",
        Liveness::Paused => "paused",
        Liveness::Crashed => "crashed",
    }
}

#[cfg(test)]
/// The standing a service would publish beside each role word (a fixture: the services set
/// it from their protocol's role, never from the word).
pub(crate) fn standing_of(role: &str) -> engine::view::Standing {
    use engine::view::Standing;
    match role {
        "leader" => Standing::Leader,
        "follower" => Standing::Follower,
        _ => Standing::Seeking,
    }
}

#[cfg(test)]
#[path = "mesh_tests.rs"]
mod tests;
