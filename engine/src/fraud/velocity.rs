//! Card velocity: how often one card (and how many different cards per contact) was used
//! within a sliding window of simulated time, across orders.
//!
//! Only fingerprints are kept, never card numbers. Memory is bounded twice: entries older
//! than the window are evicted on every record, and past `capacity` the oldest entry goes
//! first, so a flood of orders cannot grow the tracker (it can only forget sooner, which
//! under-counts; the velocity rule then errs towards approving, never towards crashing).

use std::collections::{BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::sim::rng::fnv1a64;

/// One minute of simulated time: orders in the demo arrive seconds apart.
pub const DEFAULT_WINDOW_US: u64 = 60_000_000;
pub const DEFAULT_CAPACITY: u32 = 4096;

/// Stable fingerprint of a card number: its digits only (spaces and dashes ignored), salted
/// so the value is not the plain FNV hash of the number.
pub fn card_fingerprint(card_number: &str) -> u64 {
    let mut bytes = b"bookmesh-card:".to_vec();
    bytes.extend(card_number.bytes().filter(u8::is_ascii_digit));
    fnv1a64(&bytes)
}

/// Stable fingerprint of a user contact (trimmed, case-insensitive).
pub fn contact_fingerprint(contact: &str) -> u64 {
    let mut bytes = b"bookmesh-contact:".to_vec();
    bytes.extend(contact.trim().to_lowercase().bytes());
    fnv1a64(&bytes)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Use {
    time_us: u64,
    card: u64,
    contact: u64,
}

/// What the tracker says about the order just recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VelocityCounts {
    /// Uses of this card within the window, this one included.
    pub card_uses_in_window: u32,
    /// Different cards this contact used within the window, this one included.
    pub distinct_cards_for_contact: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VelocityTracker {
    window_us: u64,
    capacity: u32,
    /// Oldest first; times never decrease (see `record`).
    uses: VecDeque<Use>,
}

impl Default for VelocityTracker {
    fn default() -> Self {
        Self::new(DEFAULT_WINDOW_US, DEFAULT_CAPACITY)
    }
}

impl VelocityTracker {
    /// The window is at least 1 µs (then only uses at the very same instant count) and the
    /// capacity at least 1 entry.
    pub fn new(window_us: u64, capacity: u32) -> Self {
        Self {
            window_us: window_us.max(1),
            capacity: capacity.max(1),
            uses: VecDeque::new(),
        }
    }

    pub fn window_us(&self) -> u64 {
        self.window_us
    }

    pub fn len(&self) -> u32 {
        u32::try_from(self.uses.len()).unwrap_or(u32::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.uses.is_empty()
    }

    /// Records one use at `now_us` and returns the counts including it. A time earlier than
    /// the latest recorded one (which virtual time never produces) is treated as that latest
    /// time, so the window never moves backwards and the queue stays sorted.
    pub fn record(&mut self, card: u64, contact: u64, now_us: u64) -> VelocityCounts {
        let latest = self.uses.back().map_or(0, |u| u.time_us);
        let time_us = now_us.max(latest);
        self.evict_expired(time_us);
        while self.uses.len() >= self.capacity as usize {
            self.uses.pop_front();
        }
        self.uses.push_back(Use {
            time_us,
            card,
            contact,
        });
        VelocityCounts {
            card_uses_in_window: self.card_uses(card, time_us),
            distinct_cards_for_contact: self.distinct_cards(contact, time_us),
        }
    }

    /// Uses of `card` within the window ending at `now_us`: a use at time t counts while
    /// `now_us - t < window_us` (so it drops out exactly `window_us` after it happened).
    pub fn card_uses(&self, card: u64, now_us: u64) -> u32 {
        let n = self.in_window(now_us).filter(|u| u.card == card).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Different cards used by `contact` within the window ending at `now_us`.
    pub fn distinct_cards(&self, contact: u64, now_us: u64) -> u32 {
        let cards: BTreeSet<u64> = self
            .in_window(now_us)
            .filter(|u| u.contact == contact)
            .map(|u| u.card)
            .collect();
        u32::try_from(cards.len()).unwrap_or(u32::MAX)
    }

    /// Drops every use that has left the window by `now_us` (never a use later than `now_us`).
    pub fn evict_expired(&mut self, now_us: u64) {
        let window_us = self.window_us;
        while self
            .uses
            .front()
            .is_some_and(|u| u.time_us <= now_us && now_us - u.time_us >= window_us)
        {
            self.uses.pop_front();
        }
    }

    fn in_window(&self, now_us: u64) -> impl Iterator<Item = &Use> + '_ {
        self.uses.iter().filter(move |u| self.within(u, now_us))
    }

    /// Uses recorded after `now_us` (a query about the past) are not counted.
    fn within(&self, u: &Use, now_us: u64) -> bool {
        u.time_us <= now_us && now_us - u.time_us < self.window_us
    }
}
