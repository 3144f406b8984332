//! One folder per experiment: its page and its runners. An experiment never
//! imports another; what two share lives in a shared room. The match below
//! is exhaustive over core's registry: a new experiment's line there makes
//! the compiler ask for its page here.

mod asyncio;
mod cpu;
mod deadlock;
mod fetch;
mod futures;
mod home;
mod load;
mod lockstep;
mod queue;
mod race;
mod sweep;
mod thread_local;
mod timeline_demo;

use leptos::prelude::*;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::registry::Experiment;
use overlap_core::browser::pool_state::pool_size;

use crate::browser::browser_facts::BrowserFacts;

/// The page the address asks for.
pub fn page_for(state: PageState, problems: Vec<QueryProblem>, facts: BrowserFacts) -> AnyView {
    match &state.experiment {
        Experiment::Home(_) => view! { <home::HomePage facts=facts /> }.into_any(),
        Experiment::Cpu(_) => {
            let default_workers = pool_size(state.pool_threads, facts.hardware_concurrency).threads as u32;
            view! { <cpu::CpuPage initial=state problems=problems default_workers=default_workers /> }
                .into_any()
        }
        Experiment::Fetch(_) => view! { <fetch::FetchPage initial=state problems=problems /> }.into_any(),
        Experiment::Futures(_) => {
            view! { <futures::FuturesPage initial=state problems=problems /> }.into_any()
        }
        Experiment::Asyncio(_) => {
            view! { <asyncio::AsyncioPage initial=state problems=problems /> }.into_any()
        }
        Experiment::Race(_) => {
            let default_threads = pool_size(state.pool_threads, facts.hardware_concurrency).threads as u32;
            view! { <race::RacePage initial=state problems=problems default_threads=default_threads /> }
                .into_any()
        }
        Experiment::Lockstep(_) => {
            let pool_threads = pool_size(state.pool_threads, facts.hardware_concurrency).threads as u32;
            view! { <lockstep::LockstepPage initial=state problems=problems pool_threads=pool_threads /> }
                .into_any()
        }
        Experiment::Deadlock(_) => {
            let pool_threads = pool_size(state.pool_threads, facts.hardware_concurrency).threads as u32;
            view! { <deadlock::DeadlockPage initial=state problems=problems pool_threads=pool_threads /> }
                .into_any()
        }
        Experiment::ThreadLocal(_) => {
            let default_threads = pool_size(state.pool_threads, facts.hardware_concurrency).threads as u32;
            view! { <thread_local::ThreadLocalPage initial=state problems=problems default_threads=default_threads /> }
                .into_any()
        }
        Experiment::Queue(_) => view! { <queue::QueuePage initial=state problems=problems /> }.into_any(),
        Experiment::Sweep(_) => {
            // A browser may report 0: that is not a count.
            let logical_processors = facts.hardware_concurrency.filter(|count| *count > 0);
            view! { <sweep::SweepPage initial=state problems=problems logical_processors=logical_processors /> }
                .into_any()
        }
        Experiment::Load(_) => view! { <load::LoadPage initial=state problems=problems /> }.into_any(),
        Experiment::TimelineDemo(params) => {
            view! { <timeline_demo::TimelineDemoPage fixture=params.fixture /> }.into_any()
        }
    }
}
