//! What the fraud service makes of the LLM's verdict, by the same policy as its local model
//! (seed 000): a fraud verdict rejects only when its confidence reaches the policy's minimum;
//! a less confident one approves the order but flags it for review; "not fraud" approves.
//! The confidence arrives as per-mille (`crate::llm`), so the comparison is integer.

use crate::checkout::FieldError;
use crate::fraud::FraudPolicy;
use crate::llm::FraudVerdict;

/// (errors, notes, a one-line summary for the trace) from a verdict.
pub fn judge(verdict: &FraudVerdict) -> (Vec<FieldError>, Vec<String>, String) {
    let min = FraudPolicy::default().confidence_min_permille;
    let c = verdict.confidence_permille;
    let reasons = if verdict.reasons.is_empty() {
        "no reasons given".to_string()
    } else {
        verdict.reasons.join("; ")
    };
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let summary = if verdict.fraud && c >= min {
        errors.push(FieldError::new(
            "body",
            format!("llm_high_risk: the LLM judged the order fraudulent with confidence {c} ‰ (rejects at ≥ {min} ‰): {reasons}"),
        ));
        format!("fraud, confidence {c} ‰ — rejected")
    } else if verdict.fraud {
        notes.push(format!(
            "fraud: llm_low_confidence: the LLM suspects fraud with confidence only {c} ‰ (below {min} ‰), so it does not reject; flagged for review: {reasons}"
        ));
        format!("fraud, confidence {c} ‰ — below {min} ‰, approved and flagged")
    } else {
        notes.push(format!(
            "fraud: LLM verdict: not fraud, confidence {c} ‰ ({reasons})"
        ));
        format!("not fraud, confidence {c} ‰")
    };
    (errors, notes, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(fraud: bool, c: u32) -> FraudVerdict {
        FraudVerdict {
            fraud,
            confidence_permille: c,
            reasons: vec!["velocity".into()],
        }
    }

    #[test]
    fn only_a_confident_fraud_verdict_rejects() {
        let rejects = |v: &FraudVerdict| !judge(v).0.is_empty();
        assert!(rejects(&verdict(true, 750)));
        assert!(rejects(&verdict(true, 1000)));
        assert!(!rejects(&verdict(true, 749)), "low confidence approves");
        assert!(judge(&verdict(true, 749)).1[0].contains("flagged for review"));
        assert!(!rejects(&verdict(false, 1000)));
        assert!(judge(&verdict(false, 900)).2.starts_with("not fraud"));
    }
}
