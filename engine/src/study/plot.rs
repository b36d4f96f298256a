//! The CDF plot's layout in plain numbers — frame, ticks, one step line per range, legend —
//! so the CLI's SVG file and the page draw the same picture and the layout is tested natively.
//! The x axis is logarithmic (whole decades of milliseconds), as in the paper's Figure 16: the
//! interesting differences are between 150 ms and 10 s. `libm` does the logarithms so the
//! coordinates are the same bits natively and in wasm.

use super::summary::RangeSummary;
use crate::sim::Micros;

pub const WIDTH: f64 = 760.0;
pub const HEIGHT: f64 = 420.0;
/// Plot area inside the canvas (room for tick labels on the left and below, legend right).
pub const LEFT: f64 = 60.0;
pub const TOP: f64 = 20.0;
pub const RIGHT: f64 = 600.0;
pub const BOTTOM: f64 = 370.0;

/// Distinct on white, one per range (cycled past twelve).
const PALETTE: [&str; 12] = [
    "#d62728", "#ff7f0e", "#bcbd22", "#2ca02c", "#17becf", "#1f77b4", "#9467bd", "#e377c2",
    "#8c564b", "#7f7f7f", "#393b79", "#637939",
];

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub pos: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub color: &'static str,
    /// Canvas coordinates of the step line, left to right.
    pub points: Vec<(f64, f64)>,
    /// Trials that never elected within the cap (the line ends below 100 %).
    pub censored: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CdfPlot {
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub series: Vec<Series>,
    /// Lowest and highest decade drawn, in ms (powers of ten).
    pub x_min_ms: u64,
    pub x_max_ms: u64,
}

/// The smallest power of ten ≥ `ms` (≥ 1).
fn decade_above(ms: u64) -> u64 {
    let mut d = 1;
    while d < ms {
        d *= 10;
    }
    d
}

/// The largest power of ten ≤ `ms` (≥ 1).
fn decade_below(ms: u64) -> u64 {
    let mut d = 1;
    while d * 10 <= ms {
        d *= 10;
    }
    d
}

pub fn layout(summaries: &[RangeSummary]) -> CdfPlot {
    let all = summaries.iter().flat_map(|s| s.sorted_us.iter().copied());
    let lo_us = all.clone().min().unwrap_or(100_000);
    let hi_us = all.max().unwrap_or(1_000_000);
    let x_min_ms = decade_below((lo_us / 1_000).max(1));
    let x_max_ms = decade_above((hi_us.div_ceil(1_000)).max(x_min_ms * 10));
    let scale = XScale::new(x_min_ms, x_max_ms);
    let mut x_ticks = Vec::new();
    let mut d = x_min_ms;
    while d <= x_max_ms {
        x_ticks.push(Tick {
            pos: scale.x(d * 1_000),
            label: if d >= 1_000 {
                format!("{} s", d / 1_000)
            } else {
                format!("{d} ms")
            },
        });
        d *= 10;
    }
    let y_ticks = (0..=4)
        .map(|i| Tick {
            pos: y_of_ppm(i * 250_000),
            label: format!("{}%", i * 25),
        })
        .collect();
    let series = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| Series {
            label: format!("{} ms", s.range.label()),
            color: PALETTE[i % PALETTE.len()],
            points: steps(&scale, s),
            censored: s.censored,
        })
        .collect();
    CdfPlot {
        x_ticks,
        y_ticks,
        series,
        x_min_ms,
        x_max_ms,
    }
}

struct XScale {
    log_lo: f64,
    log_hi: f64,
}

impl XScale {
    fn new(lo_ms: u64, hi_ms: u64) -> Self {
        Self {
            log_lo: libm::log10(lo_ms as f64),
            log_hi: libm::log10(hi_ms as f64),
        }
    }

    fn x(&self, us: Micros) -> f64 {
        let ms = (us as f64 / 1_000.0).max(1e-3);
        let t = (libm::log10(ms) - self.log_lo) / (self.log_hi - self.log_lo);
        LEFT + t.clamp(0.0, 1.0) * (RIGHT - LEFT)
    }
}

fn y_of_ppm(ppm: u64) -> f64 {
    BOTTOM - (ppm as f64 / 1_000_000.0) * (BOTTOM - TOP)
}

/// The empirical CDF as a staircase: up at each downtime, flat between.
fn steps(scale: &XScale, s: &RangeSummary) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(2 * s.sorted_us.len() + 1);
    let mut last_ppm = 0;
    for (us, ppm) in s.cdf_ppm() {
        let x = scale.x(us);
        points.push((x, y_of_ppm(last_ppm)));
        points.push((x, y_of_ppm(ppm)));
        last_ppm = ppm;
    }
    if let Some((x, y)) = points.last().copied() {
        // Carry the final level to the right edge, so a range that reached 100 % reads so.
        if x < RIGHT {
            points.push((RIGHT, y));
        }
    }
    points
}
