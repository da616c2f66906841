//! A one-line progress bar on stderr (`indicatif`), drawn only when stderr is a terminal,
//! so pipes, files and CI logs stay byte-for-byte deterministic.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Progress of one long step, in whole percent.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar labelled `label`; hidden when `quiet` or when stderr is not a terminal.
    pub fn new(label: &str, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(100), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos:>3}% {elapsed}")
                .expect("a valid template")
                .progress_chars("#>-"),
        );
        bar.set_message(label.to_string());
        Progress { bar: Some(bar) }
    }

    /// Fraction done in [0, 1].
    pub fn set(&mut self, fraction: f64) {
        if let Some(b) = &self.bar {
            b.set_position((fraction.clamp(0.0, 1.0) * 100.0) as u64);
        }
    }

    /// Leaves the finished bar on its line.
    pub fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish();
        }
    }
}
