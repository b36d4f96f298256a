//! The checks tab: every safety property the engine checks, with where it comes from, what it
//! means, and a green ✓ or a red ✗ with each violation and when it happened.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::mesh_checks::{check_rows, CheckRow};
use crate::view_model::timeline::seconds_label;

/// How many violations of the whole run the engine reported (for a badge anywhere).
pub fn violation_count() -> Memo<usize> {
    let sim = use_sim();
    Memo::new(move |_| sim.snapshot.with(|s| s.violations.len()))
}

#[component]
pub fn ChecksPanel() -> impl IntoView {
    let sim = use_sim();
    let rows = Memo::new(move |_| {
        sim.snapshot
            .with(|s| check_rows(&s.invariants, &s.violations))
    });
    let total = violation_count();
    view! {
        <section class="checks" class:has-violations=move || { total.get() > 0 } aria-labelledby="checks-title">
            <header class="checks__head">
                <h2 id="checks-title" class="checks__title">
                    "Invariants"
                    {move || match total.get() {
                        0 => view! { <span class="checks__badge checks__badge--ok" data-testid="violation-badge">"all hold"</span> }.into_any(),
                        n => view! {
                            <span class="checks__badge checks__badge--bad" data-testid="violation-badge">
                                {format!("{n} violation{}", if n == 1 { "" } else { "s" })}
                            </span>
                        }.into_any(),
                    }}
                </h2>
                <p class="checks__intro">"Checked live against every event of the run. A red ✗ means a guarantee broke: the details say when and how."</p>
            </header>
            {move || (total.get() > 0).then(|| view! {
                <p class="checks__alarm" role="alert">
                    <strong>"Safety violated. "</strong>
                    "Use the timeline to travel back to just before the first violation and watch it happen."
                </p>
            })}
            <ul class="checks__list">
                <For each=move || rows.with(|r| r.iter().map(|r| r.name).collect::<Vec<_>>()) key=|n| *n let:name>
                    <CheckItem name=name rows=rows />
                </For>
            </ul>
            <crate::components::ExportsPanel />
        </section>
    }
}

#[component]
fn CheckItem(name: &'static str, rows: Memo<Vec<CheckRow>>) -> impl IntoView {
    let row = Memo::new(move |_| rows.with(|r| r.iter().find(|r| r.name == name).cloned()));
    let holds = move || row.with(|r| r.as_ref().is_none_or(CheckRow::holds));
    let live = move || row.with(|r| r.as_ref().is_none_or(|r| r.live));
    let count = move || row.with(|r| r.as_ref().map(|r| r.violations.len()).unwrap_or(0));
    let field =
        move |f: fn(&CheckRow) -> &'static str| row.with(|r| r.as_ref().map(f).unwrap_or_default());
    view! {
        <li class="check" class:is-violated=move || !holds() class:is-deferred=move || !live() data-invariant=name>
            <span class="check__mark" aria-hidden="true">{move || if !holds() { "✗" } else if live() { "✓" } else { "…" }}</span>
            <div class="check__body">
                <p class="check__name">
                    {name}
                    {move || (!holds()).then(|| view! { <span class="check__count">{format!("× {}", count())}</span> })}
                    <span class="visually-hidden">{move || if holds() { ": holds" } else { ": violated" }}</span>
                </p>
                <p class="check__why">{move || field(|r| r.explanation)}</p>
                <p class="check__source">{move || field(|r| r.source)}</p>
                {move || (!live()).then(|| view! {
                    <p class="check__deferred">"Judged at the end of a run (headless runner), not live."</p>
                })}
                {move || (!holds()).then(|| view! {
                    <ol class="check__violations">
                        {row.with(|r| r.as_ref().map(|r| r.violations.clone()).unwrap_or_default())
                            .into_iter()
                            .map(|(t, detail)| view! {
                                <li><span class="check__time mono">{seconds_label(t)}</span>" "{detail}</li>
                            })
                            .collect_view()}
                    </ol>
                })}
            </div>
        </li>
    }
}
