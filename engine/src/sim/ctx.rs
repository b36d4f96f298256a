//! `NodeCtx`: a node task's handle on the world — its clock, its inbox, the network, its RNG,
//! its disk, the trace. Cheap to clone; every method borrows the world only briefly.

use super::disk::{DurableStore, SyncWait};
use super::envelope::{Envelope, RpcTag};
use super::executor::LocalFuture;
use super::shared::{EventKind, Shared};
use super::time::Micros;
use super::trace::TraceKind;
use super::NodeId;
use crate::clock::VectorClock;
use crate::msg::Msg;
use crate::view::NodeView;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

#[derive(Clone)]
pub struct NodeCtx {
    pub(crate) id: NodeId,
    pub(crate) shared: Rc<RefCell<Shared>>,
}

/// Why an RPC failed (gRPC's DEADLINE_EXCEEDED and friends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RpcError {
    DeadlineExceeded,
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DEADLINE_EXCEEDED")
    }
}

impl NodeCtx {
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// How many times this node has restarted: ids a node makes up (request ids) include it,
    /// so none repeats across a crash that loses the counter.
    pub fn incarnation(&self) -> u32 {
        self.shared.borrow().nodes[self.id.0 as usize].incarnation
    }

    /// This node's own clock (skewed and drifting if the world says so), which its timers and
    /// TTLs count in; the world and the trace keep true time.
    pub fn now(&self) -> Micros {
        self.shared.borrow().local_now(self.id)
    }

    pub fn name(&self) -> String {
        self.shared
            .borrow()
            .node(self.id)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }

    /// The node called `name`, if the world has one.
    pub fn lookup(&self, name: &str) -> Option<NodeId> {
        let s = self.shared.borrow();
        s.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| NodeId(i as u32))
    }

    /// All nodes running `service`, in id order.
    pub fn nodes_of(&self, service: &str) -> Vec<NodeId> {
        let s = self.shared.borrow();
        s.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.service == service)
            .map(|(i, _)| NodeId(i as u32))
            .collect()
    }

    pub fn send(&self, to: NodeId, msg: Msg) {
        self.send_corr(to, msg, 0);
    }

    pub fn send_corr(&self, to: NodeId, msg: Msg, corr: u64) {
        self.shared
            .borrow_mut()
            .send(self.id, to, msg, RpcTag::None, corr);
    }

    /// Answers an RPC request (or a plain message: then it is a plain send back).
    pub fn reply(&self, request: &Envelope, msg: Msg) {
        self.reply_corr(request, msg, request.corr);
    }

    /// `reply` under a correlation id the request did not carry (a checkout gets its order's
    /// id only on arrival, yet its answer belongs to that order).
    pub fn reply_corr(&self, request: &Envelope, msg: Msg, corr: u64) {
        let tag = match request.rpc {
            RpcTag::Request(id) => RpcTag::Reply(id),
            _ => RpcTag::None,
        };
        self.shared
            .borrow_mut()
            .send(self.id, request.from, msg, tag, corr);
    }

    /// Waits for the next message in the inbox (RPC replies go to their callers instead).
    pub fn recv(&self) -> Recv<'_> {
        Recv { ctx: self }
    }

    pub fn try_recv(&self) -> Option<Envelope> {
        self.shared
            .borrow_mut()
            .node_mut(self.id)
            .and_then(|n| n.inbox.pop_front())
    }

    /// Sleeps `duration` of this node's clock (`now()`), as `sleep_until` does.
    pub fn sleep(&self, duration: Micros) -> Sleep {
        let deadline = self.now().saturating_add(duration);
        self.sleep_until(deadline)
    }

    /// Completes once this node's clock reads `deadline`.
    pub fn sleep_until(&self, deadline: Micros) -> Sleep {
        Sleep {
            shared: self.shared.clone(),
            node: self.id,
            deadline,
            timer: None,
        }
    }

    /// Sends `msg` as a request and waits for the reply until `deadline_us` from now.
    pub async fn rpc(
        &self,
        to: NodeId,
        msg: Msg,
        deadline_us: Micros,
        corr: u64,
    ) -> Result<Msg, RpcError> {
        let rpc_id = {
            let mut s = self.shared.borrow_mut();
            s.next_rpc_id += 1;
            let id = s.next_rpc_id;
            if let Some(n) = s.node_mut(self.id) {
                n.rpcs.insert(id, Default::default());
            }
            s.send(self.id, to, msg, RpcTag::Request(id), corr);
            id
        };
        let wait = RpcWait { ctx: self, rpc_id };
        let out = super::futures::timeout(self, deadline_us, wait).await;
        if let Some(n) = self.shared.borrow_mut().node_mut(self.id) {
            n.rpcs.remove(&rpc_id);
        }
        out.map_err(|_| RpcError::DeadlineExceeded)
    }

    /// Draws from this node's own random stream.
    pub fn with_rng<R>(&self, f: impl FnOnce(&mut super::rng::SimRng) -> R) -> R {
        let mut s = self.shared.borrow_mut();
        let node = s.node_mut(self.id).expect("a running task's node exists");
        f(&mut node.rng)
    }

    /// Reads and writes this node's disk. Writes are visible here at once but survive a crash
    /// only once a `sync` made after them has completed (see `sim/disk.rs`).
    pub fn durable<R>(&self, f: impl FnOnce(&mut DurableStore) -> R) -> R {
        let mut s = self.shared.borrow_mut();
        let node = s.node_mut(self.id).expect("a running task's node exists");
        f(&mut node.durable)
    }

    /// fsync: completes once every write this node made before the call is durable — at once
    /// if none is pending, else after the disk's fsync latency (concurrent syncs share one).
    /// Await it before acting on a write: sending a vote, acknowledging an order.
    pub fn sync(&self) -> SyncWait {
        let (need, generation) = self
            .shared
            .borrow()
            .node(self.id)
            .map_or((0, 0), |n| (n.durable.written(), n.fsync.generation));
        SyncWait {
            shared: self.shared.clone(),
            node: self.id,
            need,
            generation,
        }
    }

    /// Records `kind` once every write made so far is durable (at once if it already is), in
    /// the same step as those writes become durable; a crash before then discards it. For facts
    /// that state a durable change ("enqueued", "executed"), so the trace never claims one a
    /// crash took back.
    pub fn trace_when_durable(&self, kind: TraceKind, corr: u64) {
        let mut s = self.shared.borrow_mut();
        let due = s
            .node_mut(self.id)
            .and_then(|n| n.durable.fact_when_durable(kind, corr));
        if let Some((kind, corr)) = due {
            s.record(self.id, kind, corr, None);
        }
    }

    /// Stops this node as a crash would, with `reason` in the trace: for a failure it cannot
    /// carry on from safely (a Raft log that could not be written). The world crashes the node
    /// once the current poll ends; this future never completes.
    pub async fn fail_stop(&self, reason: impl Into<String>) {
        self.log(format!("stopping: {}", reason.into()));
        self.shared.borrow_mut().halts.push(self.id);
        std::future::pending::<()>().await
    }

    /// Whether a world flag is on (e.g. "model-down:fraud").
    pub fn flag(&self, name: &str) -> bool {
        self.shared.borrow().flags.contains(name)
    }

    pub fn set_view(&self, view: NodeView) {
        if let Some(n) = self.shared.borrow_mut().node_mut(self.id) {
            n.view = view;
            n.view_source = None;
        }
    }

    /// Publishes a view built on demand by `build` (each time the world is asked for it) until
    /// the next `set_view`, crash or restart. For views that change on every event but are read
    /// once per frame; `build` must not call back into the world.
    pub fn set_view_source(&self, build: impl Fn() -> NodeView + 'static) {
        if let Some(n) = self.shared.borrow_mut().node_mut(self.id) {
            n.view_source = Some(std::rc::Rc::new(build));
        }
    }

    pub fn log(&self, text: impl Into<String>) {
        self.trace(TraceKind::Log { text: text.into() }, 0, None);
    }

    pub fn log_corr(&self, corr: u64, text: impl Into<String>) {
        self.trace(TraceKind::Log { text: text.into() }, corr, None);
    }

    /// Records a change of named protocol state (role, term, leader…).
    pub fn state(&self, key: &str, value: impl Into<String>) {
        self.trace(
            TraceKind::State {
                key: key.to_string(),
                value: value.into(),
            },
            0,
            None,
        );
    }

    /// Records a vector-clocked protocol event.
    pub fn event(&self, name: impl Into<String>, corr: u64, vc: &VectorClock) {
        self.trace(
            TraceKind::Event { name: name.into() },
            corr,
            Some(vc.clone()),
        );
    }

    pub fn trace(&self, kind: TraceKind, corr: u64, vc: Option<VectorClock>) {
        self.shared.borrow_mut().record(self.id, kind, corr, vc);
    }

    /// Runs `future` as another task of this node (it dies with the node).
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) {
        let f: LocalFuture = Box::pin(future);
        self.shared.borrow_mut().spawn_queue.push((self.id, f));
    }
}

