//! The fraud-detection service: events d (CheckUserData: the name and e-mail rules) and
//! e (CheckCreditCardData: card velocity across orders, amount and address rules, and the
//! gradient-boosted tree model), over the pure core in `fraud`.
//!
//! The model is unavailable while the world flag "model-down:fraud" is on (or if it failed to
//! load): the rules then decide alone, and the outcome says so in a note and in the trace log.
//! A high-risk score with low confidence approves the order with a note (seed 000).
//!
//! While the LLM option is on, event e asks the model for a strict JSON verdict instead of the
//! local model (the rules still apply); no usable answer falls back to the local model, with
//! a note, a log line and a typed fact on the order's trace (`fraud_llm.rs`, `llm_desk.rs`).

use super::llm_desk::LlmAnswer;
use super::validator_cache::{serve_validator, Validator, ValidatorConfig};
use crate::catalog::Catalog;
use crate::checkout::verify_card::parse_expiry;
use crate::checkout::{CheckoutRequest, FieldError};
use crate::fraud::features::{hour_of_day, months_ahead, CheckoutFacts};
use crate::fraud::{
    assess, card_fingerprint, check_rules, contact_fingerprint, FraudFeatures, FraudModel,
    FraudPolicy, RuleHit, RuleId, Severity, VelocityCounts, VelocityTracker,
};
use crate::llm::{fraud_prompt, parse_fraud_verdict, LlmFailure, LlmPrompt, LlmService};
use crate::msg::{DagEvent, EventOutcome};
use crate::sim::NodeCtx;
use std::collections::{BTreeMap, VecDeque};

/// This service's name: its node name and its entry in the vector clocks.
pub const FRAUD: &str = "fraud";
/// The world flag of the model-outage fault.
pub const FRAUD_MODEL_DOWN_FLAG: &str = "model-down:fraud";
/// Contacts whose last billing country is remembered (oldest forgotten first).
const USUAL_COUNTRIES_MAX: usize = 4096;

struct Fraud {
    catalog: Result<Catalog, String>,
    model: Result<FraudModel, String>,
    velocity: VelocityTracker,
    /// Contact fingerprint → the billing country of its previous order.
    usual_country: BTreeMap<u64, String>,
    usual_order: VecDeque<u64>,
    cfg: ValidatorConfig,
}

impl Validator for Fraud {
    /// The order's features, computed (and its card use recorded) when the LLM was asked.
    type Asked = FraudFeatures;

    fn runs(&self, event: DagEvent) -> bool {
        event.service() == FRAUD
    }

    fn run(
        &mut self,
        ctx: &NodeCtx,
        corr: u64,
        event: DagEvent,
        req: &CheckoutRequest,
    ) -> EventOutcome {
        match event {
            DagEvent::CheckUserData => check_user_data(req),
            DagEvent::CheckCardData => self.check_card_data(ctx, corr, req),
            other => failed(vec![FieldError::new(
                FRAUD,
                format!("does not run {}", other.name()),
            )]),
        }
    }

    fn model_up(&self, ctx: &NodeCtx) -> bool {
        self.model.is_ok() && !ctx.flag(FRAUD_MODEL_DOWN_FLAG)
    }

    fn ask_llm(
        &mut self,
        ctx: &NodeCtx,
        event: DagEvent,
        req: &CheckoutRequest,
    ) -> Option<(LlmService, LlmPrompt, FraudFeatures)> {
        // Event d is the name and e-mail rules alone; the model judges the whole order in e.
        if event != DagEvent::CheckCardData {
            return None;
        }
        let features = self.record_card_use(ctx, req);
        Some((LlmService::Fraud, fraud_prompt(&features), features))
    }

    fn decide_with_llm(
        &mut self,
        ctx: &NodeCtx,
        corr: u64,
        _event: DagEvent,
        _req: &CheckoutRequest,
        features: FraudFeatures,
        answer: LlmAnswer,
    ) -> EventOutcome {
        let verdict = answer
            .result
            .clone()
            .and_then(|text| parse_fraud_verdict(&text).map_err(LlmFailure::Malformed));
        match verdict {
            Ok(verdict) => {
                let hits = card_hits(check_rules(&features, &FraudPolicy::default().rules));
                let (errors, notes, summary) = super::fraud_llm::judge(&verdict);
                answer.settle_used(ctx, corr, summary);
                verdict_outcome(&hits, errors, notes)
            }
            Err(failure) => {
                let line = answer.settle_fallback(ctx, corr, &failure);
                let mut outcome = self.decide_locally(ctx, corr, &features);
                outcome.notes.insert(0, line);
                outcome
            }
        }
    }
}

