//! What this browser can do for Overlap, as measured in this page.

use leptos::prelude::*;
use overlap_core::pool_state::PoolState;

use crate::browser_facts::BrowserFacts;
use crate::pool_context::{PoolContext, ProbeOutcome};

#[component]
pub fn CapabilityPanel(facts: BrowserFacts) -> impl IntoView {
    let pool = expect_context::<PoolContext>();
    let isolation = &facts.isolation;
    let isolated_text = match (isolation.cross_origin_isolated, isolation.service_worker_controlling) {
        (true, true) => "yes (served through Overlap's service worker)",
        (true, false) => "yes (the server sends the isolation headers)",
        (false, _) => "no",
    };
    let shared_memory_text = if facts.shared_array_buffer_available { "available" } else { "not available" };
    let processors_text = facts
        .hardware_concurrency
        .map_or_else(|| "not reported by this browser".to_string(), |n| n.to_string());
    let pool_state_name = move || match pool.state.get() {
        PoolState::Starting { .. } => "starting",
        PoolState::Ready { .. } => "ready",
        PoolState::Off(_) => "off",
    };
    let probe_text = move || match pool.probe.get() {
        None => match pool.state.get() {
            PoolState::Off(_) => "not run: there is no pool".to_string(),
            _ => "waiting for the pool".to_string(),
        },
        Some(ProbeOutcome::Ran { distinct_threads, pool_threads, elapsed_ms }) => format!(
            "a job sent to every pool thread ran on {distinct_threads} distinct threads of {pool_threads} \
             ({elapsed_ms:.1} ms)"
        ),
        Some(ProbeOutcome::Failed(message)) => format!("failed: {message}"),
    };
    let probe_threads = move || match pool.probe.get() {
        Some(ProbeOutcome::Ran { distinct_threads, .. }) => distinct_threads.to_string(),
        _ => String::new(),
    };

    view! {
        <section class="panel capability-panel" aria-labelledby="capability-heading">
            <h2 id="capability-heading">"What this browser can do here"</h2>
            <dl>
                <dt>"Cross-origin isolated"</dt>
                <dd data-testid="isolated" data-value=isolation.cross_origin_isolated.to_string()>
                    {isolated_text}
                </dd>
                <dt>"Shared memory (SharedArrayBuffer)"</dt>
                <dd data-testid="shared-memory">{shared_memory_text}</dd>
                <dt>"Logical processors (navigator.hardwareConcurrency)"</dt>
                <dd data-testid="hardware-concurrency">{processors_text}</dd>
                <dt>"Thread pool"</dt>
                <dd data-testid="pool-state" data-state=pool_state_name aria-live="polite">
                    {move || pool.state.get().to_string()}
                </dd>
                <dt>"Probe"</dt>
                <dd data-testid="probe" data-threads=probe_threads aria-live="polite">
                    {probe_text}
                </dd>
            </dl>
        </section>
    }
}
