//! Is one history linearizable? The search of Wing & Gong ("Testing and verifying concurrent
//! objects", J. Parallel Distrib. Comput. 17, 1993) with the memoisation of Lowe ("Testing
//! for linearizability", CCPE 2017) as Porcupine implements it
//! (<https://github.com/anishathalye/porcupine>, `checker.go`: `checkSingle`).
//!
//! The history becomes a list of call and return entries in time order (a call before a
//! return at the same instant: intervals are closed, so touching operations may go either
//! way). The search walks the list: at a call it tries to linearise that operation now —
//! the model must accept it from the current state — and if the pair (set of operations
//! linearised, state) is new, it commits to it, takes the operation's call and return out of
//! the list and starts again from the front; at a return whose operation has not been
//! linearised, every ordering tried so far failed to place it before its return, so it
//! backtracks to the last choice. The cache of (set, state) pairs is what makes it usable:
//! two orders that linearised the same operations into the same state have the same futures,
//! so the second is never explored. Linearizable ⇔ the list empties.
//!
//! Bounded by `Limits` (operations, cache entries): past them the answer is `Unknown`, never a
//! hang. Deterministic: entries tie-break by operation index, the cache is a `BTreeSet`.

use std::collections::BTreeSet;

/// A sequential specification: the state an operation leaves, or None if it cannot happen
/// from `state` (a read that returns another value).
pub trait Model {
    type State: Clone + Ord;
    type Op;
    fn init(&self) -> Self::State;
    fn step(&self, state: &Self::State, op: &Self::Op) -> Option<Self::State>;
}

/// One operation with its interval (return None = never returned: it may take effect at any
/// moment after its call).
#[derive(Clone, Debug)]
pub struct Timed<O> {
    pub op: O,
    pub call: u64,
    pub ret: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub ops_max: usize,
    pub cache_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            ops_max: 5_000,
            cache_max: 500_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Linearizable,
    NotLinearizable,
    /// The search bound was reached first (what was reached, in words).
    Unknown(String),
}

/// The call/return list as index-linked nodes: node 0 is the head sentinel.
struct Entries {
    next: Vec<usize>,
    prev: Vec<usize>,
    /// For each node: (operation index, is_call).
    what: Vec<(usize, bool)>,
    /// Operation index → its call node and return node.
    nodes_of: Vec<(usize, usize)>,
}

const NIL: usize = usize::MAX;

impl Entries {
    fn new<O>(history: &[Timed<O>]) -> Self {
        let mut list: Vec<(u64, bool, usize)> = Vec::with_capacity(history.len() * 2);
        for (i, h) in history.iter().enumerate() {
            list.push((h.call, false, i));
            list.push((h.ret.unwrap_or(u64::MAX), true, i));
        }
        // Calls (false) sort before returns (true) at the same time.
        list.sort();
        let n = list.len();
        let mut e = Entries {
            next: (1..=n + 1).map(|i| if i <= n { i } else { NIL }).collect(),
            prev: (0..=n).map(|i| if i == 0 { NIL } else { i - 1 }).collect(),
            what: vec![(0, false); n + 1],
            nodes_of: vec![(0, 0); history.len()],
        };
        for (k, (_, is_return, op)) in list.into_iter().enumerate() {
            let node = k + 1;
            e.what[node] = (op, !is_return);
            if is_return {
                e.nodes_of[op].1 = node;
            } else {
                e.nodes_of[op].0 = node;
            }
        }
        e
    }

    fn unlink(&mut self, node: usize) {
        let (p, n) = (self.prev[node], self.next[node]);
        self.next[p] = n;
        if n != NIL {
            self.prev[n] = p;
        }
    }

    fn relink(&mut self, node: usize) {
        let (p, n) = (self.prev[node], self.next[node]);
        self.next[p] = node;
        if n != NIL {
            self.prev[n] = node;
        }
    }

    /// Takes operation `op` (its call and its return) out of the list.
    fn lift(&mut self, op: usize) {
        let (call, ret) = self.nodes_of[op];
        self.unlink(call);
        self.unlink(ret);
    }

    /// Puts it back (in the reverse order of `lift`).
    fn unlift(&mut self, op: usize) {
        let (call, ret) = self.nodes_of[op];
        self.relink(ret);
        self.relink(call);
    }
}

/// Whether `history` is linearizable with respect to `model`.
pub fn check<M: Model>(model: &M, history: &[Timed<M::Op>], limits: Limits) -> Answer {
    if history.len() > limits.ops_max {
        return Answer::Unknown(format!(
            "{} operations, more than the {} one search takes",
            history.len(),
            limits.ops_max
        ));
    }
    let mut e = Entries::new(history);
    let mut linearized = vec![0u64; history.len().div_ceil(64)];
    let mut cache: BTreeSet<(Vec<u64>, M::State)> = BTreeSet::new();
    let mut calls: Vec<(usize, M::State)> = Vec::new();
    let mut state = model.init();
    let mut node = e.next[0];
    while e.next[0] != NIL {
        let (op, is_call) = e.what[node];
        if is_call {
            if let Some(after) = model.step(&state, &history[op].op) {
                let mut set = linearized.clone();
                set[op / 64] |= 1 << (op % 64);
                if cache.insert((set.clone(), after.clone())) {
                    if cache.len() > limits.cache_max {
                        return Answer::Unknown(format!(
                            "more than {} states explored",
                            limits.cache_max
                        ));
                    }
                    calls.push((op, std::mem::replace(&mut state, after)));
                    linearized = set;
                    e.lift(op);
                    node = e.next[0];
                    continue;
                }
            }
            node = e.next[node];
        } else {
            // A return reached before its operation was placed: undo the last choice.
            let Some((op, before)) = calls.pop() else {
                return Answer::NotLinearizable;
            };
            state = before;
            linearized[op / 64] &= !(1 << (op % 64));
            e.unlift(op);
            node = e.next[e.nodes_of[op].0];
        }
    }
    Answer::Linearizable
}

/// A smallest failing subset of `candidates`, checked together with every operation of
/// `fixed`, by dropping candidates while the rest still fails (ddmin, Zeller & Hildebrandt
/// 2002, down to chunks of one: no single candidate of the result can be dropped).
/// `checks_max` bounds the searches; the flag says whether the result is 1-minimal.
pub fn shrink<M: Model>(
    model: &M,
    history: &[Timed<M::Op>],
    fixed: &[usize],
    candidates: &[usize],
    limits: Limits,
    checks_max: usize,
) -> (Vec<usize>, bool)
where
    M::Op: Clone,
{
    let fails = |keep: &[usize]| {
        let mut all: Vec<usize> = fixed.iter().chain(keep).copied().collect();
        all.sort_unstable();
        let sub: Vec<Timed<M::Op>> = all.iter().map(|&k| history[k].clone()).collect();
        check(model, &sub, limits) == Answer::NotLinearizable
    };
    let mut keep = candidates.to_vec();
    let mut checks = 0;
    let mut chunk = (keep.len() / 2).max(1);
    loop {
        let mut removed = false;
        let mut i = 0;
        while i < keep.len() {
            if checks == checks_max {
                return (keep, false);
            }
            checks += 1;
            let end = (i + chunk).min(keep.len());
            let rest: Vec<usize> = keep[..i].iter().chain(&keep[end..]).copied().collect();
            if fails(&rest) {
                keep = rest;
                removed = true;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 && !removed {
            return (keep, true);
        }
        chunk = (chunk / 2).max(1);
    }
}
