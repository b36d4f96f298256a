//! The nemesis in the faults tab: an intensity slider and the kinds of fault it may draw, a
//! Start / Stop that records one engine verb (so a replay or a shared link repeats the same
//! faults), and the newest receipts — what each fault did, and which did nothing.
use engine::nemesis::FaultKind;
use leptos::html::Input;
use leptos::prelude::*;

use crate::sim_context::use_sim;
use crate::view_model::nemesis::{receipt_line, start_action, stop_action, KINDS};

#[component]
pub fn NemesisPanel() -> impl IntoView {
    let sim = use_sim();
    let running = Memo::new(move |_| sim.snapshot.with(|s| s.live.nemesis.clone()));
    // Form state: the ticked kinds (all at first).
    let ticked = RwSignal::new(KINDS.iter().map(|(k, _)| *k).collect::<Vec<FaultKind>>());
    let intensity: NodeRef<Input> = NodeRef::new();
    let percent = RwSignal::new(50u32);
    let start = move |_| {
        let value = intensity.get().map(|i| i.value()).unwrap_or_default();
        match ticked.with(|k| start_action(&value, k)) {
            Ok(action) => sim.act(action),
            Err(e) => sim.notice.set(Some(e)),
        }
    };
    view! {
        <div class="faults__section nemesis">
            <h3 class="faults__heading">"Nemesis"</h3>
            <p class="faults__note">
                {move || match running.get() {
                    Some(s) => format!("On at {}%: faults drawn from the seed, each undone a few seconds later.", s.intensity_permille / 10),
                    None => "Off. Faults drawn at random from the seed; the same seed, the same faults.".to_string(),
                }}
            </p>
            <label class="faults__field">
                <span class="faults__field-label">"Intensity"</span>
                <input node_ref=intensity class="faults__range" type="range" min="1" max="100" step="1"
                    prop:value=move || percent.get().to_string()
                    aria-label="Nemesis intensity percent"
                    on:input=move |ev| if let Ok(p) = event_target_value(&ev).parse() { percent.set(p) } />
                <output class="faults__value mono">{move || format!("{}%", percent.get())}</output>
            </label>
            <fieldset class="faults__nodes nemesis__kinds">
                <legend class="visually-hidden">"Kinds of fault"</legend>
                {KINDS.iter().map(|(kind, label)| {
                    let kind = *kind;
                    view! {
                        <label class="faults__node">
                            <input type="checkbox"
                                prop:checked=move || ticked.with(|t| t.contains(&kind))
                                on:change=move |_| ticked.update(|t| {
                                    match t.iter().position(|k| *k == kind) {
                                        Some(i) => { t.remove(i); }
                                        None => t.push(kind),
                                    }
                                }) />
                            <span>{*label}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="faults__buttons">
                <button type="button" class="button button--small button--danger" on:click=start>
                    {move || if running.get().is_some() { "Restart nemesis" } else { "Start nemesis" }}
                </button>
                <button type="button" class="button button--small" disabled=move || running.get().is_none()
                    on:click=move |_| sim.act(stop_action())>"Stop nemesis"</button>
            </div>
            <Receipts />
        </div>
    }
}

#[component]
fn Receipts() -> impl IntoView {
    let sim = use_sim();
    let lines = Memo::new(move |_| {
        sim.snapshot.with(|s| {
            s.receipts
                .iter()
                .rev()
                .map(receipt_line)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h4 class="faults__subheading">"Receipts"</h4>
        {move || {
            let lines = lines.get();
            if lines.is_empty() {
                view! { <p class="faults__note">"No fault yet. Each fault gets a receipt: what it did in the 5 s after it."</p> }.into_any()
            } else {
                view! {
                    <ul class="nemesis__receipts">
                        {lines.into_iter().map(|l| view! {
                            <li class="nemesis__receipt" class:is-inert=l.inert class:is-undo=l.undo>
                                <span class="nemesis__at mono">{l.at}</span>
                                <span class="nemesis__verb">{l.verb}</span>
                                <span class="nemesis__effects">{l.effects}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}
