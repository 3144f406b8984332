//! One I/O run: many `fetch()` requests driven by Rust futures, sequentially,
//! all at once, or through a bounded pool, each with a timeout and all
//! cancellable. Every request records when it waited for a slot, for its
//! first byte, and for the rest of its body.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::StreamExt;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use overlap_core::experiments::fetch::{
    FetchFacts, FetchMode, FetchParams, FetchTarget, PlannedRequest, RequestOutcome, ServedBy, Slots,
    planned_requests, server_queue_ms,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::span::{Span, SpanState};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::browser::clock::epoch_ms;
use crate::browser::next_paint::drawing_while;
use crate::browser::request::{Deadline, request_init};
use crate::browser::timer::next_turn;
use crate::experiments::fetch::isolated;
use crate::widgets::run_control::{push_run, update_run};

/// One request as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestRecord {
    pub index: u32,
    pub label: String,
    pub outcome: RequestOutcome,
    /// From sending the request to the end of its body (or its failure).
    pub latency_ms: f64,
}

overlap_core::numbered_by_id!(FetchRunRecord);

#[derive(Clone, Debug, PartialEq)]
pub struct FetchRunRecord {
    pub id: u32,
    pub params: FetchParams,
    /// What each request was asked to wait (the delays the ideal uses);
    /// `None` for typed addresses, whose latency nobody chose.
    pub planned_delays_ms: Option<Vec<f64>>,
    pub total: usize,
    /// Finished requests, in the order they finished.
    pub finished: Vec<RequestRecord>,
    pub spans: Vec<Span>,
    pub in_progress: bool,
    pub cancelled: bool,
    pub failure: Option<Said>,
}

impl FetchRunRecord {
    pub fn total(&self) -> usize {
        self.total
    }

    /// Runs of the same requests (target, count, latency, status) compare.
    pub fn same_requests(&self, other: &FetchRunRecord) -> bool {
        self.work() == other.work()
    }

    /// The requests a run made, as a key: runs with equal keys compare.
    pub fn work(&self) -> String {
        let params = &self.params;
        format!(
            "{} {} n={} latency={} status={}",
            <&str>::from(params.target),
            <&str>::from(params.served_by),
            params.n_or_default(),
            params.latency_or_default(),
            params.status_or_default()
        )
    }

    pub fn title(&self, lang: Lang) -> String {
        self.params.mode.run_title(self.params.workers_or_default(), lang)
    }

    /// A lane's name: a slot for a request in flight, or an isolated worker.
    pub fn lane_name(&self, lane: u32, lang: Lang) -> String {
        self.params.mode.lane_name(lane, lang)
    }

    /// Whether it ran every request (not cancelled, not stopped short).
    pub fn complete(&self) -> bool {
        !self.in_progress && !self.cancelled && self.failure.is_none()
    }

    /// What the figures need of it.
    pub fn facts(&self) -> FetchFacts<'_> {
        FetchFacts {
            params: &self.params,
            spans: &self.spans,
            finished: self.finished.iter().map(|request| (request.latency_ms, &request.outcome)).collect(),
            total: self.total,
            planned_delays_ms: self.planned_delays_ms.as_deref(),
            in_progress: self.in_progress,
        }
    }

    /// The latest complete sequential run of the same requests in `runs`.
    pub fn baseline<'a>(&self, runs: &'a [FetchRunRecord]) -> Option<&'a FetchRunRecord> {
        runs.iter().rev().find(|other| {
            other.params.mode == FetchMode::Sequential
                && !other.in_progress
                && !other.cancelled
                && other.same_requests(self)
        })
    }
}

