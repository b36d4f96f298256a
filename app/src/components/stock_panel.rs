//! Stock on every books-database replica: one column per replica (primary and lagging replicas
//! marked), one row per book with activity, stale cells highlighted, and a filter box to look
//! up any book. The rules live in `view_model::stock`; this only draws them.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::shop_catalog::catalog;
use crate::view_model::stock::{stock_table, ReplicaColumn, StockCell, StockTable};
use engine::protocol::books_db::initial_stock;

#[component]
pub fn StockPanel() -> impl IntoView {
    let sim = use_sim();
    let filter = RwSignal::new(String::new());
    let scarce = Memo::new(move |_| sim.snapshot.with(|s| s.cluster.stock.clone()));
    let initial = Memo::new(move |_| {
        scarce.with(|o| catalog().map(|c| initial_stock(c, o)).unwrap_or_default())
    });
    // Only the replicas, so the table is rebuilt when one of them changes, not every frame.
    let replicas = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.nodes
                .iter()
                .filter(|n| n.service == "books-db")
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let table = Memo::new(move |_| {
        initial.with(|i| {
            scarce.with(|sc| filter.with(|f| replicas.with(|r| stock_table(r, i, sc, f))))
        })
    });
    let has_db = Memo::new(move |_| table.with(|t| !t.replicas.is_empty()));
    view! {
        <section class="stock" aria-labelledby="stock-title" hidden=move || !has_db.get() data-testid="stock-panel">
            <h3 id="stock-title" class="stock__title">"Stock on every replica"</h3>
            <p class="stock__lead">
                "Books with activity: held by a prepared transaction, changed since the start, or different between replicas. A cell that differs from the primary's is stale."
            </p>
            <input
                type="search"
                class="stock__filter"
                placeholder="Find a book…"
                aria-label="Filter stock by title"
                prop:value=move || filter.get()
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <StockGrid table=table />
            <p class="stock__empty" hidden=move || table.with(|t| !t.rows.is_empty())>
                {move || if filter.with(|f| f.trim().is_empty()) { "No stock activity yet." } else { "No book matches." }}
            </p>
            <p class="stock__more" hidden=move || table.with(|t| t.more == 0)>
                {move || table.with(|t| format!("{} more — type to narrow", t.more))}
            </p>
        </section>
    }
}

#[component]
fn StockGrid(table: Memo<StockTable>) -> impl IntoView {
    let columns = Memo::new(move |_| table.with(|t| t.replicas.clone()));
    let keys = move || {
        columns.with(|c| {
            c.iter()
                .enumerate()
                .map(|(i, r)| (i, r.id))
                .collect::<Vec<_>>()
        })
    };
    let books = move || table.with(|t| t.rows.iter().map(|r| r.book.clone()).collect::<Vec<_>>());
    view! {
        <div class="stock__scroll">
            <table class="stock__table" aria-label="Copies per book on each replica">
                <thead>
                    <tr>
                        <th scope="col">"Book"</th>
                        <th scope="col" class="mono">"start"</th>
                        <For each=keys key=|k| *k let:k>
                            <ReplicaHeader columns=columns index=k.0 />
                        </For>
                    </tr>
                </thead>
                <tbody>
                    <For each=books key=|b| b.clone() let:book>
                        <StockRowView table=table book=book keys=columns />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ReplicaHeader(columns: Memo<Vec<ReplicaColumn>>, index: usize) -> impl IntoView {
    let col = Memo::new(move |_| columns.with(|c| c.get(index).cloned()));
    let flag = move |f: fn(&ReplicaColumn) -> bool| move || col.with(|c| c.as_ref().is_some_and(f));
    view! {
        <th scope="col" class="stock__replica" class:is-primary=flag(|c| c.primary) class:is-lagging=flag(|c| c.lagging)
            class:is-down=flag(|c| c.down)>
            <span class="stock__replica-name">{move || col.with(|c| c.as_ref().map(|c| c.name.clone()))}</span>
            <span class="stock__replica-state">{move || col.with(|c| c.as_ref().map(|c| c.caption()))}</span>
        </th>
    }
}

#[component]
fn StockRowView(
    table: Memo<StockTable>,
    book: String,
    keys: Memo<Vec<ReplicaColumn>>,
) -> impl IntoView {
    let row = {
        let book = book.clone();
        Memo::new(move |_| table.with(|t| t.rows.iter().find(|r| r.book == book).cloned()))
    };
    let cells = move || {
        keys.with(|c| {
            c.iter()
                .enumerate()
                .map(|(i, r)| (i, r.id))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <tr>
            <th scope="row" class="stock__book">{book}</th>
            <td class="mono stock__initial">{move || row.with(|r| r.as_ref().and_then(|r| r.initial).map_or("—".into(), |i| i.to_string()))}</td>
            <For each=cells key=|k| *k let:k>
                <StockCellView cell=Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.cells.get(k.0).cloned()))) />
            </For>
        </tr>
    }
}

#[component]
fn StockCellView(cell: Memo<Option<StockCell>>) -> impl IntoView {
    let stale = move || cell.with(|c| c.as_ref().is_some_and(|c| c.stale));
    let held = move || cell.with(|c| c.as_ref().is_some_and(|c| c.reserved > 0));
    view! {
        <td class="mono stock__cell" class:is-stale=stale class:is-held=held
            title=move || if stale() { "differs from the primary (stale)" } else { "" }>
            {move || cell.with(|c| c.as_ref().map(|c| c.text()).unwrap_or_default())}
            <span class="visually-hidden" hidden=move || !stale()>" (stale)"</span>
        </td>
    }
}
