//! What the control bar edits: play/pause, speed and seed, in one plain struct held by a
//! single signal. One-shot actions (step, restart) are not state; they travel as
//! [`SimCommand`]s to whoever drives the simulation.
use super::seed::DEFAULT_SEED;
use super::speed::Speed;

/// The user's intent for the run. The driver reads it every animation frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Controls {
    pub playing: bool,
    pub speed: Speed,
    /// Root seed of the run: same seed, same run.
    pub seed: u64,
}

/// One-shot actions from the control bar for the simulation driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimCommand {
    /// Advance the paused run by one step.
    Step,
    /// Start the run again from virtual time zero with the current seed.
    Restart,
}

impl Default for Controls {
    fn default() -> Self {
        Controls {
            playing: false,
            speed: Speed::NORMAL,
            seed: DEFAULT_SEED,
        }
    }
}

impl Controls {
    pub fn toggle_play(&mut self) {
        self.playing = !self.playing;
    }

    /// Stepping is a paused activity: a step while playing would be lost among frames.
    pub fn step(&mut self) -> SimCommand {
        self.playing = false;
        SimCommand::Step
    }

    /// A different seed is a different run, so changing it asks for a restart;
    /// re-entering the same seed changes nothing.
    pub fn set_seed(&mut self, seed: u64) -> Option<SimCommand> {
        if seed == self.seed {
            return None;
        }
        self.seed = seed;
        Some(SimCommand::Restart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_page_starts_paused_at_real_time_speed() {
        let controls = Controls::default();
        assert!(!controls.playing);
        assert_eq!(controls.speed, Speed::NORMAL);
        assert_eq!(controls.seed, DEFAULT_SEED);
    }

    #[test]
    fn toggling_twice_returns_to_paused() {
        let mut controls = Controls::default();
        controls.toggle_play();
        assert!(controls.playing);
        controls.toggle_play();
        assert!(!controls.playing);
    }

    #[test]
    fn stepping_pauses_a_playing_run() {
        let mut controls = Controls {
            playing: true,
            ..Controls::default()
        };
        assert_eq!(controls.step(), SimCommand::Step);
        assert!(!controls.playing);
    }

    #[test]
    fn a_new_seed_restarts_the_run_but_the_same_seed_does_not() {
        let mut controls = Controls::default();
        assert_eq!(controls.set_seed(DEFAULT_SEED), None);
        assert_eq!(controls.set_seed(7), Some(SimCommand::Restart));
        assert_eq!(controls.seed, 7);
    }
}
