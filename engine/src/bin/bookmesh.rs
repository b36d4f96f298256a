//! bookmesh headless runner.
//!
//!   bookmesh run SCENARIO.json [--seed N] [--until SECONDS] [--trace FILE.jsonl]
//!                              [--checkouts-per-sec N]
//!   bookmesh selfcheck SCENARIO.json [--seed N] [--until SECONDS]
//!   bookmesh validate SCENARIO.json
//!   bookmesh swarm [--seeds A..B] [--shard I/N] [--until S] [--safety S] [--liveness S]
//!                  [--nemesis intensity=X,kinds=K+K] [--shrink-runs N] [--out DIR] [--progress]
//!   bookmesh swarm --check SCENARIO.json
//!
//! `run` prints a JSON report on stdout (see README "Headless runner"). A scenario may also be
//! named by a built-in id (e.g. `ping-ring`). Exit codes: 0 ok, 1 invariant violated or
//! self-check diverged, 2 bad usage or bad scenario.
//!
//! `swarm` is in `swarm_cmd.rs`; `run --nemesis intensity=0.5,kinds=crash+partition` turns the
//! nemesis on from time 0 (see `engine::nemesis`) and the report lists a receipt per fault.
//!
//! `--checkouts-per-sec N` adds a generated, seeded stream of varied checkouts on top of the
//! scenario's own inputs (see `engine::scenario::workload`), for load runs.

use engine::scenario::workload::Workload;
use engine::scenario::{builtin, selfcheck, Scenario};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

// In a folder of its own so cargo does not take it for a binary of its own.
#[path = "bookmesh/swarm_cmd.rs"]
mod swarm_cmd;

struct Args {
    command: String,
    scenario: String,
    seed: Option<u64>,
    until_ms: Option<u64>,
    trace: Option<String>,
    checkouts_per_sec: Option<u32>,
    nemesis: Option<engine::nemesis::NemesisSettings>,
}

const USAGE: &str = "usage: bookmesh (run|selfcheck|validate) SCENARIO.json [--seed N] [--until SECONDS] [--trace FILE.jsonl] [--checkouts-per-sec N] [--nemesis intensity=0.5,kinds=crash+partition]\n       bookmesh swarm [--seeds A..B] [--shard I/N] [--until SECONDS] [--safety SECONDS] [--liveness SECONDS] [--nemesis …] [--shrink-runs N] [--out DIR] [--progress]\n       bookmesh swarm --check SCENARIO.json";

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let command = it.next().ok_or(USAGE)?;
    if !["run", "selfcheck", "validate"].contains(&command.as_str()) {
        return Err(format!("unknown command {command:?}\n{USAGE}"));
    }
    let scenario = it.next().ok_or(USAGE)?;
    let mut args = Args {
        command,
        scenario,
        seed: None,
        until_ms: None,
        trace: None,
        checkouts_per_sec: None,
        nemesis: None,
    };
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seed" => {
                args.seed = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--seed: not a whole number: {value:?}"))?,
                )
            }
            "--until" => {
                let secs: f64 = value
                    .parse()
                    .map_err(|_| format!("--until: not a number of seconds: {value:?}"))?;
                if !(secs > 0.0 && secs <= 86_400.0) {
                    return Err("--until: must be between 0 and 86400 seconds".into());
                }
                args.until_ms = Some((secs * 1000.0).round() as u64);
            }
            "--trace" => args.trace = Some(value),
            "--checkouts-per-sec" => {
                let rate = value
                    .parse()
                    .map_err(|_| format!("--checkouts-per-sec: not a whole number: {value:?}"))?;
                args.checkouts_per_sec = Some(rate);
            }
            "--nemesis" => {
                args.nemesis = Some(engine::nemesis::NemesisSettings::parse(&value)?);
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn load(path: &str) -> Result<Scenario, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Scenario::parse(&text).map_err(|e| format!("{path}: {e}")),
        Err(io) => match builtin::get(path) {
            Some(s) => s,
            None => Err(format!("{path}: {io}")),
        },
    }
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bookmesh: {e}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<ExitCode, String> {
    if std::env::args().nth(1).as_deref() == Some("swarm") {
        return swarm_cmd::main(std::env::args().skip(2).collect());
    }
    let args = parse_args()?;
    let scenario = load(&args.scenario)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let until_ms = args.until_ms.unwrap_or(scenario.until_ms);
    match args.command.as_str() {
        "validate" => {
            scenario.build(seed)?;
            println!("{}: ok ({} inputs)", args.scenario, scenario.inputs.len());
            Ok(ExitCode::SUCCESS)
        }
        "selfcheck" => {
            match selfcheck::self_check(&scenario, seed, until_ms)? {
                Ok(hash) => {
                    println!("selfcheck: seed {seed}: two runs identical, trace_hash {hash:016x}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(d) => {
                    println!("selfcheck: seed {seed}: runs diverge at event {}\n  first:  {}\n  second: {}", d.seq, d.first.unwrap_or_default(), d.second.unwrap_or_default());
                    Ok(ExitCode::from(1))
                }
            }
        }
        _ => {
            let workload = args
                .checkouts_per_sec
                .map(|rate| Workload::new(rate, until_ms, seed))
                .transpose()?;
            run(
                &scenario,
                seed,
                until_ms,
                workload,
                args.nemesis,
                args.trace.as_deref(),
            )
        }
    }
}

fn run(
    scenario: &Scenario,
    seed: u64,
    until_ms: u64,
    workload: Option<Workload>,
    nemesis: Option<engine::nemesis::NemesisSettings>,
    trace: Option<&str>,
) -> Result<ExitCode, String> {
    let mut sys = scenario.build(seed)?;
    if let Some(settings) = nemesis {
        use engine::system::inputs::{Action, TimedInput};
        sys.schedule(vec![TimedInput::at(0, Action::Nemesis(settings))])
            .map_err(|e| format!("--nemesis: {e}"))?;
    }
    if let Some(workload) = workload {
        sys.schedule(workload.inputs())
            .map_err(|e| format!("generated workload: {e}"))?;
    }
    if let Some(path) = trace {
        let names: Vec<String> = sys.world().nodes().into_iter().map(|n| n.name).collect();
        let file = std::fs::File::create(path).map_err(|e| format!("--trace {path}: {e}"))?;
        let mut out = BufWriter::new(file);
        sys.world_mut().set_trace_sink(Some(Box::new(move |ev| {
            let mut line = serde_json::to_value(ev).unwrap_or_default();
            line["t_ms"] = serde_json::json!(ev.t_us as f64 / 1000.0);
            line["node_name"] = serde_json::json!(names
                .get(ev.node.0 as usize)
                .map_or("world", String::as_str));
            // A write error surfaces when the file is flushed below; the run itself goes on.
            let _ = writeln!(out, "{line}");
        })));
    }
    sys.run_until(until_ms * 1000);
    sys.world_mut().set_trace_sink(None); // drops (flushes) the writer
    let report = engine::system::report::report(&sys, until_ms);
    println!(
        "{}",
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
    );
    let clean = report["violations"]
        .as_array()
        .is_some_and(|v| v.is_empty());
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
