//! The priority formula, in integer points, and the anti-starvation bound it implies.
//!
//! base      = shipping points + min(quantity, cap) × points per item + gift-wrap points
//!             + country bonus
//! effective = base + ⌊waited / aging interval⌋ × aging points
//!
//! With the defaults the shipping method dominates (standard ≤ 130 < priority ≥ 160,
//! priority ≤ 280 < express ≥ 310), then quantity, then gift wrap; then waiting time takes
//! over: +10 points per second waited.
//!
//! Why nothing starves: every entry ages at the same rate, so an entry X (base b, enqueued at
//! t) gains on any entry enqueued d later by ⌊d / interval⌋ × points. Once d ≥ W =
//! ⌈(max_base − b) / points⌉ × interval the later entry can at best tie X forever after, and
//! ties go to the earlier enqueue time. So X can be overtaken only by the orders present when
//! it arrived and those that arrive within W after it: a finite set, whatever the arrival
//! rate. `overtake_window_us` computes W; the queue tests check the bound.

use super::entry::{QueueEntry, ShippingMethod};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityConfig {
    pub standard_points: u64,
    pub priority_points: u64,
    pub express_points: u64,
    pub points_per_item: u64,
    /// Quantities above this count as this many: caps the base priority, and so the bound.
    pub max_counted_items: u32,
    pub gift_wrap_points: u64,
    /// (country, bonus) pairs; the country matches ASCII case-insensitively.
    pub country_bonus: Vec<(String, u64)>,
    pub aging_interval_us: u64,
    /// Points gained per full interval waited; 0 disables aging (and the starvation bound).
    pub aging_points_per_interval: u64,
}

impl Default for PriorityConfig {
    fn default() -> Self {
        Self {
            standard_points: 0,
            priority_points: 150,
            express_points: 300,
            points_per_item: 10,
            max_counted_items: 10,
            gift_wrap_points: 30,
            country_bonus: Vec::new(),
            aging_interval_us: 1_000_000,
            aging_points_per_interval: 10,
        }
    }
}

impl PriorityConfig {
    pub fn shipping_points(&self, shipping: ShippingMethod) -> u64 {
        match shipping {
            ShippingMethod::Standard => self.standard_points,
            ShippingMethod::Priority => self.priority_points,
            ShippingMethod::Express => self.express_points,
        }
    }

    pub fn country_points(&self, country: Option<&str>) -> u64 {
        // Checked first: this runs for every waiting order on every ranking, and the usual
        // configuration has no bonus at all.
        if self.country_bonus.is_empty() {
            return 0;
        }
        let Some(country) = country else { return 0 };
        let country = country.trim();
        self.country_bonus
            .iter()
            .filter(|(c, _)| c.eq_ignore_ascii_case(country))
            .map(|(_, points)| *points)
            .max()
            .unwrap_or(0)
    }

    pub fn base_priority(&self, e: &QueueEntry) -> u64 {
        let items = e.total_quantity.min(self.max_counted_items) as u64;
        let gift = if e.gift_wrap {
            self.gift_wrap_points
        } else {
            0
        };
        self.shipping_points(e.shipping)
            .saturating_add(items.saturating_mul(self.points_per_item))
            .saturating_add(gift)
            .saturating_add(self.country_points(e.country.as_deref()))
    }

    /// Points earned by waiting from `enqueued_at_us` until `now_us`.
    pub fn aging_points(&self, enqueued_at_us: u64, now_us: u64) -> u64 {
        let waited = now_us.saturating_sub(enqueued_at_us);
        (waited / self.aging_interval_us.max(1)).saturating_mul(self.aging_points_per_interval)
    }

    pub fn effective_priority(&self, e: &QueueEntry, now_us: u64) -> u64 {
        self.base_priority(e)
            .saturating_add(self.aging_points(e.enqueued_at_us, now_us))
    }

    /// The highest base priority any entry can have.
    pub fn max_base_priority(&self) -> u64 {
        let shipping = ShippingMethod::ALL
            .iter()
            .map(|s| self.shipping_points(*s))
            .max()
            .unwrap_or(0);
        let country = self
            .country_bonus
            .iter()
            .map(|(_, p)| *p)
            .max()
            .unwrap_or(0);
        shipping
            .saturating_add((self.max_counted_items as u64).saturating_mul(self.points_per_item))
            .saturating_add(self.gift_wrap_points)
            .saturating_add(country)
    }

    /// W for an entry of base priority `base`: nothing enqueued W or more after it can ever
    /// be served before it. `None` when aging is off (then low priorities can starve).
    pub fn overtake_window_us(&self, base: u64) -> Option<u64> {
        if self.aging_points_per_interval == 0 {
            return None;
        }
        let gap = self.max_base_priority().saturating_sub(base);
        let intervals = gap.div_ceil(self.aging_points_per_interval);
        Some(intervals.saturating_mul(self.aging_interval_us.max(1)))
    }
}
