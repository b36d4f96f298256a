//! A node's disk, modelled as disks behave: a write lands in the page cache at once — the node
//! reads its own writes — and becomes durable only when an fsync that started after it
//! completes, `fsync_us` plus seeded jitter later. A crash keeps the synced records and loses
//! every write after them.
//!
//! Why: if writes were durable the instant they were made, a service that answers before it
//! persists could never be caught, because no crash could fall between the write and the
//! answer. Here it can, so every promise a service makes (a Raft vote, an enqueue
//! acknowledgement, a payment hold) must wait for `NodeCtx::sync`.
//!
//! Writes become durable in the order they were made: a crash keeps a prefix of them. That is a
//! simplification — a real disk may persist unsynced writes in any order — which no service can
//! tell apart as long as none relies on a write it has not synced.
//!
//! Group commit: while one fsync runs, later writes wait for the next one, which starts when it
//! finishes and covers every write made by then, however many tasks asked. Syncing costs
//! O(writes) in all, a busy node pays one fsync per batch rather than per write, and a sync
//! with nothing unsynced completes at once.
//!
//! Facts that describe a durable change ("order enqueued", "order executed") can be attached
//! to the writes before them (`NodeCtx::trace_when_durable`): the world records them in the
//! same step as it makes those writes durable, so a crash can never keep one without the
//! other, and no await point can fall between them.
//!
//! Faults: a full disk refuses every write (`DiskError::Full`); a torn record (damaged bytes
//! under its old checksum) is found by the checksum check at restart, and the node refuses to
//! start rather than use it.

use super::rng::{fnv1a64, SimRng};
use super::shared::{EventKind, Shared};
use super::time::Micros;
use super::trace::TraceKind;
use super::NodeId;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The longest fsync a configuration may ask for (a limit on everything).
pub const MAX_FSYNC_US: Micros = 10_000_000;

/// How long an fsync takes: `fsync_us` plus a uniform draw from `0..=fsync_jitter_us` (the same
/// shape as a link's latency).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskConfig {
    pub fsync_us: Micros,
    pub fsync_jitter_us: Micros,
}

impl Default for DiskConfig {
    /// 1–1.5 ms: a networked block device or an SSD without a power-loss-protected cache. Mild
    /// next to the 30 ± 20 ms links and 1.5–3 s election timeouts, so runs keep their shape,
    /// yet wide enough for a crash to land between a write and its fsync.
    fn default() -> Self {
        Self {
            fsync_us: 1_000,
            fsync_jitter_us: 500,
        }
    }
}

impl DiskConfig {
    pub fn validate(&self) -> Result<(), String> {
        if self.fsync_us > MAX_FSYNC_US || self.fsync_jitter_us > MAX_FSYNC_US {
            return Err(format!(
                "fsync_us and fsync_jitter_us: at most {MAX_FSYNC_US} (10 s)"
            ));
        }
        Ok(())
    }

    fn draw(&self, rng: &mut SimRng) -> Micros {
        self.fsync_us + rng.range_inclusive(0, self.fsync_jitter_us)
    }
}

/// Why a write was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskError {
    Full,
}

impl std::fmt::Display for DiskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("disk full")
    }
}

/// One stored value, the checksum written beside it, and the write that stored it.
#[derive(Clone, Debug)]
struct Record {
    text: Rc<str>,
    sum: u64,
    seq: u64,
}

fn checksum(key: &str, text: &str) -> u64 {
    // The key is covered too, so a record read under the wrong key fails as well.
    fnv1a64(key.as_bytes()) ^ fnv1a64(text.as_bytes()).rotate_left(1)
}

/// A write the disk has not synced yet (None = the key was removed).
#[derive(Clone, Debug)]
struct Pending {
    seq: u64,
    key: String,
    record: Option<Record>,
    bytes: u64,
}

/// The node's disk. Reads see every write (the page cache); `synced` is what a crash leaves.
#[derive(Clone, Debug, Default)]
pub struct DurableStore {
    cache: BTreeMap<String, Record>,
    synced: BTreeMap<String, Record>,
    journal: VecDeque<Pending>,
    /// Sequence number of the newest write (0: none yet); never reused, even across crashes.
    written: u64,
    synced_through: u64,
    unsynced_bytes: u64,
    /// Key and value bytes ever written: what a real disk would have had to write, so tests and
    /// benchmarks can check that persisting one operation costs the same late in a run as early.
    bytes_written: u64,
    full: bool,
    /// Trace facts waiting for the writes before them: (newest write before, fact, corr).
    facts: VecDeque<(u64, TraceKind, u64)>,
}

/// Two stores are equal when the node would read the same entries from them.
impl PartialEq for DurableStore {
    fn eq(&self, other: &Self) -> bool {
        self.cache.len() == other.cache.len()
            && self
                .cache
                .iter()
                .zip(other.cache.iter())
                .all(|((k, a), (l, b))| k == l && a.text == b.text)
    }
}

impl Eq for DurableStore {}

