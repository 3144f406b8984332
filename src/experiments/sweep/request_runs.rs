//! One timed request run of the sweep: `n` requests to a server that waits
//! `latency_ms`, at most k in flight, the next starting as one ends; a few
//! requests first, not timed, so that connections are open. Each request
//! records when it waited for a place among the k, for its first byte and
//! for its body, and how long of its task it spent awaiting the network.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use overlap_core::browser::connections::HTTP1_CONNECTIONS_PER_HOST;
use overlap_core::experiments::sweep::{SweepParams, SweepTarget};
use overlap_core::lang::Said;
use overlap_core::records::slots::Slots;
use overlap_core::records::span::{Span, SpanState};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::browser::clock::epoch_ms;
use crate::browser::request::request_init;
use crate::browser::timer::{sleep_ms, within_ms};
use crate::experiments::sweep::run::Timed;

/// Beyond the latency asked for, how long a request may take before it
/// counts as failed.
const TIMEOUT_MARGIN_MS: u32 = 10_000;
/// How often a run looks at Cancel while its requests are in flight.
const CANCEL_POLL_MS: i32 = 50;

thread_local! {
    /// Makes every address unique within the page's life, so no request
    /// can be answered from anything but the server.
    static NEXT_TAG: Cell<u32> = const { Cell::new(0) };
}

fn next_tag() -> u32 {
    NEXT_TAG.with(|tag| {
        let value = tag.get();
        tag.set((value + 1) % 1_000_000);
        value
    })
}

fn url(target: SweepTarget, latency_ms: u32) -> String {
    let tag = next_tag();
    match target {
        SweepTarget::Server => format!("./api/delay?ms={latency_ms}&tag={tag}"),
        // The simulated server is given room for every request at once:
        // what limits the sweep must be k (and the browser), not it.
        SweepTarget::ServiceWorker => format!("./sw-api/delay?ms={latency_ms}&capacity=1000&tag={tag}"),
    }
}

/// A request that did not end with a 2xx response, said as the page says it.
enum Failed {
    Status(u16),
    TimedOut,
    Network,
    Cancelled,
}

impl Failed {
    /// `index`: the timed run's request, or `None` for one sent before it.
    fn said(&self, index: Option<u32>) -> Said {
        let (en, zh) = match index {
            Some(index) => (format!("request {}", index + 1), format!("第 {} 个请求", index + 1)),
            None => ("a request before the timed run".to_string(), "计时前的一个请求".to_string()),
        };
        match self {
            Failed::Status(status) => Said::new(
                format!("{en} was answered with status {status}"),
                format!("{zh}的状态码是 {status}"),
            ),
            Failed::TimedOut => Said::new(format!("{en} timed out"), format!("{zh}超时")),
            Failed::Network => {
                Said::new(format!("{en} failed (network or CORS)"), format!("{zh}失败（网络或 CORS 错误）"))
            }
            Failed::Cancelled => Said::new(format!("{en} was cancelled"), format!("{zh}已取消")),
        }
    }
}

/// When a request's answer began and ended (epoch ms), and how long its
/// task spent awaiting the browser.
struct Answered {
    first_byte_ms: f64,
    end_ms: f64,
    awaited_ms: f64,
}

/// One request under the run's abort signal, within `timeout_ms`. A
/// timeout aborts the whole run (it fails anyway), so that no request is
/// left holding a connection.
async fn send(url: &str, timeout_ms: u32, controller: &web_sys::AbortController) -> Result<Answered, Failed> {
    let window = web_sys::window().ok_or(Failed::Network)?;
    let init = request_init(&controller.signal());
    let answered = async {
        let asked_ms = epoch_ms();
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| ())?
            .dyn_into()
            .map_err(|_| ())?;
        let first_byte_ms = epoch_ms();
        let status = response.status();
        let body = response.array_buffer().map_err(|_| ())?;
        let read_ms = epoch_ms();
        JsFuture::from(body).await.map_err(|_| ())?;
        let end_ms = epoch_ms();
        let awaited_ms = (first_byte_ms - asked_ms) + (end_ms - read_ms);
        Ok::<_, ()>((status, Answered { first_byte_ms, end_ms, awaited_ms }))
    };
    match within_ms(timeout_ms as i32, answered).await {
        None => {
            controller.abort();
            Err(Failed::TimedOut)
        }
        Some(Ok((status, answered))) if (200..300).contains(&status) => Ok(answered),
        Some(Ok((status, _))) => Err(Failed::Status(status)),
        Some(Err(())) if controller.signal().aborted() => Err(Failed::Cancelled),
        Some(Err(())) => Err(Failed::Network),
    }
}

/// What every request of one run shares on the main thread.
struct RequestRun<'a> {
    params: &'a SweepParams,
    k: u32,
    controller: &'a web_sys::AbortController,
    start_ms: f64,
    slots: RefCell<Slots>,
    spans: RefCell<Vec<Span>>,
    waiting_ms: Cell<f64>,
    task_ms: Cell<f64>,
}

