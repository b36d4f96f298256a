//! The checkout form as plain Rust: what the shopper typed, the request it becomes (the seeds'
//! JSON, by serialising the engine's own `CheckoutRequest`), quick-fill presets, and gentle
//! client-side hints. The hints never block anything: the services do the real validation,
//! and showing their answer is the point.
use engine::catalog::Catalog;
use engine::checkout::card::{card_brand, card_digits, luhn_valid};
use engine::checkout::email::email_problem;
use engine::checkout::verify_card::parse_expiry;
use engine::checkout::{
    BillingAddress, CheckoutRequest, CreditCard, OrderItem, ShippingMethod, User,
};

use super::shop_catalog::unit_price_cents;

/// A quantity the stepper and the number box never go above (the services cap far lower and
/// say why; this only keeps the box from overflowing).
pub const QUANTITY_INPUT_MAX: u32 = 1_000_000;

/// A body that is not even JSON, to show how the orchestrator answers garbage.
pub const MALFORMED_BODY: &str = r#"{"items": [ {"name": "Dune""#;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    pub title: String,
    pub quantity: u32,
}

/// Every input of the checkout form, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckoutForm {
    pub cart: Vec<CartLine>,
    pub name: String,
    pub email: String,
    pub card_number: String,
    pub card_expiry: String,
    pub card_cvv: String,
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
    pub shipping: ShippingMethod,
    pub gift_wrapping: bool,
    pub terms_accepted: bool,
}

/// One-click fillings of the form, each showing a different path through the mesh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// The seed's example request: approved, three suggestions, executed by the leader.
    Example,
    /// The example with a mistyped card number: event c fails, e and f are skipped.
    BadCard,
    /// A big express order with gift wrap: jumps the priority queue.
    ExpressGift,
}

impl Preset {
    pub fn form(self) -> CheckoutForm {
        let mut form = CheckoutForm::from_request(&CheckoutRequest::example());
        match self {
            Preset::Example => {}
            Preset::BadCard => {
                form.name = "Ada Lovelace".into();
                form.email = "ada@example.org".into();
                form.cart = vec![CartLine {
                    title: "Clean Code".into(),
                    quantity: 1,
                }];
                form.card_number = "4111 1111 1111 1112".into();
            }
            Preset::ExpressGift => {
                form.cart = vec![
                    CartLine {
                        title: "Dune".into(),
                        quantity: 3,
                    },
                    CartLine {
                        title: "The Hobbit".into(),
                        quantity: 2,
                    },
                ];
                form.shipping = ShippingMethod::Express;
                form.gift_wrapping = true;
            }
        }
        form
    }
}

/// The form inputs a service error can point at (by its JSON path).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormField {
    Cart,
    Name,
    Email,
    CardNumber,
    CardExpiry,
    CardCvv,
    Street,
    City,
    State,
    Zip,
    Country,
    Shipping,
    Terms,
}

impl FormField {
    /// The DOM id of the input (a cart error points at the cart list).
    pub fn dom_id(self) -> &'static str {
        match self {
            FormField::Cart => "shop-cart",
            FormField::Name => "shop-name",
            FormField::Email => "shop-email",
            FormField::CardNumber => "shop-card-number",
            FormField::CardExpiry => "shop-card-expiry",
            FormField::CardCvv => "shop-card-cvv",
            FormField::Street => "shop-street",
            FormField::City => "shop-city",
            FormField::State => "shop-state",
            FormField::Zip => "shop-zip",
            FormField::Country => "shop-country",
            FormField::Shipping => "shop-shipping",
            FormField::Terms => "shop-terms",
        }
    }

    /// The form input a service error's `field` (a JSON path) refers to.
    pub fn for_path(path: &str) -> Option<FormField> {
        let head = path.split('[').next().unwrap_or(path);
        Some(match head {
            "items" => FormField::Cart,
            "user.name" => FormField::Name,
            "user.contact" => FormField::Email,
            "user" => FormField::Name,
            "creditCard.number" | "creditCard" => FormField::CardNumber,
            "creditCard.expirationDate" => FormField::CardExpiry,
            "creditCard.cvv" => FormField::CardCvv,
            "billingAddress.street" | "billingAddress" => FormField::Street,
            "billingAddress.city" => FormField::City,
            "billingAddress.state" => FormField::State,
            "billingAddress.zip" => FormField::Zip,
            "billingAddress.country" => FormField::Country,
            "shippingMethod" => FormField::Shipping,
            "termsAndConditionsAccepted" => FormField::Terms,
            _ => return None,
        })
    }
}

/// A client-side remark about one input: a warning (the services will probably refuse it) or
/// a confirmation ("Visa, checksum ok").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub field: FormField,
    pub text: String,
    pub ok: bool,
    /// The field is simply empty: worth saying only once the shopper tried to order.
    pub missing: bool,
}

