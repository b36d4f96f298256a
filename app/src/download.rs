//! Browser plumbing for exports: save a text as a file (a Blob behind an object URL, clicked
//! through a temporary `<a download>`), and hand a trace to the Perfetto UI. What goes in the
//! files is the engine's (`engine::export`); nothing here looks inside them.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn js_err(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// Offers `text` as a download named `file_name`.
pub fn save(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js_err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_err)?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_string())?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(js_err)?;
    Ok(())
}

/// Where the Perfetto UI lives, and the origin its messages come from.
pub const PERFETTO_UI: &str = "https://ui.perfetto.dev";
/// How long to keep knocking before giving up (the UI takes a few seconds to load).
const PING_EVERY_MS: i32 = 100;
const PINGS_MAX: u32 = 300;

/// Opens the Perfetto UI in a new tab and hands it `json` the documented way
/// (<https://perfetto.dev/docs/visualization/deep-linking-to-perfetto-ui>): post "PING" to
/// the new window until it answers "PONG", then post `{perfetto: {buffer, title, fileName}}`.
pub fn open_in_perfetto(json: &str, title: &str, file_name: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let ui = window
        .open_with_url_and_target(PERFETTO_UI, "_blank")
        .map_err(js_err)?
        .ok_or("the browser blocked the new tab (allow pop-ups, or download the file)")?;
    let buffer = js_sys::Uint8Array::from(json.as_bytes()).buffer();
    let payload = js_sys::Object::new();
    let inner = js_sys::Object::new();
    for (k, v) in [
        ("buffer", JsValue::from(buffer)),
        ("title", JsValue::from_str(title)),
        ("fileName", JsValue::from_str(file_name)),
    ] {
        js_sys::Reflect::set(&inner, &JsValue::from_str(k), &v).map_err(js_err)?;
    }
    js_sys::Reflect::set(&payload, &JsValue::from_str("perfetto"), &inner).map_err(js_err)?;
    handshake(window, ui, payload)
}

/// Knocks until the UI answers (or `PINGS_MAX` knocks), then delivers once and unhooks.
fn handshake(
    window: web_sys::Window,
    ui: web_sys::Window,
    payload: js_sys::Object,
) -> Result<(), String> {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    type Slot = Rc<RefCell<Option<Closure<dyn FnMut(web_sys::MessageEvent)>>>>;
    let interval = Rc::new(Cell::new(0));
    let listener: Slot = Rc::new(RefCell::new(None));
    let pings = Rc::new(Cell::new(0u32));
    let ping = {
        let (ui, window, interval, pings) =
            (ui.clone(), window.clone(), interval.clone(), pings.clone());
        Closure::<dyn FnMut()>::new(move || {
            pings.set(pings.get() + 1);
            if pings.get() > PINGS_MAX {
                window.clear_interval_with_handle(interval.get());
            }
            let _ = ui.post_message(&JsValue::from_str("PING"), PERFETTO_UI);
        })
    };
    let id = window
        .set_interval_with_callback_and_timeout_and_arguments_0(
            ping.as_ref().unchecked_ref(),
            PING_EVERY_MS,
        )
        .map_err(js_err)?;
    interval.set(id);
    ping.forget(); // stops firing once the interval is cleared; a few bytes
    let on_message = {
        let (window, listener2) = (window.clone(), listener.clone());
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if e.origin() != PERFETTO_UI || e.data().as_string().as_deref() != Some("PONG") {
                return;
            }
            window.clear_interval_with_handle(interval.get());
            let _ = ui.post_message(&payload, PERFETTO_UI);
            // Unhooked, not dropped: a closure must not free itself while it runs (the Rc
            // cycle through `listener` keeps these few bytes for the page's life).
            if let Some(cb) = listener2.borrow().as_ref() {
                let _ = window
                    .remove_event_listener_with_callback("message", cb.as_ref().unchecked_ref());
            }
        })
    };
    window
        .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())
        .map_err(js_err)?;
    *listener.borrow_mut() = Some(on_message);
    Ok(())
}
