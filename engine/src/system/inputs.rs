//! Timed inputs: what a scenario (or a person at the page) does to the world — checkout
//! requests and fault verbs. The same JSON shape is read from scenario files, written into
//! shareable URLs and replayed for time travel, so a run is fully described by
//! (cluster config, seed, inputs). An input may also wait for a condition (`when`) instead of
//! firing at its time: see `condition.rs`.

use super::condition::Condition;
use crate::services::stock_reader::StockReads;
use serde_json::{json, Map, Value};

/// The longest card-brand key a decline-rate input may name.
pub const BRAND_MAX_BYTES: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A checkout request body (JSON text, possibly malformed on purpose).
    Checkout(String),
    Crash(String),
    Restart(String),
    Pause(String),
    Resume(String),
    /// Groups of node names that cannot talk across.
    Partition(Vec<Vec<String>>),
    PartitionOneWay(String, String),
    /// Removes every partition and cut link.
    Heal,
    Cut(String, String),
    HealLink(String, String),
    Hold(String, String),
    Release(String, String),
    /// Default link loss probability (0–1).
    Loss(f64),
    /// Default link duplication probability (0–1): a message is delivered twice.
    Duplicate(f64),
    /// Whether messages on a link may overtake each other (off = FIFO per link, like TCP).
    Reorder(bool),
    /// Default link latency.
    Latency {
        base_ms: u64,
        jitter_ms: u64,
    },
    /// Extra latency on every link of one node.
    Slow {
        node: String,
        extra_ms: u64,
    },
    /// Changes a node's own clock from now on: `drift_ppm` fast and, if given, `skew_ms` ahead
    /// of true time (else it goes on from its current reading). See `sim/local_clock.rs`.
    Clock {
        node: String,
        skew_ms: Option<i64>,
        drift_ppm: i64,
    },
    /// Model outage for "fraud" or "suggestions".
    ModelOutage {
        model: String,
        on: bool,
    },
    /// The node's disk refuses every write (`on`), or has space again.
    DiskFull {
        node: String,
        on: bool,
    },
    /// Tears the newest synced record on the node's disk (found by its checksum at restart).
    CorruptDisk(String),
    /// Restart every crashed node.
    RestartCrashed,
    /// Crash whoever leads the cluster at that moment (e.g. "executors").
    CrashLeader(String),
    /// Partition the current leader of the cluster away from every other node.
    IsolateLeader(String),
    /// Where the shopper's storefront reads stock from (off, primary, replicas).
    StockReads(StockReads),
    /// Turns the nemesis on with these settings from now on (intensity 0 or no kinds: off),
    /// replacing any earlier setting. See `crate::nemesis`.
    Nemesis(crate::nemesis::NemesisSettings),
    /// The payment decline probability (0–1) for one card brand ("visa", "mastercard",
    /// "americanexpress", …), or for every brand not listed when `brand` is None. Applies to
    /// transactions prepared afterwards.
    DeclineRate {
        brand: Option<String>,
        rate: f64,
    },
    /// The optional LLM option on or off: fraud and suggestions ask the model (see `crate::llm`).
    Llm {
        on: bool,
    },
    /// The reply to LLM request `request`, as the page received it (or why it got none).
    LlmReply {
        request: u64,
        reply: crate::llm::LlmReply,
    },
}

