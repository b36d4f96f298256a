//! The storefront's stock reads: counts, then the newest stale answers and the newest reads,
//! each with the replica that answered, what it said and what had been acknowledged when the
//! read was issued. Every row is a typed record the engine already judged
//! (`view_model::stock_reads` only formats it).
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::linearizability::{lin_view, LinView};
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
            <Linearizability />
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

/// The linearizability check, run on request (it is a search over the whole history): both
/// verdicts, and for a failing history the operations that show it, highlighted.
#[component]
fn Linearizability() -> impl IntoView {
    let sim = use_sim();
    let verdict = RwSignal::new(None::<(String, Option<LinView>)>);
    let check = move |_| {
        let at = sim
            .snapshot
            .with_untracked(|s| engine::sim::fmt_secs(s.now_us));
        let view = sim
            .linearizability()
            .map(|r| sim.snapshot.with_untracked(|s| lin_view(&r, &s.nodes)));
        verdict.set(Some((at, view)));
    };
    view! {
        <div class="lin" data-testid="linearizability">
            <p class="reads__caption">
                "Linearizability "
                <button type="button" class="btn lin__check" data-testid="check-linearizability" on:click=check>
                    "Check now"
                </button>
            </p>
            <p class="lin__why">"Wing & Gong's search (as Porcupine does it) over every read and write of the stock so far: could one copy of the stock have given these answers?"</p>
            {move || verdict.get().map(|(at, view)| match view {
                None => view! { <p class="stock__empty">"No books database in this run."</p> }.into_any(),
                Some(v) => view! { <LinVerdict at=at v=v /> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn LinVerdict(at: String, v: LinView) -> impl IntoView {
    let caption = match &v.book {
        Some(book) => format!(
            "The operations on {book:?} that show it{}:",
            if v.minimal {
                " (no read of them can be dropped)"
            } else {
                " (shrink budget reached)"
            }
        ),
        None => String::new(),
    };
    let no_witness = v.witness.is_empty();
    view! {
        <ul class="lin__verdicts" data-testid="lin-verdicts">
            {v.lines.into_iter().map(|(line, ok)| view! {
                <li class="lin__verdict" class:is-bad=!ok>{line}</li>
            }).collect_view()}
        </ul>
        <p class="lin__at mono">"as of " {at}</p>
        <div hidden=no_witness>
            <p class="reads__caption">{caption}</p>
            <div class="stock__scroll">
            <table class="stock__table lin__witness" aria-label="operations that show the fault" data-testid="lin-witness">
                <thead><tr><th scope="col">"operation"</th><th scope="col">"invoked"</th><th scope="col">"answered"</th></tr></thead>
                <tbody>
                    {v.witness.into_iter().map(|row| view! {
                        <tr class="lin__row is-witness" class:is-read=row.is_read>
                            <td>{row.what}</td>
                            <td class="mono">{row.from}</td>
                            <td class="mono">{row.to}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </div>
    }
}
