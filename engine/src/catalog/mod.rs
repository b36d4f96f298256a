//! The shipped book catalog, its sentence embeddings, and the suggestions ranking.
//!
//! - `books`: real books from `data/catalog.json`, lookups by id and title.
//! - `embeddings`: int8 all-MiniLM-L6-v2 vectors from `data/embeddings.bin`, integer similarity.
//! - `suggest`: semantic suggestions, with an author/category fallback for model outages.
pub mod books;
pub mod embeddings;
pub mod suggest;

pub use books::{Book, Catalog, CATEGORIES};
pub use embeddings::Embeddings;
pub use suggest::{suggest, SuggestMethod, Suggestions};

#[cfg(test)]
mod books_test;
#[cfg(test)]
mod embeddings_test;
#[cfg(test)]
mod suggest_test;
