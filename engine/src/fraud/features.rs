//! What the fraud check knows about one order, as plain integers and flags.
//!
//! The service fills a [`FraudFeatures`] from the checkout request (the string heuristics in
//! `signals.rs` turn names and addresses into numbers) and from its [`VelocityTracker`]
//! (`velocity.rs`). The rules read every field; the model reads the first sixteen, in the order
//! of [`FEATURE_NAMES`], which must equal the `feature_names` of `data/fraud_model.json`
//! (checked when the model is loaded).
//!
//! [`VelocityTracker`]: super::velocity::VelocityTracker

use serde::{Deserialize, Serialize};

use super::signals::{
    countries_differ, holder_match, is_disposable_email, looks_like_po_box, NameStats,
};
use super::velocity::VelocityCounts;

/// The model's input order. Shared with `ml/fraud/generate_dataset.py`.
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "amount_cents",
    "total_quantity",
    "distinct_items",
    "card_uses_in_window",
    "distinct_cards_for_contact",
    "billing_country_mismatch",
    "name_length",
    "name_digit_permille",
    "name_has_vowel",
    "name_words",
    "email_disposable",
    "expiry_months_ahead",
    "shipping_method",
    "gift_wrap",
    "hour_of_day",
    "po_box",
];
pub const FEATURE_COUNT: usize = 16;

/// The checkout's shipping method; the model sees it as 0, 1, 2.
pub use crate::checkout::ShippingMethod;

impl ShippingMethod {
    pub fn model_code(self) -> u32 {
        match self {
            Self::Standard => 0,
            Self::Priority => 1,
            Self::Express => 2,
        }
    }
}

/// How the user name compares with the name printed on the card, when the order gives one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderMatch {
    #[default]
    NotGiven,
    Matches,
    Mismatch,
}

/// Everything the rules and the model look at. No floats, no strings: a hostile name reaches
/// neither a decision nor a message, only its counts do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FraudFeatures {
    pub amount_cents: u64,
    pub total_quantity: u32,
    pub distinct_items: u32,
    /// Uses of this card within the velocity window, this order included.
    pub card_uses_in_window: u32,
    /// Different cards this user/contact used within the window, this one included.
    pub distinct_cards_for_contact: u32,
    /// The billing country differs from the user's usual (or shipping) country.
    pub billing_country_mismatch: bool,
    /// Characters (Unicode scalar values) in the trimmed user name.
    pub name_length: u32,
    pub name_digit_permille: u32,
    pub name_has_vowel: bool,
    pub name_words: u32,
    pub email_disposable: bool,
    /// Months from the simulated "now" to the card's expiry month (0 = expires this month).
    pub expiry_months_ahead: u32,
    pub shipping_method: ShippingMethod,
    pub gift_wrap: bool,
    /// Hour of the simulated clock, 0..=23.
    pub hour_of_day: u32,
    pub po_box: bool,
    // ---- read by the rules only ----
    pub name_letters: u32,
    pub name_digits: u32,
    /// Longest run of one repeated character ("Aaaa" -> 4, case-insensitive).
    pub name_longest_run: u32,
    pub holder_match: HolderMatch,
}

impl FraudFeatures {
    /// The model input, in [`FEATURE_NAMES`] order, as XGBoost sees it (f32). Every value is an
    /// integer, so the conversion is exact below 2^24 and IEEE round-to-nearest above, the same
    /// conversion numpy made when the model was trained.
    pub fn model_input(&self) -> [f32; FEATURE_COUNT] {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        [
            self.amount_cents as f32,
            self.total_quantity as f32,
            self.distinct_items as f32,
            self.card_uses_in_window as f32,
            self.distinct_cards_for_contact as f32,
            flag(self.billing_country_mismatch),
            self.name_length as f32,
            self.name_digit_permille as f32,
            flag(self.name_has_vowel),
            self.name_words as f32,
            flag(self.email_disposable),
            self.expiry_months_ahead as f32,
            self.shipping_method.model_code() as f32,
            flag(self.gift_wrap),
            self.hour_of_day as f32,
            flag(self.po_box),
        ]
    }

    /// Copies the name counts of [`super::signals::NameStats`] into the features.
    pub fn set_name(&mut self, stats: &NameStats) {
        self.name_length = stats.chars;
        self.name_letters = stats.letters;
        self.name_digits = stats.digits;
        self.name_digit_permille = stats.digit_permille();
        self.name_has_vowel = stats.has_vowel;
        self.name_words = stats.words;
        self.name_longest_run = stats.longest_run;
    }
}

/// The order as the fraud service sees it, already parsed by the service (the strings are
/// still untrusted). `usual_country` is the country the service last saw for this contact
/// (or the store's own country); empty means unknown, which is never a mismatch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutFacts {
    pub user_name: String,
    pub card_holder: Option<String>,
    pub contact: String,
    pub amount_cents: u64,
    pub total_quantity: u32,
    pub distinct_items: u32,
    pub billing_street: String,
    pub billing_country: String,
    pub usual_country: String,
    pub shipping_method: ShippingMethod,
    pub gift_wrap: bool,
    pub expiry_months_ahead: u32,
    pub hour_of_day: u32,
}

impl FraudFeatures {
    /// Features of one order, with the counts its [`VelocityTracker`] returned when the
    /// order was recorded.
    ///
    /// [`VelocityTracker`]: super::velocity::VelocityTracker
    pub fn from_checkout(facts: &CheckoutFacts, velocity: VelocityCounts) -> Self {
        let mut f = FraudFeatures {
            amount_cents: facts.amount_cents,
            total_quantity: facts.total_quantity,
            distinct_items: facts.distinct_items,
            card_uses_in_window: velocity.card_uses_in_window,
            distinct_cards_for_contact: velocity.distinct_cards_for_contact,
            billing_country_mismatch: countries_differ(
                &facts.billing_country,
                &facts.usual_country,
            ),
            email_disposable: is_disposable_email(&facts.contact),
            expiry_months_ahead: facts.expiry_months_ahead,
            shipping_method: facts.shipping_method,
            gift_wrap: facts.gift_wrap,
            hour_of_day: facts.hour_of_day % 24,
            po_box: looks_like_po_box(&facts.billing_street),
            holder_match: holder_match(&facts.user_name, facts.card_holder.as_deref()),
            ..FraudFeatures::default()
        };
        f.set_name(&NameStats::of(&facts.user_name));
        f
    }
}

/// Months from (now_year, now_month) to (expiry_year, expiry_month), 0 if already past.
/// Months are 1..=12; a month outside that range is an error, not a guess.
pub fn months_ahead(
    now_year: u32,
    now_month: u32,
    expiry_year: u32,
    expiry_month: u32,
) -> Result<u32, String> {
    for (what, m) in [("current", now_month), ("expiry", expiry_month)] {
        if !(1..=12).contains(&m) {
            return Err(format!("{what} month {m} is not in 1..=12"));
        }
    }
    let now = u64::from(now_year) * 12 + u64::from(now_month - 1);
    let expiry = u64::from(expiry_year) * 12 + u64::from(expiry_month - 1);
    Ok(u32::try_from(expiry.saturating_sub(now)).unwrap_or(u32::MAX))
}

/// Hour of day (0..=23) of a simulated instant, given the wall-clock hour the simulation starts at.
pub fn hour_of_day(time_us: u64, start_hour: u32) -> u32 {
    const HOUR_US: u64 = 3_600_000_000;
    ((time_us / HOUR_US + u64::from(start_hour % 24)) % 24) as u32
}
