//! A single-threaded executor. Tasks are polled in the order they were woken (FIFO); each task
//! belongs to a node (or to the world) so a crash can drop exactly that node's tasks.
//!
//! Wakers push the task's id onto a shared ready queue; a flag keeps a task queued at most once
//! between polls, so wake order is the order of *first* wake, which is deterministic because
//! everything that wakes runs on this one thread in a deterministic order.

use super::NodeId;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

pub type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;
pub type TaskId = u64;

type ReadyQueue = Arc<Mutex<VecDeque<TaskId>>>;

struct TaskWaker {
    id: TaskId,
    queued: AtomicBool,
    ready: ReadyQueue,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::Relaxed) {
            lock(&self.ready).push_back(self.id);
        }
    }
}

fn lock(q: &ReadyQueue) -> std::sync::MutexGuard<'_, VecDeque<TaskId>> {
    // Single-threaded: the lock is never contended and a poisoned queue is still consistent.
    q.lock().unwrap_or_else(|e| e.into_inner())
}

struct Task {
    owner: Option<NodeId>,
    future: LocalFuture,
    waker_state: Arc<TaskWaker>,
    waker: Waker,
}

/// Tasks live in a slab: a poll is an index, not a tree lookup. A finished or killed task's
/// slot goes on a free list and is reused (last freed, first reused: deterministic), so the
/// slab's size is the most tasks alive at once, not every task the run ever spawned (a long
/// run spawns one per RPC). A task id is the slot in its low 32 bits and the slot's generation
/// above them, so a wake that arrives after the slot was reused names a dead task and is
/// ignored.
#[derive(Default)]
pub struct Executor {
    tasks: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
    ready: ReadyQueue,
}

#[derive(Default)]
struct Slot {
    generation: u32,
    task: Option<Task>,
}

fn task_id(slot: u32, generation: u32) -> TaskId {
    (u64::from(generation) << 32) | u64::from(slot)
}

fn slot_of(id: TaskId) -> (usize, u32) {
    ((id & 0xffff_ffff) as usize, (id >> 32) as u32)
}

/// What happened when the executor was asked to poll one task.
#[derive(Debug, PartialEq, Eq)]
pub enum Polled {
    /// Nothing was ready.
    Idle,
    /// The task is owned by this node, which is paused: the caller parks the wake.
    Parked(TaskId, NodeId),
    Ran,
}

impl Executor {
    pub fn spawn(&mut self, owner: Option<NodeId>, future: LocalFuture) -> TaskId {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.tasks.push(Slot::default());
            (self.tasks.len() - 1) as u32
        });
        let entry = &mut self.tasks[slot as usize];
        let id = task_id(slot, entry.generation);
        let waker_state = Arc::new(TaskWaker {
            id,
            queued: AtomicBool::new(false),
            ready: self.ready.clone(),
        });
        let waker = Waker::from(waker_state.clone());
        entry.task = Some(Task {
            owner,
            future,
            waker_state,
            waker: waker.clone(),
        });
        self.live += 1;
        waker.wake();
        id
    }

    pub fn has_ready(&self) -> bool {
        !lock(&self.ready).is_empty()
    }

    /// Re-queues a task whose wake was parked while its node was paused.
    pub fn requeue(&mut self, id: TaskId) {
        if let Some(t) = self.task_mut(id) {
            t.waker.wake_by_ref();
        }
    }

    /// The live task `id` names, if its slot still holds that generation.
    fn task_mut(&mut self, id: TaskId) -> Option<&mut Task> {
        let (slot, generation) = slot_of(id);
        let entry = self.tasks.get_mut(slot)?;
        if entry.generation != generation {
            return None;
        }
        entry.task.as_mut()
    }

    /// Empties the slot of `id` and makes it reusable under the next generation.
    fn free_slot(&mut self, id: TaskId) -> Option<Task> {
        let (slot, _) = slot_of(id);
        let entry = &mut self.tasks[slot];
        let task = entry.task.take()?;
        entry.generation = entry.generation.wrapping_add(1);
        self.free.push(slot as u32);
        self.live -= 1;
        Some(task)
    }

    /// Polls the next ready task. `is_paused` says whether a node's tasks must not run now.
    pub fn poll_next(&mut self, is_paused: impl Fn(NodeId) -> bool) -> Polled {
        loop {
            let Some(id) = lock(&self.ready).pop_front() else {
                return Polled::Idle;
            };
            let Some(task) = self.task_mut(id) else {
                continue; // the task finished or its node crashed after it was woken
            };
            task.waker_state.queued.store(false, Ordering::Relaxed);
            if let Some(owner) = task.owner {
                if is_paused(owner) {
                    return Polled::Parked(id, owner);
                }
            }
            let mut cx = Context::from_waker(&task.waker);
            if let Poll::Ready(()) = task.future.as_mut().poll(&mut cx) {
                self.free_slot(id);
            }
            return Polled::Ran;
        }
    }

    /// Removes every task of `node` and returns their futures, so the caller can drop them
    /// while holding no borrow (their destructors may touch the world, e.g. to cancel timers).
    pub fn remove_node_tasks(&mut self, node: NodeId) -> Vec<LocalFuture> {
        let owned: Vec<TaskId> = (0..self.tasks.len())
            .filter_map(|slot| {
                let entry = &self.tasks[slot];
                let task = entry.task.as_ref()?;
                (task.owner == Some(node)).then(|| task_id(slot as u32, entry.generation))
            })
            .collect();
        owned
            .into_iter()
            .filter_map(|id| self.free_slot(id).map(|t| t.future))
            .collect()
    }

    pub fn task_count(&self) -> usize {
        self.live
    }

    pub fn take_all(&mut self) -> Vec<LocalFuture> {
        self.live = 0;
        self.free.clear();
        std::mem::take(&mut self.tasks)
            .into_iter()
            .filter_map(|slot| slot.task)
            .map(|t| t.future)
            .collect()
    }
}
