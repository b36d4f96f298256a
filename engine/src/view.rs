//! What each node publishes for the page and the report: a typed summary of its state.
use crate::checkout::FieldError;
use crate::clock::VectorClock;
use crate::msg::DagEvent;
use crate::protocol::order_queue::{QueueStatus, QueuedView};
use crate::sim::{Micros, NodeId};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "service", rename_all = "snake_case")]
pub enum NodeView {
    /// Booting: the main task has not published anything yet.
    Starting,
    /// Crashed.
    Down,
    Ping {
        sent: u64,
        received: u64,
    },
    Client(ClientView),
    Orchestrator(OrchestratorView),
    Validator(ValidatorView),
    Queue(QueueView),
    Executor(ExecutorView),
    LockServer(LockView),
    BooksDb(BooksDbView),
    Payment(PaymentView),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClientView {
    pub submitted: u32,
    pub answered: u32,
    pub failed: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventState {
    Waiting,
    Running,
    Ok,
    Failed,
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DagEventView {
    pub event: DagEvent,
    pub state: EventState,
    pub started_at_us: Option<Micros>,
    pub finished_at_us: Option<Micros>,
    /// The event's vector clock once it ran.
    pub vc: Option<VectorClock>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Validating,
    Approved,
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrderDagView {
    pub order_id: String,
    pub corr: u64,
    pub status: OrderStatus,
    pub received_at_us: Micros,
    pub events: Vec<DagEventView>,
    pub errors: Vec<FieldError>,
    pub final_vc: Option<VectorClock>,
    /// Validators that flagged a clock conflict when clearing their cache.
    pub conflicts: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OrchestratorView {
    /// The most recent orders (bounded), newest last.
    pub orders: Vec<OrderDagView>,
    pub clock: VectorClock,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ValidatorView {
    pub cached_orders: u32,
    pub clock: VectorClock,
    /// False while the model-outage fault is on (fraud, suggestions).
    pub model_up: bool,
    pub conflicts: u32,
    pub handled: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LeaseView {
    pub order_id: String,
    pub lease_id: u64,
    pub executor: NodeId,
    pub term: u64,
    pub deadline_us: Micros,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueView {
    pub status: QueueStatus,
    /// Waiting orders, in the order they would be dequeued now.
    pub waiting: Vec<QueuedView>,
    pub in_flight: Vec<LeaseView>,
}

/// Where an elected cluster member stands, whatever its algorithm calls it: Raft's
/// pre-candidate and candidate, and Bully's electing, awaiting-coordinator and halting, all seek
/// leadership. Set by the service from its protocol's own role (never read back from `role`'s
/// words), so the mesh, the Cluster tab and every other reader agree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Leader,
    Seeking,
    #[default]
    Follower,
}

impl From<crate::protocol::raft::Role> for Standing {
    fn from(role: crate::protocol::raft::Role) -> Self {
        use crate::protocol::raft::Role;
        match role {
            Role::Leader => Standing::Leader,
            Role::PreCandidate | Role::Candidate => Standing::Seeking,
            Role::Follower => Standing::Follower,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExecutorView {
    /// "raft", "bully" or "lease".
    pub algorithm: &'static str,
    /// "follower", "candidate", "leader", … in the algorithm's own words, for people.
    pub role: String,
    /// The role as a type: what every view decides on.
    pub standing: Standing,
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub leader: Option<NodeId>,
    /// When this node's election timer last started and when it fires (Raft), for the timer bar.
    pub timer_started_us: Option<Micros>,
    pub timer_deadline_us: Option<Micros>,
    pub commit_index: u64,
    pub log_len: u64,
    pub executed: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockView {
    pub holder: Option<NodeId>,
    pub token: u64,
    pub expires_at_us: Option<Micros>,
}

/// One books-database replica: its Raft role and its copy of the stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BooksDbView {
    /// "leader" is the primary; "follower" a backup (words for people).
    pub role: String,
    /// The role as a type: `Leader` is the primary.
    pub standing: Standing,
    pub term: u64,
    pub leader: Option<NodeId>,
    pub voted_for: Option<NodeId>,
    pub timer_started_us: Option<Micros>,
    pub timer_deadline_us: Option<Micros>,
    pub commit_index: u64,
    pub applied_index: u64,
    pub log_len: u64,
    /// This replica's applied stock, title → copies (shared, rebuilt only when it changes).
    pub stock: std::sync::Arc<std::collections::BTreeMap<String, u32>>,
    /// Copies held by prepared transactions, title → copies.
    pub reserved: std::sync::Arc<std::collections::BTreeMap<String, u32>>,
    /// Prepared, undecided transactions on this replica.
    pub prepared: u32,
    /// Primary only: keys locked by writes in flight, and writes waiting for a lock.
    pub locks_held: u32,
    pub lock_waiters: u32,
    pub writes_in_flight: u32,
}

/// The payment service: every transaction's record (bounded to the newest for the page).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaymentView {
    pub records: Vec<crate::protocol::payment::PaymentRecord>,
    pub captured_cents: u64,
    pub prepared: u32,
    pub captured: u32,
    pub released: u32,
    pub declined: u32,
}