/// Where a planned request goes, relative to the page.
/// `tag` makes the address unique within the page's life, so each request
/// has its own Resource Timing entry.
pub(crate) fn request_url(params: &FetchParams, request: &PlannedRequest, tag: u32) -> String {
    let via_worker = match params.target {
        // A typed address is the label itself, checked before the run.
        FetchTarget::Urls => return request.label.clone(),
        FetchTarget::Server => false,
        FetchTarget::ServiceWorker => true,
        FetchTarget::Preset => params.served_by == ServedBy::ServiceWorker,
    };
    if via_worker {
        format!(
            "./sw-api/delay?ms={}&bytes={}&status={}&capacity={}&tag={tag}",
            request.delay_ms,
            request.bytes,
            request.status,
            params.capacity_or_default()
        )
    } else {
        format!(
            "./api/delay?ms={}&bytes={}&status={}&tag={tag}",
            request.delay_ms, request.bytes, request.status
        )
    }
}

/// What every request of a run shares on the main thread.
pub(crate) struct RunShared {
    run_id: u32,
    pub(crate) run_start_ms: f64,
    timeout_ms: u32,
    slots: RefCell<Slots>,
    /// Aborts every request in flight; set by Cancel.
    pub(crate) cancel_all: web_sys::AbortController,
    pub(crate) cancelled: Cell<bool>,
    pending: RefCell<Vec<Report>>,
    /// Why the run could not send every request (a worker failed to start).
    failure: RefCell<Option<Said>>,
    /// Gather's later turns of the event loop, one after another: turn `k`
    /// resolves a turn after turn `k - 1` (`start_turn`).
    start_turns: RefCell<Vec<Shared<LocalBoxFuture<'static, ()>>>>,
    /// The turn gather hands requests over in, and when it began (epoch ms).
    start_slice: Cell<(usize, f64)>,
}

/// What a request reports to the page: a span, or its end.
enum Report {
    Span(Span),
    Finished(RequestRecord),
}

impl RunShared {
    /// A number unique to this request among the page's last thousand runs.
    pub(crate) fn tag(&self, index: u32) -> u32 {
        (self.run_id % 1000) * 1000 + index % 1000
    }

    pub(crate) fn now_ms(&self) -> f64 {
        epoch_ms() - self.run_start_ms
    }

    /// Resolves on the `turn`-th turn of the event loop after the run's
    /// first (`turn` is at least 1): every request waiting for a turn
    /// awaits the same one, and each turn awaits the one before, so a run
    /// costs one message per turn, not one chain of turns per request.
    fn start_turn(&self, turn: usize) -> Shared<LocalBoxFuture<'static, ()>> {
        let mut turns = self.start_turns.borrow_mut();
        while turns.len() < turn {
            let previous = turns.last().cloned();
            let next = async move {
                if let Some(previous) = previous {
                    previous.await;
                }
                next_turn().await;
            };
            turns.push(next.boxed_local().shared());
        }
        turns[turn.saturating_sub(1)].clone()
    }

    /// Returns once this turn of the event loop has had less than
    /// `GATHER_SLICE_MS` of handing requests over (with the run's first
    /// render in the first turn); else waits for the next turn, whose
    /// first request starts its slice.
    async fn start_slot(&self) {
        loop {
            let (turn, slice_start_ms) = self.start_slice.get();
            if epoch_ms() - slice_start_ms < GATHER_SLICE_MS {
                return;
            }
            self.start_turn(turn + 1).await;
            if self.start_slice.get().0 <= turn {
                self.start_slice.set((turn + 1, epoch_ms()));
            }
        }
    }

    pub(crate) fn record(&self, span: Span) {
        self.pending.borrow_mut().push(Report::Span(span));
    }

    /// Records how request `index` ended.
    pub(crate) fn finish(
        &self,
        index: u32,
        request: &PlannedRequest,
        outcome: RequestOutcome,
        start_ms: f64,
        end_ms: f64,
    ) {
        let record =
            RequestRecord { index, label: request.label.clone(), outcome, latency_ms: end_ms - start_ms };
        self.pending.borrow_mut().push(Report::Finished(record));
    }

    /// Ends every request not yet taken, because the run cannot go on.
    pub(crate) fn fail_remaining(
        &self,
        requests: &[(u32, PlannedRequest)],
        next: &Cell<usize>,
        message: &Said,
    ) {
        self.failure.borrow_mut().get_or_insert_with(|| message.clone());
        let now_ms = self.now_ms();
        while let Some((index, request)) = requests.get(next.get()) {
            next.set(next.get() + 1);
            self.finish(*index, request, RequestOutcome::NetworkError, now_ms, now_ms);
        }
    }
}