impl DurableStore {
    /// Err while the disk is full. Writes made in one `NodeCtx::durable` call therefore either
    /// all succeed or the first fails: the disk fills or empties only between steps.
    pub fn writable(&self) -> Result<(), DiskError> {
        if self.full {
            Err(DiskError::Full)
        } else {
            Ok(())
        }
    }

    pub fn put<T: Serialize>(&mut self, key: &str, value: &T) -> Result<(), DiskError> {
        self.writable()?;
        // Serializing our own plain types cannot fail; if it ever did, keep the old value.
        let Ok(text) = serde_json::to_string(value) else {
            return Ok(());
        };
        let bytes = (key.len() + text.len()) as u64;
        let record = Record {
            sum: checksum(key, &text),
            text: text.into(),
            seq: self.written + 1,
        };
        self.cache.insert(key.to_string(), record.clone());
        self.log(key, Some(record), bytes);
        Ok(())
    }

    pub fn remove(&mut self, key: &str) -> Result<(), DiskError> {
        self.writable()?;
        if self.cache.remove(key).is_some() {
            self.log(key, None, key.len() as u64);
        }
        Ok(())
    }

    fn log(&mut self, key: &str, record: Option<Record>, bytes: u64) {
        self.written += 1;
        self.bytes_written = self.bytes_written.saturating_add(bytes);
        self.unsynced_bytes = self.unsynced_bytes.saturating_add(bytes);
        self.journal.push_back(Pending {
            seq: self.written,
            key: key.to_string(),
            record,
            bytes,
        });
    }

    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.cache
            .get(key)
            .and_then(|r| serde_json::from_str(&r.text).ok())
    }

    /// Entries whose key starts with `prefix`, in key order, without visiting the others.
    pub fn scan_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.cache
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, r)| (k.as_str(), &*r.text))
    }

    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cache.iter().map(|(k, r)| (k.as_str(), &*r.text))
    }

    pub fn len(&self) -> usize {
        self.cache.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    /// Writes a crash would lose right now.
    pub fn unsynced_writes(&self) -> usize {
        self.journal.len()
    }

    pub fn unsynced_bytes(&self) -> u64 {
        self.unsynced_bytes
    }

    pub fn is_full(&self) -> bool {
        self.full
    }

    /// What a restart would find: the synced records only.
    pub fn on_disk(&self) -> DurableStore {
        DurableStore {
            cache: self.synced.clone(),
            synced: self.synced.clone(),
            written: self.synced_through,
            synced_through: self.synced_through,
            bytes_written: self.bytes_written,
            full: self.full,
            ..Default::default()
        }
    }

    /// Tests of storage code with no world around it: every write made so far is synced.
    #[cfg(test)]
    pub(crate) fn sync_all(&mut self) {
        self.complete_sync(self.written);
    }

    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    pub(crate) fn synced_through(&self) -> u64 {
        self.synced_through
    }

    pub(crate) fn set_full(&mut self, full: bool) {
        self.full = full;
    }

    /// Holds `fact` until every write made so far is durable; returns it if that is already so.
    pub(crate) fn fact_when_durable(
        &mut self,
        fact: TraceKind,
        corr: u64,
    ) -> Option<(TraceKind, u64)> {
        if self.synced_through >= self.written {
            return Some((fact, corr));
        }
        self.facts.push_back((self.written, fact, corr));
        None
    }

    /// An fsync covering writes through `through` finished: they are durable now. Returns the
    /// facts that were waiting for them, oldest first.
    pub(crate) fn complete_sync(&mut self, through: u64) -> Vec<(TraceKind, u64)> {
        while self.journal.front().is_some_and(|p| p.seq <= through) {
            let Some(p) = self.journal.pop_front() else {
                break;
            };
            self.unsynced_bytes = self.unsynced_bytes.saturating_sub(p.bytes);
            match p.record {
                Some(r) => self.synced.insert(p.key, r),
                None => self.synced.remove(&p.key),
            };
        }
        self.synced_through = self.synced_through.max(through);
        let mut due = Vec::new();
        while self
            .facts
            .front()
            .is_some_and(|(seq, _, _)| *seq <= through)
        {
            if let Some((_, fact, corr)) = self.facts.pop_front() {
                due.push((fact, corr));
            }
        }
        due
    }

    /// A crash: every unsynced write and the facts waiting for them are gone. The page cache
    /// is rebuilt from the synced records (O(store), once per crash, never per sync).
    pub(crate) fn lose_unsynced(&mut self) {
        self.journal.clear();
        self.facts.clear();
        self.unsynced_bytes = 0;
        self.synced_through = self.written;
        self.cache = self.synced.clone();
    }

    /// The check a restart runs over every synced record: its checksum must match its bytes.
    pub(crate) fn check(&self) -> Result<(), String> {
        match self
            .synced
            .iter()
            .find(|(k, r)| checksum(k, &r.text) != r.sum)
        {
            Some((key, _)) => Err(format!(
                "record {key:?} fails its checksum (torn or corrupted write)"
            )),
            None => Ok(()),
        }
    }

    /// Tears the newest synced record, as a power cut mid-write would: its second half is lost
    /// while its checksum stays. Returns the key, or None on an empty disk. The node's page
    /// cache keeps the good copy until the node restarts and reads the disk again.
    pub(crate) fn tear_newest(&mut self) -> Option<String> {
        let (key, record) = self.synced.iter_mut().max_by_key(|(_, r)| r.seq)?;
        let mut cut = record.text.len() / 2;
        while !record.text.is_char_boundary(cut) {
            cut -= 1;
        }
        let torn: Rc<str> = Rc::from(&record.text[..cut]);
        record.text = torn;
        Some(key.clone())
    }
}

