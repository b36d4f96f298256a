use serde::Deserialize;

use super::features::{FraudFeatures, FEATURE_COUNT};
use super::model::{to_permille, FraudModel};

/// Rows scored by XGBoost itself when train.py exported the model.
const TEST_VECTORS_JSON: &str = include_str!("../../data/fraud_test_vectors.json");

#[derive(Deserialize)]
struct TestVectors {
    rows: Vec<TestRow>,
}

#[derive(Deserialize)]
struct TestRow {
    features: FraudFeatures,
    x: Vec<u64>,
    p_xgb: f64,
    confidence_permille: u32,
}

fn vectors() -> Vec<TestRow> {
    let parsed: TestVectors = serde_json::from_str(TEST_VECTORS_JSON).expect("test vectors parse");
    parsed.rows
}

#[test]
fn the_rust_evaluator_matches_xgboost_on_every_test_vector() {
    let model = FraudModel::embedded().expect("embedded model loads");
    let rows = vectors();
    assert!(rows.len() >= 200, "only {} test vectors", rows.len());
    for (i, row) in rows.iter().enumerate() {
        let score = model.score(&row.features);
        let diff = (score.probability - row.p_xgb).abs();
        assert!(
            diff < 1e-5,
            "row {i}: rust {} vs xgboost {} (|diff| {diff})",
            score.probability,
            row.p_xgb
        );
    }
}

#[test]
fn features_reach_the_model_in_the_order_it_was_trained_on() {
    for (i, row) in vectors().iter().enumerate() {
        let expected: Vec<f32> = row.x.iter().map(|v| *v as f32).collect();
        assert_eq!(row.features.model_input().to_vec(), expected, "row {i}");
    }
}

#[test]
fn confidence_matches_the_python_reference_exactly() {
    let model = FraudModel::embedded().expect("embedded model loads");
    for (i, row) in vectors().iter().enumerate() {
        assert_eq!(
            model.score(&row.features).confidence_permille,
            row.confidence_permille,
            "row {i}"
        );
    }
}

#[test]
fn risk_permille_is_the_rounded_probability() {
    let model = FraudModel::embedded().expect("embedded model loads");
    let mut seen_high = false;
    for row in vectors() {
        let score = model.score(&row.features);
        let exact = score.probability * 1000.0;
        assert!(
            (score.risk_permille as f64 - exact).abs() <= 0.5 + 1e-9,
            "{} vs {exact}",
            score.risk_permille
        );
        seen_high |= score.risk_permille >= 700;
    }
    assert!(
        seen_high,
        "the test vectors should include a high-risk order"
    );
}

#[test]
fn the_embedded_model_says_it_is_synthetic_and_reports_its_auc() {
    let model = FraudModel::embedded().expect("embedded model loads");
    assert_eq!(model.num_trees(), 60);
    assert!(model.info().synthetic);
    assert!(
        (700_000..1_000_000).contains(&model.info().heldout_auc_ppm),
        "{:?}",
        model.info()
    );
}

#[test]
fn permille_rounding_is_half_up_and_clamped() {
    assert_eq!(to_permille(0.0625), 63); // 62.5 rounds up
    assert_eq!(to_permille(0.0624), 62);
    assert_eq!(to_permille(0.5), 500);
    assert_eq!(to_permille(1.0), 1000);
    assert_eq!(to_permille(1.7), 1000);
    assert_eq!(to_permille(-0.2), 0);
    assert_eq!(to_permille(f64::NAN), 0);
}

/// One split on card_uses_in_window (index 3) at 2.0, plus a second tree that always pushes -0.5.
fn tiny_model(children: &str, feature: i64) -> String {
    let names = serde_json::to_string(&super::features::FEATURE_NAMES).unwrap();
    format!(
        r#"{{"format":"bookmesh-fraud-gbt-v1","objective":"binary:logistic","feature_names":{names},
        "base_margin":0.0,"trees":[
          {{"feature":[{feature},-1,-1],"value":[2.0,-1.0,1.0],{children},"default_left":[1,0,0]}},
          {{"feature":[-1],"value":[-0.5],"left":[-1],"right":[-1],"default_left":[0]}}]}}"#
    )
}

const GOOD_CHILDREN: &str = r#""left":[1,-1,-1],"right":[2,-1,-1]"#;

#[test]
fn a_value_equal_to_the_threshold_goes_right_and_missing_goes_the_default_way() {
    let model = FraudModel::from_json(&tiny_model(GOOD_CHILDREN, 3)).expect("tiny model parses");
    let mut x = [0.0_f32; FEATURE_COUNT];
    x[3] = 2.0; // not < 2.0: right leaf 1.0, plus -0.5
    assert!((model.score_input(&x).margin - 0.5).abs() < 1e-12);
    x[3] = 1.0; // left leaf -1.0, plus -0.5
    assert!((model.score_input(&x).margin + 1.5).abs() < 1e-12);
    x[3] = f32::NAN; // default_left
    assert!((model.score_input(&x).margin + 1.5).abs() < 1e-12);
}

#[test]
fn confidence_is_the_uncancelled_share_of_the_trees_push() {
    let model = FraudModel::from_json(&tiny_model(GOOD_CHILDREN, 3)).expect("tiny model parses");
    let mut x = [0.0_f32; FEATURE_COUNT];
    x[3] = 5.0; // leaves +1.0 and -0.5: |0.5| / 1.5
    assert_eq!(model.score_input(&x).confidence_permille, 333);
    x[3] = 0.0; // leaves -1.0 and -0.5 agree
    assert_eq!(model.score_input(&x).confidence_permille, 1000);
}

#[test]
fn malformed_models_are_errors_not_panics() {
    let cases = [
        ("not json".to_string(), "JSON"),
        (
            tiny_model(GOOD_CHILDREN, 3).replace("gbt-v1", "gbt-v9"),
            "format",
        ),
        (
            tiny_model(GOOD_CHILDREN, 3).replace("\"po_box\"", "\"po_box_2\""),
            "features",
        ),
        (tiny_model(GOOD_CHILDREN, 16), "out of range"),
        (
            tiny_model(r#""left":[0,-1,-1],"right":[2,-1,-1]"#, 3),
            "children must come after",
        ),
        (
            tiny_model(r#""left":[1,-1,-1],"right":[2,-1]"#, 3),
            "different lengths",
        ),
        (
            tiny_model(GOOD_CHILDREN, 3).replace("[2.0,-1.0,1.0]", "[2.0,-1e39,1.0]"),
            "finite",
        ),
        (
            tiny_model(r#""left":[1,2,-1],"right":[2,-1,-1]"#, 3),
            "leaf has children",
        ),
    ];
    for (text, expected) in cases {
        let err = FraudModel::from_json(&text).expect_err(expected);
        assert!(
            err.contains(expected),
            "{err:?} should mention {expected:?}"
        );
    }
}