/// A handle the page keeps to cancel the run in progress.
#[derive(Clone)]
pub struct CancelHandle(Rc<RunShared>);

impl CancelHandle {
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        self.0.cancel_all.abort();
    }
}

/// Runs `params`, appending the run to `runs` and drawing its progress at
/// the live drawing rate. `typed_urls` are the checked addresses for the typed
/// target. `on_start` receives the handle Cancel uses.
pub async fn run_fetch(
    params: FetchParams,
    typed_urls: Vec<String>,
    id: u32,
    runs: RwSignal<Vec<FetchRunRecord>>,
    on_start: impl FnOnce(CancelHandle),
) {
    let planned = match params.target {
        FetchTarget::Urls => typed_urls
            .into_iter()
            .map(|url| PlannedRequest { label: url, delay_ms: 0, bytes: 0, status: 0 })
            .collect(),
        target => planned_requests(
            target,
            params.n_or_default(),
            params.latency_or_default(),
            params.status_or_default() as u16,
        ),
    };
    let Ok(cancel_all) = web_sys::AbortController::new() else {
        return;
    };
    // Room for every entry of a run of up to 1000 requests.
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        performance.set_resource_timing_buffer_size(10_000);
    }
    let shared = Rc::new(RunShared {
        run_id: id,
        run_start_ms: epoch_ms(),
        timeout_ms: params.timeout_or_default(),
        slots: RefCell::new(Slots::default()),
        cancel_all,
        cancelled: Cell::new(false),
        pending: RefCell::new(Vec::new()),
        failure: RefCell::new(None),
        start_turns: RefCell::new(Vec::new()),
        start_slice: Cell::new((0, epoch_ms())),
    });
    on_start(CancelHandle(shared.clone()));
    push_run(
        runs,
        FetchRunRecord {
            id,
            params: params.clone(),
            planned_delays_ms: (params.target != FetchTarget::Urls)
                .then(|| planned.iter().map(|request| f64::from(request.delay_ms)).collect()),
            total: planned.len(),
            finished: Vec::new(),
            spans: Vec::new(),
            in_progress: true,
            cancelled: false,
            failure: None,
        },
    );
    let flush = {
        let shared = shared.clone();
        move |in_progress: bool| {
            let reports = shared.pending.take();
            let cancelled = shared.cancelled.get();
            let failure = shared.failure.borrow().clone();
            update_run(runs, id, |run| {
                for report in reports {
                    match report {
                        Report::Span(span) => run.spans.push(span),
                        Report::Finished(request) => run.finished.push(request),
                    }
                }
                run.in_progress = in_progress;
                run.cancelled = cancelled;
                run.failure = failure.clone();
            });
        }
    };
    let requests: Vec<(u32, PlannedRequest)> = (0..).zip(planned).collect();
    let has_reports = || !shared.pending.borrow().is_empty();
    drawing_while(run_mode(&params, &shared, requests), has_reports, || flush(true)).await;
    flush(false);
}

// region: shown
/// The three ways of driving the same request futures.
async fn run_mode(params: &FetchParams, shared: &RunShared, requests: Vec<(u32, PlannedRequest)>) {
    let one = |(index, request): (u32, PlannedRequest)| fetch_one(params, shared, index, request);
    match params.mode {
        // Await each request before starting the next.
        FetchMode::Sequential => {
            for request in requests {
                one(request).await;
            }
        }
        // Start every request at once (handed to the browser in 16 ms slices
        // of the event loop, so the page keeps drawing) and await them all;
        // a failure is recorded as that request's outcome and never loses
        // the others.
        FetchMode::Gather => {
            futures::future::join_all(requests.into_iter().map(one)).await;
        }
        // At most k in flight: the next starts when one finishes.
        FetchMode::Pool => {
            let k = params.workers_or_default() as usize;
            futures::stream::iter(requests).map(one).buffer_unordered(k).collect::<Vec<()>>().await;
        }
        // k isolated workers, one request each at a time (isolated_fetch.rs).
        FetchMode::Workers => isolated::run(params, shared, requests).await,
    }
}
// endregion: shown

