//! bookmesh headless runner.
//!
//!   bookmesh run SCENARIO.json [--seed N] [--until SECONDS] [--trace FILE.jsonl]
//!                              [--checkouts-per-sec N] [--export FORMAT=FILE[:SELECTION]]…
//!   bookmesh shiviz SCENARIO.json --seeds N,N,… [--until SECONDS] [--out FILE.log]
//!   bookmesh selfcheck SCENARIO.json [--seed N] [--until SECONDS]
//!   bookmesh validate SCENARIO.json
//!   bookmesh swarm [--seeds A..B] [--shard I/N] [--until S] [--safety S] [--liveness S]
//!                  [--nemesis intensity=X,kinds=K+K] [--shrink-runs N] [--out DIR] [--progress]
//!   bookmesh swarm --check SCENARIO.json
//!   bookmesh study elections [--trials N] [--seed S] [--ranges 150-150,150-300,…]
//!                  [--latency-ms A-B] [--disk-sync-ms A-B] [--csv FILE] [--svg FILE]
//!   bookmesh compare SCENARIO --a key=value,… --b key=value,… [--seed N] [--until S] [--json]
//!
//! `run` prints a JSON report on stdout (see README "Headless runner"). A scenario may also be
//! named by a built-in id (e.g. `ping-ring`). Exit codes: 0 ok, 1 invariant violated, a
//! narration claim failed or self-check diverged, 2 bad usage or bad scenario.
//!
//! A narrated scenario run on its own seed stops at each step's `at_ms` and judges its claims
//! (`engine::scenario::narration_eval`): the report's `narration` lists every verdict and each
//! failed claim is printed on stderr with the scenario, step, expected and actual.
//!
//! `swarm` is in `swarm_cmd.rs`; `run --nemesis intensity=0.5,kinds=crash+partition` turns the
//! nemesis on from time 0 (see `engine::nemesis`) and the report lists a receipt per fault.
//!
//! `--checkouts-per-sec N` adds a generated, seeded stream of varied checkouts on top of the
//! scenario's own inputs (see `engine::scenario::workload`), for load runs.
//!
//! `--export` (repeatable) writes the run in another format once it ends: `trace`, `report`,
//! `shiviz`, `perfetto`, `mermaid` (`mermaid=FILE:ord-0001` or `mermaid=FILE:2000-5000` for
//! one order or a window in ms). `shiviz` runs several seeds into one ShiViz log for its
//! comparison view. Formats: `docs/exports.md`.

use engine::export::spec::{self as export_spec, ExportSpec};
use engine::export::{shiviz, NodeNames, Window};
use engine::scenario::workload::Workload;
use engine::scenario::{builtin, narration_eval, selfcheck, Scenario};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

// In a folder of its own so cargo does not take it for a binary of its own.
#[path = "bookmesh/compare_cmd.rs"]
mod compare_cmd;
#[path = "bookmesh/study_cmd.rs"]
mod study_cmd;
#[path = "bookmesh/swarm_cmd.rs"]
mod swarm_cmd;

struct Args {
    command: String,
    scenario: String,
    seed: Option<u64>,
    until_ms: Option<u64>,
    trace: Option<String>,
    checkouts_per_sec: Option<u32>,
    exports: Vec<ExportSpec>,
    seeds: Vec<u64>,
    out: Option<String>,
    nemesis: Option<engine::nemesis::NemesisSettings>,
}

const USAGE: &str = "usage: bookmesh (run|selfcheck|validate) SCENARIO.json [--seed N] [--until SECONDS] [--trace FILE.jsonl] [--checkouts-per-sec N] [--export FORMAT=FILE[:SELECTION]] [--nemesis intensity=0.5,kinds=crash+partition]\n       bookmesh shiviz SCENARIO.json --seeds N,N,... [--until SECONDS] [--out FILE.log]\n       bookmesh swarm [--seeds A..B] [--shard I/N] [--until SECONDS] [--safety SECONDS] [--liveness SECONDS] [--nemesis …] [--shrink-runs N] [--out DIR] [--progress]\n       bookmesh swarm --check SCENARIO.json\n       bookmesh study elections [--trials N] [--seed S] [--ranges A-B,…] [--latency-ms A-B] [--disk-sync-ms A-B] [--csv FILE] [--svg FILE]\n       bookmesh compare SCENARIO --a key=value,… --b key=value,… [--seed N] [--until SECONDS] [--checkouts-per-sec N] [--json]";

