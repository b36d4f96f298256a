//! The checkout response, with the seeds' JSON field names (seed 000, "Example Response").
//!
//! It is sent before fulfilment: "approved" means validated and queued, not yet paid. The
//! order's final fate (COMMITTED / ABORTED) is followed on the page, not in this reply.

use super::field_error::FieldError;
use crate::clock::VectorClock;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutResponse {
    pub order_id: String,
    pub status: CheckoutStatus,
    pub message: String,
    pub suggested_books: Vec<SuggestedBook>,
    pub final_vector_clock: VectorClock,
    /// Only on rejection: every parse or verification problem, each with its JSON path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Serialised as the seeds' human-readable strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CheckoutStatus {
    #[serde(rename = "Order Approved")]
    Approved,
    #[serde(rename = "Order Rejected")]
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SuggestedBook {
    pub title: String,
    pub author: String,
    pub category: String,
}

impl CheckoutResponse {
    pub fn approved(
        order_id: impl Into<String>,
        suggested_books: Vec<SuggestedBook>,
        final_vector_clock: VectorClock,
    ) -> Self {
        Self {
            order_id: order_id.into(),
            status: CheckoutStatus::Approved,
            message: "Your order has been approved. Order has been queued for processing.".into(),
            suggested_books,
            final_vector_clock,
            errors: Vec::new(),
        }
    }

    /// `order_id` may be empty when the body could not even be parsed (no order was created).
    pub fn rejected(
        order_id: impl Into<String>,
        errors: Vec<FieldError>,
        final_vector_clock: VectorClock,
    ) -> Self {
        let count = errors.len() as u64;
        let noun = if count == 1 { "problem" } else { "problems" };
        Self {
            order_id: order_id.into(),
            status: CheckoutStatus::Rejected,
            message: format!("Your order was rejected: {count} {noun} found. Nothing was charged."),
            suggested_books: Vec::new(),
            final_vector_clock,
            errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approved_response_has_the_seed_field_names_and_no_errors_key() {
        let clock = VectorClock::from_pairs([("orchestrator", 1), ("transaction_verification", 4)]);
        let book = SuggestedBook {
            title: "Clean Code".into(),
            author: "Robert C. Martin".into(),
            category: "Software Engineering".into(),
        };
        let json = serde_json::to_value(CheckoutResponse::approved("o-1", vec![book], clock))
            .expect("serialisable");
        assert_eq!(json["orderId"], "o-1");
        assert_eq!(json["status"], "Order Approved");
        assert_eq!(json["suggestedBooks"][0]["author"], "Robert C. Martin");
        assert_eq!(json["finalVectorClock"]["transaction_verification"], 4);
        assert!(json.get("errors").is_none());
    }

    #[test]
    fn a_rejected_response_lists_its_errors_and_round_trips() {
        let errors = vec![FieldError::new(
            "creditCard.number",
            "fails the Luhn checksum",
        )];
        let resp = CheckoutResponse::rejected("o-2", errors, VectorClock::new());
        let text = serde_json::to_string(&resp).expect("serialisable");
        assert!(text.contains("\"status\":\"Order Rejected\""));
        assert!(text.contains("\"field\":\"creditCard.number\""));
        assert!(resp.message.contains("1 problem found"));
        let back: CheckoutResponse = serde_json::from_str(&text).expect("parses back");
        assert_eq!(back, resp);
    }
}