/// The rules about the person: name sanity and throwaway e-mail.
fn is_user_rule(rule: RuleId) -> bool {
    matches!(
        rule,
        RuleId::NameEmpty
            | RuleId::NameHasDigits
            | RuleId::NameTooLong
            | RuleId::NameHasNoLetters
            | RuleId::NameRepeatedCharacters
            | RuleId::NameHolderMismatch
            | RuleId::DisposableEmail
    )
}

/// The form field a rule is about, so the page can point at it.
fn rule_field(rule: RuleId) -> &'static str {
    match rule {
        RuleId::DisposableEmail => "user.contact",
        RuleId::CardVelocity | RuleId::CardCycling => "creditCard.number",
        RuleId::AmountVeryHigh | RuleId::AmountHigh => "items",
        RuleId::PoBoxExpress => "billingAddress.street",
        RuleId::BillingCountryMismatch | RuleId::BillingCountryMismatchHighAmount => {
            "billingAddress.country"
        }
        _ => "user.name",
    }
}

/// Event d: the user rules only (nothing here depends on the card or on other orders).
fn check_user_data(req: &CheckoutRequest) -> EventOutcome {
    let facts = CheckoutFacts {
        user_name: req.user.name.clone(),
        contact: req.user.contact.clone(),
        ..Default::default()
    };
    let features = FraudFeatures::from_checkout(&facts, VelocityCounts::default());
    let hits: Vec<RuleHit> = check_rules(&features, &FraudPolicy::default().rules)
        .into_iter()
        .filter(|h| is_user_rule(h.rule))
        .collect();
    verdict_outcome(&hits, Vec::new(), Vec::new())
}

impl Fraud {
    /// Event e: records the card use (velocity is across orders), then rules + model.
    fn check_card_data(&mut self, ctx: &NodeCtx, corr: u64, req: &CheckoutRequest) -> EventOutcome {
        let features = self.record_card_use(ctx, req);
        self.decide_locally(ctx, corr, &features)
    }

    /// Records this use of the card and the contact's country; returns the order's features.
    fn record_card_use(&mut self, ctx: &NodeCtx, req: &CheckoutRequest) -> FraudFeatures {
        // Velocity windows compare only times read here, on this node's clock: consistent
        // whatever its skew; drift stretches or shrinks the windows as it would in production.
        let now = ctx.now();
        let contact = contact_fingerprint(&req.user.contact);
        let counts = self
            .velocity
            .record(card_fingerprint(&req.credit_card.number), contact, now);
        let facts = self.facts(req, contact, now);
        self.remember_country(contact, &req.billing_address.country);
        FraudFeatures::from_checkout(&facts, counts)
    }

    /// Rules + the local gradient-boosted model (rules alone while it is down).
    fn decide_locally(&self, ctx: &NodeCtx, corr: u64, features: &FraudFeatures) -> EventOutcome {
        let model = if ctx.flag(FRAUD_MODEL_DOWN_FLAG) {
            None
        } else {
            self.model.as_ref().ok()
        };
        let hits = check_rules(features, &FraudPolicy::default().rules);
        let assessment = assess(features, model);
        // `assess` lists the rule hits first, then what the model said.
        let model_says: Vec<String> = assessment
            .reasons
            .iter()
            .skip(hits.len())
            .cloned()
            .collect();
        let mut errors = Vec::new();
        let mut notes = Vec::new();
        for reason in model_says {
            if reason.starts_with("model_high_risk") {
                errors.push(FieldError::new("body", reason));
            } else {
                ctx.log_corr(corr, format!("{FRAUD}: {reason}"));
                notes.push(format!("{FRAUD}: {reason}"));
            }
        }
        if assessment.model_used {
            notes.push(format!(
                "{FRAUD}: model risk {} ‰, confidence {} ‰",
                assessment.risk_permille, assessment.confidence_permille
            ));
        }
        verdict_outcome(&card_hits(hits), errors, notes)
    }

