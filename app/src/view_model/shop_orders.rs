//! "Your orders" under the shop form: each checkout the client node sent (a `ClientRecord`)
//! as a card — pending, approved (suggestions, final clock), rejected (errors by field) or
//! failed (no answer) — plus the order just sent from this page that the world has not taken
//! in yet (the run is paused, or the frame has not come).
use engine::checkout::{CheckoutStatus, FieldError, SuggestedBook};
use engine::sim::Micros;
use engine::system::client::ClientRecord;

use super::orders::clock_columns;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardState {
    Pending,
    Approved,
    Rejected,
    /// No answer (deadline exceeded, unexpected reply).
    Failed,
}

impl CardState {
    pub fn class(self) -> &'static str {
        match self {
            CardState::Pending => "is-pending",
            CardState::Approved => "is-approved",
            CardState::Rejected => "is-rejected",
            CardState::Failed => "is-failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutCard {
    /// Index in the client's log: stable for the life of the run.
    pub slot: usize,
    pub submitted_at_us: Micros,
    pub answered_at_us: Option<Micros>,
    pub state: CardState,
    /// "Order Approved", "Order Rejected", "Waiting for the orchestrator…", "No answer".
    pub title: String,
    pub order_id: Option<String>,
    pub message: String,
    /// What was ordered, in words ("Clean Architecture ×1"), or why the body is unreadable.
    pub summary: String,
    pub suggestions: Vec<SuggestedBook>,
    pub errors: Vec<FieldError>,
    /// The final vector clock, entry by entry.
    pub final_clock: Vec<(String, u64)>,
}

/// The cards, newest first.
pub fn checkout_cards(records: &[ClientRecord]) -> Vec<CheckoutCard> {
    records
        .iter()
        .enumerate()
        .rev()
        .map(|(slot, r)| card(slot, r))
        .collect()
}

pub fn card(slot: usize, r: &ClientRecord) -> CheckoutCard {
    let summary = items_summary(&r.body);
    let base = CheckoutCard {
        slot,
        submitted_at_us: r.submitted_at_us,
        answered_at_us: r.answered_at_us,
        state: CardState::Pending,
        title: "Validating…".into(),
        order_id: None,
        message: "The orchestrator is running the six checks of the event DAG — watch the checkout-DAG messages cross the mesh.".into(),
        summary,
        suggestions: Vec::new(),
        errors: Vec::new(),
        final_clock: Vec::new(),
    };
    match (&r.response, &r.error) {
        (Some(resp), _) => {
            let approved = resp.status == CheckoutStatus::Approved;
            CheckoutCard {
                state: if approved { CardState::Approved } else { CardState::Rejected },
                title: if approved { "Order Approved" } else { "Order Rejected" }.into(),
                order_id: Some(resp.order_id.clone()).filter(|id| !id.is_empty()),
                message: resp.message.clone(),
                suggestions: resp.suggested_books.clone(),
                errors: resp.errors.clone(),
                final_clock: clock_columns([&resp.final_vector_clock]).into_iter().map(|p| { let n = resp.final_vector_clock.get(&p); (p, n) }).collect(),
                ..base
            }
        }
        (None, Some(error)) => CheckoutCard {
            state: CardState::Failed,
            title: "No answer".into(),
            message: format!("The client gave up: {error}. The order may still have gone through — see the Orders tab."),
            ..base
        },
        (None, None) => base,
    }
}

/// "Clean Architecture ×1", "Dune ×3 · The Hobbit ×2", "3 books: Dune ×1, …" — or, for a
/// body that is not a checkout, what it starts with.
pub fn items_summary(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return format!("Not JSON: {}", truncated(body, 40));
    };
    let Some(items) = value.get("items").and_then(|i| i.as_array()) else {
        return "No items list".into();
    };
    let lines: Vec<String> = items
        .iter()
        .map(|item| {
            let name = item.get("name").and_then(|n| n.as_str()).unwrap_or("?");
            match item.get("quantity") {
                Some(q) => format!("{name} ×{q}"),
                None => name.to_string(),
            }
        })
        .collect();
    match lines.len() {
        0 => "An empty cart".into(),
        1..=2 => lines.join(" · "),
        n => format!("{} · +{} more", lines[..2].join(" · "), n - 2),
    }
}

