//! The one place the page talks to the LLM: `POST {base}/chat/completions` with `fetch`, an
//! `AbortController` and a wall-clock timeout. Whatever happens becomes an `LlmReply` — the
//! HTTP status and body as received, or why there was none — which the page records as an
//! input; parsing and deciding stay in the engine. The API key goes into the `Authorization`
//! header here and nowhere else.
//!
//! The timeout is a plain `setTimeout` through `web-sys` that aborts the request
//! (`gloo-timers`, the card's timer crate, is not in this machine's crate cache).

use crate::state::llm_settings::LlmSettings;
use engine::llm::{FailKind, LlmReply, BODY_MAX_BYTES};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

/// Sends `body` (a chat-completions request from `engine::llm::chat_completions_body`) and
/// waits at most `timeout_ms` of wall time for the whole answer.
pub async fn post_chat(settings: &LlmSettings, body: &str, timeout_ms: u32) -> LlmReply {
    let endpoint = match settings.endpoint() {
        Ok(e) => e,
        Err(e) => return failed(FailKind::Network, e),
    };
    let Some(window) = web_sys::window() else {
        return failed(FailKind::Network, "no browser window".into());
    };
    let controller = match AbortController::new() {
        Ok(c) => c,
        Err(e) => return failed(FailKind::Network, js_text(&e)),
    };
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            timeout_ms.min(i32::MAX as u32) as i32,
        )
        .ok();
    let result = send(&window, &endpoint, settings, body, &controller).await;
    if let Some(id) = timer {
        window.clear_timeout_with_handle(id);
    }
    drop(on_timeout);
    match result {
        Ok(reply) => reply,
        Err(_) if timed_out.get() => failed(
            FailKind::Timeout,
            format!("no answer within {timeout_ms} ms of wall time"),
        ),
        Err(e) => failed(FailKind::Network, js_text(&e)),
    }
}

async fn send(
    window: &web_sys::Window,
    endpoint: &str,
    settings: &LlmSettings,
    body: &str,
    controller: &AbortController,
) -> Result<LlmReply, JsValue> {
    let headers = Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    if let Some(auth) = settings.authorization() {
        headers.set("Authorization", &auth)?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(&controller.signal()));
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(endpoint, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    let mut body = text.as_string().unwrap_or_default();
    truncate(&mut body, BODY_MAX_BYTES);
    Ok(LlmReply::Http {
        status: response.status(),
        body,
    })
}

fn failed(error: FailKind, detail: String) -> LlmReply {
    let mut detail = detail;
    truncate(&mut detail, engine::llm::DETAIL_MAX_BYTES);
    LlmReply::Failed { error, detail }
}

/// Cuts `s` to at most `max` bytes on a character boundary (a longer body then fails to parse
/// in the engine, which is the honest outcome).
fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

fn js_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
