//! The two-phase commit transactions, live from the snapshot's typed facts: one row per
//! transaction with its order, state, abort reason in words and the time of each phase.
//! The rules live in `view_model::txns`; this only draws them.
use leptos::prelude::*;

use crate::components::orders::state::use_nav;
use crate::sim_context::use_sim;
use crate::state::format_virtual_time;
use crate::view_model::txns::{has_fulfilment, recent_txns, TxnRow};

#[component]
pub fn TxnsPanel() -> impl IntoView {
    let sim = use_sim();
    let shown = Memo::new(move |_| sim.snapshot.with(|s| has_fulfilment(s)));
    // The snapshot shares one allocation until a transaction changes: rows follow only that.
    let events = Memo::new(move |_| sim.snapshot.with(|s| s.txns.clone()));
    let rows = Memo::new(move |_| events.with(|e| recent_txns(e)));
    let ids = move || rows.with(|r| r.iter().map(|t| t.txn.clone()).collect::<Vec<_>>());
    view! {
        <section class="txns" aria-labelledby="txns-title" hidden=move || !shown.get() data-testid="txns-panel">
            <h3 id="txns-title" class="txns__title">"Transactions (two-phase commit)"</h3>
            <p class="txns__lead">
                "The executor leader prepares the stock on the books database and the payment, decides commit only if both vote yes, then tells both the outcome."
            </p>
            <p class="txns__empty" hidden=move || rows.with(|r| !r.is_empty())>"No transaction yet."</p>
            <div class="txns__scroll" hidden=move || rows.with(Vec::is_empty)>
                <table class="txns__table" aria-label="Transactions, newest first">
                    <thead>
                        <tr>
                            <th scope="col">"txn"</th>
                            <th scope="col">"order"</th>
                            <th scope="col">"state"</th>
                            <th scope="col">"started"</th>
                            <th scope="col">"prepare"</th>
                            <th scope="col">"decided"</th>
                            <th scope="col">"done"</th>
                            <th scope="col">"reason"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=ids key=|id| id.clone() let:txn>
                            <TxnRowView rows=rows txn=txn />
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn TxnRowView(rows: Memo<Vec<TxnRow>>, txn: String) -> impl IntoView {
    let nav = use_nav();
    let row = {
        let txn = txn.clone();
        Memo::new(move |_| rows.with(|r| r.iter().find(|t| t.txn == txn).cloned()))
    };
    let text =
        move |f: fn(&TxnRow) -> String| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
    let at = |t: Option<u64>| t.map(format_virtual_time).unwrap_or_else(|| "—".into());
    let order = text(|t| t.order_id.clone());
    let open = move |_| nav.show_order(&order());
    view! {
        <tr>
            <td class="mono">{txn}</td>
            <td>
                <button type="button" class="button button--small mono" on:click=open
                    aria-label=move || format!("Open order {}", text(|t| t.order_id.clone())())>
                    {text(|t| t.order_id.clone())}
                </button>
            </td>
            <td class=move || format!("txns__state {}", row.with(|r| r.as_ref().map_or("", |t| t.state_class())))>{text(|t| t.state_word())}</td>
            <td class="mono">{move || row.with(|r| at(r.as_ref().and_then(|t| t.started_us)))}</td>
            <td class="mono">{move || row.with(|r| at(r.as_ref().and_then(|t| t.prepare_us)))}</td>
            <td class="mono">{move || row.with(|r| at(r.as_ref().and_then(|t| t.decided_us)))}</td>
            <td class="mono">{move || row.with(|r| at(r.as_ref().and_then(|t| t.finished_us)))}</td>
            <td class="txns__reason">{text(|t| t.reason.clone().unwrap_or_default())}</td>
        </tr>
    }
}
