//! The two runs on one time axis: a lane per side showing which executor led when, so the
//! reader sees where the two designs diverged (a gap is time without a leader). Laid out here
//! in plain numbers and written as self-contained SVG, so the CLI-free page and the tests draw
//! the same thing.

use super::summary::{ReignBar, RunSummary};

pub const WIDTH: f64 = 720.0;
pub const LEFT: f64 = 90.0;
pub const RIGHT: f64 = 700.0;
const LANE_HEIGHT: f64 = 26.0;
const TOP: f64 = 10.0;
const PALETTE: [&str; 7] = [
    "#38bdf8", "#34d399", "#fbbf24", "#f472b6", "#a78bfa", "#fb923c", "#94a3b8",
];

/// One bar: where it is and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x0: f64,
    pub x1: f64,
    pub color: &'static str,
    pub title: String,
}

/// The x of `ms` on an axis from 0 to `end_ms`.
pub fn x_of(ms: u64, end_ms: u64) -> f64 {
    let t = ms.min(end_ms) as f64 / end_ms.max(1) as f64;
    LEFT + t * (RIGHT - LEFT)
}

/// The bars of one side; each node keeps its color across both lanes (by name, sorted).
pub fn bars(reigns: &[ReignBar], names: &[String], end_ms: u64) -> Vec<Bar> {
    reigns
        .iter()
        .map(|r| {
            let i = names.iter().position(|n| *n == r.node).unwrap_or(0);
            Bar {
                x0: x_of(r.from_ms, end_ms),
                x1: x_of(r.to_ms, end_ms).max(x_of(r.from_ms, end_ms) + 1.0),
                color: PALETTE[i % PALETTE.len()],
                title: format!(
                    "{} led term {} from {} to {} ms",
                    r.node, r.term, r.from_ms, r.to_ms
                ),
            }
        })
        .collect()
}

pub fn svg(a: &RunSummary, b: &RunSummary, end_ms: u64) -> String {
    let mut names: Vec<String> = a
        .executor_reigns
        .iter()
        .chain(&b.executor_reigns)
        .map(|r| r.node.clone())
        .collect();
    names.sort();
    names.dedup();
    let height = TOP + 2.0 * LANE_HEIGHT + 30.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"Executor leader over time, side A above side B\">\n"
    );
    for (i, (side, summary)) in [("A", a), ("B", b)].into_iter().enumerate() {
        let y = TOP + i as f64 * LANE_HEIGHT;
        s.push_str(&format!(
            "<text x=\"4\" y=\"{:.1}\" fill=\"#8d99b3\">{side}: leader</text>\n<rect x=\"{LEFT}\" y=\"{y:.1}\" width=\"{}\" height=\"{:.1}\" fill=\"#0b1120\" stroke=\"#33415f\"/>\n",
            y + 16.0,
            RIGHT - LEFT,
            LANE_HEIGHT - 6.0
        ));
        for bar in bars(&summary.executor_reigns, &names, end_ms) {
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}</title></rect>\n",
                bar.x0,
                y + 2.0,
                bar.x1 - bar.x0,
                LANE_HEIGHT - 10.0,
                bar.color,
                bar.title
            ));
        }
    }
    let axis_y = TOP + 2.0 * LANE_HEIGHT + 14.0;
    for k in 0..=4u64 {
        let ms = end_ms * k / 4;
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{axis_y:.1}\" fill=\"#8d99b3\" text-anchor=\"middle\">{:.1} s</text>\n",
            x_of(ms, end_ms),
            ms as f64 / 1_000.0
        ));
    }
    for (i, name) in names.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{}\">■ {name}</text>\n",
            LEFT + 110.0 * i as f64,
            axis_y + 16.0,
            PALETTE[i % PALETTE.len()]
        ));
    }
    s.push_str("</svg>\n");
    s
}
