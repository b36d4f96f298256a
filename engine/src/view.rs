//! What each node publishes for the page: a typed summary of its protocol state.
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "service", rename_all = "snake_case")]
pub enum NodeView {
    /// Booting: the main task has not published anything yet.
    Starting,
    /// Crashed.
    Down,
    Ping { sent: u64, received: u64 },
}
