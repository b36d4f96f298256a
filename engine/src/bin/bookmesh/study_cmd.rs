//! `bookmesh study elections`: the Raft paper's election timing experiment (see
//! `engine::study`). Writes the per-trial CSV and the CDF plot as SVG, prints the per-range
//! summary table, and a progress line on stderr (only on a terminal, or with `--progress`).
//! The wall clock is read here, to report how long the study took, never in the engine.

use engine::study::{self, config::MsRange, csv, parse_ranges, StudyConfig, StudyRun};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

pub const USAGE: &str = "usage: bookmesh study elections [--trials N] [--seed S] [--ranges 150-150,150-300,…] [--latency-ms A-B] [--disk-sync-ms A-B] [--cap-ms N] [--pre-vote on|off] [--csv FILE] [--svg FILE] [--progress]";

struct Args {
    cfg: StudyConfig,
    csv: Option<String>,
    svg: Option<String>,
    progress: bool,
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: not a whole number: {value:?}"))
}

fn parse(argv: Vec<String>) -> Result<Args, String> {
    let mut it = argv.into_iter();
    if it.next().as_deref() != Some("elections") {
        return Err(format!("study: the one study is `elections`\n{USAGE}"));
    }
    let mut a = Args {
        cfg: StudyConfig::default(),
        csv: None,
        svg: None,
        progress: std::io::stderr().is_terminal(),
    };
    while let Some(flag) = it.next() {
        if flag == "--progress" {
            a.progress = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--trials" => a.cfg.trials = number(&flag, &value)?,
            "--seed" => a.cfg.seed = number(&flag, &value)?,
            "--cap-ms" => a.cfg.cap_ms = number(&flag, &value)?,
            "--ranges" => a.cfg.ranges = parse_ranges("--ranges", &value)?,
            "--latency-ms" => a.cfg.latency = MsRange::parse("--latency-ms", &value)?,
            "--disk-sync-ms" => a.cfg.disk_sync = MsRange::parse("--disk-sync-ms", &value)?,
            "--pre-vote" => {
                a.cfg.pre_vote = match value.as_str() {
                    "on" => true,
                    "off" => false,
                    _ => return Err(format!("--pre-vote: on or off, not {value:?}")),
                }
            }
            "--csv" => a.csv = Some(value),
            "--svg" => a.svg = Some(value),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    a.cfg.validate()?;
    Ok(a)
}

pub fn main(argv: Vec<String>) -> Result<ExitCode, String> {
    let args = parse(argv)?;
    let mut run = StudyRun::new(args.cfg)?;
    let started = Instant::now();
    while run.step() {
        let (done, total) = run.progress();
        if args.progress && (done % 20 == 0 || done == total) {
            eprint!("\rstudy: {done}/{total} trials");
            let _ = std::io::stderr().flush();
        }
    }
    if args.progress {
        eprintln!();
    }
    let took = started.elapsed();
    if let Some(path) = &args.csv {
        std::fs::write(path, csv::write(run.outcomes()))
            .map_err(|e| format!("--csv {path}: {e}"))?;
    }
    if let Some(path) = &args.svg {
        std::fs::write(path, study::svg(&run)).map_err(|e| format!("--svg {path}: {e}"))?;
    }
    for line in study::assumptions(run.config()) {
        println!("{line}");
    }
    print!("{}", study::summary::table(&run.summaries()));
    println!(
        "{} trials in {:.1} s (wall clock)",
        run.progress().0,
        took.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
