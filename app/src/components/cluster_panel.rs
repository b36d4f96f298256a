//! The Cluster tab: the executor cluster like RaftScope (role, term, vote, leader, log,
//! election timer per node), the terms timeline, the books database and payment settings, its
//! stock reads and stock per replica, the optional LLM endpoint, then the order queue the
//! leader drains.
use leptos::prelude::*;

use crate::components::orders::state::use_nav;
use crate::sim_context::use_sim;
use crate::view_model::orders_cluster::{
    aging_points, algorithm_label, executor_row, node_name, term_rows, time_left, ExecutorRow,
    RoleClass,
};
use engine::sim::fmt_secs;

#[component]
pub fn ClusterPanel() -> impl IntoView {
    let sim = use_sim();
    let algorithm = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.executors
                .iter()
                .find_map(|e| e.view.as_ref().map(|v| v.algorithm))
                .map(algorithm_label)
        })
    });
    let count = Memo::new(move |_| sim.snapshot.with(|s| s.executors.len()));
    view! {
        <section class="panel cluster" aria-label="Cluster">
            <header class="cluster__head">
                <h2 class="cluster__title">
                    "Executor cluster "
                    <span class="cluster__algo">{move || algorithm.get().unwrap_or_else(|| "—".into())}</span>
                </h2>
                <p class="cluster__lead">
                    "Only the leader may take orders from the queue. A follower that hears no heartbeat before its election timer runs out first asks whether the others would vote for it (pre-vote); only if a majority would does it become a candidate and ask for votes."
                </p>
            </header>
            <crate::components::ClusterSettings />
            <p class="cluster__empty" hidden=move || count.get() != 0>"This scenario runs no executor cluster."</p>
            <ul class="cluster-nodes" aria-label="Executors">
                {move || (0..count.get()).map(|i| view! { <ExecutorCard index=i /> }).collect_view()}
            </ul>
            <Terms />
            <crate::components::DbSettings />
            <crate::components::LlmSettingsPanel />
            <crate::components::StockReadsPanel />
            <crate::components::StockPanel />
            <QueuePanel />
        </section>
    }
}

#[component]
fn ExecutorCard(index: usize) -> impl IntoView {
    let sim = use_sim();
    // Facts change rarely; the timer every frame: two memos so a frame only moves the bar.
    let row = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.executors
                .get(index)
                .map(|e| executor_row(e, &s.nodes, s.now_us))
        })
    });
    let facts = Memo::new(move |_| {
        row.with(|r| {
            r.as_ref().map(|r| ExecutorRow {
                timer_permille: None,
                timer_text: String::new(),
                ..r.clone()
            })
        })
    });
    let timer = Memo::new(move |_| {
        row.with(|r| r.as_ref().map(|r| (r.timer_permille, r.timer_text.clone())))
            .unwrap_or_default()
    });
    let f = move |get: fn(&ExecutorRow) -> String| {
        move || facts.with(|r| r.as_ref().map(get).unwrap_or_default())
    };
    let name = f(|r| r.name.clone());
    view! {
        <li class=move || format!("cluster-node {}", facts.with(|r| r.as_ref().map_or("", |r| r.drawn.class())))>
            <div class="cluster-node__top">
                <span class="cluster-node__name">{name}</span>
                <span class="cluster-node__role">{f(|r| r.role.clone())}</span>
                <span class="cluster-node__term mono">{f(|r| format!("term {}", r.term))}</span>
            </div>
            <dl class="cluster-node__facts">
                <div><dt>"voted for"</dt><dd>{f(|r| r.voted_for.clone())}</dd></div>
                <div><dt>"leader"</dt><dd>{f(|r| r.leader.clone())}</dd></div>
                <div><dt>"log"</dt><dd class="mono" title="commit index / log length">{f(|r| format!("{}/{}", r.commit_index, r.log_len))}</dd></div>
                <div><dt>"executed"</dt><dd class="mono">{f(|r| r.executed.to_string())}</dd></div>
            </dl>
            <div class="cluster-node__timer" hidden=move || timer.with(|t| t.1.is_empty())>
                <div
                    class="cluster-timer"
                    role="progressbar"
                    aria-label=move || format!("{} election timer", name())
                    aria-valuemin="0"
                    aria-valuemax="1000"
                    aria-valuenow=move || timer.with(|t| t.0.unwrap_or(0))
                    hidden=move || timer.with(|t| t.0.is_none())
                >
                    <div class="cluster-timer__fill" style:width=move || format!("{:.1}%", timer.with(|t| t.0.unwrap_or(0)) as f64 / 10.0)></div>
                </div>
                <span class="cluster-node__timer-text">{move || timer.with(|t| t.1.clone())}</span>
            </div>
        </li>
    }
}

