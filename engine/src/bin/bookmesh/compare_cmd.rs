//! `bookmesh compare SCENARIO --a key=value,… --b key=value,…`: the same scenario, seed,
//! workload and fault schedule under two cluster configurations (see `engine::compare`),
//! printed as a two-column table (rows that differ are starred) or as JSON.

use engine::compare::{summary, Comparison, Variant};
use engine::scenario::Scenario;
use std::process::ExitCode;

pub const USAGE: &str = "usage: bookmesh compare SCENARIO --a key=value,… --b key=value,… [--seed N] [--until SECONDS] [--checkouts-per-sec N] [--json]\n  keys are the scenario file's \"cluster\" fields: election=raft|bully|lease, election_timeout_min_ms=…, heartbeat_ms=…, stock_reads=off|primary|replicas, latency_ms=…, disk.fsync_us=…";

pub fn main(
    argv: Vec<String>,
    load: fn(&str) -> Result<Scenario, String>,
) -> Result<ExitCode, String> {
    let mut it = argv.into_iter();
    let path = it.next().ok_or(USAGE)?;
    let scenario = load(&path)?;
    let mut c = Comparison {
        seed: scenario.seed,
        until_ms: scenario.until_ms,
        scenario,
        checkouts_per_sec: None,
    };
    let (mut a, mut b, mut json) = (None, None, false);
    while let Some(flag) = it.next() {
        if flag == "--json" {
            json = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let whole = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a whole number: {v:?}"))
        };
        match flag.as_str() {
            "--a" => a = Some(Variant { overrides: value }),
            "--b" => b = Some(Variant { overrides: value }),
            "--seed" => c.seed = whole(&value)?,
            "--until" => {
                let secs = whole(&value)?;
                if !(1..=86_400).contains(&secs) {
                    return Err("--until: must be 1–86400 seconds".into());
                }
                c.until_ms = secs * 1_000;
            }
            "--checkouts-per-sec" => {
                let rate = whole(&value)?;
                c.checkouts_per_sec = Some(
                    u32::try_from(rate)
                        .map_err(|_| "--checkouts-per-sec: too large".to_string())?,
                );
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let (Some(a), Some(b)) = (a, b) else {
        return Err(format!("compare needs both --a and --b\n{USAGE}"));
    };
    let [sa, sb] = c.run(&a, &b)?;
    if json {
        let rows: Vec<serde_json::Value> = summary::rows(&sa, &sb)
            .into_iter()
            .map(|(name, va, vb)| serde_json::json!({"figure": name, "a": va, "b": vb}))
            .collect();
        let out = serde_json::json!({
            "scenario": path, "seed": c.seed, "until_ms": c.until_ms,
            "checkouts_per_sec": c.checkouts_per_sec, "a": sa, "b": sb, "rows": rows,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
    } else {
        println!(
            "{path}, seed {}, {} s of virtual time",
            c.seed,
            c.until_ms / 1_000
        );
        print!("{}", summary::table(&sa, &sb));
    }
    Ok(ExitCode::SUCCESS)
}
