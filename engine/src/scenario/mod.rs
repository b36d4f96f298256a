//! Scenario files: a cluster configuration, a seed, a duration and timed inputs. The headless
//! runner plays them; the page offers the built-in ones as one-click scenarios.

pub mod builtin;
pub mod golden;
pub mod narration;
pub mod narration_eval;
pub mod selfcheck;
pub mod workload;

use crate::system::config::ClusterConfig;
use crate::system::inputs::TimedInput;
use crate::system::System;
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub until_ms: u64,
    pub cluster: ClusterConfig,
    pub inputs: Vec<TimedInput>,
    /// The story told in steps, each with claims the engine checks (`narration.rs`).
    pub narration: Vec<narration::Step>,
}

const TOP_FIELDS: &[&str] = &[
    "name",
    "description",
    "seed",
    "until_ms",
    "cluster",
    "inputs",
    "narration",
];

/// At most this much virtual time per run (a day).
pub const MAX_UNTIL_MS: u64 = 86_400_000;
/// At most this many inputs in a scenario file. Why: a scenario arrives as a file or a share
/// link from anyone, is parsed whole, and every input is kept for replay and time travel and
/// listed on the page, so the file's size must be bounded before any of that. Load runs do not
/// need to list orders: the runner's generated stream (`workload`) is not read from a file and
/// is not subject to this bound.
pub const MAX_INPUTS: usize = 10_000;

impl Scenario {
    /// Parses a scenario file; the error names the line/column or the field that is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("scenario is not valid JSON: {e}"))?;
        let obj = v
            .as_object()
            .ok_or("scenario: expected a JSON object at the top level")?;
        if let Some(k) = obj.keys().find(|k| !TOP_FIELDS.contains(&k.as_str())) {
            return Err(format!(
                "scenario: unknown field {k:?}; expected one of {}",
                TOP_FIELDS.join(", ")
            ));
        }
        let text_field = |k: &str| -> Result<String, String> {
            match obj.get(k) {
                None => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(format!("{k}: expected a string")),
            }
        };
        let num_field = |k: &str, default: u64| -> Result<u64, String> {
            match obj.get(k) {
                None => Ok(default),
                Some(x) => x
                    .as_u64()
                    .ok_or_else(|| format!("{k}: expected a non-negative whole number")),
            }
        };
        let until_ms = num_field("until_ms", 30_000)?;
        if until_ms == 0 || until_ms > MAX_UNTIL_MS {
            return Err(format!("until_ms: must be 1–{MAX_UNTIL_MS}"));
        }
        let cluster: ClusterConfig = match obj.get("cluster") {
            None => ClusterConfig::default(),
            Some(c) => serde_json::from_value(c.clone()).map_err(|e| format!("cluster: {e}"))?,
        };
        cluster.validate()?;
        let inputs = match obj.get("inputs") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > MAX_INPUTS {
                    return Err(format!("inputs: at most {MAX_INPUTS}"));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| TimedInput::from_json(x, &format!("inputs[{i}]")))
                    .collect::<Result<_, _>>()?
            }
            Some(_) => return Err("inputs: expected a list".into()),
        };
        let narration = match obj.get("narration") {
            None => Vec::new(),
            Some(n) => narration::parse(n, until_ms)?,
        };
        Ok(Scenario {
            narration,
            name: text_field("name")?,
            description: text_field("description")?,
            seed: num_field("seed", 1)?,
            until_ms,
            cluster,
            inputs,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "description": self.description,
            "seed": self.seed,
            "until_ms": self.until_ms,
            "cluster": self.cluster,
            "inputs": self.inputs.iter().map(TimedInput::to_json).collect::<Vec<_>>(),
        });
        if !self.narration.is_empty() {
            v["narration"] = json!(self.narration);
        }
        v
    }

    /// A system ready to run this scenario (inputs scheduled, nothing run yet).
    pub fn build(&self, seed: u64) -> Result<System, String> {
        let mut sys = System::new(self.cluster.clone(), seed)?;
        narration::check_names(&self.narration, |n| sys.world().node_id(n).is_some())?;
        sys.schedule(self.inputs.clone())?;
        Ok(sys)
    }

    /// Runs to `until_ms` and returns the system for reporting.
    pub fn run(&self, seed: u64, until_ms: u64) -> Result<System, String> {
        let mut sys = self.build(seed)?;
        sys.run_until(until_ms * 1000);
        Ok(sys)
    }
}

#[cfg(test)]
mod fulfilment_scenarios_tests;
#[cfg(test)]
mod narration_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workload_tests;
