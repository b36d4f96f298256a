//! Bully leader election (Garcia-Molina 1982; seed 004's executor election), sans-IO.
//!
//! The highest live node id leads. A node that boots, or stops hearing its coordinator's
//! heartbeats, sends `Election` to every higher node; a higher node that is alive `Answer`s and
//! runs its own election; a node that hears no answer in time wins. Before it broadcasts
//! `Coordinator { epoch }` it sends `Halt` to every lower node and waits until each has
//! acknowledged (or the answer timeout passes): a lower node that was leading stops on the
//! `Halt`, so the old coordinator has stopped before the new one starts (the paper's halt
//! phase; without it, a recovering node bullying its way back would lead alongside the old
//! coordinator for a message delay). A node that recovers bullies its way back the same way.
//!
//! Bully has no quorum, so under partitions two nodes can lead at once. What it does promise
//! here is that every claim carries a fresh, unique, growing epoch: downstream services (the
//! order queue) take it as a fencing token and refuse the stale leader.
//!
//! The driver calls `tick(now_us)` at `next_wakeup_us()`, `step(now_us, from, msg)` for each
//! delivered message, and carries out `take_outputs()` after every call (including `new`).

mod messages;
mod node;

pub use messages::{BullyMsg, BullyOutput};
pub use node::{BullyConfig, BullyNode, BullyRole};

#[cfg(test)]
mod sim_tests;
#[cfg(test)]
mod test_net;
#[cfg(test)]
mod tests;
