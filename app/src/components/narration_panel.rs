//! The narration panel: pick a narrated scenario and walk it. The run pauses at each step's
//! moment and the card shows what happened, the rule, and the engine's verdict on each claim;
//! Continue plays to the next step, Back replays to the previous one, Take over stops
//! narrating and plays freely. The walk's rules are in `view_model::narration`; the verdicts
//! come from the engine. The buttons are always in the DOM (only their state changes), so
//! keyboard focus stays on them from step to step.
use leptos::prelude::*;

use crate::driver::share::Shared;
use crate::sim_context::{use_sim, Sim};
use crate::state::Controls;
use crate::view_model::narration::{narrated_scenarios, step_card, Narrator, StepCard};

/// The panel's state: the walk (None when not narrating) and the card on show.
#[derive(Clone, Copy)]
struct Walk {
    narrator: RwSignal<Option<Narrator>>,
    card: RwSignal<Option<StepCard>>,
}

impl Walk {
    /// Shows step `index` as the run stands now: verdicts, card, highlight; pauses the run and
    /// sets where it stops next.
    fn show(self, sim: Sim, controls: RwSignal<Controls>, index: usize) {
        let steps = sim.narration();
        let (Some(step), Some(result)) = (steps.get(index), sim.narration_verdicts(index)) else {
            return;
        };
        self.card.set(Some(step_card(step, &result)));
        sim.highlight.set(Some(step.highlight.clone()));
        controls.update(|c| c.playing = false);
        let next = self
            .narrator
            .with_untracked(|n| n.as_ref().and_then(Narrator::pause_at_us));
        sim.set_pause_at(next);
    }

    fn stop(self, sim: Sim) {
        self.narrator.set(None);
        self.card.set(None);
        sim.highlight.set(None);
        sim.set_pause_at(None);
    }
}

/// Longer than 70 lines: the view is one piece of markup (picker, card, the three controls)
/// and its handlers are one-liners over `Walk` and `Narrator`.
#[component]
pub fn NarrationPanel() -> impl IntoView {
    let sim = use_sim();
    let controls = expect_context::<RwSignal<Controls>>();
    let walk = Walk {
        narrator: RwSignal::new(None),
        card: RwSignal::new(None),
    };
    let listed = narrated_scenarios();
    let first = listed
        .first()
        .map(|(id, _, _)| id.clone())
        .unwrap_or_default();
    let choice = RwSignal::new(first);
    // The picker offers the scenario on the page, when it tells a story.
    Effect::new(move |_| {
        let id = sim.scenario_id.get();
        if narrated_scenarios().iter().any(|(n, _, _)| *n == id) {
            choice.set(id);
        }
    });
    open_step_link(sim, controls, walk);
    watch_arrivals(sim, controls, walk);

    let start = move |_| {
        let id = choice.get_untracked();
        let seed = sim.load(&id);
        controls.update(|c| c.seed = seed);
        let n = Narrator::start(&id, &sim.narration(), 0);
        sim.set_pause_at(n.pause_at_us());
        walk.narrator.set(Some(n));
        walk.card.set(None);
        controls.update(|c| c.playing = true);
    };
    let active = move || walk.narrator.with(Option::is_some);
    let showing = move || walk.card.with(Option::is_some);
    let can_continue = move || {
        walk.narrator
            .with(|n| n.as_ref().is_some_and(Narrator::can_continue))
            && showing()
    };
    let can_go_back = move || {
        walk.narrator
            .with(|n| n.as_ref().and_then(Narrator::back_target).is_some())
    };
    let on_continue = move |_| {
        if can_continue() {
            walk.card.set(None);
            controls.update(|c| c.playing = true);
        }
    };
    let on_back = move |_| {
        let target = walk
            .narrator
            .with_untracked(|n| n.as_ref().and_then(Narrator::back_target));
        if let Some((index, t)) = target {
            sim.seek(t);
            walk.narrator.update(|n| {
                if let Some(n) = n {
                    n.show(index)
                }
            });
            walk.show(sim, controls, index);
        }
    };
    let on_take_over = move |_| {
        walk.stop(sim);
        controls.update(|c| c.playing = true);
    };

    view! {
        <section class="narration side-panel__section" aria-labelledby="narration-title">
            <h2 id="narration-title" class="side-panel__heading">"Narrated scenarios"</h2>
            <div class="narration__picker" hidden=active>
                <select class="control-bar__select narration__select" aria-label="Narrated story"
                    on:change=move |ev| choice.set(event_target_value(&ev))>
                    {listed.into_iter().map(|(id, name, steps)| {
                        let label = format!("{name} ({steps} steps)");
                        let this = id.clone();
                        view! { <option value=id prop:selected=move || choice.with(|c| *c == this)>{label}</option> }
                    }).collect_view()}
                </select>
                <button type="button" class="button button--primary narration__start" on:click=start>
                    "Start narration"
                </button>
            </div>
            <div class="narration__walk" hidden=move || !active()>
                <p class="narration__position" role="status" aria-live="polite">
                    {move || walk.narrator.with(|n| n.as_ref().map(Narrator::position).unwrap_or_default())}
                    {move || walk.card.with(|c| c.as_ref().map(|c| format!(" · {}", c.at)).unwrap_or_default())}
                </p>
                <StepCardView card=walk.card />
                <div class="narration__controls" role="group" aria-label="Narration controls">
                    <button type="button" class="button narration__back" aria-label="Back to the previous step"
                        aria-disabled=move || if can_go_back() { "false" } else { "true" }
                        on:click=on_back>"◀ Back"</button>
                    <button type="button" class="button button--primary narration__continue" aria-label="Continue to the next step"
                        aria-disabled=move || if can_continue() { "false" } else { "true" }
                        on:click=on_continue>"Continue ▶"</button>
                    <button type="button" class="button narration__take-over" aria-label="Take over: stop narrating and play freely"
                        on:click=on_take_over>"Take over"</button>
                </div>
                <a class="narration__link" href=move || walk.narrator.with(|n| n.as_ref().and_then(Narrator::deep_link).unwrap_or_default())
                    target="_blank" rel="noopener" hidden=move || !showing()>"Open this step in a new tab"</a>
            </div>
        </section>
    }
}