/// A decline-rate input's values, checked the same way for a scenario file and the page.
pub fn check_decline_rate(brand: Option<&str>, rate: f64) -> Result<(), String> {
    if !(0.0..=1.0).contains(&rate) {
        return Err(format!(
            "a decline rate is a probability between 0 and 1, got {rate}"
        ));
    }
    match brand {
        Some(b)
            if b.is_empty()
                || b.len() > BRAND_MAX_BYTES
                || !b.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) =>
        {
            Err(format!(
                "a card brand is 1–{BRAND_MAX_BYTES} lowercase letters or digits (\"visa\", \"americanexpress\"), got {:?}",
                b.chars().take(40).collect::<String>()
            ))
        }
        _ => Ok(()),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimedInput {
    /// Without `when`: the time the action is carried out. With it: the time from which the
    /// condition is watched.
    pub at_ms: u64,
    /// Carry the action out on the first event at or after `at_ms` on which this holds (once).
    pub when: Option<Condition>,
    pub action: Action,
}

pub const ACTIONS: &[&str] = &[
    "checkout",
    "checkout_raw",
    "crash",
    "restart",
    "pause",
    "resume",
    "partition",
    "partition_one_way",
    "heal",
    "cut",
    "heal_link",
    "hold",
    "release",
    "loss",
    "duplicate",
    "reorder",
    "latency",
    "slow",
    "clock",
    "model_outage",
    "disk_full",
    "corrupt_disk",
    "crash_leader",
    "isolate_leader",
    "restart_crashed",
    "stock_reads",
    "decline_rate",
    "llm",
    "llm_reply",
    "nemesis",
];

fn field_err(path: &str, msg: impl std::fmt::Display) -> String {
    format!("{path}: {msg}")
}

fn as_name(v: &Value, path: &str) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| field_err(path, "expected a node name (string)"))
}

fn as_pair(v: &Value, path: &str) -> Result<(String, String), String> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok((
            as_name(a, &format!("{path}[0]"))?,
            as_name(b, &format!("{path}[1]"))?,
        )),
        _ => Err(field_err(
            path,
            "expected a pair of node names [\"a\", \"b\"]",
        )),
    }
}

/// The one key of an input object that names its action.
fn action_key<'a>(obj: &'a Map<String, Value>, path: &str) -> Result<&'a str, String> {
    let keys: Vec<&String> = obj
        .keys()
        .filter(|k| !MODIFIERS.contains(&k.as_str()))
        .collect();
    match keys.as_slice() {
        [k] => Ok(k.as_str()),
        [] => Err(field_err(
            path,
            format!("no action; expected one of {}", ACTIONS.join(", ")),
        )),
        _ => Err(field_err(
            path,
            "more than one action in one input; split them",
        )),
    }
}

fn as_bool(v: Option<&Value>, path: &str) -> Result<bool, String> {
    v.and_then(Value::as_bool)
        .ok_or_else(|| field_err(path, "expected true or false"))
}

/// `"corrupt_disk": "node"` or `"disk_full": {"node": "queue", "on": true}`.
fn disk_action(key: &str, val: &Value, p: &str) -> Result<Action, String> {
    if key == "corrupt_disk" {
        return Ok(Action::CorruptDisk(as_name(val, p)?));
    }
    Ok(Action::DiskFull {
        node: as_name(
            val.get("node").unwrap_or(&Value::Null),
            &format!("{p}.node"),
        )?,
        on: as_bool(val.get("on"), &format!("{p}.on"))?,
    })
}

fn as_u64(v: Option<&Value>, path: &str) -> Result<u64, String> {
    v.and_then(Value::as_u64)
        .ok_or_else(|| field_err(path, "expected a non-negative whole number"))
}

fn as_i64(v: Option<&Value>, path: &str) -> Result<i64, String> {
    v.and_then(Value::as_i64)
        .ok_or_else(|| field_err(path, "expected a whole number"))
}

/// `{"node": N, "skew_ms": S, "drift_ppm": D}`; `skew_ms` may be left out, `drift_ppm` is 0
/// when left out. Ranges are checked here, so a bad clock never reaches the world.
fn parse_clock(val: &Value, p: &str) -> Result<Action, String> {
    let node = as_name(
        val.get("node").unwrap_or(&Value::Null),
        &format!("{p}.node"),
    )?;
    let skew_ms = val
        .get("skew_ms")
        .map(|v| as_i64(Some(v), &format!("{p}.skew_ms")))
        .transpose()?;
    let drift_ppm = match val.get("drift_ppm") {
        None => 0,
        v => as_i64(v, &format!("{p}.drift_ppm"))?,
    };
    let skew_us = skew_ms.map(|s| s.saturating_mul(1000));
    crate::sim::LocalClock::new(skew_us.unwrap_or(0), drift_ppm).map_err(|e| field_err(p, e))?;
    Ok(Action::Clock {
        node,
        skew_ms,
        drift_ppm,
    })
}