/// The first `max` characters of `text` on one line, with "…" if cut.
fn truncated(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// The order the shopper just sent from this page, as the shop remembers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub at_us: Micros,
    pub body: String,
}

/// What to say about the order just sent while it waits: the page hands a checkout to the
/// world at once (at the next whole virtual millisecond), but a paused run moves nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentState {
    /// Sent, unanswered, and virtual time has not moved since: the run is paused.
    WaitingForPlay,
    /// Not in the world yet although time moves (it is due at the next whole millisecond).
    Arriving,
}

/// True if `r` is one of the bodies this page sent (the others came from the scenario).
pub fn sent_from_page(r: &ClientRecord, sent: &[Sent]) -> bool {
    sent.iter().any(|s| s.matches(r))
}

impl Sent {
    /// The world applies a verb at the next whole millisecond, with the body unchanged.
    fn matches(&self, r: &ClientRecord) -> bool {
        r.body == self.body
            && r.submitted_at_us >= self.at_us
            && r.submitted_at_us <= self.at_us.div_ceil(1000) * 1000
    }
}

/// `None` once the order is under way (time moved since it was sent, or it was answered), or
/// after travelling back before it was sent.
pub fn sent_state(
    sent: Option<&Sent>,
    now_us: Micros,
    records: &[ClientRecord],
) -> Option<SentState> {
    let sent = sent?;
    if now_us < sent.at_us {
        return None;
    }
    match records.iter().find(|r| sent.matches(r)) {
        Some(r) if r.response.is_none() && r.error.is_none() && now_us == r.submitted_at_us => {
            Some(SentState::WaitingForPlay)
        }
        Some(_) => None,
        None if now_us == sent.at_us => Some(SentState::WaitingForPlay),
        None => Some(SentState::Arriving),
    }
}

