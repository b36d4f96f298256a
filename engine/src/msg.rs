//! Every message that crosses the simulated network. One enum so the trace, the page and the
//! hash can name and compare any message. No floats (hashing and cross-platform equality).
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Msg {
    Ping { seq: u64 },
    Pong { seq: u64 },
}

impl Msg {
    /// A short name for the trace and the page.
    pub fn label(&self) -> &'static str {
        match self {
            Msg::Ping { .. } => "Ping",
            Msg::Pong { .. } => "Pong",
        }
    }
}
