//! The page: reads its state from the query string, starts the thread pool,
//! and shows the experiment the address asks for.

use leptos::prelude::*;
use overlap_core::page_state::{self, Experiment};

use overlap_core::pool_state::pool_threads;

use crate::browser_facts;
use crate::cpu_page::CpuPage;
use crate::experiment_nav::ExperimentNav;
use crate::fetch_page::FetchPage;
use crate::home_page::HomePage;
use crate::pool_context::PoolContext;
use crate::query_problems::QueryProblems;
use crate::timeline_demo_page::TimelineDemoPage;

#[component]
pub fn App() -> impl IntoView {
    let search = web_sys::window().and_then(|window| window.location().search().ok()).unwrap_or_default();
    let decoded = page_state::decode(&search);
    let facts = browser_facts::read();
    provide_context(PoolContext::start(&facts));
    provide_context(crate::color_scheme::watch());

    let state = decoded.state;
    let page = match state.experiment {
        Experiment::Home => view! { <HomePage facts=facts /> }.into_any(),
        Experiment::Cpu => {
            let default_workers = pool_threads(facts.hardware_concurrency) as u32;
            view! { <CpuPage initial=state.clone() problems=decoded.problems.clone() default_workers=default_workers /> }
                .into_any()
        }
        Experiment::Fetch => {
            view! { <FetchPage initial=state.clone() problems=decoded.problems.clone() /> }.into_any()
        }
        Experiment::TimelineDemo => view! { <TimelineDemoPage fixture=state.fixture /> }.into_any(),
    };
    view! {
        <header class="site-header">
            <h1>"Overlap"</h1>
            <p class="tagline">"Sequential, concurrent and parallel, run for real and drawn on one time axis."</p>
        </header>
        <ExperimentNav current=state />
        <main>
            <QueryProblems problems=decoded.problems />
            {page}
        </main>
    }
}
