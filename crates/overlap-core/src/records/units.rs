//! How the page writes measured quantities.

/// `0.42 ms`, `12.3 ms`, `456 ms`, `1.23 s`, `12.3 s`.
pub fn format_ms(ms: f64) -> String {
    let magnitude = ms.abs();
    if magnitude >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if magnitude >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if magnitude >= 100.0 {
        format!("{ms:.0} ms")
    } else if magnitude >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// `1.96x`.
pub fn format_ratio(ratio: f64) -> String {
    format!("{ratio:.2}x")
}

/// `100,000`: a count with thousands separated, as both languages write it.
pub fn format_count(count: usize) -> String {
    format_whole(i64::try_from(count).unwrap_or(i64::MAX))
}

/// `-1,304`: a whole number with its sign and thousands separated, the
/// same on every target (`usize` is 32 bits in wasm).
pub fn format_whole(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `87%`.
pub fn format_percent(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_a_readable_unit() {
        let rendered: Vec<String> =
            [0.4234, 12.34, 456.4, 1234.0, 12_345.0, -3.0].iter().map(|ms| format_ms(*ms)).collect();
        assert_eq!(rendered, ["0.42 ms", "12.3 ms", "456 ms", "1.23 s", "12.3 s", "-3.00 ms"]);
        assert_eq!(format_ratio(1.956), "1.96x");
        assert_eq!(format_percent(0.874), "87%");
        let counts: Vec<String> =
            [0, 999, 1000, 10_000, 1_234_567].iter().map(|n| format_count(*n)).collect();
        assert_eq!(counts, ["0", "999", "1,000", "10,000", "1,234,567"]);
        let wholes: Vec<String> =
            [0, -13, 4_000_000, -1_000_000_000_000].iter().map(|n| format_whole(*n)).collect();
        assert_eq!(wholes, ["0", "-13", "4,000,000", "-1,000,000,000,000"]);
    }
}
