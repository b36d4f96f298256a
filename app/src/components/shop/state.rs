//! The shop's UI state: what the shopper is typing and what they last sent. It lives on the
//! page's root owner so switching tabs never loses a half-filled form.
use leptos::prelude::*;

use crate::view_model::log_filter::use_page_context;
use crate::view_model::shop::CheckoutForm;
use crate::view_model::shop_orders::Sent;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Form,
    Raw,
}

#[derive(Clone, Copy)]
pub struct ShopState {
    pub form: RwSignal<CheckoutForm>,
    pub mode: RwSignal<Mode>,
    /// The raw-JSON editor's text (sent as is, even if it is not JSON).
    pub raw: RwSignal<String>,
    /// The catalog search box.
    pub query: RwSignal<String>,
    /// The bodies sent from this page and when (virtual time), oldest first.
    pub sent: RwSignal<Vec<Sent>>,
    /// The shopper pressed "Place order" once: empty required fields may now be pointed out.
    pub tried: RwSignal<bool>,
}

pub fn use_shop_state() -> ShopState {
    use_page_context(|| ShopState {
        form: RwSignal::new(CheckoutForm::default()),
        mode: RwSignal::new(Mode::Form),
        raw: RwSignal::new(String::new()),
        query: RwSignal::new(String::new()),
        sent: RwSignal::new(Vec::new()),
        tried: RwSignal::new(false),
    })
}
