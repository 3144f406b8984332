//! The little JSON the exports write (a trace, a results file): strings
//! escaped, numbers that JSON can hold. Written by hand because core has
//! no other use for a serialiser and the page should not carry one.

use std::fmt::Write;

/// `text` as a JSON string, quotes included.
pub fn json_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            control if control.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(control));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// A number as JSON writes it: `null` for what JSON cannot hold (NaN, ±∞).
pub fn json_number(number: f64) -> String {
    if number.is_finite() { format!("{number}") } else { "null".to_string() }
}
