//! What could not be used in an address or a form field, as data, with its
//! message in either language; and the helpers every experiment's codec
//! reads its values with, so that every bad value is told the same way.

use std::ops::RangeInclusive;

use crate::address::query_value::QueryValue;
use crate::lang::{Lang, Said, Words};

/// What a key's value must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// One of these texts.
    OneOf(Vec<&'static str>),
    WholeNumber {
        min: u32,
        max: u32,
    },
    /// `1` or `0`.
    OneOrZero,
    /// Nothing: `owner` (say, a workload) has no such parameter.
    LeftOut {
        owner: &'static str,
    },
    /// A rule that takes a sentence to say, with the key in it ("each step
    /// of schedule must name a thread that can move; step 4 …").
    Rule(Said),
}

impl Expected {
    /// "size must be a whole number from 1 to 64", as a clause.
    fn requirement(&self, key: &str, lang: Lang) -> String {
        let quoted = |texts: &[&str]| texts.iter().map(|text| format!("`{text}`")).collect::<Vec<_>>();
        match (self, lang) {
            (Expected::OneOf(texts), Lang::En) => {
                format!("{key} must be one of {}", quoted(texts).join(", "))
            }
            (Expected::OneOf(texts), Lang::ZhCn) => {
                format!("`{key}` 应为以下之一：{}", quoted(texts).join("、"))
            }
            (Expected::WholeNumber { min, max }, Lang::En) => {
                format!("{key} must be a whole number from {min} to {max}")
            }
            (Expected::WholeNumber { min, max }, Lang::ZhCn) => {
                format!("`{key}` 应为 {min} 到 {max} 之间的整数")
            }
            (Expected::OneOrZero, Lang::En) => format!("{key} must be `1` or `0`"),
            (Expected::OneOrZero, Lang::ZhCn) => format!("`{key}` 应为 `1` 或 `0`"),
            (Expected::LeftOut { owner }, Lang::En) => {
                format!("{key} must be left out: {owner} has no {key}")
            }
            (Expected::LeftOut { owner }, Lang::ZhCn) => format!("`{owner}` 没有 `{key}` 参数，应省略"),
            (Expected::Rule(rule), lang) => rule.get(lang).to_string(),
        }
    }
}

/// What the page uses instead of a bad value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Used {
    /// A value of the key, shown as `key=value`.
    Value(String),
    /// A default that is no value of the key ("every pool thread").
    Described(Words),
}

/// Something in the query string that was not used as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryProblem {
    #[error("{}", self.message(Lang::En))]
    BadValue { key: &'static str, value: String, expected: Expected, used: Used },
    #[error("{}", self.message(Lang::En))]
    Repeated { key: &'static str, used: String },
    #[error("{}", self.message(Lang::En))]
    Unknown { key: String, known: Vec<&'static str> },
}

impl QueryProblem {
    /// The parameter this problem concerns, so the page can show it next to
    /// the matching control.
    pub fn key(&self) -> &str {
        match self {
            QueryProblem::BadValue { key, .. } | QueryProblem::Repeated { key, .. } => key,
            QueryProblem::Unknown { key, .. } => key,
        }
    }

    /// The message for the address: what was wrong and what is used instead.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (QueryProblem::BadValue { key, value, expected, used }, Lang::En) => format!(
                "`{key}={value}` is not valid: {}. Using {} instead.",
                expected.requirement(key, lang),
                used_text(key, used, lang)
            ),
            (QueryProblem::BadValue { key, value, expected, used }, Lang::ZhCn) => format!(
                "`{key}={value}` 无效：{}。{}。",
                expected.requirement(key, lang),
                used_text(key, used, lang)
            ),
            (QueryProblem::Repeated { key, used }, Lang::En) => {
                format!("`{key}` is given more than once; the first value, `{used}`, is used.")
            }
            (QueryProblem::Repeated { key, used }, Lang::ZhCn) => {
                format!("`{key}` 出现了不止一次；使用第一个值 `{used}`。")
            }
            (QueryProblem::Unknown { key, known }, Lang::En) => format!(
                "`{key}` is not a parameter of this page and is ignored (known: {}).",
                known.join(", ")
            ),
            (QueryProblem::Unknown { key, known }, Lang::ZhCn) => {
                let known: Vec<String> = known.iter().map(|key| format!("`{key}`")).collect();
                format!("`{key}` 不是本页的参数，已忽略（可用参数：{}）。", known.join("、"))
            }
        }
    }

    /// The message for a form field, where the value typed stays in the
    /// field and the page keeps the last good value.
    pub fn field_message(&self, lang: Lang) -> String {
        match self {
            QueryProblem::BadValue { key, expected, .. } => expected.requirement(key, lang),
            other => other.message(lang),
        }
    }
}

/// What is used instead: the English sentence says "Using … instead" around it.
fn used_text(key: &str, used: &Used, lang: Lang) -> String {
    match (used, lang) {
        (Used::Value(value), Lang::En) => format!("`{key}={value}`"),
        (Used::Value(value), Lang::ZhCn) => format!("改用 `{key}={value}`"),
        (Used::Described(words), Lang::En) => words.en.to_string(),
        (Used::Described(words), Lang::ZhCn) => format!("改为{}", words.zh),
    }
}

/// The value `value` names, or the problem, saying that `used` is used instead.
pub fn choice<T: QueryValue>(key: &'static str, value: &str, used: T) -> Result<T, QueryProblem> {
    T::from_text(value).ok_or_else(|| QueryProblem::BadValue {
        key,
        value: value.to_string(),
        expected: Expected::OneOf(T::texts()),
        used: Used::Value(used.text().to_string()),
    })
}

/// A whole number in `range`, written with digits only; else the problem,
/// saying that `used` is used instead.
pub fn number_in(
    key: &'static str,
    value: &str,
    range: RangeInclusive<u32>,
    used: Used,
) -> Result<u32, QueryProblem> {
    value
        .parse::<u32>()
        .ok()
        .filter(|number| range.contains(number) && value.bytes().all(|byte| byte.is_ascii_digit()))
        .ok_or_else(|| QueryProblem::BadValue {
            key,
            value: value.to_string(),
            expected: Expected::WholeNumber { min: *range.start(), max: *range.end() },
            used,
        })
}

/// `Used::Value` of a number: what most bad numbers fall back to.
pub fn used_number(number: u32) -> Used {
    Used::Value(number.to_string())
}

/// `1` or `0`.
pub fn flag(key: &'static str, value: &str) -> Result<bool, QueryProblem> {
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(QueryProblem::BadValue {
            key,
            value: value.to_string(),
            expected: Expected::OneOrZero,
            used: Used::Value("0".to_string()),
        }),
    }
}
