//! What the orchestrator publishes for the page: the DAG state of its most recent orders.
//! Every order task updates its own row, so the page can animate each event as it goes
//! waiting → running → ok / failed / skipped. The view is built when read (once per frame),
//! not per change: cloning the whole board on each DAG event was most of a load run's cost.

use crate::clock::VectorClock;
use crate::sim::NodeCtx;
use crate::view::{NodeView, OrchestratorView, OrderDagView};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

#[derive(Clone, Default)]
pub struct Board(Rc<RefCell<BoardState>>);

#[derive(Default)]
struct BoardState {
    /// Newest last; at most `max` rows.
    orders: VecDeque<OrderDagView>,
    max: usize,
    /// Every final order clock merged: what the orchestrator knows of the world's causality.
    clock: VectorClock,
    in_flight: u32,
}

impl Board {
    pub fn new(recent_orders_max: u32) -> Self {
        let state = BoardState {
            max: (recent_orders_max as usize).max(1),
            ..Default::default()
        };
        Self(Rc::new(RefCell::new(state)))
    }

    pub fn add(&self, order: OrderDagView) {
        let mut s = self.0.borrow_mut();
        if s.orders.len() >= s.max {
            s.orders.pop_front();
        }
        s.orders.push_back(order);
    }

    /// Changes one order's row (a no-op if it already scrolled off the board).
    pub fn update(&self, order_id: &str, change: impl FnOnce(&mut OrderDagView)) {
        let mut s = self.0.borrow_mut();
        if let Some(row) = s.orders.iter_mut().rev().find(|o| o.order_id == order_id) {
            change(row);
        }
    }

    pub fn merge_clock(&self, vc: &VectorClock) {
        self.0.borrow_mut().clock.merge(vc);
    }

    pub fn in_flight(&self) -> u32 {
        self.0.borrow().in_flight
    }

    pub fn order_started(&self) {
        self.0.borrow_mut().in_flight += 1;
    }

    pub fn order_finished(&self) {
        let mut s = self.0.borrow_mut();
        s.in_flight = s.in_flight.saturating_sub(1);
    }

    /// Makes this board the node's view, built whenever the world is asked for it.
    pub fn publish(&self, ctx: &NodeCtx) {
        let board = self.0.clone();
        ctx.set_view_source(move || {
            let s = board.borrow();
            NodeView::Orchestrator(OrchestratorView {
                orders: s.orders.iter().cloned().collect(),
                clock: s.clock.clone(),
            })
        });
    }
}
