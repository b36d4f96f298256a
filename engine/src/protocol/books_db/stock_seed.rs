//! Initial stock per book: derived from the catalog's ids, so every replica (and the page,
//! and a test) computes the same figures without a log. About one book in six is scarce
//! (1–3 copies), so stock runs out in ordinary use; the rest hold 5–40.

use crate::catalog::Catalog;
use crate::sim::rng::mix64;
use std::collections::BTreeMap;

pub fn initial_stock_for(book_id: u32) -> u32 {
    let h = mix64(0x5eed_5700_c4b0_0c5e ^ book_id as u64);
    if h.is_multiple_of(6) {
        1 + ((h >> 8) % 3) as u32
    } else {
        5 + ((h >> 16) % 36) as u32
    }
}

/// Title → copies for the whole catalog, with `overrides` (a scenario's scarce books) on top.
/// Unknown titles in `overrides` are added: a scenario may stock a book the catalog lacks.
pub fn initial_stock(
    catalog: &Catalog,
    overrides: &BTreeMap<String, u32>,
) -> BTreeMap<String, u32> {
    let mut stock: BTreeMap<String, u32> = catalog
        .books()
        .iter()
        .map(|b| (b.title.clone(), initial_stock_for(b.id)))
        .collect();
    for (title, copies) in overrides {
        stock.insert(title.clone(), *copies);
    }
    stock
}
