//! What every input must keep, however it is made: the properties the fuzz
//! targets (`fuzz/`, `cargo xtask fuzz`) check on arbitrary bytes and the
//! property tests below check on generated text. One definition for both,
//! so a fuzzer's find is a failing test here once its input is added.
//!
//! Each check returns the first property broken, in words, for the fuzzer
//! to stop on and a person to read.

use crate::address::page_state::{self, DecodedPage};
use crate::address::problem::QueryProblem;
use crate::lang::Lang;
use crate::typed_urls;

/// The origin the typed-address checks run against.
pub const FUZZ_PAGE_ORIGIN: &str = "http://127.0.0.1:8080";

/// A broken property, with the input that broke it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{property}, for {input:?}")]
pub struct Broken {
    pub property: String,
    pub input: String,
}

fn broken(property: impl Into<String>, input: &str) -> Broken {
    Broken { property: property.into(), input: input.to_string() }
}

/// Reading an address: it never panics; every problem says what it is about
/// in both languages; the address the page writes back reads with no
/// problem and is written again as the same text. Then every field of its
/// page takes `typed` (what a user might type) the same way: refused with a
/// message, or accepted into a state whose address is as stable.
///
/// Stable as text, not as state: a value the page keeps but does not write
/// (the fetch page's `urls` while it targets the server, read from an
/// address whose `target` was bad) stays while the page is open, so that
/// nothing typed is lost, and is left out of the address.
pub fn check_address(query: &str, typed: &str) -> Result<(), Broken> {
    let decoded = page_state::decode(query);
    for problem in &decoded.problems {
        check_problem_words(problem, query)?;
    }
    check_round_trip(&decoded.state, query)?;
    for key in decoded.state.form_keys() {
        match page_state::with_field(&decoded.state, key, typed) {
            Ok(changed) => check_round_trip(&changed, &format!("{query} with {key}={typed}"))?,
            Err(problem) => check_problem_words(&problem, typed)?,
        }
    }
    Ok(())
}

fn check_problem_words(problem: &QueryProblem, input: &str) -> Result<(), Broken> {
    for lang in [Lang::En, Lang::ZhCn] {
        let message = problem.message(lang);
        if !message.contains(&format!("`{}", problem.key())) {
            return Err(broken(format!("the {lang:?} message `{message}` does not name its key"), input));
        }
        if problem.field_message(lang).trim().is_empty() {
            return Err(broken(
                format!("the {lang:?} field message for `{}` is empty", problem.key()),
                input,
            ));
        }
    }
    Ok(())
}

fn check_round_trip(state: &page_state::PageState, input: &str) -> Result<(), Broken> {
    let written = page_state::encode(state);
    let DecodedPage { state: read, problems } = page_state::decode(&written);
    if !problems.is_empty() {
        let messages: Vec<String> = problems.iter().map(|problem| problem.message(Lang::En)).collect();
        return Err(broken(
            format!("the written address `{written}` reads with problems: {messages:?}"),
            input,
        ));
    }
    let again = page_state::encode(&read);
    if again != written {
        return Err(broken(format!("`{written}` is written again as `{again}`"), input));
    }
    Ok(())
}

/// Checking typed addresses: it never panics; every problem has words in
/// both languages; the addresses it accepts are accepted again as they are.
pub fn check_typed_urls(text: &str) -> Result<(), Broken> {
    match typed_urls::check_url_lines(text, FUZZ_PAGE_ORIGIN) {
        Ok(urls) => match typed_urls::check_url_lines(&urls.join("\n"), FUZZ_PAGE_ORIGIN) {
            Ok(again) if again == urls => Ok(()),
            other => Err(broken(format!("the accepted {urls:?} are checked again as {other:?}"), text)),
        },
        Err(problems) => {
            for problem in problems {
                for lang in [Lang::En, Lang::ZhCn] {
                    if problem.message(lang).trim().is_empty() {
                        return Err(broken(format!("an empty {lang:?} message for {problem:?}"), text));
                    }
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::address::registry::Experiment;

    /// Queries made of the pages' own keys, values near the edges of their
    /// ranges and the odd characters a query can hold: deeper than random
    /// bytes, which rarely spell a key.
    fn query() -> impl Strategy<Value = String> {
        let keys: Vec<&'static str> = Experiment::keys()
            .iter()
            .filter_map(|name| Experiment::named(name))
            .flat_map(|experiment| {
                let mut keys = vec!["exp", "run", "pool", "lang"];
                keys.extend_from_slice(experiment.own_keys());
                keys
            })
            .collect();
        let names: Vec<&'static str> = Experiment::keys().to_vec();
        let value = prop_oneof![
            proptest::sample::select(names).prop_map(str::to_string),
            any::<u32>().prop_map(|number| number.to_string()),
            "-?[0-9]{1,12}(\\.[0-9]{0,8})?".prop_map(|text| text),
            "[a-z_,=%+&]{0,12}",
            "[0-9,]{0,20}",
            ".{0,8}",
        ];
        proptest::collection::vec((proptest::sample::select(keys), value), 0..8).prop_map(|pairs| {
            pairs.into_iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>().join("&")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn every_address_reads_with_words_and_writes_back_stably(query in query(), typed in ".{0,12}") {
            let checked = check_address(&query, &typed);
            prop_assert!(checked.is_ok(), "{}", checked.err().map(|broken| broken.to_string()).unwrap_or_default());
        }

        #[test]
        fn arbitrary_text_never_breaks_an_address(query in ".{0,60}", typed in ".{0,12}") {
            let checked = check_address(&query, &typed);
            prop_assert!(checked.is_ok(), "{}", checked.err().map(|broken| broken.to_string()).unwrap_or_default());
        }

        #[test]
        fn typed_addresses_are_checked_with_words_and_stably(
            lines in proptest::collection::vec(
                prop_oneof![
                    "(https?|ftp|javascript|data|HTTP)://[a-z0-9.@:]{0,12}(/[a-z?#=&]{0,8})?",
                    "(/|\\./|\\.\\./|//)[a-z?=&]{0,10}",
                    ".{0,16}",
                ],
                0..6,
            )
        ) {
            let text = lines.join("\n");
            let checked = check_typed_urls(&text);
            prop_assert!(checked.is_ok(), "{}", checked.err().map(|broken| broken.to_string()).unwrap_or_default());
        }
    }
}
