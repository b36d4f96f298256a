//! A generated order stream for the headless runner (`--checkouts-per-sec N`): varied shoppers,
//! Luhn-valid cards of several brands, books from the shipped catalog, quantities 1–3, every
//! shipping method, and a few invalid orders mixed in — so a scenario need not list 100,000
//! checkouts to put the deployment under a realistic load.
//!
//! Deterministic: everything is drawn from `SimRng::derive(seed, "workload")` with integer math,
//! so the same seed gives the same inputs natively and in the browser, and a different label
//! keeps the stream independent of every node's random stream.
//!
//! Not subject to `scenario::MAX_INPUTS`: that bound protects the parser from a huge file or
//! share link, while this stream is produced here, sized by a rate and a duration the caller
//! chose (`MAX_CHECKOUTS_PER_SEC` × `MAX_UNTIL_MS` bounds it instead).

use super::MAX_UNTIL_MS;
use crate::catalog::Catalog;
use crate::checkout::{
    BillingAddress, CheckoutRequest, CreditCard, OrderItem, ShippingMethod, User,
};
use crate::sim::rng::SimRng;
use crate::system::inputs::{Action, TimedInput};

/// Highest accepted rate: 1,000 a second for a day is already 86.4 M orders.
pub const MAX_CHECKOUTS_PER_SEC: u32 = 1_000;
/// The first generated checkout arrives after this much virtual time, when the cluster has had
/// time to elect its executor leader (earlier orders would only wait in the queue).
pub const WORKLOAD_START_MS: u64 = 2_000;
/// About one order in this many is invalid on purpose (bad card, unknown book, malformed body…).
const INVALID_ONE_IN: u64 = 20;

const FIRST_NAMES: &[&str] = &[
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Edsger", "Barbara", "Donald", "Frances", "Ken",
    "Radia", "Tim",
];
const LAST_NAMES: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Perlman",
    "Berners-Lee",
];
const MAIL_DOMAINS: &[&str] = &[
    "example.org",
    "example.com",
    "example.net",
    "mail.example.ee",
];

/// (street, city, state, zip, country): addresses that pass `verify_user_data`.
#[rustfmt::skip]
const ADDRESSES: &[(&str, &str, &str, &str, &str)] = &[
    ("123 Main St", "Anytown", "CA", "12345", "USA"),
    ("500 Elm Ave", "Springfield", "IL", "62701", "United States"),
    ("1 Analytical Way", "London", "", "N1 9GU", "United Kingdom"),
    ("Narva mnt 18", "Tartu", "", "51009", "Estonia"),
    ("Unter den Linden 5", "Berlin", "", "10117", "Germany"),
    ("12 Rue de Rivoli", "Paris", "", "75001", "France"),
];

/// (IIN prefix, number length, cvv digits): one well-known range per brand.
const CARD_BRANDS: &[(&str, usize, usize)] = &[
    ("4", 16, 3),    // Visa
    ("51", 16, 3),   // Mastercard
    ("2221", 16, 3), // Mastercard, 2-series
    ("37", 15, 4),   // American Express
    ("6011", 16, 3), // Discover
    ("3530", 16, 3), // JCB
];

/// What to generate: `checkouts_per_sec` orders a second from `WORKLOAD_START_MS` until
/// `until_ms` (exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    pub checkouts_per_sec: u32,
    pub until_ms: u64,
    pub seed: u64,
}

impl Workload {
    /// Checks the rate and duration, so the stream's size is bounded.
    pub fn new(checkouts_per_sec: u32, until_ms: u64, seed: u64) -> Result<Self, String> {
        if checkouts_per_sec == 0 || checkouts_per_sec > MAX_CHECKOUTS_PER_SEC {
            return Err(format!(
                "checkouts per second: must be 1–{MAX_CHECKOUTS_PER_SEC}"
            ));
        }
        if until_ms > MAX_UNTIL_MS {
            return Err(format!("until: at most {MAX_UNTIL_MS} ms"));
        }
        Ok(Self {
            checkouts_per_sec,
            until_ms,
            seed,
        })
    }

    /// The checkout inputs, in time order (the whole stream at once; a long run should use
    /// `stream`, which holds one order at a time).
    pub fn inputs(&self) -> Vec<TimedInput> {
        let mut stream = self.stream();
        std::iter::from_fn(|| stream.next_input()).collect()
    }

    /// The same inputs, generated one at a time as the run reaches them: a 100,000-order run
    /// does not hold 100,000 request bodies before it starts.
    pub fn stream(&self) -> WorkloadStream {
        WorkloadStream {
            workload: *self,
            catalog: Catalog::embedded().ok(),
            rng: SimRng::derive(self.seed, "workload"),
            next_k: 0,
        }
    }
}

/// A `Workload` being generated. Order `k` arrives at a seeded instant inside its own slot of
/// 1000 / rate ms, so arrivals vary but the rate is exact over any whole second.
pub struct WorkloadStream {
    workload: Workload,
    catalog: Option<Catalog>,
    rng: SimRng,
    next_k: u64,
}

