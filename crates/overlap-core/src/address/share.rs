//! A share from 0 to 1 as it is typed: digits, then at most one dot and 1
//! to `decimals` digits (`0`, `1`, `0.25`, `00.5`), read exactly in units of
//! 10^-decimals. Not `.5`, `1.` or `5e-1`: what is typed is what is read.
//! The load test's `fail` and the dev server's `/api/work?fail=` read it
//! with this one rule (with 3 and 6 decimals).

/// The share in units of 10^-`decimals` (`parse_share("0.25", 3)` is 250),
/// or `None` when it is not one. `decimals` is at most 9.
pub fn parse_share(text: &str, decimals: usize) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let dotted = text.contains('.');
    if whole.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > decimals
        || (dotted && fraction.is_empty())
    {
        return None;
    }
    let unit = 10u64.checked_pow(u32::try_from(decimals).ok()?)?;
    let whole: u64 = whole.parse().ok()?;
    let fraction: u64 =
        if fraction.is_empty() { 0 } else { format!("{fraction:0<decimals$}").parse().ok()? };
    let units = whole.checked_mul(unit)?.checked_add(fraction)?;
    if units > unit { None } else { u32::try_from(units).ok() }
}

/// `0.25`: a share in units of 10^-`decimals`, as short as it reads back.
pub fn share_text(units: u32, decimals: usize) -> String {
    let unit = 10u32.pow(decimals as u32);
    let text = format!("{}.{:0width$}", units / unit, units % unit, width = decimals);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() { "0".to_string() } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_shares_as_typed() {
        let cases = [
            ("0", Some(0)),
            ("1", Some(1000)),
            ("0.25", Some(250)),
            ("00.5", Some(500)),
            ("1.000", Some(1000)),
            ("0.125", Some(125)),
            (".5", None),
            ("1.", None),
            ("1.001", None),
            ("0.1234", None),
            ("2", None),
            ("-0.1", None),
            ("5e-1", None),
            ("0.5.5", None),
            ("0,5", None),
            ("", None),
            (".", None),
            ("99999999999999999999999", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_share(text, 3), expected, "{text:?}");
        }
        assert_eq!(parse_share("0.000001", 6), Some(1));
        assert_eq!(parse_share("0.0000001", 6), None);
    }

    #[test]
    fn every_share_written_reads_back() {
        for units in 0..=1000 {
            assert_eq!(parse_share(&share_text(units, 3), 3), Some(units));
        }
        assert_eq!(share_text(250_000, 6), "0.25");
        assert_eq!(share_text(1_000_000, 6), "1");
    }
}
