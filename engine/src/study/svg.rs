//! Writes a [`CdfPlot`] as a self-contained SVG (no scripts, no external fonts or styles):
//! the CLI saves it to a file and the page shows the same markup.

use super::plot::{CdfPlot, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH};

/// `notes` are printed under the plot (the network and disk the study assumed).
pub fn write(plot: &CdfPlot, notes: &[String]) -> String {
    let height = HEIGHT + 18.0 * notes.len() as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\" \
         role=\"img\" aria-label=\"Cumulative distribution of election downtime per election-timeout range\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    );
    axes(&mut s, plot);
    // A range whose every trial was cut has no step to draw; the legend still lists it.
    for series in plot.series.iter().filter(|s| !s.points.is_empty()) {
        let pts: Vec<String> = series
            .points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"><title>{}</title></polyline>\n",
            series.color,
            pts.join(" "),
            escape(&series.label)
        ));
    }
    legend(&mut s, plot);
    for (i, note) in notes.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"{:.1}\" fill=\"#333\">{}</text>\n",
            HEIGHT + 4.0 + 18.0 * i as f64,
            escape(note)
        ));
    }
    s.push_str("</svg>\n");
    s
}

fn axes(s: &mut String, plot: &CdfPlot) {
    s.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n",
        RIGHT - LEFT,
        BOTTOM - TOP
    ));
    for t in &plot.x_ticks {
        s.push_str(&format!(
            "<line x1=\"{0:.1}\" y1=\"{TOP}\" x2=\"{0:.1}\" y2=\"{BOTTOM}\" stroke=\"#ddd\"/>\
             <text x=\"{0:.1}\" y=\"{1}\" text-anchor=\"middle\">{2}</text>\n",
            t.pos,
            BOTTOM + 16.0,
            escape(&t.label)
        ));
    }
    for t in &plot.y_ticks {
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{0:.1}\" x2=\"{RIGHT}\" y2=\"{0:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{3}</text>\n",
            t.pos,
            LEFT - 6.0,
            t.pos + 4.0,
            escape(&t.label)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">time without a leader after the crash (log scale)</text>\n\
         <text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">cumulative % of trials</text>\n",
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 36.0,
        (TOP + BOTTOM) / 2.0
    ));
}

fn legend(s: &mut String, plot: &CdfPlot) {
    let x = RIGHT + 16.0;
    s.push_str(&format!(
        "<text x=\"{x}\" y=\"{TOP}\" font-weight=\"bold\">election timeout</text>\n"
    ));
    for (i, series) in plot.series.iter().enumerate() {
        let y = TOP + 20.0 + 18.0 * i as f64;
        let censored = if series.censored > 0 {
            format!(" ({} cut)", series.censored)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"{2}\" stroke-width=\"3\"/>\
             <text x=\"{3}\" y=\"{4:.1}\">{5}{6}</text>\n",
            y - 4.0,
            x + 18.0,
            series.color,
            x + 24.0,
            y,
            escape(&series.label),
            censored
        ));
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
