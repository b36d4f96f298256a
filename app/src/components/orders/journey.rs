//! An order's journey after it arrived: validation, the priority queue, the lease to an
//! executor, the two-phase commit (prepare, decision, commit or abort with its reason),
//! execution — one row per step, done / active / to do / failed.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::state::format_virtual_time;
use crate::view_model::orders::JourneyStep;
use crate::view_model::txns::order_journey;

#[component]
pub fn Journey(order_id: String) -> impl IntoView {
    let sim = use_sim();
    let steps = Memo::new(move |_| sim.snapshot.with(|s| order_journey(s, &order_id)));
    view! {
        <ol class="journey" aria-label="The order's journey">
            <For each=move || steps.get() key=|step| step.clone() let:step>
                <Step step=step />
            </For>
        </ol>
    }
}

#[component]
fn Step(step: JourneyStep) -> impl IntoView {
    view! {
        <li class=format!("journey__step {}", step.state.class())>
            <span class="journey__dot" aria-hidden="true"></span>
            <span class="journey__label">{step.label}</span>
            <span class="journey__time mono">{step.t_us.map(format_virtual_time).unwrap_or_default()}</span>
            <span class="journey__detail">{step.detail}</span>
        </li>
    }
}
