//! What this browser can do for Overlap, as measured in this page.

use leptos::prelude::*;
use overlap_core::browser::isolation::ThreadsOff;
use overlap_core::browser::pool_state::{PoolSizeReason, PoolState};

use crate::browser::browser_facts::BrowserFacts;
use crate::i18n::{t, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::{PoolContext, ProbeOutcome};

#[component]
pub fn CapabilityPanel(facts: BrowserFacts) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let isolation = facts.isolation;
    let isolated_text = move || match (isolation.cross_origin_isolated, isolation.service_worker_controlling)
    {
        (true, _) if isolation.embedded_in_frame => t!(i18n, common.capability.isolated_in_frame).into_any(),
        (true, true) => t!(i18n, common.capability.isolated_by_worker).into_any(),
        (true, false) => t!(i18n, common.capability.isolated_by_headers).into_any(),
        (false, _) => t!(i18n, common.capability.no).into_any(),
    };
    let shared_memory_text = move || {
        if facts.shared_array_buffer_available {
            t!(i18n, common.capability.available).into_any()
        } else {
            t!(i18n, common.capability.not_available).into_any()
        }
    };
    let processors_text = move || match facts.hardware_concurrency {
        Some(count) => count.to_string().into_any(),
        None => t!(i18n, common.capability.not_reported).into_any(),
    };
    let pool_state_name = move || match pool.state.get() {
        PoolState::Starting { .. } => "starting",
        PoolState::Ready { .. } => "ready",
        PoolState::Off(ThreadsOff::Broken { .. }) => "broken",
        PoolState::Off(_) => "off",
    };
    let size = pool.size;
    let size_reason = match size.reason {
        PoolSizeReason::Address { .. } => "address",
        PoolSizeReason::LogicalProcessors(_) => "logical-processors",
        PoolSizeReason::Unknown => "unknown",
    };
    // Without a pool there is no size to explain: the state above says why.
    let has_pool = move || !matches!(pool.state.get(), PoolState::Off(_));
    let probe_text = move || match pool.probe.get() {
        None => match pool.state.get() {
            PoolState::Off(_) => t!(i18n, common.capability.probe_no_pool).into_any(),
            _ => t!(i18n, common.capability.probe_waiting).into_any(),
        },
        Some(ProbeOutcome::Ran { distinct_threads, pool_threads, elapsed_ms }) => {
            let elapsed = format!("{elapsed_ms:.1}");
            t!(i18n, common.capability.probe_ran, distinct_threads, pool_threads, elapsed).into_any()
        }
        Some(ProbeOutcome::Failed(said)) => {
            let message = move || said.get(lang.get()).to_string();
            t!(i18n, common.capability.probe_failed, message).into_any()
        }
    };
    let probe_threads = move || match pool.probe.get() {
        Some(ProbeOutcome::Ran { distinct_threads, .. }) => distinct_threads.to_string(),
        _ => String::new(),
    };

    view! {
        <section class="panel capability-panel" aria-labelledby="capability-heading">
            <h2 id="capability-heading">{t!(i18n, common.capability.heading)}</h2>
            <dl>
                <dt>{t!(i18n, common.capability.cross_origin_isolated)}</dt>
                <dd data-testid="isolated" data-value=isolation.cross_origin_isolated.to_string()>
                    {isolated_text}
                </dd>
                <dt>{t!(i18n, common.capability.shared_memory)}</dt>
                <dd data-testid="shared-memory">{shared_memory_text}</dd>
                <dt>{t!(i18n, common.capability.processors)}</dt>
                <dd data-testid="hardware-concurrency">{processors_text}</dd>
                <dt>{t!(i18n, common.capability.thread_pool)}</dt>
                <dd data-testid="pool-state" data-state=pool_state_name aria-live="polite">
                    {move || pool.state.get().describe(lang.get())}
                </dd>
                <Show when=has_pool>
                    <dt>{t!(i18n, common.capability.pool_size)}</dt>
                    <dd data-testid="pool-size" data-threads=size.threads data-reason=size_reason>
                        {move || size.describe(lang.get())}
                    </dd>
                </Show>
                <dt>{t!(i18n, common.capability.probe)}</dt>
                <dd data-testid="probe" data-threads=probe_threads aria-live="polite">
                    {probe_text}
                </dd>
            </dl>
        </section>
    }
}
