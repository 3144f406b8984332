//! The page's state as it lives in the query string of the one page
//! (`?exp=...&...`): static hosts cannot rewrite paths, so there are no path
//! routes. This is the only place that reads or writes that query string.
//!
//! Decoding never fails: a bad value falls back to its default and yields a
//! `QueryProblem` that the page shows next to what it concerns, keeping the
//! value the user typed in the message.

use crate::query_text::{join_pairs, parse_pairs};

/// Which experiment the page shows (`exp`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Experiment {
    /// The front page: what Overlap is and what this browser can do.
    #[default]
    Home,
}

impl Experiment {
    pub const ALL: &'static [Experiment] = &[Experiment::Home];

    pub fn query_value(self) -> &'static str {
        match self {
            Experiment::Home => "home",
        }
    }

    fn from_query_value(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|experiment| experiment.query_value() == value)
    }
}

/// Everything the query string can say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageState {
    pub experiment: Experiment,
}

/// Something in the query string that was not used as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryProblem {
    #[error("`{key}={value}` is not valid: {key} must be {expected}. Showing `{key}={used}` instead.")]
    BadValue { key: &'static str, value: String, expected: String, used: String },
    #[error("`{key}` is given more than once; the first value, `{used}`, is used.")]
    Repeated { key: &'static str, used: String },
    #[error("`{key}` is not a parameter of this page and is ignored (known: {known}).")]
    Unknown { key: String, known: String },
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
}

/// The state read from a query string, and what could not be used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodedPage {
    pub state: PageState,
    pub problems: Vec<QueryProblem>,
}

const EXPERIMENT_KEY: &str = "exp";
const KNOWN_KEYS: &[&str] = &[EXPERIMENT_KEY];

/// Reads the page state from a query string such as `location.search`.
pub fn decode(query: &str) -> DecodedPage {
    let mut decoded = DecodedPage::default();
    let mut seen_keys: Vec<&'static str> = Vec::new();
    for (key, value) in parse_pairs(query) {
        let Some(&known_key) = KNOWN_KEYS.iter().find(|known| **known == key) else {
            decoded.problems.push(QueryProblem::Unknown { key, known: KNOWN_KEYS.join(", ") });
            continue;
        };
        if seen_keys.contains(&known_key) {
            let used = encode_value(&decoded.state, known_key);
            decoded.problems.push(QueryProblem::Repeated { key: known_key, used });
            continue;
        }
        seen_keys.push(known_key);
        match Experiment::from_query_value(&value) {
            Some(experiment) => decoded.state.experiment = experiment,
            None => decoded.problems.push(QueryProblem::BadValue {
                key: EXPERIMENT_KEY,
                value,
                expected: one_of(Experiment::ALL.iter().map(|e| e.query_value())),
                used: decoded.state.experiment.query_value().to_string(),
            }),
        }
    }
    decoded
}

/// Writes the page state as a query string (with its leading `?`).
pub fn encode(state: &PageState) -> String {
    join_pairs(KNOWN_KEYS.iter().map(|key| (*key, encode_value(state, key))))
}

fn encode_value(state: &PageState, key: &str) -> String {
    match key {
        EXPERIMENT_KEY => state.experiment.query_value().to_string(),
        _ => String::new(),
    }
}

fn one_of<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = values.map(|value| format!("`{value}`")).collect();
    format!("one of {}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    fn render(query: &str) -> String {
        let decoded = decode(query);
        let mut lines = vec![format!("{query:?} -> {:?}", decoded.state)];
        lines.extend(decoded.problems.iter().map(|problem| format!("    {}: {problem}", problem.key())));
        lines.join("\n")
    }

    #[test]
    fn decodes_good_and_bad_queries() {
        let cases = ["", "?exp=home", "?exp=bogus", "?exp=", "?exp=home&exp=bogus", "?theme=dark&exp=home"];
        let rendered: Vec<String> = cases.iter().map(|case| render(case)).collect();
        expect![[r#"
            "" -> PageState { experiment: Home }
            "?exp=home" -> PageState { experiment: Home }
            "?exp=bogus" -> PageState { experiment: Home }
                exp: `exp=bogus` is not valid: exp must be one of `home`. Showing `exp=home` instead.
            "?exp=" -> PageState { experiment: Home }
                exp: `exp=` is not valid: exp must be one of `home`. Showing `exp=home` instead.
            "?exp=home&exp=bogus" -> PageState { experiment: Home }
                exp: `exp` is given more than once; the first value, `home`, is used.
            "?theme=dark&exp=home" -> PageState { experiment: Home }
                theme: `theme` is not a parameter of this page and is ignored (known: exp)."#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn encode_then_decode_is_identity_for_every_experiment() {
        for &experiment in Experiment::ALL {
            let state = PageState { experiment };
            let decoded = decode(&encode(&state));
            assert_eq!(decoded, DecodedPage { state, problems: vec![] });
        }
    }

    proptest! {
        #[test]
        fn any_query_decodes_to_a_state_without_panicking(query in "\\PC{0,60}") {
            let decoded = decode(&query);
            // Whatever came in, what goes out again is a clean query.
            prop_assert!(decode(&encode(&decoded.state)).problems.is_empty());
        }
    }
}
