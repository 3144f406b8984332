//! The front page: what Overlap teaches, and what this browser can do.

use leptos::prelude::*;

use crate::browser_facts::BrowserFacts;
use crate::capability_panel::CapabilityPanel;

#[component]
pub fn HomePage(facts: BrowserFacts) -> impl IntoView {
    view! {
        <section class="intro">
            <p>
                "Concurrency is about structure: several tasks are in progress at once and take turns, so a \
                 program waiting on twelve downloads need not wait for them one by one. Parallelism is about \
                 execution: several tasks compute at the same instant, on several cores. One core can be \
                 concurrent but never parallel, and Python threads holding the GIL are concurrent but not \
                 parallel for CPU work. Overlap runs real work in this page, fetch() requests driven by Rust \
                 futures and CPU jobs spread over Web Workers, and draws what ran when, side by side on one \
                 time axis."
            </p>
        </section>
        <CapabilityPanel facts=facts />
    }
}
