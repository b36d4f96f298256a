//! The shop's catalog picker: the engine's shipped catalog (parsed once), a search over title,
//! author and category, and prices as the page prints them.
use engine::catalog::books::{normalized_title, Book, Catalog};
use std::sync::OnceLock;

/// How many search results the picker lists at most.
pub const RESULTS_MAX: usize = 8;

/// The catalog compiled into the engine, parsed on first use. `None` only if the shipped data
/// were broken (the engine's own tests rule that out); the shop then says so instead of panicking.
pub fn catalog() -> Option<&'static Catalog> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().ok()).as_ref()
}

/// Books matching every word of `query` in their title, author or category (case and
/// punctuation ignored), best first: title starts with the query, then a title word does,
/// then anything else; ties keep catalog order. An empty query lists the first books.
pub fn search<'a>(books: &'a [Book], query: &str, limit: usize) -> Vec<&'a Book> {
    let wanted = normalized_title(query);
    let terms: Vec<&str> = wanted.split(' ').filter(|t| !t.is_empty()).collect();
    if terms.is_empty() {
        return books.iter().take(limit).collect();
    }
    let mut hits: Vec<(u8, &Book)> = books
        .iter()
        .filter_map(|book| {
            let title = normalized_title(&book.title);
            let haystack = format!(
                "{title} {} {}",
                normalized_title(&book.author),
                normalized_title(&book.category)
            );
            if !terms.iter().all(|t| haystack.contains(t)) {
                return None;
            }
            let rank = if title.starts_with(wanted.as_str()) {
                0
            } else if title.split(' ').any(|w| w.starts_with(terms[0])) {
                1
            } else {
                2
            };
            Some((rank, book))
        })
        .collect();
    hits.sort_by_key(|(rank, _)| *rank); // stable: catalog order within a rank
    hits.into_iter().take(limit).map(|(_, b)| b).collect()
}

/// The price of one copy of `title`, if the catalog carries it.
pub fn unit_price_cents(catalog: Option<&Catalog>, title: &str) -> Option<u64> {
    catalog?.find_title(title).map(|b| b.price_cents)
}

/// "$49.99"; grouping thousands keeps big carts readable ("$1,234,567.00").
pub fn format_price(cents: u64) -> String {
    let dollars = (cents / 100).to_string();
    let mut grouped = String::with_capacity(dollars.len() + dollars.len() / 3);
    for (i, c) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn books() -> &'static [Book] {
        catalog().expect("the shipped catalog parses").books()
    }

    #[test]
    fn the_shipped_catalog_loads_with_the_seed_title() {
        let c = catalog().expect("loads");
        assert!(c.len() > 200);
        assert!(c.find_title("Clean Architecture").is_some());
    }

    #[test]
    fn a_title_prefix_ranks_first() {
        let hits = search(books(), "clean arch", 5);
        assert_eq!(hits[0].title, "Clean Architecture");
    }

    #[test]
    fn search_matches_author_and_category_and_needs_every_word() {
        assert!(search(books(), "tolkien", 8)
            .iter()
            .all(|b| b.author.contains("Tolkien")));
        assert!(!search(books(), "tolkien", 8).is_empty());
        let sf = search(books(), "science fiction", 8);
        assert!(!sf.is_empty());
        assert!(
            sf.iter()
                .all(|b| b.category == "Science Fiction"
                    || b.title.to_lowercase().contains("science"))
        );
        assert!(search(books(), "tolkien zzzqqq", 8).is_empty());
    }

    #[test]
    fn an_empty_or_punctuation_query_lists_the_first_books_up_to_the_limit() {
        assert_eq!(search(books(), "", 3).len(), 3);
        assert_eq!(search(books(), "  --- ", 4).len(), 4);
    }

    #[test]
    fn prices_print_as_dollars_with_grouping() {
        assert_eq!(format_price(0), "$0.00");
        assert_eq!(format_price(4999), "$49.99");
        assert_eq!(format_price(123_456_700), "$1,234,567.00");
    }

    #[test]
    fn a_title_outside_the_catalog_has_no_price() {
        assert_eq!(unit_price_cents(catalog(), "No Such Book 123"), None);
        assert!(unit_price_cents(catalog(), "clean architecture").is_some());
    }
}