/// `{"brand": "visa", "rate": 0.3}`; without `brand`, the rate of every brand not listed.
fn decline_rate_from_json(val: &Value, p: &str) -> Result<Action, String> {
    let brand = match val.get("brand") {
        None | Some(Value::Null) => None,
        Some(Value::String(b)) => Some(b.clone()),
        Some(_) => {
            return Err(field_err(
                &format!("{p}.brand"),
                "expected a card brand (string)",
            ))
        }
    };
    let rate = val.get("rate").and_then(Value::as_f64).ok_or_else(|| {
        field_err(
            &format!("{p}.rate"),
            "expected a probability between 0 and 1",
        )
    })?;
    check_decline_rate(brand.as_deref(), rate).map_err(|e| field_err(p, e))?;
    Ok(Action::DeclineRate { brand, rate })
}

/// Keys of an input object that are not its action.
const MODIFIERS: &[&str] = &["at_ms", "when"];

impl TimedInput {
    /// An input carried out at `at_ms`.
    pub fn at(at_ms: u64, action: Action) -> Self {
        Self {
            at_ms,
            when: None,
            action,
        }
    }

    /// True if this input waits for a condition that `ev` makes true, and is armed by then.
    pub fn fires_on(&self, ev: &crate::sim::trace::TraceEvent) -> bool {
        ev.t_us >= self.at_ms.saturating_mul(1000)
            && self.when.as_ref().is_some_and(|c| c.holds_on(ev))
    }