/// A node's fsync machinery: at most one fsync under way, and who waits for which write.
pub struct Fsync {
    pub cfg: DiskConfig,
    rng: SimRng,
    /// The fsync under way covers writes through this sequence number.
    running: Option<u64>,
    /// The newest write some caller waits for.
    wanted: u64,
    waiters: Vec<(u64, Waker)>,
    /// Bumped by a crash, so an fsync that was under way then completes nothing.
    pub generation: u32,
}

impl Fsync {
    pub fn new(cfg: DiskConfig, rng: SimRng) -> Self {
        Self {
            cfg,
            rng,
            running: None,
            wanted: 0,
            waiters: Vec::new(),
            generation: 0,
        }
    }

    /// Registers a wait for write `need`. Returns Some(latency) when an fsync must start now
    /// (none is under way), covering writes through `written`.
    pub(crate) fn wait(&mut self, need: u64, written: u64, waker: &Waker) -> Option<Micros> {
        self.waiters.push((need, waker.clone()));
        self.wanted = self.wanted.max(need);
        if self.running.is_some() {
            return None;
        }
        self.running = Some(written);
        Some(self.cfg.draw(&mut self.rng))
    }

    /// The fsync under way finished: returns what it covered, the waiters it satisfied, and
    /// Some(latency) if another must start at once (someone waits for a later write).
    pub(crate) fn finish(&mut self, written: u64) -> Option<(u64, Vec<Waker>, Option<Micros>)> {
        let covered = self.running.take()?;
        let (done, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiters)
            .into_iter()
            .partition(|(need, _)| *need <= covered);
        self.waiters = rest;
        let next = (self.wanted > covered).then(|| {
            self.running = Some(written);
            self.cfg.draw(&mut self.rng)
        });
        Some((covered, done.into_iter().map(|(_, w)| w).collect(), next))
    }

    /// A crash: the fsync under way and everyone waiting are gone.
    pub(crate) fn crash(&mut self) {
        self.running = None;
        self.wanted = 0;
        self.waiters.clear();
        self.generation = self.generation.wrapping_add(1);
    }
}

/// Completes once every write its node had made when `NodeCtx::sync` was called is durable.
pub struct SyncWait {
    pub(crate) shared: Rc<RefCell<Shared>>,
    pub(crate) node: NodeId,
    /// The newest write at the call.
    pub(crate) need: u64,
    /// The node's fsync generation at the call: after a crash the writes are gone, and a
    /// waiter that outlived its node (a detached task) must not be told they are durable.
    pub(crate) generation: u32,
}

impl Future for SyncWait {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.shared
            .borrow_mut()
            .poll_sync(self.node, self.need, self.generation, cx.waker())
    }
}

impl Shared {
    /// Ready once write `need` of `node` is durable; otherwise waits, starting an fsync if
    /// none is under way (one under way already covers it, or the next one will).
    fn poll_sync(&mut self, node: NodeId, need: u64, generation: u32, waker: &Waker) -> Poll<()> {
        let now = self.now;
        let current = |n: &&mut super::node_state::NodeState| n.fsync.generation == generation;
        let Some(n) = self.node_mut(node).filter(current) else {
            return Poll::Pending; // the node crashed since: those writes never become durable
        };
        if n.durable.synced_through() >= need {
            return Poll::Ready(());
        }
        let written = n.durable.written();
        if let Some(latency) = n.fsync.wait(need, written, waker) {
            let generation = n.fsync.generation;
            self.schedule(now + latency, EventKind::Fsync { node, generation });
        }
        Poll::Pending
    }

    /// An fsync of `node` finished: its writes become durable, the facts waiting for them are
    /// recorded (in the same step, so nothing can come between), and its waiters wake.
    pub(crate) fn complete_fsync(&mut self, node: NodeId, generation: u32) {
        let now = self.now;
        let Some(n) = self.node_mut(node) else {
            return;
        };
        if n.fsync.generation != generation {
            return; // started before a crash: it completes nothing
        }
        let written = n.durable.written();
        let Some((covered, wakers, next)) = n.fsync.finish(written) else {
            return;
        };
        let facts = n.durable.complete_sync(covered);
        if let Some(latency) = next {
            self.schedule(now + latency, EventKind::Fsync { node, generation });
        }
        for (fact, corr) in facts {
            self.record(node, fact, corr, None);
        }
        for w in wakers {
            w.wake();
        }
    }
}