impl Hint {
    fn warn(field: FormField, text: impl Into<String>) -> Self {
        Self {
            field,
            text: text.into(),
            ok: false,
            missing: false,
        }
    }
    fn fine(field: FormField, text: impl Into<String>) -> Self {
        Self {
            field,
            text: text.into(),
            ok: true,
            missing: false,
        }
    }
    fn missing(field: FormField, text: impl Into<String>) -> Self {
        Self {
            field,
            text: text.into(),
            ok: false,
            missing: true,
        }
    }
}

impl CheckoutForm {
    /// The form showing `req` (the cart takes its items, in order).
    pub fn from_request(req: &CheckoutRequest) -> Self {
        Self {
            cart: req
                .items
                .iter()
                .map(|i| CartLine {
                    title: i.name.clone(),
                    quantity: i.quantity,
                })
                .collect(),
            name: req.user.name.clone(),
            email: req.user.contact.clone(),
            card_number: req.credit_card.number.clone(),
            card_expiry: req.credit_card.expiration_date.clone(),
            card_cvv: req.credit_card.cvv.clone(),
            street: req.billing_address.street.clone(),
            city: req.billing_address.city.clone(),
            state: req.billing_address.state.clone(),
            zip: req.billing_address.zip.clone(),
            country: req.billing_address.country.clone(),
            shipping: req.shipping_method,
            gift_wrapping: req.gift_wrapping,
            terms_accepted: req.terms_and_conditions_accepted,
        }
    }

    /// The request exactly as typed: nothing trimmed or fixed, so the services see what the
    /// shopper sent.
    pub fn to_request(&self) -> CheckoutRequest {
        CheckoutRequest {
            items: self
                .cart
                .iter()
                .map(|l| OrderItem {
                    name: l.title.clone(),
                    quantity: l.quantity,
                })
                .collect(),
            user: User {
                name: self.name.clone(),
                contact: self.email.clone(),
            },
            credit_card: CreditCard {
                number: self.card_number.clone(),
                expiration_date: self.card_expiry.clone(),
                cvv: self.card_cvv.clone(),
            },
            billing_address: BillingAddress {
                street: self.street.clone(),
                city: self.city.clone(),
                state: self.state.clone(),
                zip: self.zip.clone(),
                country: self.country.clone(),
            },
            shipping_method: self.shipping,
            gift_wrapping: self.gift_wrapping,
            terms_and_conditions_accepted: self.terms_accepted,
        }
    }