impl WorkloadStream {
    pub fn next_input(&mut self) -> Option<TimedInput> {
        let catalog = self.catalog.as_ref()?;
        let rate = self.workload.checkouts_per_sec as u64;
        let k = self.next_k;
        let slot_start_ms = WORKLOAD_START_MS + k * 1000 / rate;
        let slot_end_ms = WORKLOAD_START_MS + (k + 1) * 1000 / rate;
        if slot_start_ms >= self.workload.until_ms {
            return None;
        }
        self.next_k += 1;
        let at_ms = self.rng.range_inclusive(
            slot_start_ms,
            slot_end_ms.saturating_sub(1).max(slot_start_ms),
        );
        let body = checkout_body(&mut self.rng, catalog, k);
        Some(TimedInput::at(at_ms, Action::Checkout(body)))
    }

    /// Orders generated so far.
    pub fn generated(&self) -> u64 {
        self.next_k
    }
}

/// One order's JSON body: valid, or (about one in `INVALID_ONE_IN`) invalid in one way.
fn checkout_body(rng: &mut SimRng, catalog: &Catalog, k: u64) -> String {
    let mut req = valid_request(rng, catalog, k);
    if rng.below(INVALID_ONE_IN) != 0 {
        return to_json(&req);
    }
    match rng.below(5) {
        0 => break_luhn(&mut req.credit_card.number),
        1 => req.credit_card.expiration_date = "01/2020".into(),
        2 => req.items[0].name = "A Book That Was Never Written".into(),
        3 => req.terms_and_conditions_accepted = false,
        _ => {
            return format!(
                "{{\"items\": [{{\"name\": \"{}\"",
                req.items[0].name.replace('"', "")
            )
        }
    }
    to_json(&req)
}

fn to_json(req: &CheckoutRequest) -> String {
    // Plain strings and numbers: serialising cannot fail.
    serde_json::to_string(req).unwrap_or_default()
}

/// A valid order: shopper `k` of a rotating cast, a fresh card, 1–3 catalog books.
pub fn valid_request(rng: &mut SimRng, catalog: &Catalog, k: u64) -> CheckoutRequest {
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, LAST_NAMES);
    let (street, city, state, zip, country) = *pick(rng, ADDRESSES);
    let items = pick_items(rng, catalog);
    let shipping = ShippingMethod::ALL[rng.below(3) as usize];
    let contact = format!(
        "{}.{}{}@{}",
        first.to_lowercase(),
        last.to_lowercase(),
        k,
        pick(rng, MAIL_DOMAINS)
    );
    CheckoutRequest {
        items,
        user: User {
            name: format!("{first} {last}"),
            contact,
        },
        credit_card: card(rng),
        billing_address: BillingAddress {
            street: street.into(),
            city: city.into(),
            state: state.into(),
            zip: zip.into(),
            country: country.into(),
        },
        shipping_method: shipping,
        gift_wrapping: rng.below(4) == 0,
        terms_and_conditions_accepted: true,
    }
}

fn pick<'a, T>(rng: &mut SimRng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

/// One or two lines of distinct titles (verification refuses a title on two lines).
fn pick_items(rng: &mut SimRng, catalog: &Catalog) -> Vec<OrderItem> {
    let books = catalog.books();
    let first = rng.below(books.len() as u64) as usize;
    let mut lines = vec![first];
    if books.len() > 1 && rng.below(2) == 0 {
        let offset = 1 + rng.below(books.len() as u64 - 1) as usize;
        lines.push((first + offset) % books.len());
    }
    let item = |i: usize, rng: &mut SimRng| OrderItem {
        name: books[i].title.clone(),
        quantity: 1 + rng.below(3) as u32,
    };
    lines.into_iter().map(|i| item(i, rng)).collect()
}

/// A random Luhn-valid number of a random brand, with an expiry 2–6 years after 2026 and a CVV
/// of the brand's length.
fn card(rng: &mut SimRng) -> CreditCard {
    let (prefix, length_digits, cvv_digits) = *pick(rng, CARD_BRANDS);
    let mut digits: Vec<u8> = prefix.bytes().map(|b| b - b'0').collect();
    while digits.len() < length_digits - 1 {
        digits.push(rng.below(10) as u8);
    }
    digits.push(luhn_check_digit(&digits));
    let number: String = digits.iter().map(|d| (b'0' + d) as char).collect();
    let cvv: String = (0..cvv_digits)
        .map(|_| (b'0' + rng.below(10) as u8) as char)
        .collect();
    let expiration_date = format!("{:02}/{}", 1 + rng.below(12), 2028 + rng.below(5));
    CreditCard {
        number,
        expiration_date,
        cvv,
    }
}

/// The digit that makes `payload` followed by it pass the Luhn check.
fn luhn_check_digit(payload: &[u8]) -> u8 {
    // The check digit sits rightmost, so the payload's rightmost digit is doubled.
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = *d as u32;
            if i % 2 == 0 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Changes the last digit, which always breaks the Luhn sum.
fn break_luhn(number: &mut String) {
    if let Some(last) = number.pop() {
        let d = last.to_digit(10).unwrap_or(0);
        number.push(char::from_digit((d + 1) % 10, 10).unwrap_or('0'));
    }
}
