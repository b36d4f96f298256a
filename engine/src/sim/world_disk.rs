//! The world's disk verbs: a node's fsync timing, a full disk, a torn record. Each fault is
//! recorded in the trace like the network's (see `sim/disk.rs` for the model).

use super::disk::DiskConfig;
use super::trace::TraceKind;
use super::{NodeId, World};

/// Faults belong to the world, not to a node (as in `World::net_fault`).
const WORLD: NodeId = NodeId(u32::MAX);

impl World {
    /// Gives `id` its own disk timing (one slow disk, say).
    pub fn set_disk_config(&mut self, id: NodeId, cfg: DiskConfig) -> Result<(), String> {
        self.check(id)?;
        cfg.validate()?;
        if let Some(n) = self.shared.borrow_mut().node_mut(id) {
            n.fsync.cfg = cfg;
        }
        Ok(())
    }

    /// Fills `id`'s disk (every write fails with `DiskError::Full`) or frees it again.
    pub fn set_disk_full(&mut self, id: NodeId, full: bool) -> Result<(), String> {
        self.check(id)?;
        let mut s = self.shared.borrow_mut();
        let node = s.node_mut(id).expect("checked");
        if node.durable.is_full() == full {
            return Ok(());
        }
        node.durable.set_full(full);
        let state = if full { "full" } else { "has space again" };
        let text = format!("disk of {} {state}", node.name);
        let kind = if full {
            crate::order_step::FaultKind::Harm
        } else {
            crate::order_step::FaultKind::Heal
        };
        s.record(WORLD, TraceKind::Fault { fault: kind, text }, 0, None);
        Ok(())
    }

    /// Tears the newest synced record on `id`'s disk (returns its key). The node's page cache
    /// keeps the good copy; the checksum check at its next restart finds the damage.
    pub fn corrupt_disk(&mut self, id: NodeId) -> Result<String, String> {
        self.check(id)?;
        let mut s = self.shared.borrow_mut();
        let node = s.node_mut(id).expect("checked");
        let name = node.name.clone();
        let key = node
            .durable
            .tear_newest()
            .ok_or_else(|| format!("{name} has nothing on its disk to corrupt"))?;
        let text = format!("torn record {key:?} on the disk of {name}");
        let kind = crate::order_step::FaultKind::Harm;
        s.record(WORLD, TraceKind::Fault { fault: kind, text }, 0, None);
        Ok(key)
    }
}