/// How long gather hands requests to the browser in one turn of the event
/// loop before it lets the page draw. Started all in one turn, 60 requests
/// were one task of 53-70 ms with the run's first render (the bench's
/// longest tasks, Long Tasks API): `fetch()` itself is about 0.3 ms a
/// request here, and each request's abort signal, timer and listener
/// about 0.1 ms more. The frames drawn between slices are what it costs:
/// 600 requests of 100 ms on the service worker's server (capacity 1,000)
/// took 5.5-5.7x the ideal in 16 ms slices, 6.1-6.4x at twelve a turn, and
/// 4.0-4.4x in one turn, which froze the page for 136-167 ms; 60 requests
/// fit in a slice or two at no measurable cost (dev server 1.06-1.08,
/// service worker 1.01).
const GATHER_SLICE_MS: f64 = 16.0;

/// Sends one request (unless the run was cancelled first), reads its body,
/// and records its spans and outcome.
async fn fetch_one(params: &FetchParams, shared: &RunShared, index: u32, request: PlannedRequest) {
    // Gather polls every request at once: they are handed over in slices
    // of the event loop's turns, so the page keeps drawing frames meanwhile.
    if params.mode == FetchMode::Gather {
        shared.start_slot().await;
    }
    let start_ms = shared.now_ms();
    shared.record(Span {
        task: Some(index),
        lane: None,
        state: SpanState::Queued,
        start_ms: 0.0,
        end_ms: start_ms,
    });
    let finish = |outcome: RequestOutcome, end_ms: f64| {
        let record =
            RequestRecord { index, label: request.label.clone(), outcome, latency_ms: end_ms - start_ms };
        shared.pending.borrow_mut().push(Report::Finished(record));
    };
    if shared.cancelled.get() {
        finish(RequestOutcome::Cancelled, start_ms);
        return;
    }
    let slot = shared.slots.borrow_mut().take();
    let outcome =
        send(&request_url(params, &request, shared.tag(index)), shared, index, slot, start_ms).await;
    let end_ms = shared.now_ms();
    shared.slots.borrow_mut().release(slot);
    finish(outcome, end_ms);
}

