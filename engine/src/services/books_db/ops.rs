//! The primary's table of writes in flight: each holds its keys' locks from submission until
//! its log entry is applied (or leadership is lost), and is answered exactly once.

use crate::protocol::books_db::{DbCommand, KeyLocks};
use crate::sim::Envelope;
use std::collections::BTreeMap;

pub struct PendingOp {
    /// The client's request (None: the primary's own recovery write).
    pub env: Option<Envelope>,
    pub cmd: DbCommand,
    /// The leader term it was accepted in; an entry of another term at its index is not it.
    pub term: u64,
    pub index: Option<u64>,
}

#[derive(Default)]
pub struct OpTable {
    locks: KeyLocks,
    ops: BTreeMap<u64, PendingOp>,
    by_index: BTreeMap<u64, u64>,
    next_op: u64,
}

impl OpTable {
    /// Registers a write; returns its id if it holds its locks and can be proposed now.
    pub fn submit(
        &mut self,
        env: Option<Envelope>,
        cmd: DbCommand,
        keys: Vec<String>,
        term: u64,
    ) -> (u64, bool) {
        self.next_op += 1;
        let op = self.next_op;
        self.ops.insert(
            op,
            PendingOp {
                env,
                cmd,
                term,
                index: None,
            },
        );
        (op, self.locks.acquire(op, keys))
    }

    pub fn command(&self, op: u64) -> Option<&DbCommand> {
        self.ops.get(&op).map(|o| &o.cmd)
    }

    /// The client's request of `op`, taken so it is not answered again (test-only: the
    /// broken primary of `Bug::AckBeforeQuorum` answers early).
    #[cfg(test)]
    pub fn take_env(&mut self, op: u64) -> Option<Envelope> {
        self.ops.get_mut(&op)?.env.take()
    }

    pub fn proposed(&mut self, op: u64, index: u64) {
        if let Some(o) = self.ops.get_mut(&op) {
            o.index = Some(index);
            self.by_index.insert(index, op);
        }
    }

    /// The write waiting for log entry `index`, removed with its locks released; also the ops
    /// that now hold their locks and may be proposed.
    pub fn take_applied(&mut self, index: u64) -> Option<(PendingOp, Vec<u64>)> {
        let op = self.by_index.remove(&index)?;
        self.finish(op)
    }

    /// Removes `op` (answered or failed) and releases its locks.
    pub fn finish(&mut self, op: u64) -> Option<(PendingOp, Vec<u64>)> {
        let pending = self.ops.remove(&op)?;
        if let Some(i) = pending.index {
            self.by_index.remove(&i);
        }
        Some((pending, self.locks.release(op)))
    }

    /// Everything in flight, oldest first (leadership lost: each must be told to retry).
    pub fn drain(&mut self) -> Vec<PendingOp> {
        self.locks.clear();
        self.by_index.clear();
        std::mem::take(&mut self.ops).into_values().collect()
    }

    pub fn locks(&self) -> &KeyLocks {
        &self.locks
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }
}
