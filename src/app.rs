//! The page: reads its state from the query string, starts the thread pool,
//! and shows the experiment the address asks for.

use leptos::prelude::*;
use overlap_core::page_state::{self, Experiment};

use crate::browser_facts;
use crate::home_page::HomePage;
use crate::pool_context::PoolContext;
use crate::query_problems::QueryProblems;

#[component]
pub fn App() -> impl IntoView {
    let search = web_sys::window().and_then(|window| window.location().search().ok()).unwrap_or_default();
    let decoded = page_state::decode(&search);
    let facts = browser_facts::read();
    provide_context(PoolContext::start(&facts));

    let page = match decoded.state.experiment {
        Experiment::Home => view! { <HomePage facts=facts /> },
    };
    view! {
        <header class="site-header">
            <h1>"Overlap"</h1>
            <p class="tagline">"Sequential, concurrent and parallel, run for real and drawn on one time axis."</p>
        </header>
        <main>
            <QueryProblems problems=decoded.problems />
            {page}
        </main>
    }
}