    /// Parses one input object `{"at_ms": N, "<action>": …}`; `path` prefixes error messages.
    pub fn from_json(v: &Value, path: &str) -> Result<Self, String> {
        let obj = v.as_object().ok_or_else(|| {
            field_err(
                path,
                "expected an object like {\"at_ms\": 1000, \"crash\": \"executor-0\"}",
            )
        })?;
        let at_ms = as_u64(obj.get("at_ms"), &format!("{path}.at_ms"))?;
        let when = obj
            .get("when")
            .map(|w| {
                serde_json::from_value::<Condition>(w.clone())
                    .map_err(|e| field_err(&format!("{path}.when"), e))
            })
            .transpose()?;
        let key = action_key(obj, path)?;
        let p = format!("{path}.{key}");
        let val = &obj[key];
        let action = match key {
            "checkout" => match val {
                Value::String(s) if s == "example" => Action::Checkout(
                    serde_json::to_value(crate::checkout::CheckoutRequest::example())
                        .map_err(|e| field_err(&p, e))?
                        .to_string(),
                ),
                Value::Object(_) => Action::Checkout(val.to_string()),
                _ => {
                    return Err(field_err(
                        &p,
                        "expected a checkout request object or \"example\"",
                    ))
                }
            },
            "checkout_raw" => Action::Checkout(
                val.as_str()
                    .ok_or_else(|| field_err(&p, "expected the raw body as a string"))?
                    .to_string(),
            ),
            "crash" => Action::Crash(as_name(val, &p)?),
            "corrupt_disk" | "disk_full" => disk_action(key, val, &p)?,
            "restart" => Action::Restart(as_name(val, &p)?),
            "pause" => Action::Pause(as_name(val, &p)?),
            "resume" => Action::Resume(as_name(val, &p)?),
            "partition" => {
                let groups = val.as_array().ok_or_else(|| {
                    field_err(&p, "expected groups like [[\"a\"], [\"b\", \"c\"]]")
                })?;
                let mut out = Vec::new();
                for (i, g) in groups.iter().enumerate() {
                    let names = g.as_array().ok_or_else(|| {
                        field_err(&format!("{p}[{i}]"), "expected a list of node names")
                    })?;
                    out.push(
                        names
                            .iter()
                            .enumerate()
                            .map(|(j, n)| as_name(n, &format!("{p}[{i}][{j}]")))
                            .collect::<Result<_, _>>()?,
                    );
                }
                if out.len() < 2 {
                    return Err(field_err(&p, "a partition needs at least two groups"));
                }
                Action::Partition(out)
            }
            "partition_one_way" => {
                let (a, b) = as_pair(val, &p)?;
                Action::PartitionOneWay(a, b)
            }
            "heal" => Action::Heal,
            "restart_crashed" => Action::RestartCrashed,
            "crash_leader" => Action::CrashLeader(as_name(val, &p)?),
            "isolate_leader" => Action::IsolateLeader(as_name(val, &p)?),
            "cut" => {
                let (a, b) = as_pair(val, &p)?;
                Action::Cut(a, b)
            }
            "heal_link" => {
                let (a, b) = as_pair(val, &p)?;
                Action::HealLink(a, b)
            }
            "hold" => {
                let (a, b) = as_pair(val, &p)?;
                Action::Hold(a, b)
            }
            "release" => {
                let (a, b) = as_pair(val, &p)?;
                Action::Release(a, b)
            }
            "loss" => {
                let x = val
                    .as_f64()
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or_else(|| field_err(&p, "expected a probability between 0 and 1"))?;
                Action::Loss(x)
            }
            "duplicate" => Action::Duplicate(
                val.as_f64()
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or_else(|| field_err(&p, "expected a probability between 0 and 1"))?,
            ),
            "reorder" => Action::Reorder(
                val.as_bool()
                    .ok_or_else(|| field_err(&p, "expected true or false"))?,
            ),
            "latency" => Action::Latency {
                base_ms: as_u64(val.get("base_ms"), &format!("{p}.base_ms"))?,
                jitter_ms: as_u64(
                    val.get("jitter_ms").or(Some(&json!(0))),
                    &format!("{p}.jitter_ms"),
                )?,
            },
            "slow" => Action::Slow {
                node: as_name(
                    val.get("node").unwrap_or(&Value::Null),
                    &format!("{p}.node"),
                )?,
                extra_ms: as_u64(val.get("extra_ms"), &format!("{p}.extra_ms"))?,
            },
            "clock" => parse_clock(val, &p)?,
            "model_outage" => {
                let model = as_name(
                    val.get("model").unwrap_or(&Value::Null),
                    &format!("{p}.model"),
                )?;
                if model != "fraud" && model != "suggestions" {
                    return Err(field_err(
                        &format!("{p}.model"),
                        "expected \"fraud\" or \"suggestions\"",
                    ));
                }
                let on = as_bool(val.get("on"), &format!("{p}.on"))?;
                Action::ModelOutage { model, on }
            }
            "stock_reads" => {
                Action::StockReads(val.as_str().and_then(StockReads::parse).ok_or_else(|| {
                    field_err(&p, "expected \"off\", \"primary\" or \"replicas\"")
                })?)
            }
            "decline_rate" => decline_rate_from_json(val, &p)?,
            "llm" => Action::Llm {
                on: as_bool(val.get("on"), &format!("{p}.on"))?,
            },
            "llm_reply" => Action::LlmReply {
                request: as_u64(val.get("request"), &format!("{p}.request"))?,
                reply: crate::llm::LlmReply::from_json(val, &p)?,
            },
            "nemesis" => {
                let settings: crate::nemesis::NemesisSettings =
                    serde_json::from_value(val.clone()).map_err(|e| field_err(&p, e))?;
                settings.validate().map_err(|e| field_err(&p, e))?;
                Action::Nemesis(settings)
            }
            other => {
                return Err(field_err(
                    path,
                    format!(
                        "unknown action {other:?}; expected one of {}",
                        ACTIONS.join(", ")
                    ),
                ))
            }
        };
        if let Action::Latency { base_ms, jitter_ms } = &action {
            if *base_ms > 60_000 || *jitter_ms > 60_000 {
                return Err(field_err(&p, "latency above 60000 ms"));
            }
        }
        Ok(TimedInput {
            at_ms,
            when,
            action,
        })
    }

