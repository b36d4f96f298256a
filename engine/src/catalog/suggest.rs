//! Book suggestions from what was purchased: semantic similarity over the embeddings when the
//! model is available, author/category rules when it is not (the "model outage" fault).
//!
//! Every path is a pure function of its inputs with a total order (ties broken by id), so the
//! same basket yields the same suggestions on every run and platform.
use std::collections::BTreeSet;

use super::books::{author_names, Book, Catalog};
use super::embeddings::Embeddings;

/// How a list of suggestions was produced (shown on the page and in logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuggestMethod {
    /// Ranked by embedding similarity to the purchased books.
    Semantic,
    /// Model unavailable (or nothing purchased is known to it): same author, then same
    /// category, then most recent.
    RuleFallback,
}

impl SuggestMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestMethod::Semantic => "semantic",
            SuggestMethod::RuleFallback => "rule-fallback",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestions {
    /// Suggested catalog ids, best first; never contains a purchased id.
    pub books: Vec<u32>,
    /// True iff the embedding model ranked these books.
    pub model_used: bool,
    pub method: SuggestMethod,
}

/// Suggests up to `k` books for a basket of `purchased_ids`.
///
/// With embeddings, a candidate scores its MAXIMUM similarity to any purchased book, not the
/// mean: for a mixed basket (a Tolkien novel and a distributed-systems text) the mean rewards
/// bland books halfway between both topics that resemble neither, while the max recommends the
/// true neighbours of each purchase. Ids unknown to the catalog are ignored; if none of the
/// purchased ids is known, there is nothing to be similar to and the rules decide instead.
pub fn suggest(
    catalog: &Catalog,
    embeddings: Option<&Embeddings>,
    purchased_ids: &[u32],
    k: usize,
) -> Suggestions {
    let purchased: BTreeSet<u32> = purchased_ids
        .iter()
        .copied()
        .filter(|&id| catalog.by_id(id).is_some())
        .collect();
    match embeddings {
        Some(model) if !purchased.is_empty() => Suggestions {
            books: rank_semantic(catalog, model, &purchased, k),
            model_used: true,
            method: SuggestMethod::Semantic,
        },
        _ => Suggestions {
            books: rank_by_rules(catalog, &purchased, k),
            model_used: false,
            method: SuggestMethod::RuleFallback,
        },
    }
}

/// Candidates by max similarity to any purchased book; higher first, then smaller id.
fn rank_semantic(
    catalog: &Catalog,
    model: &Embeddings,
    purchased: &BTreeSet<u32>,
    k: usize,
) -> Vec<u32> {
    let mut scored: Vec<(i32, u32)> = catalog
        .books()
        .iter()
        .filter(|book| !purchased.contains(&book.id))
        .filter_map(|book| {
            let best = purchased
                .iter()
                .filter_map(|&p| model.similarity(p, book.id))
                .max()?;
            Some((best, book.id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Not `into_iter().take(k).collect()`: that reuses `scored`'s allocation in place, so every
    // memoised answer (`services/suggestions.rs`) would keep room for the whole catalog.
    scored.iter().take(k).map(|&(_, id)| id).collect()
}

/// Rule tiers: 0 = shares an author with a purchase, 1 = shares a category, 2 = anything else;
/// within a tier the most recent book first, then the smaller id.
fn rank_by_rules(catalog: &Catalog, purchased: &BTreeSet<u32>, k: usize) -> Vec<u32> {
    let bought: Vec<&Book> = purchased
        .iter()
        .filter_map(|&id| catalog.by_id(id))
        .collect();
    let authors: BTreeSet<&str> = bought
        .iter()
        .flat_map(|b| author_names(&b.author))
        .collect();
    let categories: BTreeSet<&str> = bought.iter().map(|b| b.category.as_str()).collect();
    let tier = |book: &Book| -> u8 {
        if author_names(&book.author)
            .iter()
            .any(|name| authors.contains(name))
        {
            0
        } else if categories.contains(book.category.as_str()) {
            1
        } else {
            2
        }
    };
    let mut ranked: Vec<(u8, std::cmp::Reverse<u16>, u32)> = catalog
        .books()
        .iter()
        .filter(|book| !purchased.contains(&book.id))
        .map(|book| (tier(book), std::cmp::Reverse(book.year), book.id))
        .collect();
    ranked.sort();
    ranked.iter().take(k).map(|&(_, _, id)| id).collect()
}