impl RequestRun<'_> {
    /// A request's clock starts when `fetch()` is called, and with more than
    /// six in flight it first waits in the browser for a connection: up to
    /// one latency for each six started before it.
    fn timeout_ms(&self) -> u32 {
        let in_flight = self.k.min(self.params.n);
        let rounds = in_flight.div_ceil(HTTP1_CONNECTIONS_PER_HOST);
        self.params.latency_ms.saturating_mul(rounds).saturating_add(TIMEOUT_MARGIN_MS)
    }

    /// Request `index`: taken by one of the k when one is free, sent, its
    /// spans recorded on the lane it took.
    async fn one(&self, index: u32) -> Result<(), (u32, Failed)> {
        let taken_ms = epoch_ms();
        let on_run = |epoch: f64| epoch - self.start_ms;
        let slot = self.slots.borrow_mut().take();
        let answer =
            send(&url(self.params.target, self.params.latency_ms), self.timeout_ms(), self.controller).await;
        self.slots.borrow_mut().release(slot);
        let answered = answer.map_err(|failed| (index, failed))?;
        let span =
            |state, start_ms, end_ms| Span { task: Some(index), lane: Some(slot), state, start_ms, end_ms };
        let mut spans = self.spans.borrow_mut();
        spans.push(Span {
            task: Some(index),
            lane: None,
            state: SpanState::Queued,
            start_ms: 0.0,
            end_ms: on_run(taken_ms),
        });
        spans.push(span(SpanState::Waiting, on_run(taken_ms), on_run(answered.first_byte_ms)));
        spans.push(span(SpanState::Downloading, on_run(answered.first_byte_ms), on_run(answered.end_ms)));
        drop(spans);
        self.waiting_ms.set(self.waiting_ms.get() + answered.awaited_ms);
        self.task_ms.set(self.task_ms.get() + (epoch_ms() - taken_ms));
        Ok(())
    }
}

/// The failure to report among `results`: a timeout aborts the others, so
/// one that is not such an abort comes first.
fn first_failure(results: impl IntoIterator<Item = Result<(), (u32, Failed)>>) -> Option<(u32, Failed)> {
    results.into_iter().filter_map(Result::err).min_by_key(|(_, failed)| matches!(failed, Failed::Cancelled))
}

/// Opens connections before the timed run: as many requests as can be
/// in flight, answered at once, not timed.
async fn warm_up(params: &SweepParams, k: u32, controller: &web_sys::AbortController) -> Result<(), Said> {
    let count = k.min(HTTP1_CONNECTIONS_PER_HOST).min(params.n);
    let answers = futures::future::join_all(
        (0..count).map(|_| async { send(&url(params.target, 0), TIMEOUT_MARGIN_MS, controller).await }),
    )
    .await;
    let answers =
        (0..).zip(answers).map(|(index, answer)| answer.map(|_| ()).map_err(|failed| (index, failed)));
    first_failure(answers).map_or(Ok(()), |(_, failed)| Err(failed.said(None)))
}

// region: shown
/// One timed run: `n` requests, at most `k` in flight; the next starts as
/// soon as one ends (a `ThreadPoolExecutor(max_workers=k)` of downloads).
/// `Ok(None)` when Cancel stopped it.
pub async fn run_requests(
    params: &SweepParams,
    k: u32,
    cancelled: Arc<AtomicBool>,
) -> Result<Option<Timed>, Said> {
    let controller = web_sys::AbortController::new().map_err(|_| {
        Said::new("the browser could not make an AbortController", "浏览器无法创建 AbortController")
    })?;
    let ended = Cell::new(false);
    // Cancel is a flag the page sets; a request in flight needs an abort.
    let watch_cancel = async {
        while !ended.get() {
            if cancelled.load(Ordering::Relaxed) {
                controller.abort();
                break;
            }
            sleep_ms(CANCEL_POLL_MS).await;
        }
    };
    let work = async {
        let outcome = async {
            warm_up(params, k, &controller).await?;
            let run = RequestRun {
                params,
                k,
                controller: &controller,
                start_ms: epoch_ms(),
                slots: RefCell::new(Slots::default()),
                spans: RefCell::new(Vec::new()),
                waiting_ms: Cell::new(0.0),
                task_ms: Cell::new(0.0),
            };
            let results: Vec<Result<(), (u32, Failed)>> = futures::stream::iter(0..params.n)
                .map(|index| run.one(index))
                .buffer_unordered(k as usize)
                .collect()
                .await;
            let makespan_ms = epoch_ms() - run.start_ms;
            // Every request answered: the run counts, even if Cancel came
            // as the last one did (the sweep stops before the next).
            if let Some((index, failed)) = first_failure(results) {
                return if cancelled.load(Ordering::Relaxed) {
                    Ok(None)
                } else {
                    Err(failed.said(Some(index)))
                };
            }
            Ok(Some(Timed {
                makespan_ms,
                spans: run.spans.take(),
                waiting_ms: run.waiting_ms.get(),
                task_ms: run.task_ms.get(),
            }))
        }
        .await;
        ended.set(true);
        outcome
    };
    let (outcome, ()) = futures::join!(work, watch_cancel);
    match outcome {
        Err(_) if cancelled.load(Ordering::Relaxed) => Ok(None),
        outcome => outcome,
    }
}
// endregion: shown
