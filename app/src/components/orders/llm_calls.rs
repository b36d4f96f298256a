//! The LLM requests about one order: the answer used, or the visible fallback and why.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::llm::order_calls;

#[component]
pub fn LlmCalls(order_id: String) -> impl IntoView {
    let sim = use_sim();
    let lines = Memo::new(move |_| sim.snapshot.with(|s| order_calls(&s.llm.calls, &order_id)));
    view! {
        <Show when=move || !lines.with(Vec::is_empty)>
            <h3 class="orders-item__subheading">"LLM"</h3>
            <ul class="llm-calls" aria-label="LLM requests about this order">
                {move || lines.get().into_iter().map(|l| view! {
                    <li class=format!("llm-call is-{}", l.state) data-state=l.state data-service=l.service>
                        <span class="llm-call__service">{l.service}</span>
                        <span class="llm-call__text">{l.text}</span>
                        <span class="llm-call__request mono">{format!("#{}", l.request)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </Show>
    }
}
