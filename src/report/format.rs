//! Number formatting shared by charts, tables and (later) CSV/text writers.
//!
//! All functions are pure and locale-free: ASCII digits, `,` thousands separator, `.`
//! decimal point, ASCII `-`. Rust's `{:.N}` formatting is exact (round-half-even on the
//! true binary value), so the output is the same on every platform.

/// What non-finite values print as. A table cell must never read "NaN GB/s".
fn non_finite(x: f64) -> String {
    if x.is_nan() {
        "n/a".to_string()
    } else if x > 0.0 {
        "∞".to_string()
    } else {
        "-∞".to_string()
    }
}

/// Inserts `,` every three digits into a string of ASCII digits.
fn group_digits(digits: &str) -> String {
    let bytes = digits.as_bytes();
    let first = match bytes.len() % 3 {
        0 => 3.min(bytes.len()),
        r => r,
    };
    let (head, rest) = bytes.split_at(first);
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 3);
    out.push_str(std::str::from_utf8(head).unwrap_or(""));
    for group in rest.chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).unwrap_or(""));
    }
    out
}

/// `x` with exactly `decimals` digits after the point and thousands separators:
/// `fmt_fixed(-1234567.891, 2) == "-1,234,567.89"`.
pub fn fmt_fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return non_finite(x);
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    // "-0.00" reads as a bug in a table; a value that rounds to zero has no sign.
    let is_zero = s.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::new();
    if x < 0.0 && !is_zero {
        out.push('-');
    }
    out.push_str(&group_digits(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// An integer with thousands separators: `fmt_thousands(1234567) == "1,234,567"`.
pub fn fmt_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let g = group_digits(&digits);
    if n < 0 {
        format!("-{g}")
    } else {
        g
    }
}

/// Decimal exponent of the leading digit of `x` after rounding to `sig` significant
/// digits, so that 9.996 at 3 digits counts as 10.0 (exponent 1), not 9.99.
fn rounded_exponent(x: f64, sig: usize) -> i32 {
    let e = x.abs().log10().floor() as i32;
    let decimals = (sig as i32 - 1 - e).max(0) as usize;
    let rounded: f64 = if sig as i32 - 1 - e >= 0 {
        format!("{:.*}", decimals, x.abs())
            .parse()
            .unwrap_or(x.abs())
    } else {
        let unit = 10f64.powi(e + 1 - sig as i32);
        (x.abs() / unit).round() * unit
    };
    if rounded == 0.0 {
        e
    } else {
        rounded.log10().floor() as i32
    }
}

/// `x` rounded to `sig` significant digits (at least 1), trailing zeros kept so a column
/// of numbers has a fixed precision: `fmt_sig(40.0, 3) == "40.0"`,
/// `fmt_sig(123456.0, 3) == "123,000"`, `fmt_sig(0.012345, 3) == "0.0123"`.
pub fn fmt_sig(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return non_finite(x);
    }
    let sig = sig.max(1);
    if x == 0.0 {
        return "0".to_string();
    }
    let e = rounded_exponent(x, sig);
    let decimals = sig as i32 - 1 - e;
    if decimals >= 0 {
        fmt_fixed(x, decimals as usize)
    } else {
        let unit = 10f64.powi(-decimals);
        fmt_fixed((x / unit).round() * unit, 0)
    }
}

const SI_PREFIXES: [(i32, &str); 13] = [
    (-12, "p"),
    (-9, "n"),
    (-6, "µ"),
    (-3, "m"),
    (0, ""),
    (3, "k"),
    (6, "M"),
    (9, "G"),
    (12, "T"),
    (15, "P"),
    (18, "E"),
    (21, "Z"),
    (24, "Y"),
];

/// The SI prefix (as exponent of ten and symbol) for a magnitude, clamped to the table
/// and to `min_exp` (bytes have no milli-prefix worth printing).
pub(crate) fn si_prefix(magnitude: f64, min_exp: i32) -> (i32, &'static str) {
    let e = if magnitude > 0.0 && magnitude.is_finite() {
        (magnitude.log10().floor() as i32).div_euclid(3) * 3
    } else {
        0
    };
    let e = e.max(min_exp).clamp(-12, 24);
    let sym = SI_PREFIXES
        .iter()
        .find(|(p, _)| *p == e)
        .map(|(_, s)| *s)
        .unwrap_or("");
    (e, sym)
}

fn fmt_si_inner(x: f64, unit: &str, sig: usize, min_exp: i32) -> String {
    let sep = if unit.is_empty() { "" } else { " " };
    if !x.is_finite() {
        return format!("{}{sep}{unit}", non_finite(x));
    }
    if x == 0.0 {
        return format!("0{sep}{unit}");
    }
    let sig = sig.max(1);
    // Choose the prefix after rounding, so 999.96e9 prints as "1.00 T", not "1,000 G".
    let e10 = rounded_exponent(x, sig);
    let (e, sym) = si_prefix(10f64.powi(e10), min_exp);
    let mantissa = x / 10f64.powi(e);
    format!("{}{sep}{sym}{unit}", fmt_sig(mantissa, sig))
}

/// `x` with an SI prefix and 3 significant digits: `fmt_si(1.23e15, "B") == "1.23 PB"`,
/// `fmt_si(4e11, "B/s") == "400 GB/s"`, `fmt_si(0.0025, "s") == "2.50 ms"`.
pub fn fmt_si(x: f64, unit: &str) -> String {
    fmt_si_inner(x, unit, 3, -12)
}

/// [`fmt_si`] with a chosen number of significant digits.
pub fn fmt_si_sig(x: f64, unit: &str, sig: usize) -> String {
    fmt_si_inner(x, unit, sig, -12)
}

