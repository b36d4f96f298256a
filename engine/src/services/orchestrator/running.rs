//! A set of futures in flight, awaited one completion at a time: what lets the DAG runner start
//! an event the moment its dependencies finish, while others are still running.
//!
//! Written here instead of taking the `futures` crate's `FuturesUnordered`: this one polls in
//! launch order and returns the first ready future in that order, so a run replays exactly.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

pub struct Running<K, T> {
    futures: Vec<(K, BoxFuture<T>)>,
}

impl<K, T> Default for Running<K, T> {
    fn default() -> Self {
        Self {
            futures: Vec::new(),
        }
    }
}

impl<K: Copy, T> Running<K, T> {
    pub fn push(&mut self, key: K, future: BoxFuture<T>) {
        self.futures.push((key, future));
    }

    pub fn len(&self) -> usize {
        self.futures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.futures.is_empty()
    }

    /// The next future to finish, with its key; `None` when nothing is in flight.
    pub async fn next(&mut self) -> Option<(K, T)> {
        if self.futures.is_empty() {
            return None;
        }
        std::future::poll_fn(|cx| {
            for i in 0..self.futures.len() {
                if let Poll::Ready(out) = self.futures[i].1.as_mut().poll(cx) {
                    let (key, _) = self.futures.remove(i);
                    return Poll::Ready(Some((key, out)));
                }
            }
            Poll::Pending
        })
        .await
    }
}
