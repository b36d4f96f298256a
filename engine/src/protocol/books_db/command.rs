//! What travels through the database's replicated log, and what applying it answers.
use crate::protocol::two_pc::{AbortReason, Decision, Vote};
use serde::{Deserialize, Serialize};

/// One book and how many copies of it a transaction takes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TxnItem {
    pub book: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DbCommand {
    /// Sets a book's stock (creates the book if it is new).
    Write { book: String, stock: u32 },
    /// Adds `delta` copies (negative = DecrementStock). `op_id` dedupes a client's retry.
    Adjust {
        book: String,
        delta: i64,
        op_id: Option<String>,
    },
    /// 2PC phase 1: check and reserve every item, or vote abort.
    Prepare { txn: String, items: Vec<TxnItem> },
    /// 2PC phase 2: apply the reservation.
    Commit { txn: String },
    /// 2PC phase 2: release the reservation (or refuse a later Prepare).
    Abort { txn: String },
    /// Bully / lease coordinators keep their 2PC decisions here (first writer wins).
    RecordDecision { txn: String, decision: Decision },
    /// Changes nothing. A strong read waits until the primary has committed one of these,
    /// proposed after the read arrived: committing it in its term proves the node was still
    /// the primary then, so no newer primary can have acknowledged a write the read misses
    /// (Raft thesis §6.4: reads through the log).
    ReadBarrier,
}

impl DbCommand {
    /// The keys the primary must lock while this command is in flight.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = match self {
            DbCommand::Write { book, .. } | DbCommand::Adjust { book, .. } => vec![book.clone()],
            DbCommand::Prepare { items, .. } => items.iter().map(|i| i.book.clone()).collect(),
            // Commit / abort touch the books of the reservation: the node resolves them.
            DbCommand::Commit { txn }
            | DbCommand::Abort { txn }
            | DbCommand::RecordDecision { txn, .. } => {
                vec![format!("txn:{txn}")]
            }
            DbCommand::ReadBarrier => Vec::new(),
        };
        keys.sort();
        keys.dedup();
        keys
    }

    pub fn label(&self) -> &'static str {
        match self {
            DbCommand::Write { .. } => "Write",
            DbCommand::Adjust { delta, .. } if *delta < 0 => "DecrementStock",
            DbCommand::Adjust { .. } => "IncrementStock",
            DbCommand::Prepare { .. } => "PrepareTransaction",
            DbCommand::Commit { .. } => "CommitTransaction",
            DbCommand::Abort { .. } => "AbortTransaction",
            DbCommand::RecordDecision { .. } => "RecordDecision",
            DbCommand::ReadBarrier => "ReadBarrier",
        }
    }
}

/// Why a database operation was refused (typed, so no caller parses text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DbError {
    UnknownBook {
        book: String,
    },
    /// Refused: the stock would go below zero (or below what prepared orders reserved).
    WouldGoNegative {
        book: String,
        stock: u32,
        reserved: u32,
        delta: i64,
    },
    NotPrepared {
        txn: String,
    },
    /// Phase 2 contradicts what was already applied (a coordinator bug if it ever shows).
    AlreadyDecided {
        txn: String,
        committed: bool,
    },
    Invalid {
        why: String,
    },
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::UnknownBook { book } => write!(f, "unknown book {book:?}"),
            DbError::WouldGoNegative {
                book,
                stock,
                reserved,
                delta,
            } => {
                write!(f, "refused: {book:?} has {stock} in stock ({reserved} reserved); {delta:+} would go below zero")
            }
            DbError::NotPrepared { txn } => write!(f, "transaction {txn} was never prepared here"),
            DbError::AlreadyDecided { txn, committed } => {
                write!(
                    f,
                    "transaction {txn} is already {}",
                    if *committed { "committed" } else { "aborted" }
                )
            }
            DbError::Invalid { why } => write!(f, "invalid request: {why}"),
        }
    }
}

/// What applying one command answered.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DbResult {
    /// A write went through; the book's stock afterwards.
    Stock {
        book: String,
        stock: u32,
    },
    Vote(Vote),
    /// Phase 2 applied (or had been applied before: idempotent).
    Done,
    /// The decision that won for this transaction (maybe an earlier writer's).
    Decision(Decision),
    Refused(DbError),
}

impl DbResult {
    pub fn abort_vote(reason: AbortReason) -> Self {
        DbResult::Vote(Vote::Abort(reason))
    }
}
