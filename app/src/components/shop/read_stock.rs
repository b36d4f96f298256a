//! The copies left of one book, as the storefront's newest stock read returned them (shown
//! only while stock reads are on), marked when the engine judged that answer stale.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::stock_reads::shop_stock;

#[component]
pub fn ReadStock(title: String) -> impl IntoView {
    let sim = use_sim();
    // The newest record for this title changes only when a read of it is answered.
    let record = Memo::new(move |_| {
        sim.snapshot
            .with(|s| (s.live.stock_reads, s.reads.by_book.get(&title).cloned()))
    });
    let shown = Memo::new(move |_| {
        record.with(|(mode, r)| {
            let title = r.as_ref()?.book.clone();
            sim.snapshot
                .with_untracked(|s| shop_stock(&s.reads, *mode, &title, &s.nodes))
        })
    });
    let stale = move || shown.with(|s| s.as_ref().is_some_and(|s| s.stale));
    view! {
        <span class="shop-stock" class:is-stale=stale hidden=move || shown.with(Option::is_none)
            title=move || shown.with(|s| s.as_ref().map(|s| s.source.clone()).unwrap_or_default())>
            {move || shown.with(|s| s.as_ref().map(|s| s.text.clone()).unwrap_or_default())}
            <span class="shop-stock__stale" hidden=move || !stale()>" · stale"</span>
            <span class="visually-hidden">{move || shown.with(|s| s.as_ref().map(|s| format!(", {}", s.source)).unwrap_or_default())}</span>
        </span>
    }
}
