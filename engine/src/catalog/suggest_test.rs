use super::books::{author_names, Catalog};
use super::embeddings::Embeddings;
use super::suggest::{suggest, SuggestMethod};

fn setup() -> (Catalog, Embeddings) {
    let c = Catalog::embedded().expect("catalog loads");
    let e = Embeddings::embedded(&c).expect("embeddings parse");
    (c, e)
}

fn id(c: &Catalog, title: &str) -> u32 {
    c.find_title_exact(title)
        .unwrap_or_else(|| panic!("{title} missing"))
        .id
}

/// Deterministic baskets of 1..=4 books spread over the catalog.
fn baskets(c: &Catalog) -> Vec<Vec<u32>> {
    let ids: Vec<u32> = c.books().iter().map(|b| b.id).collect();
    (0..40)
        .map(|i| {
            (0..1 + i % 4)
                .map(|j| ids[(i * 37 + j * 101) % ids.len()])
                .collect()
        })
        .collect()
}

#[test]
fn purchased_books_are_never_suggested_by_either_method() {
    let (c, e) = setup();
    for basket in baskets(&c) {
        for model in [Some(&e), None] {
            let s = suggest(&c, model, &basket, 20);
            assert_eq!(s.books.len(), 20);
            assert!(
                s.books.iter().all(|b| !basket.contains(b)),
                "{basket:?} -> {:?}",
                s.books
            );
        }
    }
}

#[test]
fn suggestions_are_distinct_and_exist_in_the_catalog() {
    let (c, e) = setup();
    for basket in baskets(&c) {
        let mut books = suggest(&c, Some(&e), &basket, 30).books;
        assert!(books.iter().all(|&b| c.by_id(b).is_some()));
        books.sort();
        books.dedup();
        assert_eq!(books.len(), 30);
    }
}

#[test]
fn with_the_model_a_single_purchase_gets_its_nearest_neighbours() {
    let (c, e) = setup();
    let clean = id(&c, "Clean Architecture");
    let s = suggest(&c, Some(&e), &[clean], 3);
    assert!(s.model_used);
    assert_eq!(s.method, SuggestMethod::Semantic);
    assert_eq!(s.books, e.nearest(clean, 3));
    assert_eq!(s.books[0], id(&c, "Clean Code"));
}

#[test]
fn a_mixed_basket_gets_neighbours_of_each_purchase() {
    let (c, e) = setup();
    let basket = [
        id(&c, "The Hobbit"),
        id(&c, "Designing Data-Intensive Applications"),
    ];
    let s = suggest(&c, Some(&e), &basket, 6);
    let cats: Vec<&str> = s
        .books
        .iter()
        .map(|&b| c.by_id(b).expect("known").category.as_str())
        .collect();
    assert!(cats.contains(&"Fantasy"), "{cats:?}");
    assert!(cats.contains(&"Computer Science"), "{cats:?}");
}

#[test]
fn order_and_duplicates_in_the_basket_do_not_change_the_answer() {
    let (c, e) = setup();
    for basket in baskets(&c) {
        let mut shuffled: Vec<u32> = basket.iter().rev().copied().collect();
        shuffled.extend_from_slice(&basket);
        for model in [Some(&e), None] {
            assert_eq!(
                suggest(&c, model, &basket, 8),
                suggest(&c, model, &shuffled, 8)
            );
        }
    }
}

#[test]
fn without_the_model_same_author_comes_first_then_same_category_then_recent() {
    let (c, _) = setup();
    let mort = id(&c, "Mort");
    let s = suggest(&c, None, &[mort], c.len());
    assert!(!s.model_used);
    assert_eq!(s.method, SuggestMethod::RuleFallback);
    // Pratchett books, newest first (Good Omens counts through its co-author).
    let expected_first = [
        id(&c, "Good Omens"),
        id(&c, "Guards! Guards!"),
        id(&c, "The Colour of Magic"),
    ];
    assert_eq!(s.books[..3], expected_first);
    let tier = |b: u32| {
        let book = c.by_id(b).expect("known");
        if author_names(&book.author).contains(&"Terry Pratchett") {
            0
        } else if book.category == "Fantasy" {
            1
        } else {
            2
        }
    };
    let tiers: Vec<u8> = s.books.iter().map(|&b| tier(b)).collect();
    assert!(
        tiers.windows(2).all(|w| w[0] <= w[1]),
        "tiers out of order: {tiers:?}"
    );
    let years: Vec<u16> = s
        .books
        .iter()
        .filter(|&&b| tier(b) == 2)
        .map(|&b| c.by_id(b).expect("known").year)
        .collect();
    assert!(
        years.windows(2).all(|w| w[0] >= w[1]),
        "rest is most recent first"
    );
    assert_eq!(s.books.len(), c.len() - 1);
}

#[test]
fn a_co_author_links_both_authors_books_in_the_fallback() {
    let (c, _) = setup();
    let s = suggest(&c, None, &[id(&c, "Good Omens")], 5);
    let titles: Vec<&str> = s
        .books
        .iter()
        .map(|&b| c.by_id(b).expect("known").title.as_str())
        .collect();
    // Gaiman's and Pratchett's own books, newest first, then the rest of Fantasy.
    assert_eq!(
        titles[..4],
        [
            "American Gods",
            "Guards! Guards!",
            "Mort",
            "The Colour of Magic"
        ]
    );
    assert_eq!(c.by_id(s.books[4]).expect("known").category, "Fantasy");
}

#[test]
fn unknown_or_empty_baskets_fall_back_to_the_most_recent_books() {
    let (c, e) = setup();
    for basket in [vec![], vec![0, 999_999]] {
        let s = suggest(&c, Some(&e), &basket, 5);
        assert!(
            !s.model_used,
            "nothing known was bought, so the model cannot rank"
        );
        let newest = c.books().iter().map(|b| b.year).max().expect("non-empty");
        assert_eq!(c.by_id(s.books[0]).expect("known").year, newest);
    }
}

#[test]
fn k_bounds_the_answer() {
    let (c, e) = setup();
    let one = [c.books()[0].id];
    for model in [Some(&e), None] {
        assert!(suggest(&c, model, &one, 0).books.is_empty());
        assert_eq!(
            suggest(&c, model, &one, usize::MAX).books.len(),
            c.len() - 1
        );
    }
}

#[test]
fn methods_have_stable_names() {
    assert_eq!(SuggestMethod::Semantic.as_str(), "semantic");
    assert_eq!(SuggestMethod::RuleFallback.as_str(), "rule-fallback");
}