/// The request itself: `fetch`, then its body, under a timeout and the
/// run's Cancel, recording `waiting` (to first byte) and `downloading`.
async fn send(url: &str, shared: &RunShared, index: u32, slot: u32, start_ms: f64) -> RequestOutcome {
    let Some(window) = web_sys::window() else {
        return RequestOutcome::NetworkError;
    };
    let Ok(deadline) = Deadline::new(shared.timeout_ms) else {
        return RequestOutcome::NetworkError;
    };
    let controller = &deadline.controller;
    // Cancel-all aborts this request too.
    let forward_cancel = {
        let controller = controller.clone();
        Closure::<dyn FnMut()>::new(move || controller.abort())
    };
    let cancel_signal = shared.cancel_all.signal();
    let _ = cancel_signal.add_event_listener_with_callback("abort", forward_cancel.as_ref().unchecked_ref());

    let init = request_init(&controller.signal());
    // Where the current phase began: a failure ends whichever phase it cut.
    let phase_start_ms = Cell::new(start_ms);

    let outcome = async {
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| ())?
            .dyn_into()
            .map_err(|_| ())?;
        let first_byte_ms = shared.now_ms();
        phase_start_ms.set(first_byte_ms);
        let status = response.status();
        // The simulated server says how long the request waited for a free
        // place; that wait is queueing, not time on the wire.
        let server_queued_ms = response
            .headers()
            .get("server-timing")
            .ok()
            .flatten()
            .and_then(|timing| server_queue_ms(&timing))
            .unwrap_or(0.0);
        let body = JsFuture::from(response.array_buffer().map_err(|_| ())?).await.map_err(|_| ())?;
        let body_bytes = js_sys::ArrayBuffer::from(body).byte_length();
        let end_ms = shared.now_ms();
        // The browser's own timings, where it gives them, split what the page
        // saw as waiting into waiting for a connection (six per host over
        // HTTP/1.1) and waiting for the first byte.
        let phases = resource_timing(url)
            .map(|timing| timing.on_run_clock(shared.run_start_ms, start_ms, end_ms))
            .unwrap_or(Phases { connection_ms: start_ms, first_byte_ms });
        let span =
            |state, start_ms, end_ms| Span { task: Some(index), lane: Some(slot), state, start_ms, end_ms };
        let served_ms = (phases.connection_ms + server_queued_ms).min(phases.first_byte_ms);
        if served_ms > start_ms {
            shared.record(span(SpanState::Queued, start_ms, served_ms));
        }
        shared.record(span(SpanState::Waiting, served_ms, phases.first_byte_ms));
        shared.record(span(SpanState::Downloading, phases.first_byte_ms, end_ms));
        Ok::<_, ()>(RequestOutcome::Response { status, body_bytes: u64::from(body_bytes) })
    }
    .await;

    let _ =
        cancel_signal.remove_event_listener_with_callback("abort", forward_cancel.as_ref().unchecked_ref());
    match outcome {
        Ok(outcome) => outcome,
        Err(()) => {
            let failed_ms = shared.now_ms();
            let outcome = if deadline.timed_out() {
                RequestOutcome::TimedOut
            } else if shared.cancelled.get() {
                RequestOutcome::Cancelled
            } else {
                RequestOutcome::NetworkError
            };
            let state =
                if outcome == RequestOutcome::Cancelled { SpanState::Cancelled } else { SpanState::Failed };
            shared.record(Span {
                task: Some(index),
                lane: Some(slot),
                state,
                start_ms: phase_start_ms.get(),
                end_ms: failed_ms,
            });
            outcome
        }
    }
}

/// When a request got its connection and its first byte, on the run's clock.
struct Phases {
    connection_ms: f64,
    first_byte_ms: f64,
}

/// A request's Resource Timing entry, in epoch milliseconds.
pub(crate) struct ResourceTiming {
    /// When the request went out on its connection: before it, it waited in
    /// the browser for one.
    pub(crate) request_start_ms: f64,
    response_start_ms: f64,
}

impl ResourceTiming {
    /// Kept inside what the page measured itself, so a lane's spans never
    /// overlap even where two clocks disagree.
    fn on_run_clock(&self, run_start_ms: f64, start_ms: f64, end_ms: f64) -> Phases {
        let clamp = |epoch_ms: f64| (epoch_ms - run_start_ms).clamp(start_ms, end_ms);
        let connection_ms = clamp(self.request_start_ms);
        Phases { connection_ms, first_byte_ms: clamp(self.response_start_ms).max(connection_ms) }
    }
}

/// The browser's timing of the latest request to `url`; `None` where it
/// gives none (a cross-origin server that sends no Timing-Allow-Origin).
fn resource_timing(url: &str) -> Option<ResourceTiming> {
    let window = web_sys::window()?;
    let absolute = web_sys::Url::new_with_base(url, &window.location().href().ok()?).ok()?.href();
    resource_timing_in(&window.performance()?, &absolute)
}

/// The same, from any global's `performance` (a worker has its own), for an
/// absolute `url`.
pub(crate) fn resource_timing_in(performance: &web_sys::Performance, url: &str) -> Option<ResourceTiming> {
    let entries = performance.get_entries_by_name_with_entry_type(url, "resource");
    let entry: web_sys::PerformanceResourceTiming =
        entries.get(entries.length().checked_sub(1)?).dyn_into().ok()?;
    let origin_ms = performance.time_origin();
    (entry.request_start() > 0.0 && entry.response_start() > 0.0).then(|| ResourceTiming {
        request_start_ms: origin_ms + entry.request_start(),
        response_start_ms: origin_ms + entry.response_start(),
    })
}
