//! The vector-clock explainer under the space-time diagram: for a selected receive, the
//! receiver's clock before, the message's clock, their element-wise maximum and the tick, one
//! row per node, with the rule stated once; for a receive of an answered order, how its
//! `finalVectorClock` relates to seed 000's example. The arithmetic is the engine's
//! (`snapshot/spacetime/explain.rs`); this only draws it.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::clock_merge::{
    answer_clock, merge_view, no_merge_text, seed_comparison, MERGE_RULE,
};

#[component]
pub fn ClockMerge(selected: RwSignal<Option<u64>>, names: Memo<Vec<String>>) -> impl IntoView {
    let sim = use_sim();
    // Recomputed when the selection changes (a receive's merge never changes afterwards).
    let merge = Memo::new(move |_| selected.get().map(|seq| sim.spacetime_merge(seq)));
    move || match merge.get()? {
        Err(why) => no_merge_text(&why)
            .map(|text| view! { <p class="clock-merge__gone">{text}</p> }.into_any()),
        Ok(m) => {
            let v = names.with(|n| merge_view(&m, n));
            let seed = sim
                .snapshot
                .with(|s| answer_clock(&s.orders, m.corr).map(seed_comparison));
            Some(view! {
                <div class="clock-merge" data-testid="clock-merge">
                    <p class="clock-merge__title">{format!("How the clock merged: {}", v.heading)}</p>
                    <p class="clock-merge__rule">{MERGE_RULE}</p>
                    <table class="clock-merge__table">
                        <caption class="visually-hidden">"The merge, one row per node's counter"</caption>
                        <thead><tr>
                            <th scope="col">"counter of"</th>
                            <th scope="col">"receiver before"</th>
                            <th scope="col">"message"</th>
                            <th scope="col">"max"</th>
                            <th scope="col">"after +1"</th>
                        </tr></thead>
                        <tbody>
                            {v.lines.into_iter().map(|l| view! {
                                <tr class:is-learned=l.row.learned class:is-ticked=l.row.ticked>
                                    <th scope="row">{l.name}</th>
                                    <td class="mono">{l.row.before}</td>
                                    <td class="mono">{l.row.message}</td>
                                    <td class="mono">{l.row.max}{if l.row.learned { " ← message" } else { "" }}</td>
                                    <td class="mono">{l.row.after}{if l.row.ticked { " (+1, own entry)" } else { "" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="clock-merge__sum">{format!(
                        "The message taught the receiver {} counter{}.{}",
                        v.learned,
                        if v.learned == 1 { "" } else { "s" },
                        if v.consistent { "" } else { " (This does not add up to the event's clock: please report it.)" }
                    )}</p>
                    {seed.map(|rows| view! {
                        <div class="clock-merge__seed">
                            <p>"This order's answer, finalVectorClock, against seed 000's example:"</p>
                            <ul>
                                {rows.into_iter().map(|r| view! {
                                    <li><span class="mono">{format!("{} {} (seed {})", r.seed_name, r.ours, r.seed)}</span>{format!(" — {}", r.why)}</li>
                                }).collect_view()}
                            </ul>
                            <p class="clock-merge__note">"These are the services' own clocks (one entry per checkout service, one clock per order), not the world clock of the diagram above (one entry per node)."</p>
                        </div>
                    })}
                </div>
            }.into_any())
        }
    }
}
