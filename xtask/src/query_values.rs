//! What the dev server's endpoints share in reading their queries: the
//! `key=value` parts, each key at most once, whole numbers within a range
//! written with digits only, and values echoed short, so that every
//! message is one line whatever was sent.

use std::ops::RangeInclusive;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` must be a whole number in {min}..={max}; got `{value}`")]
pub struct OutOfRange {
    pub key: &'static str,
    pub value: String,
    pub min: u64,
    pub max: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` is given more than once")]
pub struct Repeated {
    pub key: &'static str,
}

/// The query's parts in order, empty ones skipped; a key without `=` has
/// an empty value. Taken as sent: the endpoints' values are digits.
pub fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query.split('&').filter(|part| !part.is_empty()).map(|part| part.split_once('=').unwrap_or((part, "")))
}

/// Reads `key`'s value into `slot`, unless `key` was given before (then
/// the value is not read: the repeat is the problem said).
pub fn once<T, E: From<Repeated>>(
    slot: &mut Option<T>,
    key: &'static str,
    read: impl FnOnce() -> Result<T, E>,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(Repeated { key }.into());
    }
    *slot = Some(read()?);
    Ok(())
}

/// `value` as a whole number in `range`. Digits only: `+5`, ` 5` and `5.0`
/// are not whole numbers as typed.
pub fn whole_number(key: &'static str, value: &str, range: RangeInclusive<u64>) -> Result<u64, OutOfRange> {
    let number = value.bytes().all(|byte| byte.is_ascii_digit()).then(|| value.parse::<u64>().ok()).flatten();
    match number {
        Some(number) if range.contains(&number) => Ok(number),
        _ => Err(OutOfRange { key, value: truncate(value), min: *range.start(), max: *range.end() }),
    }
}

/// Echoed values are cut short and lose control characters.
pub fn truncate(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut cut: String = text.chars().take(MAX_CHARS).filter(|c| !c.is_control()).collect();
    if text.chars().count() > MAX_CHARS {
        cut.push('…');
    }
    cut
}

/// For the endpoints' property tests: queries of `keys` (and other keys)
/// with digits, near-digits, `reset` and long text, and the check that a
/// refusal is one short line.
#[cfg(test)]
pub mod any_query {
    use proptest::prelude::*;

    pub fn queries(keys: Vec<&'static str>) -> impl Strategy<Value = String> {
        let key = prop_oneof![proptest::sample::select(keys).prop_map(str::to_string), ".{0,6}"];
        let value = prop_oneof!["[0-9]{0,25}", "[0-9.+-]{0,8}", "reset", ".{0,300}"];
        proptest::collection::vec((key, value), 0..6).prop_map(|pairs| {
            pairs.iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>().join("&")
        })
    }

    /// A refusal the server sends as its 400's one line.
    pub fn check_refusal(message: &str) -> Result<(), TestCaseError> {
        prop_assert!(!message.contains('\n'), "{message}");
        prop_assert!(message.chars().count() < 200, "{message}");
        Ok(())
    }
}
