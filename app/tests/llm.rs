//! Browser tests of the LLM settings panel: labelled fields, Save into this browser's local
//! storage (and nowhere else), a bad field refused with its name, and the switch as a recorded
//! input whose share link carries no key.
#![cfg(target_arch = "wasm32")]

mod support;

use app::components::LlmSettingsPanel;
use app::llm_context::LlmPage;
use app::state::llm_settings::STORAGE_KEY;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

const KEY: &str = "sk-wasm-test-not-a-real-key";

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("local storage")
}

fn type_into(root: &web_sys::Element, id: &str, value: &str) {
    let input: HtmlInputElement = find_html(root, &format!("#{id}")).unchecked_into();
    input.set_value(value);
    fire_input(&input);
}

fn mount_panel() -> (web_sys::HtmlElement, impl Drop, app::sim_context::Sim) {
    mount_sim("checkout", |_| {
        provide_context(LlmPage::new());
        view! { <LlmSettingsPanel /> }
    })
}

#[wasm_bindgen_test]
async fn the_panel_saves_the_endpoint_in_local_storage_and_the_switch_is_a_keyless_input() {
    storage().remove_item(STORAGE_KEY).expect("clears");
    let (root, _mounted, sim) = mount_panel();
    for (id, label) in [
        ("llm-base-url", "LLM base URL"),
        ("llm-model", "LLM model"),
        ("llm-api-key", "LLM API key"),
    ] {
        let l = find(&root, &format!("label[for='{id}']"));
        assert!(text(&l).contains(label), "{}", text(&l));
    }
    assert_eq!(attr(&find(&root, "#llm-api-key"), "type"), "password");
    let note = text(&find(&root, "[data-testid='llm-key-note']"));
    assert!(
        note.contains("only in this browser's local storage"),
        "{note}"
    );
    type_into(&root, "llm-base-url", "http://127.0.0.1:9/v1");
    type_into(&root, "llm-model", "local-model");
    type_into(&root, "llm-api-key", KEY);
    button(&root, "Save").click();
    settle().await;
    let stored = storage().get_item(STORAGE_KEY).unwrap().unwrap_or_default();
    assert!(
        stored.contains(KEY) && stored.contains("local-model"),
        "{stored}"
    );

    let switch: HtmlInputElement = find_html(&root, "[data-testid='llm-switch']").unchecked_into();
    switch.set_checked(true);
    fire_change(&switch);
    settle().await;
    assert!(sim.snapshot.with(|s| s.live.llm), "the option is on");
    let link = sim.share_fragment();
    assert!(
        link.contains("llm"),
        "the switch is a recorded input: {link}"
    );
    assert!(!link.contains(KEY) && !link.contains("sk-wasm"), "{link}");
    storage().remove_item(STORAGE_KEY).expect("clears");
}

#[wasm_bindgen_test]
async fn a_bad_base_url_is_refused_with_the_field_named_and_the_option_stays_off() {
    storage().remove_item(STORAGE_KEY).expect("clears");
    let (root, _mounted, sim) = mount_panel();
    type_into(&root, "llm-base-url", "ftp://example.org");
    let switch: HtmlInputElement = find_html(&root, "[data-testid='llm-switch']").unchecked_into();
    switch.set_checked(true);
    fire_change(&switch);
    settle().await;
    let alert = find(&root, ".llm-settings [role='alert']");
    assert!(
        text(&alert).starts_with("LLM base URL:"),
        "{}",
        text(&alert)
    );
    assert!(!sim.snapshot.with(|s| s.live.llm), "not turned on");
    assert!(!switch.checked(), "the switch shows the option off");
    assert!(
        storage().get_item(STORAGE_KEY).unwrap().is_none(),
        "nothing saved"
    );
}