/// Service errors of the newest answer to `body`, for highlighting the form's inputs.
pub fn errors_for_body<'a>(records: &'a [ClientRecord], body: &str) -> &'a [FieldError] {
    records
        .iter()
        .rev()
        .find(|r| r.body == body && r.response.is_some())
        .and_then(|r| r.response.as_ref())
        .map_or(&[], |resp| resp.errors.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::checkout::CheckoutResponse;
    use engine::clock::VectorClock;

    fn record(body: &str, at: Micros) -> ClientRecord {
        ClientRecord {
            submitted_at_us: at,
            body: body.into(),
            response: None,
            answered_at_us: None,
            error: None,
        }
    }

    #[test]
    fn a_record_without_answer_is_pending_and_cards_list_newest_first() {
        let cards = checkout_cards(&[record("{}", 1), record("{}", 2)]);
        assert_eq!(cards[0].slot, 1);
        assert_eq!(cards[0].state, CardState::Pending);
    }

    #[test]
    fn an_approved_answer_carries_id_suggestions_and_clock() {
        let mut r = record(
            r#"{"items":[{"name":"Clean Architecture","quantity":1}]}"#,
            5,
        );
        let book = SuggestedBook {
            title: "Clean Code".into(),
            author: "Robert C. Martin".into(),
            category: "Software Engineering".into(),
        };
        r.response = Some(CheckoutResponse::approved(
            "ord-0001",
            vec![book.clone()],
            VectorClock::from_pairs([("orchestrator", 1), ("fraud", 3)]),
        ));
        let c = card(0, &r);
        assert_eq!(
            (c.state, c.title.as_str(), c.order_id.as_deref()),
            (CardState::Approved, "Order Approved", Some("ord-0001"))
        );
        assert_eq!(c.suggestions, vec![book]);
        assert_eq!(
            c.final_clock,
            vec![("orchestrator".to_string(), 1), ("fraud".to_string(), 3)],
            "the seed's service order"
        );
        assert_eq!(c.summary, "Clean Architecture ×1");
    }

    #[test]
    fn a_rejection_lists_its_errors_and_an_empty_order_id_is_none() {
        let mut r = record("{", 5);
        r.response = Some(CheckoutResponse::rejected(
            "",
            vec![FieldError::new("body", "not JSON")],
            VectorClock::new(),
        ));
        let c = card(0, &r);
        assert_eq!(c.state, CardState::Rejected);
        assert_eq!(c.order_id, None);
        assert_eq!(c.errors[0].field, "body");
        assert_eq!(c.summary, "Not JSON: {");
    }

    #[test]
    fn a_client_error_is_a_failed_card() {
        let mut r = record("{}", 5);
        r.error = Some("DEADLINE_EXCEEDED".into());
        assert_eq!(card(0, &r).state, CardState::Failed);
    }

    #[test]
    fn summaries_name_items_and_count_the_rest() {
        let body = r#"{"items":[{"name":"A","quantity":1},{"name":"B","quantity":2},{"name":"C","quantity":3}]}"#;
        assert_eq!(items_summary(body), "A ×1 · B ×2 · +1 more");
        assert_eq!(items_summary(r#"{"items":[]}"#), "An empty cart");
        assert_eq!(items_summary(r#"{"user":{}}"#), "No items list");
    }

    #[test]
    fn a_sent_order_waits_for_play_until_time_moves_then_becomes_a_record() {
        let sent = Sent {
            at_us: 2_500_300,
            body: "{}".into(),
        };
        assert_eq!(
            sent_state(Some(&sent), 2_500_300, &[]),
            Some(SentState::WaitingForPlay)
        );
        assert_eq!(
            sent_state(Some(&sent), 2_500_900, &[]),
            Some(SentState::Arriving)
        );
        assert_eq!(
            sent_state(Some(&sent), 2_600_000, &[record("{}", 2_501_000)]),
            None
        );
        // In the world but paused: time still stands where it was taken in.
        assert_eq!(
            sent_state(Some(&sent), 2_501_000, &[record("{}", 2_501_000)]),
            Some(SentState::WaitingForPlay)
        );
        // An identical body sent earlier is not this one.
        assert_eq!(
            sent_state(Some(&sent), 2_600_000, &[record("{}", 1_000_000)]),
            Some(SentState::Arriving)
        );
        // Travelled back before it was sent.
        assert_eq!(sent_state(Some(&sent), 1_000, &[]), None);
        assert_eq!(sent_state(None, 1_000, &[]), None);
    }

    #[test]
    fn records_sent_from_the_page_are_told_apart_from_the_scenario_s() {
        let mine = [Sent {
            at_us: 1_200_400,
            body: "{}".into(),
        }];
        assert!(sent_from_page(&record("{}", 1_201_000), &mine));
        assert!(
            !sent_from_page(&record("{}", 2_500_000), &mine),
            "same body, the scenario's time"
        );
        assert!(!sent_from_page(&record("{\"x\":1}", 1_201_000), &mine));
    }

    #[test]
    fn errors_for_a_body_come_from_its_newest_answer() {
        let mut old = record("b", 1);
        old.response = Some(CheckoutResponse::rejected(
            "o1",
            vec![FieldError::new("user.name", "x")],
            VectorClock::new(),
        ));
        let mut new = record("b", 2);
        new.response = Some(CheckoutResponse::rejected(
            "o2",
            vec![FieldError::new("creditCard.cvv", "y")],
            VectorClock::new(),
        ));
        let records = [old, new, record("b", 3)];
        assert_eq!(errors_for_body(&records, "b")[0].field, "creditCard.cvv");
        assert!(errors_for_body(&records, "other").is_empty());
    }
}
