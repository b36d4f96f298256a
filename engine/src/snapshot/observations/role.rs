//! A node's role as the page draws it: liveness first (crashed, paused, starting), then where
//! an elected member stands (`view::Standing`, set by the service from its protocol's own role),
//! else a plain service. One mapping, so the mesh and the Cluster tab cannot disagree (they
//! did: Bully's "electing" was a candidate on the mesh and "other" in the Cluster tab).

use crate::sim::Liveness;
use crate::view::{NodeView, Standing};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRole {
    Leader,
    Follower,
    Candidate,
    Crashed,
    Paused,
    Starting,
    /// A service that is not part of an elected cluster (client, orchestrator, queue, …).
    Service,
}

impl NodeRole {
    pub fn of(liveness: Liveness, view: &NodeView) -> NodeRole {
        match (liveness, view) {
            (Liveness::Crashed, _) | (_, NodeView::Down) => NodeRole::Crashed,
            (Liveness::Paused, _) => NodeRole::Paused,
            (_, NodeView::Starting) => NodeRole::Starting,
            (_, NodeView::Executor(e)) => Self::elected(e.standing),
            (_, NodeView::BooksDb(d)) => Self::elected(d.standing),
            _ => NodeRole::Service,
        }
    }

    pub fn elected(standing: Standing) -> NodeRole {
        match standing {
            Standing::Leader => NodeRole::Leader,
            Standing::Seeking => NodeRole::Candidate,
            Standing::Follower => NodeRole::Follower,
        }
    }

    /// The role in a word.
    pub fn label(self) -> &'static str {
        match self {
            NodeRole::Leader => "leader",
            NodeRole::Follower => "follower",
            NodeRole::Candidate => "candidate",
            NodeRole::Crashed => "crashed",
            NodeRole::Paused => "paused",
            NodeRole::Starting => "starting",
            NodeRole::Service => "service",
        }
    }
}
