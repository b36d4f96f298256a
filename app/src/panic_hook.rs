//! A hand-written panic hook: a Rust panic in the page shows the error banner (and logs to the
//! console) instead of leaving a page that silently stopped responding.
//!
//! After a panic the wasm instance is dead (release builds abort), so everything here talks to
//! the DOM through web-sys directly, never through Leptos, and the banner's "Reload" is a plain
//! link that needs no wasm.
use wasm_bindgen::JsValue;

use crate::components::error_banner::{BANNER_ID, MESSAGE_CLASS};

/// Installs the hook. Call once, before mounting the app.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        report_panic(&info.to_string());
    }));
}

/// Shows `message` in the error banner and logs it with a JS stack trace.
/// Public so that tests can check the banner without crashing the test page.
pub fn report_panic(message: &str) {
    // Logging a JS Error object makes the console print the JS stack that led to the panic.
    let trace = js_sys::Error::new("stack at the panic");
    web_sys::console::error_2(
        &JsValue::from_str(&format!("bookmesh panicked: {message}")),
        &trace,
    );
    if let Err(error) = show_in_banner(message) {
        web_sys::console::error_2(&"bookmesh: could not show the error banner".into(), &error);
    }
}

fn show_in_banner(message: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let banner = match document.get_element_by_id(BANNER_ID) {
        Some(banner) => banner,
        // The panic may come before the app mounted its banner: build a bare one.
        None => {
            let banner = document.create_element("div")?;
            banner.set_id(BANNER_ID);
            banner.set_class_name("error-banner");
            banner.set_attribute("role", "alert")?;
            let body = document
                .body()
                .ok_or_else(|| JsValue::from_str("no body"))?;
            body.prepend_with_node_1(&banner)?;
            banner
        }
    };
    let message_element = match banner.query_selector(&format!(".{MESSAGE_CLASS}"))? {
        Some(element) => element,
        None => {
            let element = document.create_element("p")?;
            element.set_class_name(MESSAGE_CLASS);
            banner.append_child(&element)?;
            element
        }
    };
    message_element.set_text_content(Some(message));
    banner.remove_attribute("hidden")?;
    Ok(())
}