/// A byte count in decimal units (PB = 10^15 B, as in DESIGN.md §6): "40.0 PB".
/// Never uses sub-byte prefixes.
pub fn fmt_bytes(bytes: f64) -> String {
    fmt_si_inner(bytes, "B", 3, 0)
}

/// A byte rate: `fmt_bytes_per_s(4e11) == "400 GB/s"`.
pub fn fmt_bytes_per_s(bytes_per_s: f64) -> String {
    fmt_si_inner(bytes_per_s, "B/s", 3, 0)
}

/// A byte rate shown as network line rate, since NICs are sold in bits:
/// `fmt_bits_per_s(25e9) == "200 Gbps"`.
pub fn fmt_bits_per_s(bytes_per_s: f64) -> String {
    fmt_si_inner(bytes_per_s * 8.0, "bps", 3, 0)
}

/// A fraction as a percentage: `fmt_pct(0.875, 1) == "87.5%"`.
pub fn fmt_pct(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return non_finite(fraction);
    }
    format!("{}%", fmt_fixed(fraction * 100.0, decimals))
}

/// US dollars, whole, with separators: `fmt_usd(-1234567.4) == "-$1,234,567"`.
pub fn fmt_usd(x: f64) -> String {
    if !x.is_finite() {
        return non_finite(x);
    }
    let s = fmt_fixed(x, 0);
    match s.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${s}"),
    }
}

/// US dollars, short, 3 significant digits: `fmt_usd_short(12_345_678.0) == "$12.3M"`.
pub fn fmt_usd_short(x: f64) -> String {
    if !x.is_finite() {
        return non_finite(x);
    }
    let (scale, sym) = usd_scale(x.abs());
    let body = fmt_sig(x.abs() / scale, 3);
    // Rounding can push 999.9k to "1,000k"; go up one scale instead.
    let (body, sym) =
        if body.replace(',', "").parse::<f64>().unwrap_or(0.0) >= 1000.0 && scale < 1e12 {
            let (s2, y2) = usd_scale(scale * 1000.0);
            (fmt_sig(x.abs() / s2, 3), y2)
        } else {
            (body, sym)
        };
    let sign = if x < 0.0 && body != "0" { "-" } else { "" };
    format!("{sign}${body}{sym}")
}

/// Scale and suffix for money: thousands, millions, billions, trillions.
pub(crate) fn usd_scale(magnitude: f64) -> (f64, &'static str) {
    if magnitude >= 1e12 {
        (1e12, "T")
    } else if magnitude >= 1e9 {
        (1e9, "B")
    } else if magnitude >= 1e6 {
        (1e6, "M")
    } else if magnitude >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_and_thousands() {
        assert_eq!(fmt_fixed(-1234567.891, 2), "-1,234,567.89");
        assert_eq!(fmt_fixed(999.5, 0), "1,000");
        assert_eq!(fmt_fixed(-0.001, 2), "0.00");
        assert_eq!(fmt_fixed(12.0, 0), "12");
        assert_eq!(fmt_fixed(f64::NAN, 2), "n/a");
        assert_eq!(fmt_fixed(f64::NEG_INFINITY, 2), "-∞");
        assert_eq!(fmt_thousands(0), "0");
        assert_eq!(fmt_thousands(-1234567), "-1,234,567");
        assert_eq!(fmt_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(fmt_sig(40.0, 3), "40.0");
        assert_eq!(fmt_sig(123456.0, 3), "123,000");
        assert_eq!(fmt_sig(0.012345, 3), "0.0123");
        assert_eq!(fmt_sig(9.996, 3), "10.0");
        assert_eq!(fmt_sig(-9.996, 3), "-10.0");
        assert_eq!(fmt_sig(0.0, 3), "0");
        assert_eq!(fmt_sig(1.0, 1), "1");
    }

    #[test]
    fn si_prefixes() {
        assert_eq!(fmt_si(1.23e15, "B"), "1.23 PB");
        assert_eq!(fmt_si(4e11, "B/s"), "400 GB/s");
        assert_eq!(fmt_si(0.0025, "s"), "2.50 ms");
        assert_eq!(fmt_si(999.96e9, "B"), "1.00 TB");
        assert_eq!(fmt_si(-2.5e6, "W"), "-2.50 MW");
        assert_eq!(fmt_si(0.0, "W"), "0 W");
        assert_eq!(fmt_si(f64::NAN, "B"), "n/a B");
        assert_eq!(fmt_si(1500.0, ""), "1.50k");
        assert_eq!(fmt_si_sig(4.0e16, "B", 2), "40 PB");
        assert_eq!(fmt_bytes(40e15), "40.0 PB");
        assert_eq!(fmt_bytes(0.5), "0.500 B");
        assert_eq!(fmt_bytes_per_s(4e11), "400 GB/s");
        assert_eq!(fmt_bits_per_s(25e9), "200 Gbps");
        // Beyond the prefix table the mantissa grows rather than the output breaking.
        assert_eq!(fmt_si(1e27, "B"), "1,000 YB");
    }

    #[test]
    fn percent_and_money() {
        assert_eq!(fmt_pct(0.875, 1), "87.5%");
        assert_eq!(fmt_pct(1.0, 0), "100%");
        assert_eq!(fmt_usd(-1234567.4), "-$1,234,567");
        assert_eq!(fmt_usd(0.4), "$0");
        assert_eq!(fmt_usd_short(12_345_678.0), "$12.3M");
        assert_eq!(fmt_usd_short(999_950.0), "$1.00M");
        assert_eq!(fmt_usd_short(-512.0), "-$512");
    }
}
