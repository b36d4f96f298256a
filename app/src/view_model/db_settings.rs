//! The "Database & payment" settings, as plain Rust: the books database's size and who leads
//! it, where the storefront reads stock from, and the payment decline rate per card brand —
//! text fields turned into engine inputs (`Action::StockReads`, `Action::DeclineRate`), with a
//! message naming the field when the text is not a rate.
use engine::services::stock_reader::StockReads;
use engine::sim::Liveness;
use engine::snapshot::NodeSnap;
use engine::system::inputs::Action;
use engine::system::live::LiveSettings;
use engine::view::NodeView;

/// The brands the page offers a field for (the keys are the payment service's), then the rate
/// for every other brand.
pub const BRANDS: [(Option<&str>, &str); 4] = [
    (Some("visa"), "Visa"),
    (Some("mastercard"), "Mastercard"),
    (Some("americanexpress"), "American Express"),
    (None, "Other brands"),
];

/// The read switch's choices, with words for people.
pub fn read_mode_label(mode: StockReads) -> &'static str {
    match mode {
        StockReads::Off => "Off",
        StockReads::Primary => "Strong (primary)",
        StockReads::Replicas => "Round-robin replicas",
    }
}

/// What the database section's first line says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbSummary {
    pub replicas: usize,
    pub up: usize,
    pub primary: Option<String>,
}

impl DbSummary {
    pub fn of(nodes: &[NodeSnap]) -> Self {
        let db: Vec<&NodeSnap> = nodes.iter().filter(|n| n.service == "books-db").collect();
        let up = db.iter().filter(|n| n.liveness == Liveness::Up).count();
        // The leader of the highest term, as in the stock table.
        let primary = db
            .iter()
            .filter_map(|n| match &n.view {
                NodeView::BooksDb(d)
                    if d.standing == engine::view::Standing::Leader
                        && n.liveness == Liveness::Up =>
                {
                    Some((d.term, n.name.clone()))
                }
                _ => None,
            })
            .max_by_key(|(term, _)| *term)
            .map(|(_, name)| name);
        Self {
            replicas: db.len(),
            up,
            primary,
        }
    }

    pub fn text(&self) -> String {
        let size = format!(
            "{} replica{}",
            self.replicas,
            if self.replicas == 1 { "" } else { "s" }
        );
        let up = match self.replicas - self.up.min(self.replicas) {
            0 => String::new(),
            down => format!(" ({down} down)"),
        };
        let primary = match &self.primary {
            Some(p) => format!(" · primary {p}"),
            None => " · no primary right now".to_string(),
        };
        format!("{size}{up}{primary}")
    }
}

/// A rate as the page writes it: percent with at most one decimal.
pub fn percent_text(rate: f64) -> String {
    let p = (rate * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// The decline-rate fields' contents, in `BRANDS` order, from the settings in force.
pub fn decline_texts(live: &LiveSettings) -> Vec<String> {
    BRANDS
        .iter()
        .map(|(brand, _)| match brand {
            Some(b) => percent_text(live.decline_rate_of(b)),
            None => percent_text(live.decline_rate),
        })
        .collect()
}

/// Reads "12.5" or "12.5 %" as 0.125; the message names the brand.
pub fn parse_percent(label: &str, text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    let shown: String = text.trim().chars().take(20).collect();
    let p: f64 = t
        .parse()
        .map_err(|_| format!("{label}: {shown:?} is not a percentage"))?;
    if !(0.0..=100.0).contains(&p) {
        return Err(format!("{label}: a decline rate is 0–100 %, not {shown}"));
    }
    Ok(p / 100.0)
}

/// The inputs that change the rates edited in `texts` (fields left as they are change
/// nothing). All fields are checked before any input is made: one bad field sends none.
pub fn decline_actions(live: &LiveSettings, texts: &[String]) -> Result<Vec<Action>, String> {
    let current = decline_texts(live);
    let mut out = Vec::new();
    for (((brand, label), text), now) in BRANDS.iter().zip(texts).zip(&current) {
        if text.trim() == now {
            continue;
        }
        let rate = parse_percent(label, text)?;
        out.push(Action::DeclineRate {
            brand: brand.map(str::to_string),
            rate,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::system::config::ClusterConfig;

    fn live() -> LiveSettings {
        let mut c = ClusterConfig::default();
        c.decline_rates.insert("americanexpress".into(), 0.2);
        LiveSettings::of(&c)
    }

    #[test]
    fn the_fields_show_each_brands_rate_in_force_in_percent() {
        assert_eq!(decline_texts(&live()), ["5", "5", "20", "5"]);
        assert_eq!(percent_text(0.125), "12.5");
    }

    #[test]
    fn only_edited_fields_become_inputs() {
        let mut texts = decline_texts(&live());
        texts[0] = " 50 % ".into();
        texts[3] = "0".into();
        assert_eq!(
            decline_actions(&live(), &texts),
            Ok(vec![
                Action::DeclineRate {
                    brand: Some("visa".into()),
                    rate: 0.5
                },
                Action::DeclineRate {
                    brand: None,
                    rate: 0.0
                },
            ])
        );
        assert_eq!(
            decline_actions(&live(), &decline_texts(&live())),
            Ok(vec![])
        );
    }

    #[test]
    fn a_rate_outside_0_to_100_or_not_a_number_is_refused_by_name() {
        let mut texts = decline_texts(&live());
        texts[1] = "120".into();
        let err = decline_actions(&live(), &texts).expect_err("refused");
        assert!(
            err.starts_with("Mastercard: a decline rate is 0–100 %"),
            "{err}"
        );
        texts[1] = "lots".into();
        let err = decline_actions(&live(), &texts).expect_err("refused");
        assert_eq!(err, "Mastercard: \"lots\" is not a percentage");
        texts[1] = "NaN".into();
        assert!(decline_actions(&live(), &texts).is_err());
    }
}