    fn facts(&self, req: &CheckoutRequest, contact: u64, now: u64) -> CheckoutFacts {
        let today = self.cfg.calendar_start.add_micros(now);
        let expiry_months_ahead = parse_expiry(&req.credit_card.expiration_date)
            .and_then(|e| {
                months_ahead(
                    today.year.into(),
                    today.month.into(),
                    e.year.into(),
                    e.month.into(),
                )
                .ok()
            })
            .unwrap_or(0);
        let shipping_method = req.shipping_method;
        CheckoutFacts {
            user_name: req.user.name.clone(),
            card_holder: None,
            contact: req.user.contact.clone(),
            amount_cents: self.amount_cents(req),
            total_quantity: u32::try_from(req.total_quantity()).unwrap_or(u32::MAX),
            distinct_items: u32::try_from(req.items.len()).unwrap_or(u32::MAX),
            billing_street: req.billing_address.street.clone(),
            billing_country: req.billing_address.country.clone(),
            usual_country: self
                .usual_country
                .get(&contact)
                .cloned()
                .unwrap_or_default(),
            shipping_method,
            gift_wrap: req.gift_wrapping,
            expiry_months_ahead,
            hour_of_day: hour_of_day(now, self.cfg.day_start_hour),
        }
    }

    /// The order total from catalog prices (titles were verified by event a, via c).
    fn amount_cents(&self, req: &CheckoutRequest) -> u64 {
        let Ok(catalog) = &self.catalog else { return 0 };
        req.items
            .iter()
            .filter_map(|item| {
                catalog
                    .find_title(&item.name)
                    .map(|b| b.price_cents.saturating_mul(item.quantity.into()))
            })
            .fold(0u64, u64::saturating_add)
    }

    fn remember_country(&mut self, contact: u64, country: &str) {
        if self
            .usual_country
            .insert(contact, country.to_string())
            .is_none()
        {
            self.usual_order.push_back(contact);
            if self.usual_order.len() > USUAL_COUNTRIES_MAX {
                if let Some(oldest) = self.usual_order.pop_front() {
                    self.usual_country.remove(&oldest);
                }
            }
        }
    }
}

/// The rule hits event e reports: every card and order rule, and a user rule only when it
/// rejects (event d already noted its warnings).
fn card_hits(hits: Vec<RuleHit>) -> Vec<RuleHit> {
    hits.into_iter()
        .filter(|h| !is_user_rule(h.rule) || h.severity == Severity::Reject)
        .collect()
}

/// Reject hits become errors (with their form field), warnings become notes.
fn verdict_outcome(
    hits: &[RuleHit],
    mut errors: Vec<FieldError>,
    mut notes: Vec<String>,
) -> EventOutcome {
    for hit in hits {
        match hit.severity {
            Severity::Reject => errors.push(FieldError::new(rule_field(hit.rule), hit.reason())),
            Severity::Warn => notes.push(format!("{FRAUD}: {}", hit.reason())),
        }
    }
    EventOutcome {
        ok: errors.is_empty(),
        errors,
        suggestions: Vec::new(),
        notes,
    }
}

fn failed(errors: Vec<FieldError>) -> EventOutcome {
    EventOutcome {
        ok: false,
        errors,
        ..Default::default()
    }
}

/// The fraud-detection node (look it up as "fraud").
pub async fn fraud_node(ctx: NodeCtx, cfg: ValidatorConfig) {
    let model = FraudModel::embedded();
    if let Err(why) = &model {
        ctx.log(format!(
            "{FRAUD}: model failed to load, deciding by rules only: {why}"
        ));
    }
    let validator = Fraud {
        catalog: Catalog::embedded(),
        model,
        velocity: VelocityTracker::default(),
        usual_country: BTreeMap::new(),
        usual_order: VecDeque::new(),
        cfg: cfg.clone(),
    };
    serve_validator(ctx, FRAUD, cfg, validator).await;
}
