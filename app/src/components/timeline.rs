//! The timeline under the mesh: who led each cluster when (bars labelled node · term), crashes
//! and faults as tick marks, the current moment, and a slider that travels in time (back by
//! deterministic replay, forward by running). "Share link" puts this exact run and moment in
//! the URL.
use leptos::html::Input;
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::mesh::term_word;
use crate::view_model::timeline::{
    axis_marks, fault_ticks, horizon_us, leader_rows, pct, seconds_label, Furthest, LeaderBar,
};

#[component]
pub fn Timeline() -> impl IntoView {
    let sim = use_sim();
    let now = Memo::new(move |_| sim.snapshot.with(|s| s.now_us));
    let seed = Memo::new(move |_| sim.snapshot.with(|s| s.seed));
    // The one piece of local state: the furthest moment this run reached (derived, not synced).
    let furthest = Memo::new(move |prev: Option<&Furthest>| {
        sim.scenario_id
            .with(|id| Furthest::next(prev, id, seed.get(), now.get()))
    });
    let planned = Memo::new(move |_| {
        sim.scenario_id.with(|id| {
            engine::scenario::builtin::get(id)
                .and_then(Result::ok)
                .map(|s| s.until_ms * 1000)
                .unwrap_or(0)
        })
    });
    let horizon = Memo::new(move |_| horizon_us(furthest.with(|f| f.t_us), planned.get()));
    let word = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.executors
                .iter()
                .find_map(|e| e.view.as_ref().map(|v| term_word(v.algorithm)))
                .unwrap_or("term")
        })
    });
    let has_cluster = Memo::new(move |_| sim.snapshot.with(|s| !s.executors.is_empty()));
    let bars = Memo::new(move |_| {
        let (now, horizon, word) = (now.get(), horizon.get(), word.get());
        sim.snapshot.with(|s| {
            let names: Vec<String> = s.nodes.iter().map(|n| n.name.clone()).collect();
            leader_rows(&s.leaders, &names, word, now, horizon)
                .into_iter()
                .flat_map(|row| row.bars.into_iter().map(move |b| (row.cluster.clone(), b)))
                .collect::<Vec<(String, LeaderBar)>>()
        })
    });
    let clusters = Memo::new(move |_| {
        let mut out: Vec<String> = bars.with(|b| b.iter().map(|(c, _)| c.clone()).collect());
        out.dedup();
        if out.is_empty() && has_cluster.get() {
            out.push("executors".into());
        }
        out
    });
    let ticks = Memo::new(move |_| {
        let horizon = horizon.get();
        sim.snapshot.with(|s| fault_ticks(&s.milestones, horizon))
    });
    let tick_keys = Memo::new(move |_| ticks.with(|t| t.iter().map(|t| t.seq).collect::<Vec<_>>()));
    let marks = Memo::new(move |_| axis_marks(horizon.get(), 11));

    // While the thumb is dragged the slider shows where it is, not where the run is.
    let dragging = RwSignal::new(None::<u64>);
    let slider_value = move || dragging.get().unwrap_or_else(|| now.get()).to_string();
    let read_slider = move |ev: &leptos::ev::Event| event_target_value(ev).parse::<u64>().ok();
    let seek = move |t: u64| {
        dragging.set(None);
        sim.seek(t);
    };

    let link_input: NodeRef<Input> = NodeRef::new();
    let link_status = RwSignal::new(None::<String>);
    let share = move |_| {
        let fragment = sim.share_fragment();
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        if let Err(e) = location.set_hash(&fragment) {
            link_status.set(Some(format!("Could not set the link: {e:?}")));
            return;
        }
        let url = location.href().unwrap_or_else(|_| format!("#{fragment}"));
        if let Some(input) = link_input.get() {
            input.set_value(&url);
            let _ = input.focus();
            input.select();
        }
        link_status.set(Some(
            "Link ready: it is selected, press Ctrl+C (⌘C) to copy".into(),
        ));
    };

    let left = move |t: u64| inset(pct(t, horizon.get()));
    let width = move |t: u64| span(pct(t, horizon.get()));

    view! {
        <section class="timeline" aria-labelledby="timeline-title">
            <header class="timeline__head">
                <h2 id="timeline-title" class="timeline__title">"Timeline"</h2>
                <span class="timeline__readout mono">
                    <span class="timeline__now">{move || seconds_label(now.get() / 1000 * 1000)}</span>
                    {move || dragging.get().map(|t| view! { <span class="timeline__preview">{format!(" → {}", seconds_label(t / 1000 * 1000))}</span> })}
                    <span class="timeline__of">{move || format!(" of {} reached", seconds_label(furthest.with(|f| f.t_us) / 1000 * 1000))}</span>
                </span>
                <span class="timeline__hint">"drag the slider to travel in time: the run replays exactly"</span>
                <div class="timeline__share">
                    <button type="button" class="button button--small" on:click=share aria-describedby="timeline-link-status">
                        "Share link"
                    </button>
                    <input
                        node_ref=link_input
                        class="timeline__link mono"
                        type="text"
                        readonly=true
                        aria-label="Shareable link to this run and moment"
                        placeholder="a link to this exact run and moment"
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }
                    />
                    <span id="timeline-link-status" class="visually-hidden" role="status">{move || link_status.get()}</span>
                </div>
            </header>

            <div class="timeline__body">
                <div class="timeline__labels" aria-hidden="true">
                    <span class="timeline__label timeline__label--axis"></span>
                    <For each=move || clusters.get() key=|c| c.clone() let:cluster>
                        <span class="timeline__label">{cluster}</span>
                    </For>
                    {move || (!has_cluster.get()).then(|| view! { <span class="timeline__label">"leaders"</span> })}
                    <span class="timeline__label">"faults"</span>
                    <span class="timeline__label">"time"</span>
                </div>
                <div class="timeline__lanes">
                    <div class="timeline__axis" aria-hidden="true">
                        {move || {
                            marks
                                .get()
                                .into_iter()
                                .map(|(_, at, label)| view! { <span class="timeline__mark" style=format!("left:{}", inset(at))>{label}</span> })
                                .collect_view()
                        }}
                    </div>
                    <For each=move || clusters.get() key=|c| c.clone() let:cluster>
                        <LeaderLane cluster=cluster bars=bars />
                    </For>
                    {move || (!has_cluster.get()).then(|| view! {
                        <div class="timeline__lane timeline__lane--empty">
                            <span class="timeline__none">"no elected cluster in this scenario"</span>
                        </div>
                    })}
                    <div class="timeline__lane timeline__lane--faults" role="list" aria-label="Crashes and faults">
                        <For each=move || tick_keys.get() key=|k| *k let:seq>
                            {
                                let tick = move || ticks.with(|t| t.iter().find(|t| t.seq == seq).cloned());
                                let t_us = ticks.with_untracked(|t| t.iter().find(|t| t.seq == seq).map(|t| t.t_us).unwrap_or(0));
                                let class = move || format!("timeline__tick {}", tick().map(|t| t.kind.class()).unwrap_or_default());
                                let glyph = move || tick().map(|t| t.kind.glyph()).unwrap_or_default();
                                let count = move || tick().map(|t| t.count).filter(|c| *c > 1);
                                let title = move || tick().map(|t| format!("{} · {}", seconds_label(t.t_us / 1000 * 1000), t.text)).unwrap_or_default();
                                view! {
                                    <span
                                        class=class
                                        style=move || format!("left:{}", left(t_us))
                                        title=title
                                        role="listitem"
                                        aria-label=title
                                    >
                                        {glyph}
                                        {move || count().map(|c| view! { <sup class="timeline__tick-count">{c}</sup> })}
                                    </span>
                                }
                            }
                        </For>
                        {move || tick_keys.with(Vec::is_empty).then(|| view! { <span class="timeline__none">"no faults yet: break something in the Faults tab"</span> })}
                    </div>
                    <div class="timeline__track">
                        <div class="timeline__reached" style=move || format!("width:{}", width(furthest.with(|f| f.t_us)))></div>
                        <input
                            class="timeline__slider"
                            type="range"
                            min="0"
                            max=move || horizon.get().to_string()
                            step="1000"
                            prop:value=slider_value
                            aria-label="Time travel"
                            aria-valuetext=move || seconds_label(now.get() / 1000 * 1000)
                            on:input=move |ev| dragging.set(read_slider(&ev))
                            on:change=move |ev| {
                                if let Some(t) = read_slider(&ev) {
                                    seek(t);
                                }
                            }
                        />
                    </div>
                    <div class="timeline__cursor" aria-hidden="true" style=move || format!("left:{}", left(now.get()))></div>
                </div>
            </div>
        </section>
    }
}

