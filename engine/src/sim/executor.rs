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

/// Tasks live in a slab indexed by id (ids are never reused): a poll is an index, not a
/// tree lookup. Finished and killed tasks leave `None` behind.
#[derive(Default)]
pub struct Executor {
    tasks: Vec<Option<Task>>,
    live: usize,
    ready: ReadyQueue,
    next_id: TaskId,
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
        let id = self.next_id;
        self.next_id += 1;
        let waker_state = Arc::new(TaskWaker {
            id,
            queued: AtomicBool::new(false),
            ready: self.ready.clone(),
        });
        let waker = Waker::from(waker_state.clone());
        debug_assert_eq!(self.tasks.len() as u64, id);
        self.tasks.push(Some(Task {
            owner,
            future,
            waker_state,
            waker: waker.clone(),
        }));
        self.live += 1;
        waker.wake();
        id
    }

    pub fn has_ready(&self) -> bool {
        !lock(&self.ready).is_empty()
    }

    /// Re-queues a task whose wake was parked while its node was paused.
    pub fn requeue(&mut self, id: TaskId) {
        if let Some(Some(t)) = self.tasks.get(id as usize) {
            t.waker.wake_by_ref();
        }
    }

    /// Polls the next ready task. `is_paused` says whether a node's tasks must not run now.
    pub fn poll_next(&mut self, is_paused: impl Fn(NodeId) -> bool) -> Polled {
        loop {
            let Some(id) = lock(&self.ready).pop_front() else {
                return Polled::Idle;
            };
            let Some(Some(task)) = self.tasks.get_mut(id as usize) else {
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
                self.tasks[id as usize] = None;
                self.live -= 1;
            }
            return Polled::Ran;
        }
    }

    /// Removes every task of `node` and returns their futures, so the caller can drop them
    /// while holding no borrow (their destructors may touch the world, e.g. to cancel timers).
    pub fn remove_node_tasks(&mut self, node: NodeId) -> Vec<LocalFuture> {
        let mut out = Vec::new();
        for slot in self.tasks.iter_mut() {
            if slot.as_ref().is_some_and(|t| t.owner == Some(node)) {
                if let Some(t) = slot.take() {
                    out.push(t.future);
                }
            }
        }
        self.live -= out.len();
        out
    }

    pub fn task_count(&self) -> usize {
        self.live
    }

    pub fn take_all(&mut self) -> Vec<LocalFuture> {
        self.live = 0;
        std::mem::take(&mut self.tasks)
            .into_iter()
            .flatten()
            .map(|t| t.future)
            .collect()
    }
}