pub struct Recv<'a> {
    ctx: &'a NodeCtx,
}

impl Future for Recv<'_> {
    type Output = Envelope;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Envelope> {
        let mut s = self.ctx.shared.borrow_mut();
        let Some(node) = s.node_mut(self.ctx.id) else {
            return Poll::Pending;
        };
        match node.inbox.pop_front() {
            Some(env) => Poll::Ready(env),
            None => {
                node.inbox_waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

struct RpcWait<'a> {
    ctx: &'a NodeCtx,
    rpc_id: u64,
}

impl Future for RpcWait<'_> {
    type Output = Msg;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        let mut s = self.ctx.shared.borrow_mut();
        let Some(slot) = s
            .node_mut(self.ctx.id)
            .and_then(|n| n.rpcs.get_mut(&self.rpc_id))
        else {
            return Poll::Pending;
        };
        match slot.reply.take() {
            Some(env) => Poll::Ready(env.msg),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Completes when its node's clock reads `deadline`. Dropping it early cancels its timer, so an
/// abandoned timeout never makes time jump to a moment when nothing happens.
pub struct Sleep {
    shared: Rc<RefCell<Shared>>,
    node: NodeId,
    deadline: Micros,
    /// The scheduled timer: its id and the true instant it is due.
    timer: Option<(u64, Micros)>,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let shared = self.shared.clone();
        let mut s = shared.borrow_mut();
        if s.local_now(self.node) >= self.deadline {
            if self.timer.take().is_some() {
                s.record(self.node, TraceKind::Timer, 0, None);
            }
            return Poll::Ready(());
        }
        // Re-aimed when the node's clock changed since the timer was set (it woke us then).
        let at = s.true_time_at(self.node, self.deadline);
        if self.timer.is_none_or(|(_, due)| due != at) {
            if let Some((old, _)) = self.timer.filter(|(_, due)| s.now < *due) {
                s.cancelled_timers.insert(old);
            }
            let id = s.next_seq();
            let (node, waker) = (self.node, cx.waker().clone());
            s.schedule(at, EventKind::Timer { id, node, waker });
            self.timer = Some((id, at));
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some((id, due)) = self.timer.take() {
            if let Ok(mut s) = self.shared.try_borrow_mut() {
                if s.now < due {
                    s.cancelled_timers.insert(id);
                }
            }
        }
    }
}
