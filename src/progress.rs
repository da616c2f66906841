//! A one-line progress indicator on stderr, shown only when stderr is a terminal, so
//! pipes, files and CI logs stay clean.

use std::io::{IsTerminal, Write};

pub struct Progress {
    label: String,
    shown: bool,
    last: i32,
}

impl Progress {
    pub fn new(label: &str, quiet: bool) -> Self {
        Progress {
            label: label.to_string(),
            shown: !quiet && std::io::stderr().is_terminal(),
            last: -1,
        }
    }

    /// Fraction done in [0, 1].
    pub fn set(&mut self, fraction: f64) {
        let pct = (fraction.clamp(0.0, 1.0) * 100.0) as i32;
        if self.shown && pct != self.last {
            self.last = pct;
            let width = 30;
            let filled = (pct as usize * width) / 100;
            let mut e = std::io::stderr().lock();
            let _ = write!(
                e,
                "\r{} [{}{}] {pct:3}%",
                self.label,
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            let _ = e.flush();
        }
    }

    pub fn finish(&mut self) {
        if self.shown {
            let _ = writeln!(std::io::stderr());
        }
    }
}
