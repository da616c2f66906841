use crate::time::SimTime;

/// The time average of a piecewise-constant signal (queue length, busy servers, rate).
///
/// `set` closes the interval since the previous change at the old value; the mean over
/// [start, t] is the integral divided by the elapsed time.
#[derive(Clone, Debug)]
pub struct TimeWeighted {
    start: SimTime,
    last_change: SimTime,
    value: f64,
    integral: f64,
    max: f64,
}

impl TimeWeighted {
    pub fn new(start: SimTime, initial: f64) -> Self {
        TimeWeighted {
            start,
            last_change: start,
            value: initial,
            integral: 0.0,
            max: initial,
        }
    }

    pub fn set(&mut self, now: SimTime, value: f64) {
        self.advance(now);
        self.value = value;
        self.max = self.max.max(value);
    }

    pub fn add(&mut self, now: SimTime, delta: f64) {
        let v = self.value + delta;
        self.set(now, v);
    }

    fn advance(&mut self, now: SimTime) {
        if now > self.last_change {
            self.integral += self.value * (now - self.last_change).as_secs_f64();
            self.last_change = now;
        }
    }

    pub fn value(&self) -> f64 {
        self.value
    }

    pub fn max(&self) -> f64 {
        self.max
    }

    /// Integral of the signal over [start, now] (value × seconds).
    pub fn integral(&self, now: SimTime) -> f64 {
        let tail = if now > self.last_change {
            self.value * (now - self.last_change).as_secs_f64()
        } else {
            0.0
        };
        self.integral + tail
    }

    /// Mean over [start, now]; the current value if no time has passed.
    pub fn mean(&self, now: SimTime) -> f64 {
        let span = (now - self.start).as_secs_f64();
        if span <= 0.0 {
            self.value
        } else {
            self.integral(now) / span
        }
    }

    /// Restarts the averaging window at `now`, keeping the current value (for warm-up).
    pub fn reset(&mut self, now: SimTime) {
        self.start = now;
        self.last_change = now;
        self.integral = 0.0;
        self.max = self.value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_a_step_signal() {
        let s = |x: f64| SimTime::from_secs_f64(x);
        let mut tw = TimeWeighted::new(s(0.0), 0.0);
        tw.set(s(1.0), 2.0); // 0 for 1 s
        tw.set(s(4.0), 1.0); // 2 for 3 s
                             // 1 for 1 s up to t = 5: integral 0 + 6 + 1 = 7 over 5 s
        assert!((tw.mean(s(5.0)) - 1.4).abs() < 1e-12);
        assert_eq!(tw.max(), 2.0);
    }
}
