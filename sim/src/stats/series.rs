use crate::time::{SimDuration, SimTime};

/// A fixed-interval time series of a piecewise-constant signal: point k holds the time
/// average of the signal over [k·interval, (k+1)·interval). Averages rather than samples,
/// so a burst shorter than the interval still shows in the plot.
#[derive(Clone, Debug)]
pub struct IntervalSeries {
    interval: SimDuration,
    value: f64,
    last: SimTime,
    /// integral of the signal within each closed or open bucket, value × seconds
    buckets: Vec<f64>,
}

impl IntervalSeries {
    /// A series starting at time zero with the signal at `initial`.
    ///
    /// # Panics
    /// If `interval` is zero: a caller bug, not an input error (callers validate intervals).
    pub fn new(interval: SimDuration, initial: f64) -> Self {
        assert!(
            interval.as_nanos() > 0,
            "IntervalSeries interval must be positive"
        );
        IntervalSeries {
            interval,
            value: initial,
            last: SimTime::ZERO,
            buckets: Vec::new(),
        }
    }

    pub fn interval(&self) -> SimDuration {
        self.interval
    }

    /// The signal changes to `value` at `now`.
    pub fn set(&mut self, now: SimTime, value: f64) {
        self.advance(now);
        self.value = value;
    }

    pub fn value(&self) -> f64 {
        self.value
    }

    fn advance(&mut self, now: SimTime) {
        let iv = self.interval.as_nanos();
        while self.last < now {
            let k = self.last.as_nanos() / iv;
            let bucket_end = SimTime((k + 1).saturating_mul(iv));
            let until = bucket_end.min(now);
            let k = k as usize;
            if self.buckets.len() <= k {
                self.buckets.resize(k + 1, 0.0);
            }
            self.buckets[k] += self.value * (until - self.last).as_secs_f64();
            self.last = until;
        }
    }

    /// Closes the series at `end` and returns (bucket start time, mean value) for every
    /// bucket that starts before `end`; the last bucket may be partial and is averaged
    /// over its covered part only.
    pub fn points(&mut self, end: SimTime) -> Vec<(SimTime, f64)> {
        self.advance(end);
        let iv = self.interval.as_nanos();
        self.buckets
            .iter()
            .enumerate()
            .filter_map(|(k, &integral)| {
                let start = SimTime(k as u64 * iv);
                if start >= end {
                    return None;
                }
                let covered = (end.min(SimTime(start.0 + iv)) - start).as_secs_f64();
                Some((start, integral / covered))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_inside_one_interval_is_averaged_into_it() {
        let mut s = IntervalSeries::new(SimDuration::from_secs(10), 0.0);
        s.set(SimTime::from_secs_f64(12.0), 5.0);
        s.set(SimTime::from_secs_f64(14.0), 0.0); // 5 for 2 s within [10, 20)
        s.set(SimTime::from_secs_f64(25.0), 1.0);
        let pts = s.points(SimTime::from_secs_f64(30.0));
        assert_eq!(pts.len(), 3);
        assert_eq!(pts[0].1, 0.0);
        assert!((pts[1].1 - 1.0).abs() < 1e-12);
        assert!((pts[2].1 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn partial_last_bucket_is_averaged_over_its_covered_part() {
        let mut s = IntervalSeries::new(SimDuration::from_secs(10), 2.0);
        let pts = s.points(SimTime::from_secs_f64(15.0));
        assert_eq!(pts.len(), 2);
        assert!((pts[1].1 - 2.0).abs() < 1e-12);
    }
}
