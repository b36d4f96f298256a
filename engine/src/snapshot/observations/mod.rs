//! Typed observations: what the page decides on, computed once in the engine from typed
//! sources, never read back out of text.
//!
//! Why this module exists: the page used to get the engine's story as log lines
//! (`LogLine { kind, text }`) and parse them back — `ends_with(" enqueued")` for the queue step,
//! `split_once(" leased to ")` for the executor, `starts_with("heal")` for a healing tick — with
//! its own table of message labels and two role mappings that disagreed. Every reworded line
//! could silently break a view, and each new status (2PC, the database) needed a new parser.
//! Here each fact comes from a typed source: roles from the services' `Standing`, order steps
//! from `OrderStep`, fault kinds from the verb that applied the fault, milestones and order
//! tracks from the trace's variants, message families from the label every message carries.
//! Log text is for people only; a new `OrderStep` appears on the page as a step of its own
//! with no parser to touch.

pub mod family;
pub mod milestones;
pub mod role;
pub mod tracks;

pub use family::{look, MsgFamily, MsgLook};
pub use milestones::{Milestone, MilestoneKind, MilestoneTail};
pub use role::NodeRole;
pub use tracks::{OrderTrack, Phase, PhaseName, TrackExecution, TrackLease, TrackStep, Tracks};