    /// The body sent to the orchestrator (compact JSON, the seeds' field names).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_request()).unwrap_or_default()
    }

    /// The same, indented, for the raw-JSON editor.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_request()).unwrap_or_default()
    }

    /// Adds one copy of `title`: a new line, or one more on its existing line.
    pub fn add(&mut self, title: &str) {
        match self.cart.iter_mut().find(|l| l.title == title) {
            Some(line) => line.quantity = line.quantity.saturating_add(1).min(QUANTITY_INPUT_MAX),
            None => self.cart.push(CartLine {
                title: title.to_string(),
                quantity: 1,
            }),
        }
    }

    /// The stepper: one more or one fewer, never below 1 (removing is its own button).
    pub fn step(&mut self, title: &str, up: bool) {
        if let Some(line) = self.cart.iter_mut().find(|l| l.title == title) {
            line.quantity = if up {
                line.quantity.saturating_add(1).min(QUANTITY_INPUT_MAX)
            } else {
                line.quantity.saturating_sub(1).max(1)
            };
        }
    }

    /// A typed quantity; anything that is not a whole number keeps the old one. 0 is allowed
    /// on purpose: the services explain why they refuse it.
    pub fn set_quantity(&mut self, title: &str, typed: &str) {
        if let (Some(line), Ok(q)) = (
            self.cart.iter_mut().find(|l| l.title == title),
            typed.trim().parse::<u64>(),
        ) {
            line.quantity = q.min(QUANTITY_INPUT_MAX as u64) as u32;
        }
    }

    pub fn remove(&mut self, title: &str) {
        self.cart.retain(|l| l.title != title);
    }

    pub fn copies(&self) -> u64 {
        self.cart.iter().map(|l| l.quantity as u64).sum()
    }

    /// The cart's total in cents, and whether every title had a price (a title typed into the
    /// raw editor may not be in the catalog).
    pub fn total_cents(&self, catalog: Option<&Catalog>) -> (u64, bool) {
        self.cart.iter().fold((0, true), |(sum, all), line| {
            match unit_price_cents(catalog, &line.title) {
                Some(p) => (
                    sum.saturating_add(p.saturating_mul(line.quantity as u64)),
                    all,
                ),
                None => (sum, false),
            }
        })
    }

    /// Client-side remarks, in form order. Empty fields of a fresh form get no nagging beyond
    /// "required" once something else was typed.
    pub fn hints(&self) -> Vec<Hint> {
        let mut out = Vec::new();
        if self.cart.is_empty() {
            out.push(Hint::missing(FormField::Cart, "Add at least one book"));
        }
        if self.cart.iter().any(|l| l.quantity == 0) {
            out.push(Hint::warn(
                FormField::Cart,
                "A quantity of 0 will be refused",
            ));
        }
        if self.name.trim().is_empty() {
            out.push(Hint::missing(FormField::Name, "Required"));
        }
        if self.email.trim().is_empty() {
            out.push(Hint::missing(FormField::Email, "Required"));
        } else if let Some(problem) = email_problem(self.email.trim()) {
            out.push(Hint::warn(FormField::Email, capitalise(&problem)));
        }
        out.extend(self.card_hints());
        for (field, value) in [
            (FormField::Street, &self.street),
            (FormField::City, &self.city),
            (FormField::Zip, &self.zip),
            (FormField::Country, &self.country),
        ] {
            if value.trim().is_empty() {
                out.push(Hint::missing(field, "Required"));
            }
        }
        if self.state.trim().is_empty() && is_united_states(&self.country) {
            out.push(Hint::missing(FormField::State, "Required for a US address"));
        }
        if !self.terms_accepted {
            out.push(Hint::missing(
                FormField::Terms,
                "Orders without accepted terms are refused",
            ));
        }
        out
    }

    fn card_hints(&self) -> Vec<Hint> {
        let mut out = Vec::new();
        let brand = match card_digits(&self.card_number) {
            _ if self.card_number.trim().is_empty() => {
                out.push(Hint::missing(FormField::CardNumber, "Required"));
                None
            }
            None => {
                out.push(Hint::warn(
                    FormField::CardNumber,
                    "Only digits, spaces and dashes",
                ));
                None
            }
            Some(digits) => {
                let brand = card_brand(&digits);
                let (lo, hi) = brand.lengths();
                let n = digits.len();
                if !(lo..=hi).contains(&n) {
                    let want = if lo == hi {
                        lo.to_string()
                    } else {
                        format!("{lo}–{hi}")
                    };
                    out.push(Hint::warn(
                        FormField::CardNumber,
                        format!("{brand}: {n} digits, expected {want}"),
                    ));
                } else if !luhn_valid(&digits) {
                    out.push(Hint::warn(
                        FormField::CardNumber,
                        format!("{brand}: fails the Luhn checksum (a typo?)"),
                    ));
                } else {
                    out.push(Hint::fine(
                        FormField::CardNumber,
                        format!("{brand} · Luhn checksum ok"),
                    ));
                }
                Some(brand)
            }
        };
        if self.card_expiry.trim().is_empty() {
            out.push(Hint::missing(FormField::CardExpiry, "Required"));
        } else if parse_expiry(&self.card_expiry).is_none() {
            out.push(Hint::warn(FormField::CardExpiry, "Use MM/YY"));
        }
        let cvv = self.card_cvv.trim();
        let want = brand.map_or(3, |b| b.cvv_digits());
        if cvv.is_empty() {
            out.push(Hint::missing(FormField::CardCvv, "Required"));
        } else if cvv.len() != want || !cvv.bytes().all(|b| b.is_ascii_digit()) {
            out.push(Hint::warn(FormField::CardCvv, format!("{want} digits")));
        }
        out
    }
}

