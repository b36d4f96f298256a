//! The error banner: hidden until the panic hook (crate::panic_hook) fills it in.
use leptos::prelude::*;

/// `id` of the banner element; the panic hook finds it by this id.
pub const BANNER_ID: &str = "bm-error-banner";
/// Class of the element that receives the panic message.
pub const MESSAGE_CLASS: &str = "error-banner__message";

#[component]
pub fn ErrorBanner() -> impl IntoView {
    view! {
        <div id=BANNER_ID class="error-banner" role="alert" hidden=true>
            <div class="error-banner__text">
                <strong class="error-banner__title">"bookmesh stopped after an internal error."</strong>
                " The page no longer responds; the details below help us fix it."
                <p class=MESSAGE_CLASS></p>
            </div>
            // A plain link: after a panic no wasm event handler can run any more.
            <a class="error-banner__reload" href="">"Reload the page"</a>
        </div>
    }
}
