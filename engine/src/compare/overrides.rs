//! `key=value,…` applied to a [`ClusterConfig`]: `election=bully`, `election_timeout_min_ms=150`,
//! `stock_reads=replicas`, `disk.fsync_us=5000`. Every knob the scenario file's "cluster"
//! section has, by the same names, through serde — so a new knob needs no code here, and an
//! unknown one is refused with the list serde knows.

use crate::system::config::ClusterConfig;
use serde_json::Value;

pub fn apply(base: &ClusterConfig, text: &str, flag: &str) -> Result<ClusterConfig, String> {
    let mut doc = serde_json::to_value(base).map_err(|e| format!("{flag}: {e}"))?;
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, raw) = pair
            .split_once('=')
            .ok_or_else(|| format!("{flag}: {pair:?} is not key=value"))?;
        // Numbers and booleans as JSON; anything else ("bully", "replicas") as a string.
        let value = serde_json::from_str::<Value>(raw.trim())
            .unwrap_or_else(|_| Value::String(raw.trim().to_string()));
        set(&mut doc, key.trim(), value).map_err(|why| format!("{flag}: {why}"))?;
    }
    let cfg: ClusterConfig = serde_json::from_value(doc).map_err(|e| format!("{flag}: {e}"))?;
    cfg.validate().map_err(|e| format!("{flag}: {e}"))?;
    Ok(cfg)
}

/// Sets a dotted path (`disk.fsync_us`) in a JSON object, creating inner objects as needed.
fn set(doc: &mut Value, key: &str, value: Value) -> Result<(), String> {
    let mut at = doc;
    let parts: Vec<&str> = key.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return Err(format!("{key:?}: empty part in the key"));
        }
        let obj = at
            .as_object_mut()
            .ok_or_else(|| format!("{key:?}: {} is not a section", parts[..i].join(".")))?;
        if i + 1 == parts.len() {
            obj.insert(part.to_string(), value);
            return Ok(());
        }
        at = obj
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    Ok(())
}
