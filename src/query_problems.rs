//! The notice listing query-string values that could not be used as written.

use leptos::prelude::*;
use overlap_core::page_state::QueryProblem;

#[component]
pub fn QueryProblems(problems: Vec<QueryProblem>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <section class="notice" role="alert" data-testid="query-problems">
                <h2>"Some of this page's address could not be used"</h2>
                <ul>
                    {problems
                        .into_iter()
                        .map(|problem| {
                            view! { <li data-key=problem.key().to_string()>{problem.to_string()}</li> }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
