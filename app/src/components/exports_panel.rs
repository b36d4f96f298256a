//! "Export this run": download buttons for each format the engine writes (`engine::export`;
//! `docs/exports.md`), a Mermaid diagram of one chosen order or the whole run, and Open in
//! Perfetto. Each button asks the engine for the file as the run stands now; nothing here
//! builds a file.
use leptos::prelude::*;

use crate::download;
use crate::sim_context::use_sim;
use engine::export::mermaid::Selection;
use engine::export::spec::Format;

const BUTTONS: [(Format, &str, &str); 5] = [
    (Format::Trace, "JSON trace", "every trace event the page still holds, one JSON object per line"),
    (Format::Report, "Report", "the headless runner's JSON report of this run so far"),
    (Format::ShiViz, "ShiViz log", "events with vector clocks for ShiViz (the file's first two lines are the regexes ShiViz asks for)"),
    (Format::Perfetto, "Perfetto trace", "Chrome trace-event JSON: open it in ui.perfetto.dev or chrome://tracing"),
    (Format::Mermaid, "Mermaid diagram", "a sequence diagram of the chosen order (or of the whole run)"),
];

#[component]
pub fn ExportsPanel() -> impl IntoView {
    let sim = use_sim();
    // "" = the whole run; else an order id (the orders the snapshot lists; a memo, so the
    // select redraws only when one is added).
    let order = RwSignal::new(String::new());
    let orders = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.orders
                .iter()
                .map(|o| o.order_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let export = move |format: Format| {
        let chosen = order.get_untracked();
        let selection =
            (format == Format::Mermaid && !chosen.is_empty()).then_some(Selection::Order(chosen));
        let saved = sim
            .export(format, selection.as_ref())
            .and_then(|(name, mime, text)| download::save(&name, mime, &text));
        sim.notice.set(saved.err());
    };
    let open_perfetto = move |_| {
        let opened = sim
            .export(Format::Perfetto, None)
            .and_then(|(name, _, text)| {
                let title = name.trim_end_matches(".json").to_string();
                download::open_in_perfetto(&text, &title, &name)
            });
        sim.notice.set(opened.err());
    };
    view! {
        <section class="exports" aria-labelledby="exports-title" data-testid="exports">
            <h3 id="exports-title" class="exports__title">"Export this run"</h3>
            <p class="exports__intro">"Files of the run as it stands now, for the field's tools. Formats: docs/exports.md."</p>
            <label class="exports__order">
                "Mermaid diagram of "
                <select
                    data-testid="export-order"
                    on:change=move |ev| order.set(event_target_value(&ev))
                >
                    <option value="" selected=move || order.get().is_empty()>"the whole run"</option>
                    <For each=move || orders.get() key=|id| id.clone() let:id>
                        <option value=id.clone() selected={let id = id.clone(); move || order.get() == id}>{id.clone()}</option>
                    </For>
                </select>
            </label>
            <div class="exports__buttons">
                {BUTTONS
                    .into_iter()
                    .map(|(format, label, title)| view! {
                        <button type="button" class="btn exports__button" title=title
                            data-testid=format!("export-{}", format.as_str())
                            on:click=move |_| export(format)>
                            {label}
                        </button>
                    })
                    .collect_view()}
                <button type="button" class="btn exports__button" data-testid="open-perfetto"
                    title="opens ui.perfetto.dev in a new tab and hands it this run's trace (postMessage)"
                    on:click=open_perfetto>
                    "Open in Perfetto ↗"
                </button>
            </div>
        </section>
    }
}
