//! Helpers shared by the browser tests in app/tests/ (include with `mod support;`).
#![allow(dead_code)] // each test file uses a different subset

use app::driver::Driver;
use app::sim_context::Sim;
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlElement};

/// Mounts `view` into a fresh `<div>` appended to <body>. Keep the returned handle alive for
/// the whole test: dropping it unmounts the view and disposes its reactive owner.
pub fn mount<F, N>(view: F) -> (HtmlElement, impl Drop)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let document = document();
    let body = document.body().expect("body");
    // A failed test never drops its handle (the panic aborts it), so its DOM would linger and
    // duplicate ids for the next test: remove every earlier test root first.
    let stale = document
        .query_selector_all("[data-test-root]")
        .expect("valid selector");
    for i in 0..stale.length() {
        if let Some(node) = stale.item(i) {
            let _ = body.remove_child(&node);
        }
    }
    let root: HtmlElement = document
        .create_element("div")
        .expect("create div")
        .unchecked_into();
    root.set_attribute("data-test-root", "").expect("mark root");
    body.append_child(&root).expect("append root");
    let handle = mount_to(root.clone(), view);
    (root, handle)
}

/// Lets Leptos flush pending reactive work (effects, DOM updates) after an interaction.
pub async fn settle() {
    leptos::task::tick().await;
}

pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector:?} in:\n{}", root.outer_html()))
}

pub fn find_html(root: &Element, selector: &str) -> HtmlElement {
    find(root, selector).unchecked_into()
}

pub fn attr(element: &Element, name: &str) -> String {
    element
        .get_attribute(name)
        .unwrap_or_else(|| panic!("{name} missing on {}", element.outer_html()))
}

pub fn text(element: &Element) -> String {
    element
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The button whose accessible text or aria-label is exactly `name`.
pub fn button(root: &Element, name: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").expect("valid selector");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|node| node.unchecked_into::<HtmlElement>())
        .find(|b| b.get_attribute("aria-label").as_deref() == Some(name) || text(b) == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

/// Fires a bubbling `change` event, as the browser does after the user picks or edits a value.
pub fn fire_change(element: &Element) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("change", &init).expect("create event");
    element.dispatch_event(&event).expect("dispatch change");
}

/// Fires a bubbling `input` event (what typing does).
pub fn fire_input(element: &Element) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("create event");
    element.dispatch_event(&event).expect("dispatch input");
}

/// Waits `ms` milliseconds of wall time (lets animation frames run).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer resolves");
}

/// Mounts `view` under a fresh simulation of the built-in `scenario` (seed 1), provided as
/// context, and hands the `Sim` back.
pub fn mount_sim<F, N>(scenario: &'static str, view: F) -> (HtmlElement, impl Drop, Sim)
where
    F: FnOnce(Sim) -> N + 'static,
    N: IntoView + 'static,
{
    let out: Rc<Cell<Option<Sim>>> = Rc::new(Cell::new(None));
    let slot = out.clone();
    let (root, handle) = mount(move || {
        let sim = Sim::new(Driver::new(scenario, 1).expect("built-in scenario"));
        provide_context(sim);
        slot.set(Some(sim));
        view(sim)
    });
    let sim = out.get().expect("mounted");
    (root, handle, sim)
}

pub fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("valid selector")
        .length()
}
