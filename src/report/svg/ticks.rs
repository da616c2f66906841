//! "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, so a reader can
//! interpolate between gridlines in their head.

/// Tick positions for one axis. `lo`/`hi` are the axis ends (the first and last tick).
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    pub values: Vec<f64>,
    pub step: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The smallest 1-2-5 step that is at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    // The small slack keeps 0.2 / 0.1 = 2.0000000000000004 from jumping to 5.
    let m = if f <= 1.0 + 1e-9 {
        1.0
    } else if f <= 2.0 + 1e-9 {
        2.0
    } else if f <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// The 1-2-5 step nearest to `raw` on a log scale. For histogram bins, where rounding
/// up (as axes do) can halve the number of bins asked for.
pub fn nearest_nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let up = nice_step(raw);
    let candidates = [up, up / 2.0, up / 2.5, up / 5.0];
    candidates
        .into_iter()
        .filter(|c| nice_step(*c) == *c || (nice_step(*c) - c).abs() <= c * 1e-9)
        .min_by(|a, b| {
            let da = (a / raw).ln().abs();
            let db = (b / raw).ln().abs();
            da.total_cmp(&db)
        })
        .unwrap_or(up)
}

/// Ticks covering `[min, max]` with about `target` intervals (never more).
///
/// Degenerate input still gives a usable axis: a single value is padded around itself,
/// non-finite bounds fall back to `[0, 1]`.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let target = target.max(1) as f64;
    let (mut min, mut max) = if min.is_finite() && max.is_finite() {
        (min.min(max), min.max(max))
    } else {
        (0.0, 1.0)
    };
    if min == 0.0 && max == 0.0 {
        // All-zero data: show a positive unit axis with the zero line at the bottom.
        max = 1.0;
    } else if min == max {
        let pad = if min == 0.0 { 1.0 } else { min.abs() * 0.1 };
        min -= pad;
        max += pad;
    }
    let range = max - min;
    if !range.is_finite() {
        // Spans beyond f64 (±1e308): two ticks at the ends are the best we can honestly do.
        return Ticks {
            values: vec![min, max],
            step: f64::INFINITY,
            lo: min,
            hi: max,
        };
    }
    let step = nice_step(range / target);
    let lo_i = (min / step + 1e-9).floor();
    let hi_i = (max / step - 1e-9).ceil();
    let n = hi_i - lo_i;
    if !(n.is_finite() && (0.0..=1000.0).contains(&n)) || step == 0.0 {
        return Ticks {
            values: vec![min, max],
            step: range,
            lo: min,
            hi: max,
        };
    }
    let values: Vec<f64> = (0..=n as i64).map(|i| (lo_i + i as f64) * step).collect();
    let lo = values[0];
    let hi = *values.last().unwrap_or(&lo);
    Ticks {
        values,
        step,
        lo,
        hi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_five() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(130.0), 200.0);
        assert!((nice_step(0.00042) - 0.0005).abs() < 1e-15);
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
        assert_eq!(nearest_nice_step(2.5), 2.0);
        assert_eq!(nearest_nice_step(4.0), 5.0);
        assert_eq!(nearest_nice_step(7.5), 10.0);
        assert_eq!(nearest_nice_step(1.2), 1.0);
    }

    #[test]
    fn ticks_cover_range_with_nice_steps() {
        let t = nice_ticks(0.0, 437.0, 5);
        assert_eq!(t.values, vec![0.0, 100.0, 200.0, 300.0, 400.0, 500.0]);
        let t = nice_ticks(-3.2, 7.9, 5);
        assert_eq!(t.step, 5.0);
        assert_eq!((t.lo, t.hi), (-5.0, 10.0));
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t.values.len(), 6);
        assert!((t.values[3] - 0.6).abs() < 1e-12);
        // Exact multiples stay on the tick instead of adding a padding interval.
        let t = nice_ticks(0.3, 0.9, 6);
        assert!((t.lo - 0.3).abs() < 1e-12 && (t.hi - 0.9).abs() < 1e-12);
    }

    #[test]
    fn degenerate_ranges() {
        let t = nice_ticks(0.0, 0.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(400e9, 400e9, 5);
        assert!(t.lo <= 400e9 && t.hi > 400e9 && t.lo >= 0.0);
        let t = nice_ticks(-5.0, -5.0, 5);
        assert!(t.lo < -5.0 && t.hi >= -5.0);
        let t = nice_ticks(f64::NAN, 3.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(-1e308, 1e308, 5);
        assert_eq!(t.values.len(), 2);
        let t = nice_ticks(1e20, 1e20 + 1e5, 5);
        assert!(t.values.len() >= 2 && t.values.len() <= 7);
    }
}
