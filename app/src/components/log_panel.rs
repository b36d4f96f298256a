//! The Log tab: the run's recent lines (time, node, kind, text), newest at the bottom, following
//! new lines unless the reader scrolled up. Filter by text (order id, correlation id, node…),
//! narrow to one order (set by the Orders tab), and toggle kinds with chips.
use engine::snapshot::log_tail::LogLine;
use leptos::html::Div;
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::state::format_virtual_time;
use crate::view_model::log::{corr_label, Category, Hidden, LogQuery};
use crate::view_model::log_filter::{use_log_filter, use_page_context};

/// The Log tab's own filter state, kept across tab switches.
#[derive(Clone, Copy)]
struct LogUi {
    text: RwSignal<String>,
    hidden: RwSignal<Hidden>,
}

/// How close to the bottom (px) still counts as "at the bottom".
const STICK_SLACK_PX: i32 = 24;

#[component]
pub fn LogPanel() -> impl IntoView {
    let sim = use_sim();
    let filter = use_log_filter();
    let ui = use_page_context(|| LogUi {
        text: RwSignal::new(String::new()),
        hidden: RwSignal::new(Hidden::default()),
    });
    let log = Memo::new(move |_| sim.snapshot.with(|s| s.log.clone()));
    let order = Memo::new(move |_| {
        let id = filter.order.get()?;
        let corr = sim.snapshot.with(|s| {
            s.orders
                .iter()
                .find(|o| o.order_id == id)
                .map_or(0, |o| o.corr)
        });
        Some((id, corr))
    });
    let query = Memo::new(move |_| LogQuery {
        text: ui.text.get(),
        order: order.get(),
        hidden: ui.hidden.get(),
    });
    let shown = Memo::new(move |_| {
        query.with(|q| log.with(|l| q.apply(l).into_iter().cloned().collect::<Vec<LogLine>>()))
    });
    let counts = Memo::new(move |_| {
        log.with(|l| {
            Category::ALL.map(|c| l.iter().filter(|line| Category::of(line.kind) == c).count())
        })
    });

    // Follow new lines while the reader is at the bottom; stop when they scroll up.
    let lines_ref = NodeRef::<Div>::new();
    let stick = RwSignal::new(true);
    let on_scroll = move |_| {
        if let Some(el) = lines_ref.get_untracked() {
            stick.set(el.scroll_top() + el.client_height() >= el.scroll_height() - STICK_SLACK_PX);
        }
    };
    let to_bottom = move || {
        if let Some(el) = lines_ref.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    // Scrolling is the outside world (the DOM), which is what effects are for.
    Effect::new(move |_| {
        shown.track();
        if stick.get_untracked() {
            to_bottom();
        }
    });

    view! {
        <section class="panel log" aria-label="Log">
            <header class="log__head">
                <h2 class="log__title">"Log"</h2>
                <span class="log__count">
                    {move || format!("{} of the last {} lines", shown.with(Vec::len), log.with(|l| l.len()))}
                </span>
            </header>
            <div class="log__filters">
                <input
                    class="shop-input log__search"
                    type="search"
                    aria-label="Filter the log"
                    placeholder="Filter: order id, #correlation id, node or text"
                    prop:value=move || ui.text.get()
                    on:input=move |ev| ui.text.set(event_target_value(&ev))
                />
                <div class="log__order" hidden=move || order.with(Option::is_none)>
                    <span>"Only order "</span>
                    <b class="mono">{move || order.get().map(|o| o.0).unwrap_or_default()}</b>
                    <span class="log__order-corr mono">{move || order.get().map(|o| corr_label(o.1)).unwrap_or_default()}</span>
                    <button type="button" class="log__order-clear" aria-label="Show every order" on:click=move |_| filter.order.set(None)>
                        "×"
                    </button>
                </div>
                <div class="log__chips" role="group" aria-label="Kinds of lines">
                    {Category::ALL
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let on = move || !ui.hidden.with(|h| h.contains(c));
                            view! {
                                <button
                                    type="button"
                                    class=format!("log-chip is-{}", c.label())
                                    aria-pressed=move || on().to_string()
                                    title=c.describe()
                                    on:click=move |_| ui.hidden.update(|h| h.toggle(c))
                                >
                                    {c.label()}
                                    <span class="log-chip__count mono">{move || counts.with(|n| n[i])}</span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <div class="log__lines" node_ref=lines_ref on:scroll=on_scroll role="log" aria-label="Log lines" tabindex="0">
                <p class="log__empty" hidden=move || !shown.with(Vec::is_empty)>
                    {move || if log.with(|l| l.is_empty()) { "Nothing yet: press Play." } else { "No line matches the filter." }}
                </p>
                <For each=move || shown.get() key=|l| l.seq let:line>
                    <LogRow line=line text=ui.text />
                </For>
            </div>
            <button type="button" class="button log__follow" hidden=move || stick.get() on:click=move |_| { stick.set(true); to_bottom(); }>
                "↓ Follow new lines"
            </button>
        </section>
    }
}

#[component]
fn LogRow(line: LogLine, text: RwSignal<String>) -> impl IntoView {
    let category = Category::of(line.kind);
    let corr = corr_label(line.corr);
    let corr_click = corr.clone();
    view! {
        <div class=format!("log-line is-{} kind-{}", category.label(), line.kind)>
            <span class="log-line__time mono">{format_virtual_time(line.t_us)}</span>
            <span class="log-line__node">{line.node}</span>
            <span class="log-line__kind">{line.kind}</span>
            <span class="log-line__text">{line.text}</span>
            {(!corr.is_empty()).then(|| view! {
                <button type="button" class="log-line__corr mono" title="Show only this correlation id" on:click=move |_| text.set(corr_click.clone())>
                    {corr.clone()}
                </button>
            })}
        </div>
    }
}
