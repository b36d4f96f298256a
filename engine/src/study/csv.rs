//! The study's CSV: one row per trial, `range,trial,seed,downtime_ms,censored,cut`
//! (`cut` says where a censored trial stopped: `no-new-leader`, `no-first-leader`, `setup`). Downtime in
//! milliseconds with three decimals (the simulation's microseconds, exactly); a censored row's
//! downtime is the cap it watched for. Written from integers only, so the same seeds give the
//! same bytes on every platform. `parse` reads it back (tests, and anyone checking a file).

use super::config::MsRange;
use super::trial::{Cut, TrialOutcome};

pub const HEADER: &str = "range,trial,seed,downtime_ms,censored,cut";

pub fn write(outcomes: &[TrialOutcome]) -> String {
    let mut out = String::with_capacity(32 * (outcomes.len() + 1));
    out.push_str(HEADER);
    out.push('\n');
    for o in outcomes {
        out.push_str(&format!(
            "{},{},{},{}.{:03},{},{}\n",
            o.range.label(),
            o.trial,
            o.seed,
            o.downtime_us / 1_000,
            o.downtime_us % 1_000,
            o.censored as u8,
            o.cut.map_or("", Cut::name)
        ));
    }
    out
}

/// Reads a CSV `write` wrote; an error names the line and the field.
pub fn parse(text: &str) -> Result<Vec<TrialOutcome>, String> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(format!("line 1: expected the header {HEADER:?}"));
    }
    lines
        .enumerate()
        .map(|(i, line)| parse_row(line).map_err(|why| format!("line {}: {why}", i + 2)))
        .collect()
}

fn parse_row(line: &str) -> Result<TrialOutcome, String> {
    let fields: Vec<&str> = line.split(',').collect();
    let [range, trial, seed, downtime, censored, cut] = fields[..] else {
        return Err(format!("expected 6 fields, found {}", fields.len()));
    };
    let num = |field: &str, s: &str| {
        s.parse::<u64>()
            .map_err(|_| format!("{field}: not a whole number: {s:?}"))
    };
    let (whole, frac) = downtime
        .split_once('.')
        .ok_or_else(|| format!("downtime_ms: expected ms with 3 decimals, got {downtime:?}"))?;
    if frac.len() != 3 {
        return Err(format!(
            "downtime_ms: expected 3 decimals, got {downtime:?}"
        ));
    }
    Ok(TrialOutcome {
        range: MsRange::parse("range", range)?,
        trial: num("trial", trial)? as u32,
        seed: num("seed", seed)?,
        downtime_us: num("downtime_ms", whole)? * 1_000 + num("downtime_ms", frac)?,
        censored: match censored {
            "0" => false,
            "1" => true,
            other => return Err(format!("censored: expected 0 or 1, got {other:?}")),
        },
        cut: match cut {
            "" => None,
            name => Some(Cut::parse(name).ok_or_else(|| format!("cut: unknown {name:?}"))?),
        },
    })
}
