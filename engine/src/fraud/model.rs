//! The fraud model: gradient-boosted trees trained with XGBoost by `ml/fraud/train.py` on a
//! synthetic data set, shipped as `data/fraud_model.json` ("bookmesh-fraud-gbt-v1") and
//! evaluated here without XGBoost.
//!
//! Determinism: features become f32 exactly as numpy fed them to XGBoost; each split compares
//! f32 to f32 (`x < threshold` goes left, XGBoost's rule); leaves are summed in f64 in tree
//! order; the sigmoid uses `libm::exp`, so native and wasm32 builds give identical bits.

use serde::{Deserialize, Serialize};

use super::features::{FraudFeatures, FEATURE_COUNT, FEATURE_NAMES};

pub const MODEL_FORMAT: &str = "bookmesh-fraud-gbt-v1";
/// The model shipped with the engine.
pub const EMBEDDED_MODEL_JSON: &str = include_str!("../../data/fraud_model.json");
/// Limits on a model file, so a hostile or corrupt one cannot make evaluation unbounded.
pub const MAX_TREES: usize = 4096;
pub const MAX_NODES_PER_TREE: usize = 1 << 16;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
enum Node {
    Split {
        feature: u32,
        threshold: f32,
        left: u32,
        right: u32,
        default_left: bool,
    },
    Leaf(f32),
}

/// Facts about how the shipped model was made (from its `metadata`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Held-out ROC AUC in parts per million (0.8256 -> 825_600).
    pub heldout_auc_ppm: u32,
    pub synthetic: bool,
    pub xgboost_version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FraudModel {
    base_margin: f64,
    trees: Vec<Vec<Node>>,
    info: ModelInfo,
}

/// One evaluation. Floats stay here; the assessment only carries the permille integers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelScore {
    pub margin: f64,
    pub probability: f64,
    /// probability × 1000, rounded half up, 0..=1000.
    pub risk_permille: u32,
    /// How unanimous the trees were: |sum of leaves| / sum of |leaves| × 1000, rounded.
    /// 1000 = every tree pushed the same way; near 0 = strong pushes that cancel out, i.e. the
    /// verdict rests on a narrow balance of disagreeing evidence. Unlike |p - 0.5| it can be
    /// low for a high-risk score, which is exactly the case worth approving-and-flagging.
    pub confidence_permille: u32,
}

// ---- the file format, as written by train.py ----
#[derive(Deserialize)]
struct RawModel {
    format: String,
    objective: String,
    feature_names: Vec<String>,
    base_margin: f64,
    trees: Vec<RawTree>,
    #[serde(default)]
    metadata: RawMetadata,
}

#[derive(Deserialize)]
struct RawTree {
    feature: Vec<i64>,
    value: Vec<f64>,
    left: Vec<i64>,
    right: Vec<i64>,
    default_left: Vec<u8>,
}

#[derive(Default, Deserialize)]
struct RawMetadata {
    #[serde(default)]
    heldout_auc: f64,
    #[serde(default)]
    synthetic: bool,
    #[serde(default)]
    xgboost_version: String,
}

impl FraudModel {
    /// The model shipped in `data/fraud_model.json`.
    pub fn embedded() -> Result<FraudModel, String> {
        Self::from_json(EMBEDDED_MODEL_JSON)
    }

