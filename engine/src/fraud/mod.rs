//! Fraud detection core: rules + a gradient-boosted tree model, combined into one verdict.
//!
//! Plain types and pure functions; the fraud service node owns a [`VelocityTracker`] and the
//! loaded [`FraudModel`] (or `None` while the "model outage" fault is on) and calls [`assess`].
//!
//! How the verdict is made:
//! - any rule hit of severity `Reject` rejects;
//! - the model rejects when risk ≥ `risk_reject_permille` AND confidence ≥ `confidence_min_permille`;
//! - a high-risk score with low confidence does not reject: the order is approved (unless a
//!   rule rejects it) and `low_confidence_flag` is set with a reason, for the log;
//! - without a model the rules decide alone, and a `model_unavailable` reason says so.

pub mod features;
pub mod model;
pub mod rules;
pub mod signals;
pub mod velocity;

#[cfg(test)]
mod assess_test;
#[cfg(test)]
mod model_test;
#[cfg(test)]
mod rules_test;
#[cfg(test)]
mod signals_test;
#[cfg(test)]
mod velocity_test;

use serde::{Deserialize, Serialize};

pub use features::{FraudFeatures, HolderMatch, ShippingMethod, FEATURE_NAMES};
pub use model::{FraudModel, ModelInfo, ModelScore};
pub use rules::{check_rules, RuleHit, RuleId, RuleLimits, Severity};
pub use velocity::{card_fingerprint, contact_fingerprint, VelocityCounts, VelocityTracker};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudAssessment {
    pub decision: Decision,
    /// Model probability of fraud × 1000; 0 when the model was not used.
    pub risk_permille: u32,
    /// Tree agreement × 1000 (see [`ModelScore::confidence_permille`]); 0 when not used.
    pub confidence_permille: u32,
    pub model_used: bool,
    /// Every rule hit ("code: message"), then the model's remark, if any.
    pub reasons: Vec<String>,
    /// The model found high risk but with low confidence, so it did not reject.
    pub low_confidence_flag: bool,
}

/// Thresholds of the verdict. The defaults come from the shipped model's held-out rows:
/// 10 % of the rows with p ≥ 0.7 have confidence below 770 ‰ (train.py prints the spread).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudPolicy {
    pub rules: RuleLimits,
    pub risk_reject_permille: u32,
    pub confidence_min_permille: u32,
}

impl Default for FraudPolicy {
    fn default() -> Self {
        Self {
            rules: RuleLimits::default(),
            risk_reject_permille: 700,
            confidence_min_permille: 750,
        }
    }
}

/// [`assess_with`] under the default policy.
pub fn assess(features: &FraudFeatures, model: Option<&FraudModel>) -> FraudAssessment {
    assess_with(features, model, &FraudPolicy::default())
}

pub fn assess_with(
    features: &FraudFeatures,
    model: Option<&FraudModel>,
    policy: &FraudPolicy,
) -> FraudAssessment {
    let hits = check_rules(features, &policy.rules);
    let rules_reject = hits.iter().any(|h| h.severity == Severity::Reject);
    let mut assessment = FraudAssessment {
        decision: if rules_reject {
            Decision::Reject
        } else {
            Decision::Approve
        },
        risk_permille: 0,
        confidence_permille: 0,
        model_used: false,
        reasons: hits.iter().map(RuleHit::reason).collect(),
        low_confidence_flag: false,
    };
    let Some(model) = model else {
        assessment
            .reasons
            .push("model_unavailable: fraud model unavailable, decided by rules only".into());
        return assessment;
    };
    let score = model.score(features);
    assessment.model_used = true;
    assessment.risk_permille = score.risk_permille;
    assessment.confidence_permille = score.confidence_permille;
    if score.risk_permille < policy.risk_reject_permille {
        return assessment;
    }
    let (risk, confidence) = (
        percent(score.risk_permille),
        percent(score.confidence_permille),
    );
    if score.confidence_permille >= policy.confidence_min_permille {
        assessment.decision = Decision::Reject;
        assessment.reasons.push(format!(
            "model_high_risk: model risk {risk} with confidence {confidence} (rejects at risk ≥ {} and confidence ≥ {})",
            percent(policy.risk_reject_permille),
            percent(policy.confidence_min_permille)
        ));
    } else {
        assessment.low_confidence_flag = true;
        assessment.reasons.push(format!(
            "model_low_confidence: model risk {risk} but confidence only {confidence} (below {}), so the model does not reject; flagged for review",
            percent(policy.confidence_min_permille)
        ));
    }
    assessment
}

/// Permille as "82.3 %".
fn percent(permille: u32) -> String {
    format!("{}.{} %", permille / 10, permille % 10)
}