    /// The same JSON shape `from_json` reads.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("at_ms".into(), json!(self.at_ms));
        if let Some(when) = &self.when {
            m.insert("when".into(), json!(when));
        }
        let (k, v) = match &self.action {
            Action::Checkout(body) => match serde_json::from_str::<Value>(body) {
                Ok(v @ Value::Object(_)) => ("checkout", v),
                _ => ("checkout_raw", json!(body)),
            },
            Action::Crash(n) => ("crash", json!(n)),
            Action::Restart(n) => ("restart", json!(n)),
            Action::Pause(n) => ("pause", json!(n)),
            Action::Resume(n) => ("resume", json!(n)),
            Action::Partition(g) => ("partition", json!(g)),
            Action::PartitionOneWay(a, b) => ("partition_one_way", json!([a, b])),
            Action::Heal => ("heal", json!(true)),
            Action::Cut(a, b) => ("cut", json!([a, b])),
            Action::HealLink(a, b) => ("heal_link", json!([a, b])),
            Action::Hold(a, b) => ("hold", json!([a, b])),
            Action::Release(a, b) => ("release", json!([a, b])),
            Action::Loss(x) => ("loss", json!(x)),
            Action::Duplicate(x) => ("duplicate", json!(x)),
            Action::Reorder(on) => ("reorder", json!(on)),
            Action::Latency { base_ms, jitter_ms } => (
                "latency",
                json!({"base_ms": base_ms, "jitter_ms": jitter_ms}),
            ),
            Action::Slow { node, extra_ms } => {
                ("slow", json!({"node": node, "extra_ms": extra_ms}))
            }
            Action::Clock {
                node,
                skew_ms,
                drift_ppm,
            } => {
                let mut c = json!({"node": node, "drift_ppm": drift_ppm});
                if let Some(skew) = skew_ms {
                    c["skew_ms"] = json!(skew);
                }
                ("clock", c)
            }
            Action::ModelOutage { model, on } => {
                ("model_outage", json!({"model": model, "on": on}))
            }
            Action::DiskFull { node, on } => ("disk_full", json!({"node": node, "on": on})),
            Action::CorruptDisk(n) => ("corrupt_disk", json!(n)),
            Action::RestartCrashed => ("restart_crashed", json!(true)),
            Action::CrashLeader(c) => ("crash_leader", json!(c)),
            Action::IsolateLeader(c) => ("isolate_leader", json!(c)),
            Action::StockReads(mode) => ("stock_reads", json!(mode.as_str())),
            Action::Llm { on } => ("llm", json!({ "on": on })),
            Action::LlmReply { request, reply } => {
                let mut v = json!(reply);
                v["request"] = json!(request);
                ("llm_reply", v)
            }
            Action::Nemesis(settings) => ("nemesis", json!(settings)),
            Action::DeclineRate { brand, rate } => (
                "decline_rate",
                match brand {
                    Some(b) => json!({"brand": b, "rate": rate}),
                    None => json!({"rate": rate}),
                },
            ),
        };
        m.insert(k.into(), v);
        Value::Object(m)
    }

    /// Node names this input refers to (checked against the world before it runs).
    pub fn node_names(&self) -> Vec<&str> {
        match &self.action {
            Action::Crash(n)
            | Action::Restart(n)
            | Action::Pause(n)
            | Action::Resume(n)
            | Action::CorruptDisk(n) => vec![n],
            Action::Slow { node, .. }
            | Action::DiskFull { node, .. }
            | Action::Clock { node, .. } => vec![node],
            Action::Partition(groups) => groups.iter().flatten().map(String::as_str).collect(),
            Action::PartitionOneWay(a, b)
            | Action::Cut(a, b)
            | Action::HealLink(a, b)
            | Action::Hold(a, b)
            | Action::Release(a, b) => {
                vec![a, b]
            }
            _ => vec![],
        }
    }
}
