use std::collections::{BTreeMap, BTreeSet};

use super::books::{author_names, normalized_title, Book, Catalog, CATEGORIES};

fn catalog() -> Catalog {
    Catalog::embedded().expect("the shipped catalog must load")
}

fn book(id: u32, title: &str, author: &str, category: &str) -> Book {
    Book {
        id,
        title: title.to_string(),
        author: author.to_string(),
        category: category.to_string(),
        year: 2000,
        price_cents: 1000,
        description: "A book.".to_string(),
    }
}

#[test]
fn the_shipped_catalog_loads_with_at_least_160_books() {
    assert!(catalog().len() >= 160, "only {} books", catalog().len());
}

#[test]
fn ids_and_titles_are_unique_and_books_are_sorted_by_id() {
    let c = catalog();
    let ids: Vec<u32> = c.books().iter().map(|b| b.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let titles: BTreeSet<String> = c.books().iter().map(|b| b.title.to_lowercase()).collect();
    assert_eq!(titles.len(), c.len());
}

#[test]
fn every_category_is_from_the_fixed_set_and_none_is_tiny() {
    let c = catalog();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for b in c.books() {
        assert!(
            CATEGORIES.contains(&b.category.as_str()),
            "{}: {}",
            b.title,
            b.category
        );
        *counts.entry(b.category.as_str()).or_default() += 1;
    }
    assert_eq!(counts.len(), CATEGORIES.len(), "every category is used");
    assert!(counts.values().all(|&n| n >= 5), "{counts:?}");
}

#[test]
fn many_authors_have_several_books_so_the_author_fallback_means_something() {
    let mut per_author: BTreeMap<&str, usize> = BTreeMap::new();
    let c = catalog();
    for b in c.books() {
        for name in author_names(&b.author) {
            *per_author.entry(name).or_default() += 1;
        }
    }
    assert!(per_author.values().filter(|&&n| n >= 2).count() >= 30);
    assert_eq!(per_author.get("Robert C. Martin"), Some(&4));
}

#[test]
fn book_fields_are_plausible() {
    for b in catalog().books() {
        assert!((1600..=2025).contains(&b.year), "{} {}", b.title, b.year);
        assert!(
            (500..=20_000).contains(&b.price_cents),
            "{} {}",
            b.title,
            b.price_cents
        );
        assert!(
            b.description.len() >= 40 && b.description.len() <= 200,
            "{}",
            b.title
        );
    }
}

#[test]
fn the_seeds_example_titles_are_in_the_catalog_with_their_authors() {
    let c = catalog();
    let expected = [
        ("Clean Architecture", "Robert C. Martin"),
        ("Clean Code", "Robert C. Martin"),
        ("Domain-Driven Design", "Eric Evans"),
        (
            "Patterns of Enterprise Application Architecture",
            "Martin Fowler",
        ),
        ("Designing Data-Intensive Applications", "Martin Kleppmann"),
        ("Learning Python", "Mark Lutz"),
        ("JavaScript: The Good Parts", "Douglas Crockford"),
    ];
    for (title, author) in expected {
        let found = c
            .find_title_exact(title)
            .unwrap_or_else(|| panic!("{title} missing"));
        assert_eq!(found.author, author);
    }
}

#[test]
fn find_title_ignores_case_spaces_and_punctuation_but_not_words() {
    let c = catalog();
    let gp = c
        .find_title_exact("JavaScript: The Good Parts")
        .map(|b| b.id);
    assert!(gp.is_some());
    assert_eq!(c.find_title("javascript: the good parts").map(|b| b.id), gp);
    assert_eq!(
        c.find_title("  JAVASCRIPT: THE GOOD PARTS ").map(|b| b.id),
        gp
    );
    assert_eq!(
        c.find_title("JavaScript - The Good Parts").map(|b| b.id),
        gp
    );
    assert_eq!(c.find_title("JavaScript The Bad Parts"), None);
    assert_eq!(c.find_title(""), None);
    assert_eq!(c.find_title(" - "), None);
}

#[test]
fn by_id_finds_every_book_and_nothing_else() {
    let c = catalog();
    for b in c.books() {
        assert_eq!(c.by_id(b.id), Some(b));
    }
    assert_eq!(c.by_id(0), None);
    assert_eq!(c.by_id(u32::MAX), None);
}

#[test]
fn malformed_catalogs_are_errors_not_panics() {
    let cases = [
        "",
        "{",
        "{}",
        "[]",
        "[{\"id\": 1}]",
        "[{\"id\":-1,\"title\":\"a\",\"author\":\"b\",\"category\":\"Poetry\",\"year\":1,\"price_cents\":1,\"description\":\"d\"}]",
        "[{\"id\":1,\"title\":\"a\",\"author\":\"b\",\"category\":\"Poetry\",\"year\":70000,\"price_cents\":1,\"description\":\"d\"}]",
        "[{\"id\":1,\"title\":\"a\",\"author\":\"b\",\"category\":\"Poetry\",\"year\":1,\"price_cents\":1,\"description\":\"d\",\"stock\":3}]",
    ];
    for text in cases {
        assert!(Catalog::from_json(text).is_err(), "accepted {text:?}");
    }
}

#[test]
fn duplicate_ids_titles_and_unknown_categories_are_rejected() {
    let dup_id = vec![book(1, "A", "X", "Poetry"), book(1, "B", "X", "Poetry")];
    assert!(Catalog::from_books(dup_id)
        .unwrap_err()
        .contains("duplicate book id 1"));
    let dup_title = vec![
        book(1, "Some Title", "X", "Poetry"),
        book(2, "some title!", "Y", "Poetry"),
    ];
    assert!(Catalog::from_books(dup_title).is_err());
    assert!(Catalog::from_books(vec![book(1, "A", "X", "Cooking")]).is_err());
    assert!(Catalog::from_books(vec![book(1, "A", " ", "Poetry")]).is_err());
    assert!(Catalog::from_books(vec![book(1, "?!", "X", "Poetry")]).is_err());
    assert!(Catalog::from_books(vec![
        book(2, "B", "X", "Poetry"),
        book(1, "A", "X", "Poetry")
    ])
    .is_ok());
}

#[test]
fn author_strings_split_into_people() {
    assert_eq!(
        author_names("Christian Cachin, Rachid Guerraoui and Luís Rodrigues"),
        vec!["Christian Cachin", "Rachid Guerraoui", "Luís Rodrigues"]
    );
    assert_eq!(
        author_names("Terry Pratchett and Neil Gaiman"),
        vec!["Terry Pratchett", "Neil Gaiman"]
    );
    assert_eq!(
        author_names("Frederick P. Brooks Jr."),
        vec!["Frederick P. Brooks Jr."]
    );
}

#[test]
fn normalized_titles_keep_letters_and_digits_only() {
    assert_eq!(normalized_title("Guards! Guards!"), "guards guards");
    assert_eq!(normalized_title("Gödel, Escher, Bach"), "gödel escher bach");
    assert_eq!(
        normalized_title("  TCP/IP Illustrated "),
        "tcp ip illustrated"
    );
}
