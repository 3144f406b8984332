//! The notice listing query-string values that could not be used as written.

use leptos::prelude::*;
use overlap_core::address::problem::QueryProblem;

use crate::i18n::{t, use_i18n};
use crate::language::use_lang;

#[component]
pub fn QueryProblems(problems: Vec<QueryProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    (!problems.is_empty()).then(|| {
        view! {
            <section class="notice" role="alert" data-testid="query-problems">
                <h2>{t!(i18n, common.address_problems)}</h2>
                <ul>
                    {problems
                        .into_iter()
                        .map(|problem| {
                            let key = problem.key().to_string();
                            view! { <li data-key=key>{move || problem.message(lang.get())}</li> }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
