//! The app: one animation-frame loop advances the engine by wall time × speed and publishes
//! one snapshot per frame; every component derives what it shows from that snapshot.
use leptos::prelude::*;

use crate::components::{
    CompareView, ControlBar, ErrorBanner, Header, LlmWaiting, MeshView, Notice, SidePanel,
    SpaceTimeView, StudyView, Timeline,
};
use crate::hooks::{use_animation_frame, FrameTick};
use crate::llm_context::LlmPage;
use crate::sim_context::{initial_driver, Sim};
use crate::state::compare_link::CompareLink;
use crate::state::{Controls, SimCommand, VirtualClock};

#[component]
pub fn App() -> impl IntoView {
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    // A compare link opens the side-by-side view (Shell reads it); the run starts as usual.
    let run_fragment = if CompareLink::from_fragment(&fragment).is_some() {
        String::new()
    } else {
        fragment
    };
    let (driver, opened) = initial_driver(&run_fragment);
    let sim = Sim::new(driver);
    sim.notice.set(opened);
    provide_context(sim);
    view! { <Shell sim=sim /> }
}

/// The page around a given simulation (tests mount it with their own `Sim`).
#[component]
pub fn Shell(sim: Sim) -> impl IntoView {
    provide_context(sim);
    let controls = RwSignal::new(Controls {
        seed: sim.seed(),
        ..Controls::default()
    });
    // Panels may offer Play themselves (e.g. the shop when an order waits on a paused run).
    provide_context(controls);
    let llm = LlmPage::new();
    provide_context(llm);
    // An LLM request waiting for a reply is real browser I/O: send it (once) when it appears.
    Effect::new(move |_| {
        if sim.snapshot.with(|s| !s.llm.outstanding.is_empty()) {
            llm.sync(sim);
        }
    });
    // Wall time → virtual time with integer math; the engine is advanced by the difference.
    let converter = StoredValue::new(VirtualClock::default());
    let frames = use_animation_frame(move |tick: FrameTick| {
        let speed = controls.with_untracked(|c| c.speed);
        let delta = converter
            .try_update_value(|c| {
                let before = c.now_us();
                c.advance_wall(tick.delta_ms, speed);
                c.now_us() - before
            })
            .unwrap_or(0);
        sim.advance_us(delta);
    });
    // Starting and stopping the browser's frame loop talks to the outside world, which is
    // what effects are for; a paused run requests no frames at all.
    Effect::new(move |_| {
        if controls.with(|c| c.playing) {
            frames.resume();
        } else {
            frames.pause();
        }
    });
    let on_command = Callback::new(move |command: SimCommand| match command {
        SimCommand::Step => sim.step(),
        SimCommand::Restart => sim.reset(controls.with_untracked(|c| c.seed)),
    });
    // Loading a scenario sets the seed it comes with.
    let on_scenario = Callback::new(move |id: String| {
        let seed = sim.load(&id);
        controls.update(|c| c.seed = seed);
    });
    let now_us = Memo::new(move |_| sim.snapshot.with(|s| s.now_us));
    let link = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|f| CompareLink::from_fragment(&f));
    let stage = RwSignal::new(if link.is_some() {
        Stage::Compare
    } else {
        Stage::Mesh
    });
    // Handed to the first CompareView only: coming back to the tab keeps what the user typed.
    let compare_link = StoredValue::new(link);

    view! {
        <div class="shell">
            <ErrorBanner />
            <Header on_scenario=on_scenario />
            <ControlBar controls=controls on_command=on_command now_us=now_us />
            <Notice />
            <LlmWaiting />
            <main class="shell__body">
                <div class="shell__stage">
                    <StageSwitch stage=stage />
                    {move || match stage.get() {
                        Stage::Mesh => view! { <MeshView /> }.into_any(),
                        Stage::SpaceTime => view! { <SpaceTimeView /> }.into_any(),
                        Stage::Study => view! { <StudyView /> }.into_any(),
                        Stage::Compare => view! { <CompareView link=compare_link.try_update_value(Option::take).flatten() /> }.into_any(),
                    }}
                    // The experiments are not views of the running simulation: no timeline.
                    <Show when=move || matches!(stage.get(), Stage::Mesh | Stage::SpaceTime)>
                        <Timeline />
                    </Show>
                </div>
                <SidePanel />
            </main>
        </div>
    }
}

/// What the main stage shows: the service mesh or the space-time diagram.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Mesh,
    SpaceTime,
    /// The election timing study and the side-by-side runs: experiments of their own, not
    /// views of the running simulation.
    Study,
    Compare,
}

#[component]
fn StageSwitch(stage: RwSignal<Stage>) -> impl IntoView {
    let tab = move |which: Stage, id: &'static str, label: &'static str| {
        view! {
            <button type="button" role="tab" id=id class="stage-switch__tab"
                class:is-active=move || stage.get() == which
                aria-selected=move || if stage.get() == which { "true" } else { "false" }
                on:click=move |_| stage.set(which)>{label}</button>
        }
    };
    view! {
        <div class="stage-switch" role="tablist" aria-label="Main view">
            {tab(Stage::Mesh, "stage-mesh", "Mesh")}
            {tab(Stage::SpaceTime, "stage-spacetime", "Space-time")}
            {tab(Stage::Study, "stage-study", "Election study")}
            {tab(Stage::Compare, "stage-compare", "Side by side")}
        </div>
    }
}
