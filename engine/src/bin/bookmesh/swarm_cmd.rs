//! `bookmesh swarm`: many seeds, each a drawn deployment with a fault schedule, a safety phase
//! and a healed liveness phase (see `engine::swarm`); a progress bar on stderr (only on a
//! terminal, or with `--progress`), a summary on stdout, and for the first failing seed a
//! shrunk case written as a scenario file. The wall clock is read here, never in the engine.

use engine::nemesis::NemesisSettings;
use engine::scenario::Scenario;
use engine::swarm::runner::{Found, Summary};
use engine::swarm::shard::{parse_range, Shard};
use engine::swarm::{judge, shrink, SwarmSettings};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    seeds: std::ops::Range<u64>,
    shard: Shard,
    settings: SwarmSettings,
    shrink_runs: u32,
    out: std::path::PathBuf,
    progress: bool,
    check: Option<String>,
}

fn seconds_ms(flag: &str, value: &str) -> Result<u64, String> {
    let secs: u64 = value
        .parse()
        .map_err(|_| format!("{flag}: not a whole number of seconds: {value:?}"))?;
    if !(1..=3_600).contains(&secs) {
        return Err(format!("{flag}: must be 1–3600 seconds"));
    }
    Ok(secs * 1000)
}

fn parse(argv: Vec<String>) -> Result<Args, String> {
    let mut a = Args {
        seeds: 0..1_000,
        shard: Shard::WHOLE,
        settings: SwarmSettings::default(),
        shrink_runs: 300,
        out: ".".into(),
        progress: std::io::stderr().is_terminal(),
        check: None,
    };
    let mut it = argv.into_iter();
    while let Some(flag) = it.next() {
        if flag == "--progress" {
            a.progress = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seeds" => a.seeds = parse_range(&value)?,
            "--shard" => a.shard = Shard::parse(&value)?,
            "--until" => {
                // The whole run per seed: 30 % faults, then 70 % healed.
                let total = seconds_ms("--until", &value)?.max(2_000);
                a.settings.safety_ms = total * 3 / 10;
                a.settings.liveness_ms = total - a.settings.safety_ms;
            }
            "--safety" => a.settings.safety_ms = seconds_ms("--safety", &value)?,
            "--liveness" => a.settings.liveness_ms = seconds_ms("--liveness", &value)?,
            "--nemesis" => a.settings.nemesis = NemesisSettings::parse(&value)?,
            "--shrink-runs" => {
                a.shrink_runs = value
                    .parse()
                    .map_err(|_| format!("--shrink-runs: not a whole number: {value:?}"))?
            }
            "--out" => a.out = value.into(),
            "--check" => a.check = Some(value),
            other => return Err(format!("swarm: unknown option {other:?}")),
        }
    }
    Ok(a)
}

