//! The shipped book catalog: real books, parsed from `data/catalog.json` (compiled into the binary).
//!
//! Stock is deliberately NOT here: stock lives in the replicated books database; the catalog is
//! immutable reference data every service may hold a copy of.
use serde::{Deserialize, Serialize};

/// The catalog JSON, compiled in so the engine needs no file system (it runs in a browser tab).
const CATALOG_JSON: &str = include_str!("../../data/catalog.json");

/// The fixed set of categories a book may have; loading rejects anything else so a typo in the
/// data cannot silently create a one-book category that defeats the category fallback.
pub const CATEGORIES: [&str; 14] = [
    "Fantasy",
    "Science Fiction",
    "Mystery",
    "Classics",
    "Horror",
    "Poetry",
    "Children",
    "History",
    "Science",
    "Philosophy",
    "Biography",
    "Business",
    "Computer Science",
    "Software Engineering",
];

/// Upper bound on catalog size: a limit on everything, and it keeps ids comfortably in u32.
pub const MAX_BOOKS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    pub id: u32,
    pub title: String,
    pub author: String,
    pub category: String,
    /// Year of first publication.
    pub year: u16,
    pub price_cents: u64,
    pub description: String,
}

/// An immutable, validated catalog. Books are kept sorted by id (binary-search lookups and a
/// deterministic iteration order that matches the embedding rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    books: Vec<Book>,
}

impl Catalog {
    /// The catalog compiled into the engine.
    pub fn embedded() -> Result<Catalog, String> {
        Catalog::from_json(CATALOG_JSON)
    }

    /// Parses and validates a catalog given as a JSON array of books.
    pub fn from_json(text: &str) -> Result<Catalog, String> {
        let books: Vec<Book> =
            serde_json::from_str(text).map_err(|e| format!("catalog JSON is invalid: {e}"))?;
        Catalog::from_books(books)
    }

    /// Validates: non-empty, bounded size, unique ids, unique titles (also after normalisation,
    /// so `find_title` can never be ambiguous), non-empty text fields, a known category.
    pub fn from_books(mut books: Vec<Book>) -> Result<Catalog, String> {
        if books.is_empty() {
            return Err("catalog is empty".to_string());
        }
        if books.len() > MAX_BOOKS {
            return Err(format!(
                "catalog has {} books, the limit is {MAX_BOOKS}",
                books.len()
            ));
        }
        books.sort_by_key(|b| b.id);
        for pair in books.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(format!("duplicate book id {}", pair[0].id));
            }
        }
        for book in &books {
            validate_book(book)?;
        }
        let mut keys: Vec<(String, u32)> = books
            .iter()
            .map(|b| (normalized_title(&b.title), b.id))
            .collect();
        keys.sort();
        for pair in keys.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(format!(
                    "books {} and {} have the same title (ignoring case and punctuation)",
                    pair[0].1, pair[1].1
                ));
            }
        }
        Ok(Catalog { books })
    }

    /// All books, sorted by id.
    pub fn books(&self) -> &[Book] {
        &self.books
    }

    pub fn len(&self) -> usize {
        self.books.len()
    }

    pub fn is_empty(&self) -> bool {
        self.books.is_empty()
    }

    pub fn by_id(&self, id: u32) -> Option<&Book> {
        self.books
            .binary_search_by_key(&id, |b| b.id)
            .ok()
            .map(|i| &self.books[i])
    }

    /// Exact, case-sensitive title match.
    pub fn find_title_exact(&self, title: &str) -> Option<&Book> {
        self.books.iter().find(|b| b.title == title)
    }

    /// Title lookup for user input (checkout items carry a `name`, not an id): exact match first,
    /// then ignoring case and surrounding spaces, then ignoring punctuation too, so the seeds'
    /// "JavaScript - The Good Parts" finds "JavaScript: The Good Parts". Never ambiguous,
    /// because loading rejects titles that collide after normalisation.
    pub fn find_title(&self, title: &str) -> Option<&Book> {
        if let Some(book) = self.find_title_exact(title) {
            return Some(book);
        }
        let lowered = title.trim().to_lowercase();
        if let Some(book) = self
            .books
            .iter()
            .find(|b| b.title.to_lowercase() == lowered)
        {
            return Some(book);
        }
        let key = normalized_title(title);
        if key.is_empty() {
            return None;
        }
        self.books
            .iter()
            .find(|b| normalized_title(&b.title) == key)
    }
}

fn validate_book(book: &Book) -> Result<(), String> {
    let fields = [
        ("title", &book.title),
        ("author", &book.author),
        ("category", &book.category),
        ("description", &book.description),
    ];
    for (name, value) in fields {
        if value.trim().is_empty() {
            return Err(format!("book {} has an empty {name}", book.id));
        }
    }
    if !CATEGORIES.contains(&book.category.as_str()) {
        return Err(format!(
            "book {} has unknown category {:?}",
            book.id, book.category
        ));
    }
    if normalized_title(&book.title).is_empty() {
        return Err(format!(
            "book {} has a title with no letters or digits",
            book.id
        ));
    }
    Ok(())
}

/// Lowercase, letters and digits only, runs of anything else collapsed to one space.
pub fn normalized_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_space = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// The individual people in an author string ("A, B and C" -> ["A", "B", "C"]), so a co-written
/// book counts as "same author" for each of its authors in the fallback.
pub fn author_names(author: &str) -> Vec<&str> {
    author
        .split(", ")
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect()
}
