//! The control bar: play/pause, step, reset, speed, seed, and the virtual clock.
//! Every rule lives in crate::state; this file maps clicks to those methods.
use leptos::prelude::*;

use crate::state::{format_virtual_time, fresh_seed, Controls, SeedField, SimCommand, Speed};

#[component]
pub fn ControlBar(
    /// The run's controls; the bar edits them in place.
    controls: RwSignal<Controls>,
    /// Receives one-shot actions (step, restart) for the simulation driver.
    on_command: Callback<SimCommand>,
    /// Virtual time in microseconds, shown as the run's clock.
    #[prop(into)]
    now_us: Signal<u64>,
) -> impl IntoView {
    let playing = move || controls.with(|c| c.playing);
    let seed_field = RwSignal::new(SeedField::showing(controls.with_untracked(|c| c.seed)));

    let toggle_play = move |_| controls.update(|c| c.toggle_play());
    let step = move |_| {
        on_command.run(
            controls
                .try_update(|c| c.step())
                .unwrap_or(SimCommand::Step),
        )
    };
    let restart = move |_| on_command.run(SimCommand::Restart);
    let change_speed = move |ev| match Speed::from_option_value(&event_target_value(&ev)) {
        Ok(speed) => controls.update(|c| c.speed = speed),
        Err(message) => leptos::logging::error!("{message}"),
    };
    let apply_seed = move |seed: u64| {
        seed_field.set(SeedField::showing(seed));
        if let Some(command) = controls.try_update(|c| c.set_seed(seed)).flatten() {
            on_command.run(command);
        }
    };
    let commit_seed = move |_| {
        if let Some(seed) = seed_field.try_update(|field| field.commit()).flatten() {
            apply_seed(seed);
        }
    };
    let new_seed = move |_| match fresh_seed() {
        Ok(seed) => apply_seed(seed),
        Err(message) => seed_field.update(|field| field.error = Some(message)),
    };
    let seed_error = move || seed_field.with(|field| field.error.clone());

    view! {
        // A labelled section (a "region" landmark): these are controls, not navigation links.
        <section class="control-bar" aria-label="Simulation controls">
            <div class="control-bar__group">
                <button
                    type="button"
                    class="button button--primary control-bar__play"
                    class:is-playing=playing
                    aria-label=move || if playing() { "Pause" } else { "Play" }
                    aria-pressed=move || if playing() { "true" } else { "false" }
                    on:click=toggle_play
                >
                    <span class="button__icon" aria-hidden="true">
                        {move || if playing() { "❚❚" } else { "▶" }}
                    </span>
                    <span class="button__text">{move || if playing() { "Pause" } else { "Play" }}</span>
                </button>
                <button type="button" class="button" on:click=step>"Step"</button>
                <button type="button" class="button" on:click=restart>"Reset"</button>
            </div>

            <label class="control-bar__field">
                <span class="control-bar__label">"Speed"</span>
                <select class="control-bar__select" aria-label="Speed" on:change=change_speed>
                    {Speed::CHOICES
                        .into_iter()
                        .map(|speed| {
                            view! {
                                <option
                                    value=speed.option_value()
                                    prop:selected=move || controls.with(|c| c.speed == speed)
                                >
                                    {speed.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>

            <div class="control-bar__field control-bar__seed">
                <label class="control-bar__label" for="seed-input">"Seed"</label>
                <div class="control-bar__seed-box">
                    <input
                        id="seed-input"
                        class="control-bar__input mono"
                        class:is-invalid=move || seed_error().is_some()
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        spellcheck="false"
                        aria-label="Seed"
                        aria-invalid=move || if seed_error().is_some() { "true" } else { "false" }
                        aria-describedby="seed-error"
                        prop:value=move || seed_field.with(|field| field.text.clone())
                        on:input=move |ev| seed_field.update(|field| field.edit(event_target_value(&ev)))
                        on:change=commit_seed
                    />
                    <p id="seed-error" class="control-bar__error" role="status" hidden=move || seed_error().is_none()>
                        {seed_error}
                    </p>
                </div>
                <button type="button" class="button" on:click=new_seed>"New seed"</button>
            </div>

            <div class="control-bar__clock">
                <span class="control-bar__clock-state">{move || if playing() { "running" } else { "paused" }}</span>
                // role=timer: announced on demand only (implicit aria-live=off); it changes every frame.
                <span class="control-bar__clock-time mono" role="timer" aria-label="Virtual time"
                    data-testid="virtual-time">
                    {move || format_virtual_time(now_us.get())}
                </span>
            </div>
        </section>
    }
}
