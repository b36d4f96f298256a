//! What the orchestrator enqueues: an approved order, its priority inputs and an opaque payload.

use serde::{Deserialize, Serialize};

pub const MAX_ORDER_ID_BYTES: usize = 128;
pub const MAX_COUNTRY_BYTES: usize = 64;
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// The checkout's shipping method: one type from the form to the queue.
pub use crate::checkout::ShippingMethod;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QueueEntry {
    pub order_id: String,
    /// Sum of item quantities in the order.
    pub total_quantity: u32,
    pub shipping: ShippingMethod,
    pub gift_wrap: bool,
    /// Billing country, for the optional country bonus.
    pub country: Option<String>,
    /// When the order was first enqueued; kept across redeliveries so it keeps its aging.
    pub enqueued_at_us: u64,
    /// The approved order as JSON, carried untouched to the executor.
    pub payload: String,
}

impl QueueEntry {
    /// Refuses entries the queue should never hold, with a reason the caller can show.
    pub fn validate(&self) -> Result<(), String> {
        if self.order_id.is_empty() {
            return Err("order id is empty".to_string());
        }
        if self.order_id.len() > MAX_ORDER_ID_BYTES {
            return Err(format!(
                "order id is longer than {MAX_ORDER_ID_BYTES} bytes"
            ));
        }
        if self.total_quantity == 0 {
            return Err(format!(
                "order {} has no items",
                truncate(&self.order_id, 32)
            ));
        }
        if self
            .country
            .as_ref()
            .is_some_and(|c| c.len() > MAX_COUNTRY_BYTES)
        {
            return Err(format!("country is longer than {MAX_COUNTRY_BYTES} bytes"));
        }
        if self.payload.len() > MAX_PAYLOAD_BYTES {
            return Err(format!("payload is larger than {MAX_PAYLOAD_BYTES} bytes"));
        }
        Ok(())
    }
}

/// At most `max_chars` characters of `s`, for error messages that echo hostile input.
fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}