    /// Parses and validates a model file; any defect is an error naming where it is.
    pub fn from_json(text: &str) -> Result<FraudModel, String> {
        let raw: RawModel =
            serde_json::from_str(text).map_err(|e| format!("fraud model JSON: {e}"))?;
        if raw.format != MODEL_FORMAT {
            return Err(format!(
                "fraud model format {:?}, expected {MODEL_FORMAT:?}",
                raw.format
            ));
        }
        if raw.objective != "binary:logistic" {
            return Err(format!(
                "fraud model objective {:?}, expected \"binary:logistic\"",
                raw.objective
            ));
        }
        if raw.feature_names != FEATURE_NAMES {
            return Err(format!(
                "fraud model features {:?} differ from the engine's {:?}",
                raw.feature_names, FEATURE_NAMES
            ));
        }
        if !raw.base_margin.is_finite() {
            return Err("fraud model base_margin is not a finite number".into());
        }
        if raw.trees.is_empty() || raw.trees.len() > MAX_TREES {
            return Err(format!(
                "fraud model has {} trees (allowed 1..={MAX_TREES})",
                raw.trees.len()
            ));
        }
        let trees = raw
            .trees
            .iter()
            .enumerate()
            .map(|(i, t)| parse_tree(i, t))
            .collect::<Result<_, _>>()?;
        let auc = raw.metadata.heldout_auc;
        let heldout_auc_ppm = if (0.0..=1.0).contains(&auc) {
            libm::floor(auc * 1e6 + 0.5) as u32
        } else {
            0
        };
        let info = ModelInfo {
            heldout_auc_ppm,
            synthetic: raw.metadata.synthetic,
            xgboost_version: raw.metadata.xgboost_version,
        };
        Ok(FraudModel {
            base_margin: raw.base_margin,
            trees,
            info,
        })
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    pub fn num_trees(&self) -> u32 {
        self.trees.len() as u32
    }

    /// Scores one order.
    pub fn score(&self, features: &FraudFeatures) -> ModelScore {
        self.score_input(&features.model_input())
    }

    /// Scores a raw model input (f32, [`FEATURE_NAMES`] order; NaN = missing).
    pub fn score_input(&self, x: &[f32; FEATURE_COUNT]) -> ModelScore {
        let mut margin = self.base_margin;
        let mut net_push = 0.0_f64;
        let mut total_push = 0.0_f64;
        for tree in &self.trees {
            let leaf = f64::from(leaf_value(tree, x));
            margin += leaf;
            net_push += leaf;
            total_push += libm::fabs(leaf);
        }
        let probability = 1.0 / (1.0 + libm::exp(-margin));
        let confidence = if total_push > 0.0 {
            libm::fabs(net_push) / total_push
        } else {
            0.0
        };
        ModelScore {
            margin,
            probability,
            risk_permille: to_permille(probability),
            confidence_permille: to_permille(confidence),
        }
    }
}

/// A fraction in [0, 1] as permille, rounded half up; anything else is clamped (NaN -> 0).
pub fn to_permille(fraction: f64) -> u32 {
    let scaled = libm::floor(fraction * 1000.0 + 0.5);
    if scaled.is_nan() || scaled <= 0.0 {
        0
    } else if scaled >= 1000.0 {
        1000
    } else {
        scaled as u32
    }
}

/// Walks one tree. Validation made every child id larger than its parent's, so this ends.
fn leaf_value(tree: &[Node], x: &[f32; FEATURE_COUNT]) -> f32 {
    let mut id = 0usize;
    loop {
        match tree[id] {
            Node::Leaf(v) => return v,
            Node::Split {
                feature,
                threshold,
                left,
                right,
                default_left,
            } => {
                let v = x[feature as usize];
                let go_left = if v.is_nan() {
                    default_left
                } else {
                    v < threshold
                };
                id = if go_left {
                    left as usize
                } else {
                    right as usize
                };
            }
        }
    }
}

fn parse_tree(index: usize, raw: &RawTree) -> Result<Vec<Node>, String> {
    let n = raw.feature.len();
    let err = |node: usize, what: &str| format!("fraud model tree {index} node {node}: {what}");
    if n == 0 || n > MAX_NODES_PER_TREE {
        return Err(format!(
            "fraud model tree {index} has {n} nodes (allowed 1..={MAX_NODES_PER_TREE})"
        ));
    }
    if [
        raw.value.len(),
        raw.left.len(),
        raw.right.len(),
        raw.default_left.len(),
    ] != [n; 4]
    {
        return Err(format!(
            "fraud model tree {index}: node arrays have different lengths"
        ));
    }
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let value = raw.value[i] as f32;
        if !value.is_finite() {
            return Err(err(i, "value is not a finite f32"));
        }
        if raw.feature[i] == -1 {
            if raw.left[i] != -1 || raw.right[i] != -1 {
                return Err(err(i, "a leaf has children"));
            }
            nodes.push(Node::Leaf(value));
            continue;
        }
        let feature = usize::try_from(raw.feature[i])
            .ok()
            .filter(|f| *f < FEATURE_COUNT);
        let child = |c: i64| usize::try_from(c).ok().filter(|c| *c > i && *c < n);
        let (Some(feature), Some(left), Some(right)) =
            (feature, child(raw.left[i]), child(raw.right[i]))
        else {
            return Err(err(
                i,
                "feature index or child ids out of range (children must come after their parent)",
            ));
        };
        if raw.default_left[i] > 1 {
            return Err(err(i, "default_left must be 0 or 1"));
        }
        nodes.push(Node::Split {
            feature: feature as u32,
            threshold: value,
            left: left as u32,
            right: right as u32,
            default_left: raw.default_left[i] == 1,
        });
    }
    Ok(nodes)
}
