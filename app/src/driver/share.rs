//! A shareable description of a run: scenario, seed, the user's inputs and the moment shown,
//! as a URL fragment (`#scenario=…&seed=…&t=…&inputs=…`). Opening it replays the exact run.
//! A link into a narrated scenario names its step instead (`#scenario=…&step=N`).

use engine::system::config::ClusterConfig;
use engine::system::inputs::TimedInput;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub scenario: String,
    pub seed: u64,
    pub t_ms: u64,
    pub inputs: Vec<TimedInput>,
    /// The cluster shape, when the user changed the scenario's.
    pub cluster: Option<ClusterConfig>,
    /// A narration step to open at (from 1), for links into a narrated scenario
    /// (`#scenario=leader-crash&step=3`); its time replaces `t`.
    pub step: Option<usize>,
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or("truncated %-escape")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad %-escape %{hex}"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8".to_string())
}

/// The latest moment a link may point at: opening a link replays the run up to it on the page's
/// thread, so an unbounded time (a typo, or a hostile link) would freeze the tab. Ten virtual
/// minutes replay in seconds; a link beyond them is refused with this limit named.
pub const MAX_LINK_T_MS: u64 = 600_000;

impl Shared {
    pub fn to_fragment(&self) -> String {
        let inputs =
            Value::Array(self.inputs.iter().map(TimedInput::to_json).collect()).to_string();
        let mut out = format!(
            "scenario={}&seed={}&t={}&inputs={}",
            encode(&self.scenario),
            self.seed,
            self.t_ms,
            encode(&inputs)
        );
        if let Some(c) = &self.cluster {
            if let Ok(json) = serde_json::to_string(c) {
                out.push_str(&format!("&cluster={}", encode(&json)));
            }
        }
        if let Some(n) = self.step {
            out.push_str(&format!("&step={n}"));
        }
        out
    }

    /// Parses a fragment (with or without the leading '#'); errors say which part is wrong.
    pub fn from_fragment(fragment: &str) -> Result<Self, String> {
        let mut out = Shared {
            scenario: String::new(),
            seed: 1,
            t_ms: 0,
            inputs: Vec::new(),
            cluster: None,
            step: None,
        };
        let mut seed_given = false;
        for part in fragment
            .trim_start_matches('#')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("link part {part:?} has no '='"))?;
            let v = decode(v)?;
            match k {
                "scenario" => out.scenario = v,
                "seed" => {
                    seed_given = true;
                    out.seed = v
                        .parse()
                        .map_err(|_| format!("link seed {v:?} is not a whole number"))?
                }
                "t" => {
                    out.t_ms = v
                        .parse()
                        .map_err(|_| format!("link time {v:?} is not a whole number"))?;
                    if out.t_ms > MAX_LINK_T_MS {
                        return Err(format!(
                            "link time {} ms is beyond the longest a link may replay ({MAX_LINK_T_MS} ms, ten virtual minutes)",
                            out.t_ms
                        ));
                    }
                }
                "inputs" => {
                    let list: Value =
                        serde_json::from_str(&v).map_err(|e| format!("link inputs: {e}"))?;
                    let items = list.as_array().ok_or("link inputs: expected a list")?;
                    out.inputs = items
                        .iter()
                        .enumerate()
                        .map(|(i, x)| TimedInput::from_json(x, &format!("inputs[{i}]")))
                        .collect::<Result<_, _>>()?;
                }
                "cluster" => {
                    let c: ClusterConfig =
                        serde_json::from_str(&v).map_err(|e| format!("link cluster: {e}"))?;
                    c.validate().map_err(|e| format!("link {e}"))?;
                    out.cluster = Some(c);
                }
                "step" => {
                    let n: usize = v.parse().map_err(|_| {
                        format!("link step {v:?} is not a step number (1, 2, 3, …)")
                    })?;
                    if n == 0 {
                        return Err("link step 0: narration steps count from 1".into());
                    }
                    out.step = Some(n);
                }
                _ => {} // unknown keys are ignored so older links keep working
            }
        }
        if out.scenario.is_empty() {
            return Err("link names no scenario".into());
        }
        // A narration is told on its scenario's own seed: a step link without one means it.
        if out.step.is_some() && !seed_given {
            if let Some(Ok(s)) = engine::scenario::builtin::get(&out.scenario) {
                out.seed = s.seed;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::system::inputs::Action;

    #[test]
    fn a_link_round_trips_the_whole_run() {
        let s = Shared {
            scenario: "leader-crash".into(),
            seed: 42,
            t_ms: 7300,
            inputs: vec![
                TimedInput::at(100, Action::Crash("executor-1".into())),
                TimedInput::at(200, Action::Checkout("{\"a\":\"b & c\"}".into())),
            ],
            cluster: Some(ClusterConfig {
                executors: 5,
                ..ClusterConfig::default()
            }),
            step: Some(3),
        };
        assert_eq!(
            Shared::from_fragment(&format!("#{}", s.to_fragment())).expect("parses"),
            s
        );
    }

    #[test]
    fn a_step_link_opens_on_the_scenarios_own_seed_unless_it_names_one() {
        let link = Shared::from_fragment("#scenario=partition-heal&step=2").expect("parses");
        assert_eq!((link.step, link.seed), (Some(2), 3));
        let link = Shared::from_fragment("#scenario=partition-heal&step=2&seed=9").expect("parses");
        assert_eq!(link.seed, 9);
    }

    #[test]
    fn a_broken_link_is_an_error_not_a_panic() {
        for bad in [
            "#scenario=a&cluster=%7B%22executors%22%3A9%7D",
            "#seed=x&scenario=a",
            "#scenario=a&inputs=%ZZ",
            "#scenario=a&inputs=%7B",
            "#t=1",
            "#scenario=a&inputs=%5B%7B%7D%5D",
            "#scenario=leader-crash&seed=1&t=999999999999",
            "#scenario=leader-crash&step=0",
            "#scenario=leader-crash&step=two",
            "#scenario=leader-crash&step=-1",
        ] {
            assert!(Shared::from_fragment(bad).is_err(), "{bad}");
        }
    }
}
