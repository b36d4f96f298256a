//! An order's journey after it arrived: validation, the priority queue, the lease to an
//! executor, the two-phase commit (prepare, decision, commit or abort with its reason),
//! execution — one row per step, done / active / to do / failed.
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::state::format_virtual_time;
use crate::view_model::latency::latency_rows;
use crate::view_model::orders::JourneyStep;
use crate::view_model::txns::order_journey;

#[component]
pub fn Journey(order_id: String) -> impl IntoView {
    let sim = use_sim();
    let id = order_id.clone();
    let steps = Memo::new(move |_| sim.snapshot.with(|s| order_journey(s, &order_id)));
    let latency = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.tracks
                .get(&id)
                .map(|t| latency_rows(t))
                .unwrap_or_default()
        })
    });
    view! {
        <ol class="journey" aria-label="The order's journey">
            <For each=move || steps.get() key=|step| step.clone() let:step>
                <Step step=step />
            </For>
        </ol>
        <table class="journey-latency" hidden=move || latency.with(Vec::is_empty)>
            <caption>"Where the time went"</caption>
            <tbody>
                <For each=move || latency.get() key=|row| row.clone() let:row>
                    <tr>
                        <th scope="row">{row.label}</th>
                        <td class="mono">{row.took.clone()}</td>
                        <td class="journey-latency__bar" aria-hidden="true">
                            <span style=format!("width: {}%", row.share_permille as f64 / 10.0)></span>
                        </td>
                    </tr>
                </For>
            </tbody>
        </table>
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
