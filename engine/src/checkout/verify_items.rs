//! Event a of the validation DAG: VerifyItems.
//!
//! Duplicate lines (the same title twice) are refused, not merged. Why: verification only
//! judges an order, it never rewrites it; every service caches the very request the
//! orchestrator sent, and a silently merged order would differ from the cached one that
//! fraud, the queue and the 2PC stock decrement see. The message tells the user how to fix it.

use super::field_error::{excerpt, into_result, VerificationError};
use super::limits::{ITEM_LINES_MAX, QUANTITY_PER_LINE_MAX, STRING_CHARS_MAX, TOTAL_QUANTITY_MAX};
use super::request::CheckoutRequest;
use super::text_rules::plain_text_problem;
use std::collections::BTreeMap;

/// At least one line and at most `ITEM_LINES_MAX`; each title non-empty, plain text and in
/// the catalog (`is_known_title` is asked only about such titles); each quantity within
/// 1..=`QUANTITY_PER_LINE_MAX`; no title twice; at most `TOTAL_QUANTITY_MAX` copies in all.
pub fn verify_items(
    req: &CheckoutRequest,
    is_known_title: &dyn Fn(&str) -> bool,
) -> Result<(), Vec<VerificationError>> {
    let mut errors = Vec::new();
    let mut push =
        |field: String, message: String| errors.push(VerificationError::new(field, message));
    if req.items.is_empty() {
        push(
            "items".into(),
            "the order has no items; add at least one book".into(),
        );
    }
    if req.items.len() > ITEM_LINES_MAX {
        push(
            "items".into(),
            format!(
                "has {} lines; the limit is {ITEM_LINES_MAX}",
                req.items.len() as u64
            ),
        );
    }
    // First line of each title, to point duplicates at it. BTreeMap: lookups only, but no
    // HashMap anywhere near the engine keeps iteration order a non-question.
    let mut first_line: BTreeMap<&str, u32> = BTreeMap::new();
    for (index, item) in req.items.iter().enumerate().take(ITEM_LINES_MAX) {
        let index = index as u32;
        let path = format!("items[{index}]");
        if let Some(problem) = title_problem(&item.name, is_known_title) {
            push(format!("{path}.name"), problem);
        } else if let Some(first) = first_line.get(item.name.as_str()) {
            push(
                format!("{path}.name"),
                format!(
                    "{} is already on line items[{first}]; put all copies of a title on one line",
                    excerpt(&item.name)
                ),
            );
        } else {
            first_line.insert(&item.name, index);
        }
        if item.quantity == 0 {
            push(format!("{path}.quantity"), "must be at least 1".into());
        } else if item.quantity > QUANTITY_PER_LINE_MAX {
            push(
                format!("{path}.quantity"),
                format!(
                    "is {}; at most {QUANTITY_PER_LINE_MAX} copies of one title per order",
                    item.quantity
                ),
            );
        }
    }
    let total = req.total_quantity();
    if total > TOTAL_QUANTITY_MAX {
        push(
            "items".into(),
            format!("{total} copies in total; the limit is {TOTAL_QUANTITY_MAX} per order"),
        );
    }
    into_result(errors)
}

fn title_problem(name: &str, is_known_title: &dyn Fn(&str) -> bool) -> Option<String> {
    if name.trim().is_empty() {
        return Some("a book title is required".into());
    }
    if let Some(problem) = plain_text_problem(name, STRING_CHARS_MAX) {
        return Some(problem);
    }
    (!is_known_title(name)).then(|| format!("{} is not in the catalog", excerpt(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkout::request::OrderItem;

    fn known(title: &str) -> bool {
        ["Clean Architecture", "Clean Code", "Domain-Driven Design"].contains(&title)
    }

    fn order(lines: &[(&str, u32)]) -> CheckoutRequest {
        let mut r = CheckoutRequest::example();
        r.items = lines
            .iter()
            .map(|(n, q)| OrderItem {
                name: n.to_string(),
                quantity: *q,
            })
            .collect();
        r
    }

    fn errors(lines: &[(&str, u32)]) -> Vec<String> {
        match verify_items(&order(lines), &known) {
            Ok(()) => Vec::new(),
            Err(es) => es.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn catalog_titles_in_sane_quantities_pass() {
        assert_eq!(
            errors(&[("Clean Architecture", 1), ("Clean Code", 100)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_order_without_items_is_refused() {
        assert_eq!(
            errors(&[]),
            ["items: the order has no items; add at least one book"]
        );
    }

    #[test]
    fn an_empty_title_is_required_and_an_unknown_one_is_not_in_the_catalog() {
        assert_eq!(
            errors(&[("  ", 1)]),
            ["items[0].name: a book title is required"]
        );
        assert_eq!(
            errors(&[("Clean Code", 1), ("Dune", 1)]),
            ["items[1].name: \"Dune\" is not in the catalog"]
        );
    }

    #[test]
    fn hostile_titles_are_refused_before_the_catalog_is_asked() {
        let asked = std::cell::Cell::new(0u32);
        let counting = |t: &str| {
            asked.set(asked.get() + 1);
            known(t)
        };
        let result = verify_items(
            &order(&[("<img src=x onerror=alert(1)>", 1), ("a\u{0}b", 1)]),
            &counting,
        );
        assert_eq!(result.map_err(|e| e.len()), Err(2));
        assert_eq!(asked.get(), 0);
    }

    #[test]
    fn quantities_must_be_between_one_and_the_per_line_bound() {
        assert_eq!(
            errors(&[("Clean Code", 0)]),
            ["items[0].quantity: must be at least 1"]
        );
        assert_eq!(
            errors(&[("Clean Code", 101)]),
            ["items[0].quantity: is 101; at most 100 copies of one title per order"]
        );
        assert_eq!(
            errors(&[("Clean Code", 1_000_000_000)]),
            [
                "items[0].quantity: is 1000000000; at most 100 copies of one title per order",
                "items: 1000000000 copies in total; the limit is 500 per order",
            ]
        );
    }

    #[test]
    fn a_title_listed_twice_points_at_its_first_line() {
        assert_eq!(errors(&[("Clean Code", 1), ("Clean Architecture", 2), ("Clean Code", 3)]),
                   ["items[2].name: \"Clean Code\" is already on line items[0]; put all copies of a title on one line"]);
    }

    #[test]
    fn the_total_across_lines_is_bounded() {
        let titles: Vec<String> = (0..6).map(|i| format!("Book {i}")).collect();
        let lines: Vec<(&str, u32)> = titles.iter().map(|t| (t.as_str(), 100)).collect();
        let r = order(&lines);
        let all_known = |_: &str| true;
        let es = verify_items(&r, &all_known).expect_err("600 copies");
        assert_eq!(
            es.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            ["items: 600 copies in total; the limit is 500 per order"]
        );
    }

    #[test]
    fn too_many_lines_are_refused_even_without_parsing() {
        let titles: Vec<String> = (0..101).map(|i| format!("Book {i}")).collect();
        let lines: Vec<(&str, u32)> = titles.iter().map(|t| (t.as_str(), 1)).collect();
        let all_known = |_: &str| true;
        let es = verify_items(&order(&lines), &all_known).expect_err("101 lines");
        assert_eq!(es[0].to_string(), "items: has 101 lines; the limit is 100");
    }
}
