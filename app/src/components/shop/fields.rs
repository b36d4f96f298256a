//! The checkout form's inputs: buyer, card, billing address, shipping, gift wrap and terms,
//! each with its note (a client-side hint, or the services' verdict on the last answer).
use engine::checkout::{FieldError, ShippingMethod};
use leptos::prelude::*;

use super::state::ShopState;
use crate::view_model::shop::{CheckoutForm, FormField, Hint};

/// What the notes under the inputs say: client hints and the services' errors on the last
/// answer to exactly this form. Provided by the shop panel.
#[derive(Clone, Copy)]
pub struct FormNotes {
    pub hints: Memo<Vec<Hint>>,
    pub service: Memo<Vec<FieldError>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Note {
    Service(String),
    Warn(String),
    Fine(String),
}

fn notes_for(state: ShopState, field: FormField) -> Memo<Vec<Note>> {
    let notes = expect_context::<FormNotes>();
    Memo::new(move |_| {
        let tried = state.tried.get();
        let mut out: Vec<Note> = notes.service.with(|errors| {
            errors
                .iter()
                .filter(|e| FormField::for_path(&e.field) == Some(field))
                .map(|e| Note::Service(format!("{}: {}", e.field, e.message)))
                .collect()
        });
        // The services' verdict says it all: no client warning repeats it.
        let judged = !out.is_empty();
        notes.hints.with(|hints| {
            for h in hints
                .iter()
                .filter(|h| h.field == field && (tried || !h.missing))
            {
                if h.ok {
                    out.push(Note::Fine(h.text.clone()));
                } else if !judged {
                    out.push(Note::Warn(h.text.clone()));
                }
            }
        });
        out
    })
}

/// The note under one input (or group).
#[component]
pub fn FieldNote(state: ShopState, field: FormField) -> impl IntoView {
    let notes = notes_for(state, field);
    view! {
        <div class="shop-note" id=format!("{}-note", field.dom_id()) aria-live="polite">
            {move || {
                notes
                    .get()
                    .into_iter()
                    .map(|n| match n {
                        Note::Service(t) => view! { <p class="shop-note__line is-service">"✕ " {t}</p> },
                        Note::Warn(t) => view! { <p class="shop-note__line is-warn">"⚠ " {t}</p> },
                        Note::Fine(t) => view! { <p class="shop-note__line is-fine">"✓ " {t}</p> },
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// One labelled text input bound to a field of the form.
#[component]
fn TextField(
    state: ShopState,
    field: FormField,
    label: &'static str,
    get: fn(&CheckoutForm) -> &String,
    set: fn(&mut CheckoutForm) -> &mut String,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] mono: bool,
) -> impl IntoView {
    let value = Memo::new(move |_| state.form.with(|f| get(f).clone()));
    let notes = notes_for(state, field);
    let flagged = move || notes.with(|n| n.iter().any(|n| !matches!(n, Note::Fine(_))));
    let refused = move || notes.with(|n| n.iter().any(|n| matches!(n, Note::Service(_))));
    let id = field.dom_id();
    view! {
        <div class="shop-field">
            <label class="shop-label" for=id>{label}</label>
            <input
                id=id
                class="shop-input"
                class:mono=mono
                class:is-invalid=flagged
                class:is-refused=refused
                type="text"
                placeholder=placeholder
                autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                inputmode=if inputmode.is_empty() { "text" } else { inputmode }
                spellcheck="false"
                aria-invalid=move || if flagged() { "true" } else { "false" }
                aria-describedby=format!("{id}-note")
                prop:value=move || value.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    state.form.update(|f| *set(f) = typed);
                }
            />
            <FieldNote state=state field=field />
        </div>
    }
}

#[component]
pub fn CheckoutFields(state: ShopState) -> impl IntoView {
    view! {
        <fieldset class="shop-group">
            <legend class="shop-subheading">"You"</legend>
            <TextField state=state field=FormField::Name label="Name" get=|f| &f.name set=|f| &mut f.name autocomplete="name" placeholder="John Doe" />
            <TextField state=state field=FormField::Email label="Contact e-mail" get=|f| &f.email set=|f| &mut f.email autocomplete="email" inputmode="email" placeholder="john@example.com" />
        </fieldset>
        <fieldset class="shop-group">
            <legend class="shop-subheading">"Card"</legend>
            <TextField state=state field=FormField::CardNumber label="Card number" get=|f| &f.card_number set=|f| &mut f.card_number autocomplete="cc-number" inputmode="numeric" placeholder="4111 1111 1111 1111" mono=true />
            <div class="shop-row">
                <TextField state=state field=FormField::CardExpiry label="Expiry (MM/YY)" get=|f| &f.card_expiry set=|f| &mut f.card_expiry autocomplete="cc-exp" placeholder="12/30" mono=true />
                <TextField state=state field=FormField::CardCvv label="CVV" get=|f| &f.card_cvv set=|f| &mut f.card_cvv autocomplete="cc-csc" inputmode="numeric" placeholder="123" mono=true />
            </div>
        </fieldset>
        <fieldset class="shop-group">
            <legend class="shop-subheading">"Billing address"</legend>
            <TextField state=state field=FormField::Street label="Street" get=|f| &f.street set=|f| &mut f.street autocomplete="street-address" placeholder="123 Main St" />
            <div class="shop-row">
                <TextField state=state field=FormField::City label="City" get=|f| &f.city set=|f| &mut f.city autocomplete="address-level2" placeholder="Anytown" />
                <TextField state=state field=FormField::State label="State" get=|f| &f.state set=|f| &mut f.state autocomplete="address-level1" placeholder="CA" />
            </div>
            <div class="shop-row">
                <TextField state=state field=FormField::Zip label="ZIP / postcode" get=|f| &f.zip set=|f| &mut f.zip autocomplete="postal-code" placeholder="12345" />
                <TextField state=state field=FormField::Country label="Country" get=|f| &f.country set=|f| &mut f.country autocomplete="country-name" placeholder="USA" />
            </div>
        </fieldset>
        <Shipping state=state />
        <fieldset class="shop-group shop-group--checks">
            <legend class="visually-hidden">"Extras and terms"</legend>
            <label class="shop-check">
                <input
                    type="checkbox"
                    prop:checked=move || state.form.with(|f| f.gift_wrapping)
                    on:change=move |ev| state.form.update(|f| f.gift_wrapping = event_target_checked(&ev))
                />
                <span>"Gift wrapping " <span class="shop-label__aside">"(+30 queue priority)"</span></span>
            </label>
            <label class="shop-check" id=FormField::Terms.dom_id()>
                <input
                    type="checkbox"
                    aria-describedby=format!("{}-note", FormField::Terms.dom_id())
                    prop:checked=move || state.form.with(|f| f.terms_accepted)
                    on:change=move |ev| state.form.update(|f| f.terms_accepted = event_target_checked(&ev))
                />
                <span>"I accept the terms and conditions"</span>
            </label>
            <FieldNote state=state field=FormField::Terms />
        </fieldset>
    }
}

/// What each shipping method means for the order, in words.
fn shipping_blurb(m: ShippingMethod) -> &'static str {
    match m {
        ShippingMethod::Standard => "5–7 days",
        ShippingMethod::Priority => "2–3 days · ahead in the queue",
        ShippingMethod::Express => "next day · first in the queue",
    }
}

#[component]
fn Shipping(state: ShopState) -> impl IntoView {
    let chosen = Memo::new(move |_| state.form.with(|f| f.shipping));
    view! {
        <fieldset class="shop-group" id=FormField::Shipping.dom_id()>
            <legend class="shop-subheading">"Shipping"</legend>
            <div class="shop-shipping" role="radiogroup" aria-label="Shipping method">
                {ShippingMethod::ALL
                    .into_iter()
                    .map(|m| {
                        view! {
                            <label class="shop-shipping__option" class:is-chosen=move || chosen.get() == m>
                                <input
                                    type="radio"
                                    name="shop-shipping"
                                    value=m.as_str()
                                    prop:checked=move || chosen.get() == m
                                    on:change=move |_| state.form.update(|f| f.shipping = m)
                                />
                                <span class="shop-shipping__name">{m.as_str()}</span>
                                <span class="shop-shipping__blurb">{shipping_blurb(m)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldNote state=state field=FormField::Shipping />
        </fieldset>
    }
}
