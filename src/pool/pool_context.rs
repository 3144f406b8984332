//! The thread pool as the page sees it: its state in signals, shared through
//! leptos context. The pool starts once, after first paint, and only when the
//! page is cross-origin isolated; a probe then proves that work runs on
//! distinct worker threads.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::browser::isolation::{ThreadsOff, threads_off_reason};
use overlap_core::browser::pool_state::{PoolSize, PoolState, pool_size};
use overlap_core::lang::Said;

use crate::browser::browser_facts::BrowserFacts;
use crate::browser::next_paint::after_next_paint;
use crate::browser::user_timing;
use crate::pool::thread_pool::{self, Pool};

/// What the probe job found: the distinct pool threads it ran on.
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeOutcome {
    Ran { distinct_threads: usize, pool_threads: usize, elapsed_ms: f64 },
    Failed(Said),
}

#[derive(Clone, Copy)]
pub struct PoolContext {
    /// The size the pool starts with, and why; fixed for the page's life.
    pub size: PoolSize,
    pub state: RwSignal<PoolState>,
    pub pool: RwSignal<Option<Pool>>,
    pub probe: RwSignal<Option<ProbeOutcome>>,
}

impl PoolContext {
    /// Decides from the facts whether threads can run, and if so starts the
    /// pool in the background after the first paint, with `pool=` from the
    /// address (`asked`) threads, else one per logical processor.
    pub fn start(facts: &BrowserFacts, asked: Option<u32>) -> Self {
        let size = pool_size(asked, facts.hardware_concurrency);
        let threads = size.threads;
        let initial = match threads_off_reason(&facts.isolation) {
            Some(reason) => PoolState::Off(reason),
            None => PoolState::Starting { threads },
        };
        let context = PoolContext {
            size,
            state: RwSignal::new(initial.clone()),
            pool: RwSignal::new(None),
            probe: RwSignal::new(None),
        };
        if matches!(initial, PoolState::Starting { .. }) {
            spawn_local(async move {
                after_next_paint().await;
                context.start_pool(threads).await;
            });
        }
        context
    }

    async fn start_pool(self, threads: usize) {
        match thread_pool::start(threads).await {
            Ok((pool, start_ms)) => {
                self.state.set(PoolState::Ready { threads, start_ms });
                user_timing::mark(user_timing::POOL_READY);
                self.pool.set(Some(pool));
                self.probe.set(Some(run_probe(pool).await));
                // Once a pool thread has died the pool is off for good: no
                // run may start on it, and the page offers a reload.
                let panic = thread_pool::pool_thread_died().await;
                self.pool.set(None);
                self.state.set(PoolState::Off(ThreadsOff::Broken { message: panic.to_string() }));
            }
            Err(message) => self.state.set(PoolState::Off(ThreadsOff::StartFailed { message })),
        }
    }
}

async fn run_probe(pool: Pool) -> ProbeOutcome {
    let started_ms = thread_pool::now_ms();
    match pool.run(thread_pool::probe_thread_indexes).await {
        Ok(indexes) => ProbeOutcome::Ran {
            distinct_threads: indexes.len(),
            pool_threads: pool.threads(),
            elapsed_ms: thread_pool::now_ms() - started_ms,
        },
        Err(lost) => ProbeOutcome::Failed(lost.said()),
    }
}