/// CSS for a point `at` % along a lane whose ends are inset by half the slider's thumb, so
/// bars, ticks and the cursor line up with the thumb.
pub fn inset(at: f64) -> String {
    format!(
        "calc(var(--tl-inset) + (100% - 2 * var(--tl-inset)) * {:.5})",
        at / 100.0
    )
}

/// CSS for a length of `w` % of such a lane.
pub fn span(w: f64) -> String {
    format!("calc((100% - 2 * var(--tl-inset)) * {:.5})", w / 100.0)
}

/// One cluster's lane: a bar per reign, positioned from the shared bar memo by key.
#[component]
fn LeaderLane(cluster: String, bars: Memo<Vec<(String, LeaderBar)>>) -> impl IntoView {
    let c = cluster.clone();
    let keys = Memo::new(move |_| {
        bars.with(|b| {
            b.iter()
                .filter(|(k, _)| *k == c)
                .map(|(_, b)| b.key)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="timeline__lane" role="list" aria-label=format!("Leaders of {cluster}")>
            <For each=move || keys.get() key=|k| *k let:key>
                {
                    let bar = move || bars.with(|b| b.iter().find(|(_, x)| x.key == key).map(|(_, x)| x.clone()));
                    let first = bars.with_untracked(|b| b.iter().find(|(_, x)| x.key == key).map(|(_, x)| x.clone()));
                    let colour = first.as_ref().map(|b| b.colour).unwrap_or(0);
                    let full = first.as_ref().map(|b| b.label.clone()).unwrap_or_default();
                    let short = first.as_ref().map(|b| format!("T{}", b.term)).unwrap_or_default();
                    // The whole label where it fits, the term where only that fits.
                    let text = move || match bar().map(|b| b.width_pct).unwrap_or(0.0) {
                        w if w >= 14.0 => full.clone(),
                        w if w >= 2.5 => short.clone(),
                        _ => String::new(),
                    };
                    let from = first.as_ref().map(|b| b.from_us).unwrap_or(0);
                    let style = move || bar().map(|b| format!("left:{};width:{}", inset(b.left_pct), span(b.width_pct))).unwrap_or_default();
                    let title = move || {
                        bar().map(|b| match b.to_us {
                            Some(to) => format!("{} · led {} → {}", b.label, seconds_label(from / 1000 * 1000), seconds_label(to / 1000 * 1000)),
                            None => format!("{} · leading since {}", b.label, seconds_label(from / 1000 * 1000)),
                        })
                    };
                    let open = move || bar().is_some_and(|b| b.to_us.is_none());
                    view! {
                        <span
                            class=format!("timeline__bar timeline__bar--c{colour}")
                            class:is-open=open
                            style=style
                            title=title
                            aria-label=title
                            role="listitem"
                        >
                            <span class="timeline__bar-text">{text}</span>
                        </span>
                    }
                }
            </For>
            {move || keys.with(Vec::is_empty).then(|| view! { <span class="timeline__none">"no leader yet: election in progress"</span> })}
        </div>
    }
}
