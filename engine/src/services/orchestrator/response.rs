//! The client's answers and the queue entry of an approved order.

use crate::checkout::field_error::cap_errors;
use crate::checkout::{CheckoutRequest, CheckoutResponse, FieldError, SuggestedBook};
use crate::clock::VectorClock;
use crate::protocol::order_queue::{QueueEntry, MAX_COUNTRY_BYTES};
use crate::sim::Micros;

pub fn approved(
    order_id: &str,
    suggestions: Vec<SuggestedBook>,
    vc: &VectorClock,
) -> CheckoutResponse {
    CheckoutResponse::approved(order_id, suggestions, vc.clone())
}

/// Every error, capped so a hostile body cannot make the answer bigger than the request.
pub fn rejected(order_id: &str, errors: Vec<FieldError>, vc: &VectorClock) -> CheckoutResponse {
    CheckoutResponse::rejected(order_id, cap_errors(errors), vc.clone())
}

/// Valid, but the queue did not take it: not approved, and the client is told why.
pub fn not_queued(order_id: &str, error: FieldError, vc: &VectorClock) -> CheckoutResponse {
    let mut response = CheckoutResponse::rejected(order_id, vec![error], vc.clone());
    response.message =
        "Your order passed every check but could not be queued for processing, so it is not approved and nothing was charged. Please try again."
            .into();
    response
}

pub fn overloaded(order_id: &str, limit: u32) -> CheckoutResponse {
    let error = FieldError::new(
        "orchestrator",
        format!(
            "RESOURCE_EXHAUSTED: {limit} orders are already being validated; try again shortly"
        ),
    );
    let mut response = CheckoutResponse::rejected(order_id, vec![error], VectorClock::new());
    response.message = "The shop is busy: your order was not processed and nothing was charged. Please try again shortly.".into();
    response
}

/// No order id could be recorded (the orchestrator's disk is full): nothing was done. The
/// response carries no order id, since handing one out unrecorded could hand it out twice.
pub fn no_order_id(why: &str) -> CheckoutResponse {
    let error = FieldError::new(
        "orchestrator",
        format!("UNAVAILABLE: no order id could be recorded ({why})"),
    );
    let mut response = CheckoutResponse::rejected("", vec![error], VectorClock::new());
    response.message =
        "The shop cannot take orders right now: your order was not processed and nothing was charged. Please try again later."
            .into();
    response
}

/// What the queue needs to rank the order, plus the request itself (as JSON) for the executor.
pub fn queue_entry(
    order_id: &str,
    request: &CheckoutRequest,
    now: Micros,
) -> Result<QueueEntry, FieldError> {
    let payload = serde_json::to_string(request)
        .map_err(|e| FieldError::new("body", format!("could not serialise the order: {e}")))?;
    let shipping = request.shipping_method;
    let country = &request.billing_address.country;
    Ok(QueueEntry {
        order_id: order_id.to_string(),
        total_quantity: u32::try_from(request.total_quantity()).unwrap_or(u32::MAX),
        shipping,
        gift_wrap: request.gift_wrapping,
        // The country only adds an optional bonus: an oversized one is dropped, not refused.
        country: (!country.is_empty() && country.len() <= MAX_COUNTRY_BYTES)
            .then(|| country.clone()),
        enqueued_at_us: now,
        payload,
    })
}
