//! Strict parsers for the model's answers. The message text must be one JSON object of exactly
//! the asked shape — no prose around it, no extra keys, no wrong types, no confidence outside
//! 0..1 — or it is malformed (and the service falls back to its local model).

use serde_json::{Map, Value};

/// The most reasons a verdict may give, and the longest reason (they go into the log).
pub const REASONS_MAX: usize = 8;
pub const REASON_MAX_CHARS: usize = 200;
/// The longest list of suggested titles an answer may hold.
pub const SUGGESTIONS_MAX: usize = 50;

/// `{"fraud": bool, "confidence": 0..1, "reasons": [strings]}`, with the confidence read once
/// into per-mille so no float reaches a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FraudVerdict {
    pub fraud: bool,
    pub confidence_permille: u32,
    pub reasons: Vec<String>,
}

/// The catalog titles an answer named (in its order, without repeats, at most the count asked
/// for), and how many of its entries were not allowed titles (dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestedTitles {
    pub titles: Vec<String>,
    pub dropped_unknown: u32,
}

/// The one JSON object of `content`, which must have exactly `keys`.
fn exact_object(content: &str, keys: &[&str]) -> Result<Map<String, Value>, String> {
    let value: Value = serde_json::from_str(content.trim())
        .map_err(|e| format!("the answer is not one JSON object and nothing else ({e})"))?;
    let Value::Object(obj) = value else {
        return Err("the answer is JSON but not an object".into());
    };
    if let Some(extra) = obj.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(format!("unexpected key {extra:?}"));
    }
    if let Some(missing) = keys.iter().find(|k| !obj.contains_key(**k)) {
        return Err(format!("missing key {missing:?}"));
    }
    Ok(obj)
}

pub fn parse_fraud_verdict(content: &str) -> Result<FraudVerdict, String> {
    let obj = exact_object(content, &["fraud", "confidence", "reasons"])?;
    let fraud = obj["fraud"]
        .as_bool()
        .ok_or("\"fraud\" must be true or false")?;
    let confidence = obj["confidence"]
        .as_f64()
        .ok_or("\"confidence\" must be a number from 0 to 1")?;
    if !(0.0..=1.0).contains(&confidence) {
        return Err(format!("\"confidence\" {confidence} is outside 0..1"));
    }
    let reasons = obj["reasons"]
        .as_array()
        .ok_or("\"reasons\" must be a list of strings")?;
    if reasons.len() > REASONS_MAX {
        return Err(format!("{} reasons, at most {REASONS_MAX}", reasons.len()));
    }
    let reasons = reasons
        .iter()
        .map(|r| match r.as_str() {
            Some(s) if s.chars().count() <= REASON_MAX_CHARS => Ok(s.to_string()),
            Some(_) => Err(format!("a reason is over {REASON_MAX_CHARS} characters")),
            None => Err("\"reasons\" must be a list of strings".to_string()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FraudVerdict {
        fraud,
        // `*` and `round` are exact IEEE operations, the same natively and in wasm.
        confidence_permille: (confidence * 1000.0).round() as u32,
        reasons,
    })
}

/// `{"suggestions": [titles]}`: keeps the titles in `allowed` (exact spelling), first `count`.
pub fn parse_suggestions(
    content: &str,
    allowed: &[String],
    count: usize,
) -> Result<SuggestedTitles, String> {
    let obj = exact_object(content, &["suggestions"])?;
    let list = obj["suggestions"]
        .as_array()
        .ok_or("\"suggestions\" must be a list of titles")?;
    if list.len() > SUGGESTIONS_MAX {
        return Err(format!(
            "{} suggestions, at most {SUGGESTIONS_MAX}",
            list.len()
        ));
    }
    let mut out = SuggestedTitles {
        titles: Vec::new(),
        dropped_unknown: 0,
    };
    for entry in list {
        let title = entry
            .as_str()
            .ok_or("\"suggestions\" must be a list of titles (strings)")?;
        if !allowed.iter().any(|a| a == title) {
            out.dropped_unknown += 1;
        } else if !out.titles.iter().any(|t| t == title) && out.titles.len() < count {
            out.titles.push(title.to_string());
        }
    }
    Ok(out)
}
