//! Which export, to which file: the headless runner's `--export FORMAT=FILE[:SELECTION]`, and
//! `render`, which the runner and the page both call to make a file's contents from a system
//! (so the two never differ).

use super::mermaid::Selection;
use super::{mermaid, perfetto, shiviz, trace_json, NodeNames, Window};
use crate::system::System;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The JSON trace, one event per line.
    Trace,
    /// The runner's JSON report.
    Report,
    ShiViz,
    Perfetto,
    Mermaid,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Trace,
        Format::Report,
        Format::ShiViz,
        Format::Perfetto,
        Format::Mermaid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Trace => "trace",
            Format::Report => "report",
            Format::ShiViz => "shiviz",
            Format::Perfetto => "perfetto",
            Format::Mermaid => "mermaid",
        }
    }

    /// The usual file name ending, for downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Trace => "jsonl",
            Format::Report | Format::Perfetto => "json",
            Format::ShiViz => "log",
            Format::Mermaid => "mmd",
        }
    }
}

/// One `--export` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSpec {
    pub format: Format,
    pub path: String,
    /// Mermaid only: an order or a window (default: the whole run).
    pub selection: Option<Selection>,
}

/// Parses `FORMAT=FILE`, or `mermaid=FILE:ORDER` / `mermaid=FILE:FROM_MS-TO_MS`.
pub fn parse(text: &str) -> Result<ExportSpec, String> {
    let names = Format::ALL.map(Format::as_str).join(", ");
    let (name, rest) = text.split_once('=').ok_or_else(|| {
        format!("--export: expected FORMAT=FILE (formats: {names}), got {text:?}")
    })?;
    let format = Format::ALL
        .into_iter()
        .find(|f| f.as_str() == name)
        .ok_or_else(|| format!("--export: unknown format {name:?} (formats: {names})"))?;
    let (path, selection) = match (format, rest.rsplit_once(':')) {
        (Format::Mermaid, Some((path, sel))) if !sel.contains('/') => {
            (path, Some(parse_selection(sel)?))
        }
        _ => (rest, None),
    };
    if path.is_empty() {
        return Err(format!("--export {name}: the file name is empty"));
    }
    Ok(ExportSpec {
        format,
        path: path.to_string(),
        selection,
    })
}

/// `ord-0001`, or `2000-5000` (milliseconds of virtual time, from ≤ t < to).
pub fn parse_selection(text: &str) -> Result<Selection, String> {
    if let Some((a, b)) = text.split_once('-') {
        if let (Ok(from), Ok(to)) = (a.parse::<u64>(), b.parse::<u64>()) {
            if from >= to {
                return Err(format!(
                    "mermaid window {text:?}: FROM_MS must be below TO_MS"
                ));
            }
            return Ok(Selection::Window(Window {
                from_us: from.saturating_mul(1000),
                to_us: to.saturating_mul(1000),
            }));
        }
    }
    let valid = !text.is_empty()
        && text.len() <= 64
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(format!(
            "mermaid selection {text:?}: expected an order id (ord-0001) or FROM_MS-TO_MS"
        ));
    }
    Ok(Selection::Order(text.to_string()))
}

/// The contents of one export of `sys` as it stands (the trace events it still holds).
pub fn render(
    format: Format,
    selection: Option<&Selection>,
    sys: &System,
    title: &str,
) -> Result<String, String> {
    let names = NodeNames::of(sys.world());
    let trace = sys.world().trace();
    let events = trace.since(0);
    let text = match format {
        Format::Trace => trace_json::jsonl(events, &names),
        Format::Report => {
            let report = crate::system::report::report(sys, sys.now() / 1000);
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
        }
        Format::ShiViz => {
            let label = format!("seed {}", sys.seed());
            shiviz::log(&[shiviz::execution(&label, events, &names, Window::ALL)])
        }
        Format::Perfetto => {
            let doc = perfetto::trace_events(events, &names, Window::ALL, title);
            serde_json::to_string(&doc).map_err(|e| e.to_string())? + "\n"
        }
        Format::Mermaid => {
            let all = Selection::Window(Window::ALL);
            mermaid::sequence_diagram(events, &names, selection.unwrap_or(&all), title)?
        }
    };
    Ok(text)
}

/// A download's file name: `bookmesh-SCENARIO-seedN-Tms[-SELECTION].EXT`, every character
/// but letters, digits, `-` and `.` made `_` (a scenario id comes from a link).
pub fn file_name(
    format: Format,
    scenario: &str,
    seed: u64,
    t_us: crate::sim::Micros,
    selection: Option<&Selection>,
) -> String {
    let sel = match selection {
        Some(Selection::Order(id)) => format!("-{id}"),
        Some(Selection::Window(w)) if *w != Window::ALL => {
            format!("-{}-{}ms", w.from_us / 1000, w.to_us / 1000)
        }
        _ => String::new(),
    };
    let stem = format!(
        "bookmesh-{scenario}-seed{seed}-{}ms{sel}-{}",
        t_us / 1000,
        format.as_str()
    );
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.{}", format.extension())
}

/// The MIME type a download of `format` is served as.
pub fn mime(format: Format) -> &'static str {
    match format {
        Format::Trace => "application/x-ndjson",
        Format::Report | Format::Perfetto => "application/json",
        Format::ShiViz | Format::Mermaid => "text/plain",
    }
}