/// Runs one ShiViz comparison holds at most (each is a whole run, replayed).
const SHIVIZ_SEEDS_MAX: usize = 16;

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let command = it.next().ok_or(USAGE)?;
    if !["run", "selfcheck", "validate", "shiviz"].contains(&command.as_str()) {
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
        exports: Vec::new(),
        seeds: Vec::new(),
        out: None,
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
            "--export" => args.exports.push(export_spec::parse(&value)?),
            "--seeds" => args.seeds = parse_seeds(&value)?,
            "--out" => args.out = Some(value),
            "--nemesis" => {
                args.nemesis = Some(engine::nemesis::NemesisSettings::parse(&value)?);
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn parse_seeds(text: &str) -> Result<Vec<u64>, String> {
    let seeds = text
        .split(',')
        .map(|s| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| format!("--seeds: not a whole number: {s:?}"))
        })
        .collect::<Result<Vec<u64>, String>>()?;
    let mut distinct = seeds.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != seeds.len() {
        return Err("--seeds: a seed is listed twice (ShiViz needs distinct runs)".into());
    }
    if seeds.len() > SHIVIZ_SEEDS_MAX {
        return Err(format!("--seeds: at most {SHIVIZ_SEEDS_MAX} seeds"));
    }
    Ok(seeds)
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
    if std::env::args().nth(1).as_deref() == Some("study") {
        return study_cmd::main(std::env::args().skip(2).collect());
    }
    if std::env::args().nth(1).as_deref() == Some("compare") {
        return compare_cmd::main(std::env::args().skip(2).collect(), load);
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
        "shiviz" => compare(&scenario, &args.seeds, until_ms, args.out.as_deref()),
        _ => {
            let workload = args
                .checkouts_per_sec
                .map(|rate| Workload::new(rate, until_ms, seed))
                .transpose()?;
            let outputs = Outputs {
                trace: args.trace.as_deref(),
                exports: &args.exports,
                title: format!("{} · seed {seed}", args.scenario),
            };
            run(&scenario, seed, until_ms, workload, args.nemesis, outputs)
        }
    }
}

/// Where a run's trace and exports go.
struct Outputs<'a> {
    trace: Option<&'a str>,
    exports: &'a [ExportSpec],
    title: String,
}

fn run(
    scenario: &Scenario,
    seed: u64,
    until_ms: u64,
    workload: Option<Workload>,
    nemesis: Option<engine::nemesis::NemesisSettings>,
    outputs: Outputs,
) -> Result<ExitCode, String> {
    let trace = outputs.trace;
    let added_load = workload.is_some() || nemesis.is_some();
    let mut sys = scenario.build(seed)?;
    if let Some(settings) = nemesis {
        use engine::system::inputs::{Action, TimedInput};
        sys.schedule(vec![TimedInput::at(0, Action::Nemesis(settings))])
            .map_err(|e| format!("--nemesis: {e}"))?;
    }
    if let Some(workload) = workload {
        sys.stream_workload(workload);
    }
    if let Some(path) = trace {
        let names = NodeNames::of(sys.world());
        let file = std::fs::File::create(path).map_err(|e| format!("--trace {path}: {e}"))?;
        let mut out = BufWriter::new(file);
        sys.world_mut().set_trace_sink(Some(Box::new(move |ev| {
            // A write error surfaces when the file is flushed below; the run itself goes on.
            let _ = writeln!(out, "{}", engine::export::trace_json::line(ev, &names));
        })));
    }
    // The narration's claims hold for the scenario as written: its own seed, nothing added.
    let narrated = seed == scenario.seed && !added_load;
    let steps = if narrated {
        narration_checks(scenario, &mut sys, until_ms)
    } else {
        Vec::new()
    };
    sys.run_until(until_ms * 1000);
    sys.world_mut().set_trace_sink(None); // drops (flushes) the writer
    for spec in outputs.exports {
        let text = export_spec::render(spec.format, spec.selection.as_ref(), &sys, &outputs.title)?;
        write(&spec.path, &text)?;
    }
    let mut report = engine::system::report::report(&sys, until_ms);
    if !scenario.narration.is_empty() {
        report["narration"] = narration_report(narrated, &steps);
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
    );
    let failed = narration_eval::failures(&outputs.title, &steps);
    for line in &failed {
        eprintln!("bookmesh: {line}");
    }
    let clean = report["violations"]
        .as_array()
        .is_some_and(|v| v.is_empty())
        && failed.is_empty();
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs to each narration step within the run and judges its claims (the run is the same
/// as without the stops). Steps after `until_ms` are not reached and not judged.
fn narration_checks(
    scenario: &Scenario,
    sys: &mut engine::system::System,
    until_ms: u64,
) -> Vec<narration_eval::StepResult> {
    scenario
        .narration
        .iter()
        .enumerate()
        .take_while(|(_, step)| step.at_ms <= until_ms)
        .map(|(i, step)| {
            sys.run_until(step.at_ms * 1000);
            narration_eval::evaluate_step(i, step, sys)
        })
        .collect()
}

/// The report's `narration` field: each judged step, or why none was.
fn narration_report(narrated: bool, steps: &[narration_eval::StepResult]) -> serde_json::Value {
    if narrated {
        serde_json::json!({ "checked": true, "steps": steps })
    } else {
        serde_json::json!({
            "checked": false,
            "why": "the narration's claims are about the scenario's own seed with nothing added (no --seed, --checkouts-per-sec or --nemesis)"
        })
    }
}

fn write(path: &str, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))
}

/// One ShiViz log with a run of `scenario` per seed, for ShiViz's comparison view.
fn compare(
    scenario: &Scenario,
    seeds: &[u64],
    until_ms: u64,
    out: Option<&str>,
) -> Result<ExitCode, String> {
    if seeds.is_empty() {
        return Err(format!("shiviz: --seeds N,N,... is required\n{USAGE}"));
    }
    let mut executions = Vec::new();
    for &seed in seeds {
        let mut sys = scenario.build(seed)?;
        sys.run_until(until_ms * 1000);
        let names = NodeNames::of(sys.world());
        let trace = sys.world().trace();
        let label = format!("seed {seed}");
        executions.push(shiviz::execution(
            &label,
            trace.since(0),
            &names,
            Window::ALL,
        ));
    }
    let text = shiviz::log(&executions);
    match out {
        Some(path) => write(path, &text)?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
