use super::features::{FraudFeatures, ShippingMethod, FEATURE_NAMES};
use super::rules_test::clean_order;
use super::signals::NameStats;
use super::{assess, assess_with, Decision, FraudModel, FraudPolicy};

/// A model of leaf-only trees: the margin is the sum of `leaves`, whatever the order.
fn constant_model(leaves: &[f32]) -> FraudModel {
    let names = serde_json::to_string(&FEATURE_NAMES).unwrap();
    let trees: Vec<String> = leaves
        .iter()
        .map(|v| {
            format!(
                r#"{{"feature":[-1],"value":[{v}],"left":[-1],"right":[-1],"default_left":[0]}}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{"format":"bookmesh-fraud-gbt-v1","objective":"binary:logistic","feature_names":{names},
        "base_margin":0.0,"trees":[{}]}}"#,
        trees.join(",")
    );
    FraudModel::from_json(&json).expect("constant model parses")
}

/// Passes every rule (each count at its limit) yet looks like a card tester to the model.
fn suspicious_order() -> FraudFeatures {
    let mut f = FraudFeatures {
        amount_cents: 90_000,
        total_quantity: 12,
        distinct_items: 1,
        card_uses_in_window: 5,
        distinct_cards_for_contact: 3,
        email_disposable: true,
        expiry_months_ahead: 1,
        shipping_method: ShippingMethod::Express,
        hour_of_day: 3,
        ..FraudFeatures::default()
    };
    f.set_name(&NameStats::of("Xkcd"));
    f
}

#[test]
fn a_clean_order_is_approved_by_rules_and_model() {
    let model = FraudModel::embedded().expect("embedded model loads");
    let a = assess(&clean_order(), Some(&model));
    assert_eq!(a.decision, Decision::Approve);
    assert!(a.model_used);
    assert!(a.risk_permille < 300, "{a:?}");
    assert!(a.reasons.is_empty(), "{a:?}");
    assert!(!a.low_confidence_flag);
}

#[test]
fn a_suspicious_order_that_passes_every_rule_is_rejected_by_the_model() {
    let model = FraudModel::embedded().expect("embedded model loads");
    let a = assess(&suspicious_order(), Some(&model));
    assert_eq!(a.decision, Decision::Reject, "{a:?}");
    assert!(
        a.risk_permille >= 700 && a.confidence_permille >= 750,
        "{a:?}"
    );
    assert!(
        a.reasons
            .last()
            .is_some_and(|r| r.starts_with("model_high_risk: model risk ")),
        "{a:?}"
    );
}

#[test]
fn without_a_model_the_rules_decide_alone_and_say_so() {
    let a = assess(&suspicious_order(), None);
    assert_eq!(a.decision, Decision::Approve, "no rule rejects this order");
    assert!(!a.model_used);
    assert_eq!((a.risk_permille, a.confidence_permille), (0, 0));
    assert_eq!(
        a.reasons.last().map(String::as_str),
        Some("model_unavailable: fraud model unavailable, decided by rules only")
    );

    let mut bad = clean_order();
    bad.card_uses_in_window = 9;
    let a = assess(&bad, None);
    assert_eq!(a.decision, Decision::Reject);
    assert!(a.reasons[0].starts_with("card_velocity: "), "{a:?}");
}

#[test]
fn a_high_risk_low_confidence_verdict_is_approved_but_flagged() {
    // Leaves +3 and -1: margin 2, p = 0.881; confidence = |2| / 4 = 500 ‰ < 750 ‰.
    let model = constant_model(&[3.0, -1.0]);
    let a = assess(&clean_order(), Some(&model));
    assert_eq!((a.risk_permille, a.confidence_permille), (881, 500));
    assert_eq!(a.decision, Decision::Approve);
    assert!(a.low_confidence_flag);
    assert_eq!(
        a.reasons,
        vec!["model_low_confidence: model risk 88.1 % but confidence only 50.0 % (below 75.0 %), so the model does not reject; flagged for review"]
    );
}

#[test]
fn a_high_risk_confident_verdict_rejects() {
    let model = constant_model(&[1.5, 0.5]);
    let a = assess(&clean_order(), Some(&model));
    assert_eq!((a.risk_permille, a.confidence_permille), (881, 1000));
    assert_eq!(a.decision, Decision::Reject);
    assert!(!a.low_confidence_flag);
}

#[test]
fn a_rule_rejection_stands_even_when_the_model_sees_low_risk() {
    let model = constant_model(&[-4.0]);
    let mut f = clean_order();
    f.po_box = true;
    f.shipping_method = ShippingMethod::Express;
    let a = assess(&f, Some(&model));
    assert_eq!(a.decision, Decision::Reject);
    assert!(a.model_used);
    assert_eq!(a.risk_permille, 18);
}

#[test]
fn thresholds_come_from_the_policy() {
    let model = constant_model(&[3.0, -1.0]);
    let lenient = FraudPolicy {
        confidence_min_permille: 500,
        ..FraudPolicy::default()
    };
    assert_eq!(
        assess_with(&clean_order(), Some(&model), &lenient).decision,
        Decision::Reject
    );
    let blind = FraudPolicy {
        risk_reject_permille: 900,
        ..FraudPolicy::default()
    };
    let a = assess_with(&clean_order(), Some(&model), &blind);
    assert_eq!(a.decision, Decision::Approve);
    assert!(!a.low_confidence_flag && a.reasons.is_empty());
}

#[test]
fn assessments_round_trip_through_json() {
    let a = assess(&suspicious_order(), None);
    let text = serde_json::to_string(&a).expect("serialises");
    assert_eq!(
        serde_json::from_str::<super::FraudAssessment>(&text).expect("parses"),
        a
    );
}