pub fn main(argv: Vec<String>) -> Result<ExitCode, String> {
    let args = parse(argv)?;
    if let Some(path) = &args.check {
        return check(path);
    }
    let seeds: Vec<u64> = args.shard.seeds(args.seeds.clone()).collect();
    let started = Instant::now();
    let mut summary = Summary::default();
    for (done, seed) in seeds.iter().enumerate() {
        if let Some(found) = summary.run_seed(*seed, &args.settings) {
            eprintln!("{}", failure_line(found, &args.settings));
        }
        if args.progress {
            progress(done + 1, seeds.len(), &summary, started);
        }
    }
    if args.progress {
        eprintln!();
    }
    print_summary(&args, &summary, started.elapsed().as_secs_f64());
    if let Some(first) = summary.failing.first() {
        shrink_and_write(first, &args)?;
    }
    Ok(if summary.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The one line that reruns exactly this seed with these settings.
fn reproduce(seed: u64, s: &SwarmSettings) -> String {
    let mut cmd =
        format!("cargo run --profile fast -p engine --bin bookmesh -- swarm --seeds {seed}");
    let d = SwarmSettings::default();
    if s.safety_ms != d.safety_ms {
        cmd += &format!(" --safety {}", s.safety_ms / 1000);
    }
    if s.liveness_ms != d.liveness_ms {
        cmd += &format!(" --liveness {}", s.liveness_ms / 1000);
    }
    if s.nemesis != d.nemesis {
        cmd += &format!(" --nemesis {}", s.nemesis.to_text());
    }
    cmd
}

fn failure_line(f: &Found, s: &SwarmSettings) -> String {
    format!(
        "FAIL seed {}: {} ({} failures in all)\n  reproduce: {}",
        f.seed,
        f.failure,
        f.failures,
        reproduce(f.seed, s)
    )
}

fn progress(done: usize, total: usize, s: &Summary, started: Instant) {
    const WIDTH: usize = 30;
    let filled = done * WIDTH / total.max(1);
    let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-9);
    eprint!(
        "\r[{}{}] {done}/{total} seeds, {} failing, {:.1} seeds/s ",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        s.failing.len(),
        rate
    );
    let _ = std::io::stderr().flush();
}

fn print_summary(args: &Args, s: &Summary, secs: f64) {
    let per_1000 = if s.seeds_run == 0 {
        0.0
    } else {
        secs * 1000.0 / s.seeds_run as f64
    };
    println!(
        "swarm: seeds {:?} shard {}/{}: {} seeds run in {secs:.1} s ({per_1000:.1} s per 1,000 seeds)",
        args.seeds, args.shard.index, args.shard.count, s.seeds_run
    );
    println!("  fault episodes: {} ({})", s.episodes(), s.kinds_line());
    println!(
        "  transactions decided: {}, trace events: {}",
        s.transactions_decided, s.events
    );
    println!(
        "  failing seeds: {}, seeds that could not run: {}",
        s.failing.len(),
        s.errors.len()
    );
    for f in &s.failing {
        println!(
            "  {}",
            failure_line(f, &args.settings).replace('\n', "\n  ")
        );
    }
    for (seed, e) in &s.errors {
        println!(
            "  ERROR seed {seed}: {e}\n    reproduce: {}",
            reproduce(*seed, &args.settings)
        );
    }
}

fn shrink_and_write(found: &Found, args: &Args) -> Result<(), String> {
    println!(
        "shrinking seed {} ({} fault episodes, {} orders, {} + {} ms) …",
        found.seed,
        found.case.episodes.len(),
        found.case.orders.len(),
        found.case.safety_ms,
        found.case.liveness_ms
    );
    let shrunk = shrink::shrink(&found.case, &found.failure, args.shrink_runs);
    let c = &shrunk.case;
    println!(
        "shrunk in {} reruns to {} fault episodes, {} orders, {} + {} ms, {} executors, {} database nodes: {}",
        shrunk.runs,
        c.episodes.len(),
        c.orders.len(),
        c.safety_ms,
        c.liveness_ms,
        c.cluster.executors,
        c.cluster.db_nodes,
        shrunk.failure
    );
    for e in &c.episodes {
        let inputs: Vec<String> = e.inputs.iter().map(|i| i.to_json().to_string()).collect();
        println!("  {}: {}", e.kind.as_str(), inputs.join(" then "));
    }
    let mut scenario = c.scenario();
    scenario.name = format!("swarm-seed-{}-shrunk", found.seed);
    let path = args
        .out
        .join(format!("swarm-seed-{}-shrunk.json", found.seed));
    let text = serde_json::to_string_pretty(&scenario.to_json()).map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n").map_err(|e| format!("--out {}: {e}", path.display()))?;
    println!(
        "wrote {p}\n  replay: cargo run --profile fast -p engine --bin bookmesh -- run {p}\n  judge:  cargo run --profile fast -p engine --bin bookmesh -- swarm --check {p}",
        p = path.display()
    );
    Ok(())
}

/// Runs a scenario file and judges it as the swarm does (live and end-of-run checkers, and
/// every approved order decided by the end).
fn check(path: &str) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let scenario = Scenario::parse(&text).map_err(|e| format!("{path}: {e}"))?;
    let sys = scenario.run(scenario.seed, scenario.until_ms)?;
    let failures = judge::failures(&sys);
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "{path}: seed {}: {} failures",
        scenario.seed,
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