fn is_united_states(country: &str) -> bool {
    matches!(
        country.trim().to_ascii_lowercase().as_str(),
        "us" | "usa" | "united states" | "united states of america"
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::shop_catalog::catalog;

    #[test]
    fn the_example_round_trips_through_the_form_unchanged() {
        let example = CheckoutRequest::example();
        assert_eq!(CheckoutForm::from_request(&example).to_request(), example);
        assert_eq!(Preset::Example.form().to_request(), example);
    }

    #[test]
    fn the_body_uses_the_seed_field_names() {
        let json: serde_json::Value =
            serde_json::from_str(&Preset::Example.form().to_json()).expect("valid JSON");
        assert_eq!(json["items"][0]["name"], "Clean Architecture");
        assert_eq!(json["user"]["contact"], "john@example.com");
        assert_eq!(json["creditCard"]["expirationDate"], "12/2030");
        assert_eq!(json["billingAddress"]["zip"], "12345");
        assert_eq!(json["shippingMethod"], "standard");
        assert_eq!(json["giftWrapping"], false);
        assert_eq!(json["termsAndConditionsAccepted"], true);
    }

    #[test]
    fn the_form_sends_what_was_typed_without_trimming() {
        let mut form = Preset::Example.form();
        form.name = "  John ".into();
        form.shipping = ShippingMethod::Express;
        let req = form.to_request();
        assert_eq!(req.user.name, "  John ");
        assert_eq!(req.shipping_method, ShippingMethod::Express);
    }

    #[test]
    fn adding_twice_makes_one_line_of_two_and_the_stepper_stops_at_one() {
        let mut form = CheckoutForm::default();
        form.add("Dune");
        form.add("Dune");
        assert_eq!(
            form.cart,
            vec![CartLine {
                title: "Dune".into(),
                quantity: 2
            }]
        );
        form.step("Dune", false);
        form.step("Dune", false);
        assert_eq!(form.cart[0].quantity, 1);
        form.step("Dune", true);
        assert_eq!(form.cart[0].quantity, 2);
        form.remove("Dune");
        assert!(form.cart.is_empty());
    }

    #[test]
    fn a_typed_quantity_accepts_zero_caps_huge_and_ignores_garbage() {
        let mut form = CheckoutForm::default();
        form.add("Dune");
        form.set_quantity("Dune", "0");
        assert_eq!(form.cart[0].quantity, 0);
        form.set_quantity("Dune", "99999999999");
        assert_eq!(form.cart[0].quantity, QUANTITY_INPUT_MAX);
        form.set_quantity("Dune", "2");
        form.set_quantity("Dune", "abc");
        assert_eq!(form.cart[0].quantity, 2);
        form.set_quantity("Dune", "7");
        assert_eq!(form.cart[0].quantity, 7);
    }

    #[test]
    fn the_total_multiplies_catalog_prices_and_notices_unknown_titles() {
        let c = catalog();
        let unit = unit_price_cents(c, "Clean Architecture").expect("priced");
        let mut form = Preset::Example.form();
        form.cart[0].quantity = 3;
        assert_eq!(form.total_cents(c), (3 * unit, true));
        form.add("Not A Real Book 42");
        assert_eq!(form.total_cents(c), (3 * unit, false));
    }

    #[test]
    fn every_preset_title_is_in_the_catalog() {
        for preset in [Preset::Example, Preset::BadCard, Preset::ExpressGift] {
            for line in preset.form().cart {
                assert!(
                    unit_price_cents(catalog(), &line.title).is_some(),
                    "{} missing",
                    line.title
                );
            }
        }
    }

    #[test]
    fn the_example_gets_only_a_positive_card_hint() {
        let hints = Preset::Example.form().hints();
        assert_eq!(
            hints,
            vec![Hint::fine(FormField::CardNumber, "Visa · Luhn checksum ok")]
        );
    }

    #[test]
    fn the_bad_card_preset_warns_about_the_checksum() {
        let hints = Preset::BadCard.form().hints();
        assert!(hints
            .iter()
            .any(|h| h.field == FormField::CardNumber && !h.ok && h.text.contains("Luhn")));
    }

    #[test]
    fn an_empty_form_warns_about_every_required_field() {
        let hints = CheckoutForm::default().hints();
        for field in [
            FormField::Cart,
            FormField::Name,
            FormField::Email,
            FormField::CardNumber,
            FormField::CardExpiry,
            FormField::CardCvv,
            FormField::Street,
            FormField::Terms,
        ] {
            assert!(
                hints.iter().any(|h| h.field == field && !h.ok),
                "no hint for {field:?}"
            );
        }
    }

    #[test]
    fn format_hints_cover_expiry_cvv_email_and_us_state() {
        let mut form = Preset::Example.form();
        form.card_expiry = "2030-12".into();
        form.card_cvv = "12a".into();
        form.email = "john.example.com".into();
        form.state = String::new();
        let hints = form.hints();
        let text = |f: FormField| {
            hints
                .iter()
                .find(|h| h.field == f)
                .map(|h| h.text.clone())
                .unwrap_or_default()
        };
        assert_eq!(text(FormField::CardExpiry), "Use MM/YY");
        assert_eq!(text(FormField::CardCvv), "3 digits");
        assert!(text(FormField::Email).contains('@'));
        assert_eq!(text(FormField::State), "Required for a US address");
    }

    #[test]
    fn service_error_paths_map_to_form_inputs() {
        assert_eq!(
            FormField::for_path("items[2].quantity"),
            Some(FormField::Cart)
        );
        assert_eq!(
            FormField::for_path("creditCard.number"),
            Some(FormField::CardNumber)
        );
        assert_eq!(
            FormField::for_path("billingAddress.zip"),
            Some(FormField::Zip)
        );
        assert_eq!(
            FormField::for_path("termsAndConditionsAccepted"),
            Some(FormField::Terms)
        );
        assert_eq!(FormField::for_path("body"), None);
    }
}
