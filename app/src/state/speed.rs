//! Playback speed: how many microseconds of virtual time pass per microsecond of wall time.
//! Stored as an integer permille so that converting wall time to virtual time never needs a
//! float (the engine's virtual time is integer microseconds).

/// A playback speed chosen from [`Speed::CHOICES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speed {
    permille: u32,
}

impl Speed {
    pub const NORMAL: Speed = Speed { permille: 1_000 };

    /// The speeds offered by the Speed select, slowest first.
    pub const CHOICES: [Speed; 7] = [
        Speed { permille: 250 },
        Speed { permille: 500 },
        Speed::NORMAL,
        Speed { permille: 2_000 },
        Speed { permille: 5_000 },
        Speed { permille: 10_000 },
        Speed { permille: 50_000 },
    ];

    /// Virtual microseconds per 1000 wall microseconds.
    pub fn permille(self) -> u32 {
        self.permille
    }

    /// The `<option value>` for this speed, e.g. "0.25", "1", "50".
    pub fn option_value(self) -> String {
        let whole = self.permille / 1_000;
        let fraction = self.permille % 1_000;
        if fraction == 0 {
            return whole.to_string();
        }
        let digits = format!("{fraction:03}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }

    /// What the user reads, e.g. "0.25×".
    pub fn label(self) -> String {
        format!("{}×", self.option_value())
    }

    /// Parses an `<option value>` back; only the offered choices are accepted.
    pub fn from_option_value(value: &str) -> Result<Speed, String> {
        Speed::CHOICES
            .into_iter()
            .find(|speed| speed.option_value() == value.trim())
            .ok_or_else(|| format!("unknown speed {value:?}; choose one of the listed speeds"))
    }
}

impl Default for Speed {
    fn default() -> Self {
        Speed::NORMAL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offered_speeds_read_like_the_select_labels() {
        let labels: Vec<String> = Speed::CHOICES.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["0.25×", "0.5×", "1×", "2×", "5×", "10×", "50×"]);
    }

    #[test]
    fn every_option_value_parses_back_to_its_speed() {
        for speed in Speed::CHOICES {
            assert_eq!(Speed::from_option_value(&speed.option_value()), Ok(speed));
        }
    }

    #[test]
    fn a_speed_that_is_not_offered_is_rejected_with_a_message() {
        let error = Speed::from_option_value("3").unwrap_err();
        assert!(error.contains("unknown speed"), "{error}");
        assert!(Speed::from_option_value("fast").is_err());
    }

    #[test]
    fn the_default_speed_is_real_time() {
        assert_eq!(Speed::default().permille(), 1_000);
    }
}
