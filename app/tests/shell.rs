//! Browser tests of the app shell: mount a component, interact, `tick().await`, assert on the DOM.
//! Run with `cargo test -p app --target wasm32-unknown-unknown` (headless Chromium via
//! wasm-bindgen-test-runner, see .cargo/config.toml) or `./dev test`.
#![cfg(target_arch = "wasm32")]

mod support;

use std::sync::{Arc, Mutex};

use app::components::{ControlBar, ErrorBanner};
use app::hooks::use_animation_frame;
use app::panic_hook::report_panic;
use app::state::{Controls, SimCommand, Speed};
use app::App;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A control bar over fresh controls, recording the commands it sends.
fn control_bar() -> (
    web_sys::HtmlElement,
    impl Drop,
    RwSignal<Controls>,
    Arc<Mutex<Vec<SimCommand>>>,
) {
    let controls = RwSignal::new(Controls::default());
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    let (root, handle) = mount(move || {
        let on_command = Callback::new(move |command| record.lock().unwrap().push(command));
        view! { <ControlBar controls=controls on_command=on_command now_us=Signal::stored(0u64) /> }
    });
    (root, handle, controls, sent)
}

#[wasm_bindgen_test]
async fn clicking_play_presses_the_toggle_and_offers_pause() {
    let (root, _mounted, controls, _) = control_bar();
    let toggle = find(&root, "button[aria-pressed]");
    assert_eq!(attr(&toggle, "aria-pressed"), "false");
    assert_eq!(attr(&toggle, "aria-label"), "Play");

    button(&root, "Play").click();
    settle().await;
    assert_eq!(attr(&toggle, "aria-pressed"), "true");
    assert_eq!(attr(&toggle, "aria-label"), "Pause");
    assert!(controls.with_untracked(|c| c.playing));

    button(&root, "Pause").click();
    settle().await;
    assert_eq!(attr(&toggle, "aria-pressed"), "false");
    assert_eq!(attr(&toggle, "aria-label"), "Play");
}

#[wasm_bindgen_test]
async fn step_pauses_and_asks_for_one_step_while_reset_asks_for_a_restart() {
    let (root, _mounted, controls, sent) = control_bar();
    controls.update(|c| c.playing = true);
    settle().await;
    button(&root, "Step").click();
    button(&root, "Reset").click();
    settle().await;
    assert!(!controls.with_untracked(|c| c.playing));
    assert_eq!(
        *sent.lock().unwrap(),
        [SimCommand::Step, SimCommand::Restart]
    );
}

#[wasm_bindgen_test]
async fn the_speed_select_offers_every_speed_and_changes_the_controls() {
    let (root, _mounted, controls, _) = control_bar();
    let select: HtmlSelectElement = find_html(&root, "select[aria-label='Speed']").unchecked_into();
    let labels: Vec<String> = (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|option| text(&option))
        .collect();
    assert_eq!(labels, ["0.25×", "0.5×", "1×", "2×", "5×", "10×", "50×"]);
    assert_eq!(select.value(), "1", "the page starts at real time");

    select.set_value("50");
    fire_change(&select);
    settle().await;
    assert_eq!(controls.with_untracked(|c| c.speed.permille()), 50_000);
    controls.update(|c| c.speed = Speed::NORMAL);
    settle().await;
    assert_eq!(select.value(), "1", "the select follows the controls");
}

#[wasm_bindgen_test]
async fn a_typed_seed_is_validated_and_a_new_one_restarts_the_run() {
    let (root, _mounted, controls, sent) = control_bar();
    let input: HtmlInputElement = find_html(&root, "input[aria-label='Seed']").unchecked_into();
    assert_eq!(attr(&input, "inputmode"), "numeric");

    input.set_value("12ab");
    fire_input(&input);
    fire_change(&input);
    settle().await;
    assert_eq!(attr(&input, "aria-invalid"), "true");
    assert!(text(&find(&root, "#seed-error")).contains("digits only"));
    assert_eq!(
        controls.with_untracked(|c| c.seed),
        1,
        "a refused seed changes nothing"
    );

    input.set_value(" 42");
    fire_input(&input);
    fire_change(&input);
    settle().await;
    assert_eq!(attr(&input, "aria-invalid"), "false");
    assert_eq!(input.value(), "42");
    assert_eq!(controls.with_untracked(|c| c.seed), 42);
    assert_eq!(*sent.lock().unwrap(), [SimCommand::Restart]);

    button(&root, "New seed").click();
    settle().await;
    let seed = controls.with_untracked(|c| c.seed);
    assert_eq!(
        input.value(),
        seed.to_string(),
        "the field shows the drawn seed"
    );
}

#[wasm_bindgen_test]
async fn the_app_renders_its_shell_with_time_at_zero() {
    let (root, _mounted) = mount(App);
    settle().await;
    find(&root, "header.app-header");
    find(&root, "section[aria-label='Simulation controls']");
    find(&root, "section.mesh svg");
    find(&root, "aside.side-panel");
    assert_eq!(
        text(&find(&root, "[data-testid='virtual-time']")),
        "00:00.000"
    );
    assert!(find(&root, "#bm-error-banner").has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn playing_advances_virtual_time_pausing_freezes_it_and_reset_returns_to_zero() {
    let (root, _mounted) = mount(App);
    settle().await;
    let clock = find(&root, "[data-testid='virtual-time']");
    button(&root, "Play").click();
    settle().await;
    sleep_ms(250).await;
    assert_ne!(text(&clock), "00:00.000", "time moves while playing");

    button(&root, "Pause").click();
    settle().await;
    let paused_at = text(&clock);
    sleep_ms(150).await;
    assert_eq!(text(&clock), paused_at, "time stands still while paused");

    button(&root, "Reset").click();
    settle().await;
    assert_eq!(text(&clock), "00:00.000");
}

#[wasm_bindgen_test]
async fn the_animation_frame_loop_runs_only_between_resume_and_pause() {
    let frames = Arc::new(Mutex::new(0u32));
    let counter = frames.clone();
    let owner = Owner::new();
    let handle = owner.with(|| use_animation_frame(move |_| *counter.lock().unwrap() += 1));
    sleep_ms(100).await;
    assert_eq!(*frames.lock().unwrap(), 0, "a new loop starts paused");

    handle.resume();
    sleep_ms(200).await;
    handle.pause();
    let counted = *frames.lock().unwrap();
    assert!(counted > 0, "frames arrive while active");
    sleep_ms(100).await;
    assert_eq!(*frames.lock().unwrap(), counted, "no frames after pause");
    assert!(!handle.is_active());
    drop(owner);
}

#[wasm_bindgen_test]
async fn a_panic_report_reveals_the_error_banner_with_the_message() {
    let (root, _mounted) = mount(ErrorBanner);
    settle().await;
    let banner = find(&root, "[role='alert']");
    assert!(
        banner.has_attribute("hidden"),
        "no banner before anything went wrong"
    );

    report_panic("panicked at app/src/demo.rs:1:1: boom");
    assert!(!banner.has_attribute("hidden"));
    assert!(text(&banner).contains("boom"));
    assert!(text(&banner).contains("bookmesh stopped"));
}
