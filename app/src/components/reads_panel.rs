//! The storefront's stock reads: counts, then the newest stale answers and the newest reads,
//! each with the replica that answered, what it said and what had been acknowledged when the
//! read was issued. Every row is a typed record the engine already judged
//! (`view_model::stock_reads` only formats it).
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::stock_reads::{counts_text, read_rows, ReadRow};

#[component]
pub fn StockReadsPanel() -> impl IntoView {
    let sim = use_sim();
    let has_db = Memo::new(move |_| {
        sim.snapshot
            .with(|s| s.nodes.iter().any(|n| n.service == "books-db"))
    });
    // The snapshot shares one allocation until a read is issued or answered: rows follow that.
    let reads = Memo::new(move |_| sim.snapshot.with(|s| (s.reads.clone(), s.live.stock_reads)));
    let counts = Memo::new(move |_| reads.with(|(r, mode)| counts_text(r, *mode)));
    let rows = move |stale_only: bool| {
        Memo::new(move |_| {
            reads.with(|(r, _)| {
                sim.snapshot
                    .with_untracked(|s| read_rows(r, &s.nodes, stale_only))
            })
        })
    };
    view! {
        <section class="reads" aria-labelledby="reads-title" hidden=move || !has_db.get() data-testid="reads-panel">
            <h3 id="reads-title" class="stock__title">"Stock reads"</h3>
            <p class="reads__counts" data-testid="read-counts">{move || counts.get()}</p>
            <ReadsTable caption="Stale reads, newest first" rows=rows(true) empty="No stale read so far." />
            <ReadsTable caption="Newest reads" rows=rows(false) empty="No read yet: turn stock reads on above." />
        </section>
    }
}

#[component]
fn ReadsTable(
    caption: &'static str,
    rows: Memo<Vec<ReadRow>>,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <p class="reads__caption">{caption}</p>
        <p class="stock__empty" hidden=move || rows.with(|r| !r.is_empty())>{empty}</p>
        <div class="stock__scroll reads__scroll" hidden=move || rows.with(Vec::is_empty)>
            <table class="stock__table reads__table" aria-label=caption>
                <thead>
                    <tr>
                        <th scope="col">"issued"</th>
                        <th scope="col">"book"</th>
                        <th scope="col">"from"</th>
                        <th scope="col" title="copies it answered (its applied log index)">"read"</th>
                        <th scope="col" title="the newest copies acknowledged to a client when the read was issued (that write's log index)">"acked"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|r| r.key let:row>
                        <tr class="reads__row" class:is-stale=row.stale>
                            <td class="mono">{row.when.clone()}</td>
                            <td class="reads__book" title=row.book.clone()>{row.book.clone()}</td>
                            <td title=format!("{} read", row.kind)>{row.replica.clone()}</td>
                            <td class="mono">
                                {row.read.clone()}
                                <span class="reads__verdict" title="stale" hidden=!row.stale>
                                    <span aria-hidden="true">" ⚠"</span>
                                    <span class="visually-hidden">" stale"</span>
                                </span>
                            </td>
                            <td class="mono">{row.latest.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