#[component]
fn Terms() -> impl IntoView {
    let sim = use_sim();
    let rows = Memo::new(move |_| {
        sim.snapshot
            .with(|s| term_rows(&s.leaders, &s.nodes, s.now_us))
    });
    let count = Memo::new(move |_| rows.with(Vec::len));
    view! {
        <div class="cluster-terms">
            <h3 class="cluster__subheading">"Terms " <span class="cluster__aside">"who led, when (bar = share of the run so far)"</span></h3>
            <p class="cluster__empty" hidden=move || count.get() != 0>"No leader elected yet."</p>
            <ol class="cluster-terms__list">
                // Newest first: position i from the top is span count-1-i, stable as spans only grow.
                {move || (0..count.get()).map(|i| view! { <TermRowView rows=rows index=i /> }).collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn TermRowView(
    rows: Memo<Vec<crate::view_model::orders_cluster::TermRow>>,
    index: usize,
) -> impl IntoView {
    let row = Memo::new(move |_| rows.with(|r| r.get(index).cloned()));
    let text = move |get: fn(&crate::view_model::orders_cluster::TermRow) -> String| {
        move || row.with(|r| r.as_ref().map(get).unwrap_or_default())
    };
    view! {
        <li class="cluster-term" class:is-current=move || row.with(|r| r.as_ref().is_some_and(|r| r.to_us.is_none()))>
            <span class="cluster-term__term mono">{text(|r| format!("term {}", r.term))}</span>
            <span class="cluster-term__node">{text(|r| r.node.clone())}</span>
            <span class="cluster-term__when mono">{text(|r| format!("{} → {}", fmt_secs(r.from_us), r.to_us.map_or_else(|| "now".to_string(), fmt_secs)))}</span>
            <span class="cluster-term__track" aria-hidden="true">
                <span
                    class="cluster-term__bar"
                    style:left=move || row.with(|r| format!("{:.1}%", r.as_ref().map_or(0, |r| r.x_permille) as f64 / 10.0))
                    style:width=move || row.with(|r| format!("{:.1}%", r.as_ref().map_or(0, |r| r.w_permille) as f64 / 10.0))
                ></span>
            </span>
            <span class="cluster-term__cluster" hidden=move || row.with(|r| r.as_ref().is_none_or(|r| r.cluster == "executors"))>
                {text(|r| r.cluster.clone())}
            </span>
        </li>
    }
}

#[component]
fn QueuePanel() -> impl IntoView {
    let sim = use_sim();
    let nav = use_nav();
    let queue = Memo::new(move |_| sim.snapshot.with(|s| s.queue.clone()));
    let leases = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            // Lease deadlines are on the queue node's own clock.
            let queue_now = s
                .nodes
                .iter()
                .find(|n| n.service == "queue")
                .map_or(s.now_us, |n| n.local_now_us(s.now_us));
            s.queue
                .as_ref()
                .map(|q| {
                    q.in_flight
                        .iter()
                        .map(|l| {
                            (
                                l.order_id.clone(),
                                node_name(&s.nodes, l.executor),
                                l.term,
                                time_left(l.deadline_us, queue_now),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <div class="cluster-queue">
            <h3 class="cluster__subheading">"Order queue " <span class="cluster__aside">"highest priority first; waiting adds points (aging) so nothing starves"</span></h3>
            {move || match queue.get() {
                None => view! { <p class="cluster__empty">"This scenario runs no order queue."</p> }.into_any(),
                Some(q) => {
                    let st = q.status.clone();
                    view! {
                        <dl class="cluster-queue__status">
                            <div><dt>"waiting"</dt><dd class="mono">{st.length}</dd></div>
                            <div><dt>"in flight"</dt><dd class="mono">{st.in_flight}</dd></div>
                            <div><dt>"executed"</dt><dd class="mono">{st.executed}</dd></div>
                            <div><dt>"highest term"</dt><dd class="mono">{st.highest_term}</dd></div>
                            <div class="is-wide"><dt>"next out"</dt><dd class="mono">{st.head.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div class="is-wide">
                                <dt>"by shipping"</dt>
                                <dd>{format!("{} express · {} priority · {} standard", st.by_shipping.express, st.by_shipping.priority, st.by_shipping.standard)}</dd>
                            </div>
                        </dl>
                        <table class="cluster-queue__table" hidden=q.waiting.is_empty()>
                            <caption class="visually-hidden">"Waiting orders in dequeue order"</caption>
                            <thead>
                                <tr><th>"#"</th><th>"order"</th><th>"shipping"</th><th title="copies">"qty"</th><th title="gift wrap">"gift"</th><th title="base + aging = effective">"priority"</th><th title="times handed out">"out"</th></tr>
                            </thead>
                            <tbody>
                                {q.waiting.iter().enumerate().map(|(i, w)| {
                                    let aging = aging_points(w.base_priority, w.effective_priority);
                                    view! {
                                        <tr>
                                            <td class="mono">{i + 1}</td>
                                            <td class="mono">{w.order_id.clone()}</td>
                                            <td>{w.shipping.as_str()}</td>
                                            <td class="mono">{w.total_quantity}</td>
                                            <td>{if w.gift_wrap { "yes" } else { "" }}</td>
                                            <td class="mono">{format!("{} +{aging} = {}", w.base_priority, w.effective_priority)}</td>
                                            <td class="mono">{w.deliveries}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="cluster__empty" hidden=!q.waiting.is_empty()>"Nobody waiting: the leader drains the queue as orders arrive."</p>
                    }
                    .into_any()
                }
            }}
            <ul class="cluster-leases" aria-label="Orders in flight" hidden=move || leases.with(Vec::is_empty)>
                {move || leases.get().into_iter().map(|(order, executor, term, left)| {
                    let id = order.clone();
                    view! {
                        <li class="cluster-lease">
                            <button type="button" class="shop-link mono" on:click=move |_| nav.show_order(&id)>{order}</button>
                            {format!(" leased to {executor} (term {term}) · comes back in {left} unless acknowledged")}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