#[component]
fn StepCardView(card: RwSignal<Option<StepCard>>) -> impl IntoView {
    let field = move |f: fn(&StepCard) -> String| {
        move || card.with(|c| c.as_ref().map(f).unwrap_or_default())
    };
    view! {
        <article class="narration__card" hidden=move || card.with(Option::is_none) aria-labelledby="narration-step-title">
            <h3 id="narration-step-title" class="narration__title">{field(|c| c.title.clone())}</h3>
            <p class="narration__text">{field(|c| c.text.clone())}</p>
            <p class="narration__rule"><span class="narration__rule-label">"Rule · "</span>{field(|c| c.rule.clone())}</p>
            <p class="narration__verdict" class:is-failed=move || card.with(|c| c.as_ref().is_some_and(|c| !c.all_passed))>
                {field(|c| c.verdict.clone())}
            </p>
            <ul class="narration__claims" aria-label="Claims checked by the engine">
                {move || card.with(|c| c.as_ref().map(|c| c.claims.clone()).unwrap_or_default()).into_iter().map(|line| {
                    view! {
                        <li class="narration__claim" class:is-passed=line.passed class:is-failed=!line.passed
                            data-passed=if line.passed { "true" } else { "false" }>{line.text}</li>
                    }
                }).collect_view()}
            </ul>
        </article>
    }
}

/// Stops the run at the next step's moment and shows the step; stops narrating when another
/// scenario is loaded.
fn watch_arrivals(sim: Sim, controls: RwSignal<Controls>, walk: Walk) {
    Effect::new(move |_| {
        let now = sim.snapshot.with(|s| s.now_us);
        let due = walk.narrator.with_untracked(|n| {
            n.as_ref()
                .and_then(|n| n.pause_at_us().map(|at| (at, now >= at)))
        });
        let Some((at, arrived)) = due else { return };
        if !arrived {
            // Time travel rebuilds the run without its pause point: keep it there.
            sim.set_pause_at(Some(at));
            return;
        }
        let index = walk
            .narrator
            .try_update(|n| n.as_mut().and_then(|n| n.reached(now)))
            .flatten();
        if let Some(index) = index {
            walk.show(sim, controls, index);
        }
    });
    Effect::new(move |_| {
        let id = sim.scenario_id.get();
        if walk
            .narrator
            .with_untracked(|n| n.as_ref().is_some_and(|n| n.scenario != id))
        {
            walk.stop(sim);
        }
    });
}

/// A link `#scenario=NAME&step=N` opened the run at that step (see `initial_driver`): start
/// the walk there.
fn open_step_link(sim: Sim, controls: RwSignal<Controls>, walk: Walk) {
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let Ok(Shared {
        scenario,
        step: Some(n),
        ..
    }) = Shared::from_fragment(&fragment)
    else {
        return;
    };
    let steps = sim.narration();
    let at_now = steps
        .get(n - 1)
        .is_some_and(|s| s.at_ms * 1000 == sim.now_us());
    if scenario != sim.scenario_id.get_untracked() || !at_now {
        return; // the link was refused; the notice says why
    }
    let mut narrator = Narrator::start(&scenario, &steps, n - 1);
    narrator.show(n - 1);
    walk.narrator.set(Some(narrator));
    walk.show(sim, controls, n - 1);
}
