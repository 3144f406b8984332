//! The page's one thread pool: rayon over Web Workers that share this page's
//! memory (wasm-bindgen-rayon). Started once, in the background, after first
//! paint, only when the page is cross-origin isolated.
//!
//! The main thread never runs or waits on pool work: `par_iter` called there
//! busy-waits, and blocking primitives throw there. Work goes in with
//! `rayon::spawn` and comes back through an awaited oneshot channel.
//!
//! A panic on a pool thread kills that thread: a wasm build aborts on panic
//! (std is built with `panic_abort`), so nothing unwinds and the job never
//! answers; nothing tells the page (the dying worker only throws
//! `unreachable` in its own scope, and no event reports a worker's end:
//! whatwg/html#5869). The panic hook notes the panic here first, and one
//! watch per page (`pool_thread_died`) reads that note for every job awaited
//! and for the page's pool state, so a run ends with the panic's message
//! instead of waiting forever.

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, OnceLock};

use futures::FutureExt;
use futures::channel::oneshot;
use futures::future::{Either, LocalBoxFuture, Shared, select};
use wasm_bindgen_futures::JsFuture;

use overlap_core::lang::Said;

use crate::browser::js_error;
use crate::browser::next_paint::counting_while;
use crate::browser::timer::sleep_ms;

/// The first panic on a pool thread, as its hook described it. Written by
/// the dying worker; the main thread only reads it (`get` never blocks).
static POOL_THREAD_PANIC: OnceLock<String> = OnceLock::new();

/// How often the page looks for a pool thread's panic.
const PANIC_POLL_MS: i32 = 100;

/// Called by the panic hook on whichever thread panicked: a pool thread's
/// panic is noted, since that thread is about to die.
/// Only the message is kept: the wasm build leaves panic locations out
/// (`-Z location-detail=none` in .cargo/config.toml), which would read
/// `panicked at <redacted>:0:0`.
pub fn note_panic(info: &std::panic::PanicHookInfo<'_>) {
    if rayon::current_thread_index().is_some() {
        let message = info.payload_as_str().unwrap_or("with a payload that is not text");
        let _ = POOL_THREAD_PANIC.set(format!("panicked: {message}").replace('\n', " "));
    }
}

/// The panic that killed a pool thread, if one did: the pool is broken.
pub fn pool_thread_panic() -> Option<&'static str> {
    POOL_THREAD_PANIC.get().map(String::as_str)
}

/// Resolves with the panic once a pool thread has died. Every caller shares
/// one watch: a single timer a page, however many jobs are awaited. (A dying
/// thread cannot wake the page itself: its hook runs just before it aborts.)
pub fn pool_thread_died() -> Shared<LocalBoxFuture<'static, &'static str>> {
    thread_local! {
        static DIED: Shared<LocalBoxFuture<'static, &'static str>> = async {
            loop {
                if let Some(panic) = pool_thread_panic() {
                    return panic;
                }
                sleep_ms(PANIC_POLL_MS).await;
            }
        }
        .boxed_local()
        .shared();
    }
    DIED.with(Clone::clone)
}

/// Proof that the pool has started; only `start` makes one, so work cannot be
/// sent to a pool that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    threads: usize,
}

/// The pool dropped a job without answering: a worker thread died, of
/// `panic` when its panic was noted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobLost {
    pub panic: Option<&'static str>,
}

impl JobLost {
    pub fn said(self) -> Said {
        match self.panic {
            Some(panic) => Said::new(
                format!("a pool thread died before answering: it {panic}"),
                format!("一个线程池线程在回答之前死掉了：{panic}"),
            ),
            None => Said::new("a worker thread stopped before answering", "一个工作线程在回答之前停止了"),
        }
    }
}

impl Pool {
    pub fn threads(self) -> usize {
        self.threads
    }

    /// Runs `job` on a pool thread and resolves with its result, leaving the
    /// main thread free the whole time; fails once a pool thread has died,
    /// since the job may have been on it, or waiting for it.
    pub async fn run<T: Send + 'static>(
        self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobLost> {
        if let Some(panic) = pool_thread_panic() {
            return Err(JobLost { panic: Some(panic) });
        }
        let (sender, receiver) = oneshot::channel();
        rayon::spawn(move || {
            // The receiver is gone only if the page stopped caring: nothing to report.
            let _ = sender.send(job());
        });
        match select(receiver, pool_thread_died()).await {
            Either::Left((Ok(value), _)) => Ok(value),
            Either::Left((Err(_), _)) => Err(JobLost { panic: pool_thread_panic() }),
            Either::Right((panic, _)) => Err(JobLost { panic: Some(panic) }),
        }
    }

    /// As `run`, and meanwhile, at the live drawing rate, hands `on_progress`
    /// what the job has counted in `done` so far (the last count too, at the end).
    pub async fn run_counting<T: Send + 'static>(
        self,
        done: Arc<AtomicUsize>,
        job: impl FnOnce() -> T + Send + 'static,
        on_progress: impl Fn(usize),
    ) -> Result<T, JobLost> {
        counting_while(&done, on_progress, self.run(job)).await
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
