//! The page's one thread pool: rayon over Web Workers that share this page's
//! memory (wasm-bindgen-rayon). Started once, in the background, after first
//! paint, only when the page is cross-origin isolated.
//!
//! The main thread never runs or waits on pool work: `par_iter` called there
//! busy-waits, and blocking primitives throw there. Work goes in with
//! `rayon::spawn` and comes back through an awaited oneshot channel.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use futures::channel::oneshot;
use wasm_bindgen_futures::JsFuture;

use overlap_core::lang::Said;

use crate::browser::js_error;
use crate::browser::next_paint::counting_each_frame;

/// Proof that the pool has started; only `start` makes one, so work cannot be
/// sent to a pool that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    threads: usize,
}

/// The pool dropped a job without answering (its worker died).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobLost;

impl JobLost {
    pub fn said(self) -> Said {
        Said::new("a worker thread stopped before answering", "一个工作线程在回答之前停止了")
    }
}

impl Pool {
    pub fn threads(self) -> usize {
        self.threads
    }

    /// Runs `job` on a pool thread and resolves with its result, leaving the
    /// main thread free the whole time.
    pub async fn run<T: Send + 'static>(
        self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobLost> {
        let (sender, receiver) = oneshot::channel();
        rayon::spawn(move || {
            // The receiver is gone only if the page stopped caring: nothing to report.
            let _ = sender.send(job());
        });
        receiver.await.map_err(|_| JobLost)
    }

    /// As `run`, and meanwhile, once a frame, hands `on_progress` what the
    /// job has counted in `done` so far (the last count too, at the end).
    pub async fn run_counting<T: Send + 'static>(
        self,
        done: Arc<AtomicUsize>,
        job: impl FnOnce() -> T + Send + 'static,
        on_progress: impl Fn(usize),
    ) -> Result<T, JobLost> {
        counting_each_frame(&done, on_progress, self.run(job)).await
    }
}

/// Starts the global pool with `threads` workers and measures how long that
/// took. Call it once: the global rayon pool cannot be rebuilt or resized.
pub async fn start(threads: usize) -> Result<(Pool, f64), String> {
    let started_ms = now_ms();
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map_err(|error| js_error::describe(&error))?;
    Ok((Pool { threads }, now_ms() - started_ms))
}

/// The pool threads a job reached when sent to every thread at once: proof
/// that work really runs on distinct workers.
pub fn probe_thread_indexes() -> Vec<usize> {
    let mut indexes = rayon::broadcast(|context| context.index());
    indexes.sort_unstable();
    indexes.dedup();
    indexes
}

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}
