//! A link that opens the side-by-side view with its fields filled in and runs it:
//! `#compare=leader-crash&a=election%3Draft&b=election%3Dbully`. Kept apart from the run's
//! share links (`driver/share.rs`): it names an experiment, not a moment of one run.

use crate::driver::share::{decode, encode};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareLink {
    pub scenario: String,
    pub a: String,
    pub b: String,
}

impl CompareLink {
    /// None when the fragment is not a compare link; an error names the part that is wrong.
    pub fn from_fragment(fragment: &str) -> Option<Result<Self, String>> {
        let body = fragment.trim_start_matches('#');
        body.starts_with("compare=").then(|| Self::parse(body))
    }

    fn parse(body: &str) -> Result<Self, String> {
        let mut link = CompareLink {
            scenario: String::new(),
            a: String::new(),
            b: String::new(),
        };
        for part in body.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("compare link part {part:?} has no '='"))?;
            let v = decode(v)?;
            match k {
                "compare" => link.scenario = v,
                "a" => link.a = v,
                "b" => link.b = v,
                other => {
                    return Err(format!(
                        "compare link: unknown part {other:?} (compare, a, b)"
                    ))
                }
            }
        }
        if link.scenario.is_empty() {
            return Err("compare link: name a scenario, like #compare=leader-crash".to_string());
        }
        Ok(link)
    }

    pub fn to_fragment(&self) -> String {
        format!(
            "#compare={}&a={}&b={}",
            encode(&self.scenario),
            encode(&self.a),
            encode(&self.b)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_and_others_are_not_compare_links() {
        let link = CompareLink {
            scenario: "leader-crash".into(),
            a: "election=raft,heartbeat_ms=100".into(),
            b: "election=bully".into(),
        };
        let back = CompareLink::from_fragment(&link.to_fragment())
            .unwrap()
            .unwrap();
        assert_eq!(back, link);
        assert!(CompareLink::from_fragment("#scenario=leader-crash&seed=1").is_none());
        assert!(CompareLink::from_fragment("").is_none());
        let err = CompareLink::from_fragment("#compare=x&c=1")
            .unwrap()
            .unwrap_err();
        assert!(err.contains("\"c\""), "{err}");
    }
}
