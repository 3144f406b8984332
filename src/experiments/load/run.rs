//! One load run on the page's event loop: a closed load (c users, each
//! sending its next request when its last returns) or an open one (a
//! request due every 1/rate s, sent on schedule whether or not answers
//! came back), until `requests` are sent or `duration_s` has passed, or
//! Stop. Every answer goes into core's recorder at once (constant space);
//! the page sees a snapshot of it four times a second (`SNAPSHOT_EVERY_MS`).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::atomic::Ordering;

use futures::future::join_all;
use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::experiments::load::{
    Answer, Bin, Bucket, Ending, LoadMethod, LoadModel, LoadParams, LoadRecorder, LoadSummary, TracedRequest,
    histogram_buckets, summarize,
};
use overlap_core::lang::Said;
use overlap_core::records::server_timing::server_timing_ms;
use overlap_core::records::slots::Slots;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::browser::clock::epoch_ms;
use crate::browser::next_paint::after_next_paint;
use crate::browser::request::request_init;
use crate::browser::timer::sleep_ms;
use crate::widgets::run_control::{RunTicket, push_run, update_run};

/// The page redraws a run's figures this often while it runs: each redraw
/// rebuilds the report, so it is kept off most of the run's frames.
const SNAPSHOT_EVERY_MS: f64 = 250.0;
/// How often a run looks at Stop and at requests past their timeout: one
/// timer for the run, not one per request (a run may send 100,000).
const WATCH_EVERY_MS: i32 = 50;
/// The open model's clock sleeps at least this long (browsers stretch
/// nested timers to 4 ms anyway; each wake sends every request due).
const SCHEDULE_TICK_MS: i32 = 4;
/// How often the end of a run looks for requests still in flight.
const DRAIN_POLL_MS: i32 = 20;

/// What the page shows of a run: its figures at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadSnapshot {
    pub all: LoadSummary,
    pub ok_only: LoadSummary,
    pub buckets_all: Vec<Bucket>,
    pub buckets_ok: Vec<Bucket>,
    pub bins: Vec<Bin>,
    pub traced: Vec<TracedRequest>,
    pub in_flight: u32,
    pub elapsed_ms: f64,
}

impl LoadSnapshot {
    fn of(recorder: &LoadRecorder, elapsed_ms: f64) -> Self {
        LoadSnapshot {
            all: summarize(recorder, false),
            ok_only: summarize(recorder, true),
            buckets_all: histogram_buckets(recorder, false),
            buckets_ok: histogram_buckets(recorder, true),
            bins: recorder.bins.clone(),
            traced: recorder.traced.clone(),
            in_flight: recorder.in_flight(),
            elapsed_ms,
        }
    }

    pub fn summary(&self, ok_only: bool) -> &LoadSummary {
        if ok_only { &self.ok_only } else { &self.all }
    }

    pub fn buckets(&self, ok_only: bool) -> &[Bucket] {
        if ok_only { &self.buckets_ok } else { &self.buckets_all }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoadOutcome {
    Running,
    /// Every request sent and answered (or the duration passed).
    Complete,
    /// Stop aborted what was in flight; what was answered is kept.
    Stopped,
    Failed(Said),
}

/// Why a run was made: alone, as half of a Compare, or as a step of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunRole {
    Single,
    Compared { group: u32 },
    SweepStep { group: u32 },
}

overlap_core::numbered_by_id!(LoadRunRecord);

#[derive(Clone, Debug, PartialEq)]
pub struct LoadRunRecord {
    pub id: u32,
    pub params: LoadParams,
    pub role: RunRole,
    pub snapshot: Option<LoadSnapshot>,
    pub outcome: LoadOutcome,
}

/// What every request of one run shares.
struct LoadRun {
    params: LoadParams,
    /// The address for `target=urls`, checked by the page.
    typed_url: Option<String>,
    start_ms: f64,
    recorder: RefCell<LoadRecorder>,
    slots: RefCell<Slots>,
    next_index: Cell<u32>,
    /// Each request in flight by number (numbers are given as requests are
    /// sent, so the oldest comes first): when it was sent, its controller.
    in_flight: RefCell<BTreeMap<u32, (f64, web_sys::AbortController)>>,
    /// The requests the watch aborted for their timeout, until they end.
    timed_out: RefCell<BTreeSet<u32>>,
    /// The POST body, made once and sent by every request.
    body: Option<js_sys::Uint8Array>,
    stopped: Rc<Cell<bool>>,
}

thread_local! {
    /// Makes every delay request's address unique within the page's life.
    static NEXT_TAG: Cell<u32> = const { Cell::new(0) };
}

fn next_tag() -> u32 {
    NEXT_TAG.with(|tag| {
        let value = tag.get();
        tag.set(value.wrapping_add(1));
        value
    })
}

impl LoadRun {
    fn now_ms(&self) -> f64 {
        epoch_ms() - self.start_ms
    }

    fn time_is_up(&self) -> bool {
        self.now_ms() >= f64::from(self.params.duration_s) * 1_000.0
    }

    /// The next request's number, if the run sends more.
    fn take_index(&self) -> Option<u32> {
        let index = self.next_index.get();
        (index < self.params.requests && !self.stopped.get() && !self.time_is_up()).then(|| {
            self.next_index.set(index + 1);
            index
        })
    }

    /// Sends request `index`, due at `due_ms`, and records its answer.
    async fn one(&self, index: u32, due_ms: f64) {
        let url = match &self.typed_url {
            Some(url) => url.clone(),
            None => self.params.request_url(index, next_tag()),
        };
        let lane = self.slots.borrow_mut().take();
        let sent_ms = self.now_ms();
        self.recorder.borrow_mut().sent(index, lane, due_ms, sent_ms);
        let answer = match web_sys::AbortController::new() {
            Ok(controller) => {
                self.in_flight.borrow_mut().insert(index, (sent_ms, controller.clone()));
                let answer = send(&url, &self.params, self.body.as_ref(), &controller).await;
                self.in_flight.borrow_mut().remove(&index);
                let timed_out = self.timed_out.borrow_mut().remove(&index);
                match answer {
                    Sent::Answered(answered) => Some(answered),
                    Sent::Aborted if timed_out => Some(Answered::failed(Ending::Timeout)),
                    Sent::Aborted => None,
                    Sent::Failed => Some(Answered::failed(Ending::Network)),
                }
            }
            // No controller, no request: the browser refused it.
            Err(_) => Some(Answered::failed(Ending::Network)),
        };
        self.slots.borrow_mut().release(lane);
        let end_ms = self.now_ms();
        match answer {
            // Stop aborted it: it left without an answer.
            None => self.recorder.borrow_mut().stopped(sent_ms, end_ms),
            Some(answered) => self.recorder.borrow_mut().answered(&Answer {
                index,
                due_ms,
                sent_ms,
                end_ms,
                ending: answered.ending,
                bytes: answered.bytes,
                server_queue_ms: answered.server_queue_ms,
                server_work_ms: answered.server_work_ms,
            }),
        }
    }

    /// Aborts every request in flight (Stop): each is recorded as stopped.
    fn abort_all(&self) {
        let controllers: Vec<web_sys::AbortController> =
            self.in_flight.borrow().values().map(|(_, controller)| controller.clone()).collect();
        for controller in controllers {
            controller.abort();
        }
    }

    /// Aborts the requests in flight past their timeout; they end as
    /// timeouts. The oldest come first, so the walk stops at the first
    /// one still within its time.
    fn abort_timed_out(&self) {
        let expired_before_ms = self.now_ms() - f64::from(self.params.timeout_ms);
        let expired: Vec<(u32, web_sys::AbortController)> = self
            .in_flight
            .borrow()
            .iter()
            .take_while(|(_, (sent_ms, _))| *sent_ms <= expired_before_ms)
            .map(|(index, (_, controller))| (*index, controller.clone()))
            .collect();
        for (index, controller) in expired {
            if self.timed_out.borrow_mut().insert(index) {
                controller.abort();
            }
        }
    }
}

/// What came back for one request.
struct Answered {
    ending: Ending,
    bytes: u64,
    server_queue_ms: Option<f64>,
    server_work_ms: Option<f64>,
}

impl Answered {
    fn failed(ending: Ending) -> Self {
        Answered { ending, bytes: 0, server_queue_ms: None, server_work_ms: None }
    }
}

/// How `fetch()` ended: an answer, an abort (Stop or the timeout), or a
/// rejection (the network, CORS, a connection cut).
enum Sent {
    Answered(Answered),
    Aborted,
    Failed,
}

// region: shown
/// One request under `controller`, which Stop and the run's timeout watch
/// abort.
async fn send(
    url: &str,
    params: &LoadParams,
    body: Option<&js_sys::Uint8Array>,
    controller: &web_sys::AbortController,
) -> Sent {
    let Some(window) = web_sys::window() else { return Sent::Failed };
    let init = request_init(&controller.signal());
    if params.method == LoadMethod::Post {
        init.set_method("POST");
        if let Some(body) = body {
            init.set_body(body);
        }
    }
    let answer = async {
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.ok()?.dyn_into().ok()?;
        let timing = response.headers().get("server-timing").ok().flatten();
        let read = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
        Some(Answered {
            ending: Ending::Status(response.status()),
            bytes: u64::from(js_sys::ArrayBuffer::from(read).byte_length()),
            server_queue_ms: timing.as_deref().and_then(|timing| server_timing_ms(timing, "queue")),
            server_work_ms: timing.as_deref().and_then(|timing| server_timing_ms(timing, "cpu")),
        })
    }
    .await;
    match answer {
        Some(answered) => Sent::Answered(answered),
        None if controller.signal().aborted() => Sent::Aborted,
        None => Sent::Failed,
    }
}

/// The closed model: `users` loops, each sending its next request when
/// its last returns (`ThreadPoolExecutor(max_workers=users)` of loops).
async fn closed_load(run: &LoadRun) {
    let user = || async {
        while let Some(index) = run.take_index() {
            run.one(index, run.now_ms()).await;
        }
    };
    join_all((0..run.params.users).map(|_| user())).await;
}

/// The open model: request i is due at i / rate s; each wake of the clock
/// starts every request due, without waiting for any answer.
async fn open_load(run: &Rc<LoadRun>) {
    let schedule = run.params.schedule();
    while !run.stopped.get() {
        let due_ms = schedule.due_ms(run.next_index.get());
        let early_ms = due_ms - run.now_ms();
        if early_ms > 0.0 {
            // Sleep until the next request is due, waking at least every
            // watch so that Stop is seen at a low rate too.
            sleep_ms((early_ms.ceil() as i32).clamp(SCHEDULE_TICK_MS, WATCH_EVERY_MS)).await;
            continue;
        }
        let Some(index) = run.take_index() else { break };
        let run = run.clone();
        spawn_local(async move { run.one(index, due_ms).await });
    }
}
// endregion: shown

/// Runs one load run and keeps its record in `runs` up to date.
pub async fn run_load(
    params: LoadParams,
    typed_url: Option<String>,
    role: RunRole,
    ticket: RunTicket,
    runs: RwSignal<Vec<LoadRunRecord>>,
) {
    let id = ticket.id;
    let record =
        LoadRunRecord { id, params: params.clone(), role, snapshot: None, outcome: LoadOutcome::Running };
    push_run(runs, record);
    let recorder = match LoadRecorder::new() {
        Ok(recorder) => recorder,
        Err(error) => {
            let said = Said::as_given(error.to_string());
            update_run(runs, id, |run| run.outcome = LoadOutcome::Failed(said));
            return;
        }
    };
    let body = (params.method == LoadMethod::Post).then(|| {
        let body = js_sys::Uint8Array::new_with_length(params.body_bytes);
        body.fill(b'.', 0, params.body_bytes);
        body
    });
    // Drawing the last run never falls inside this one's measurement.
    after_next_paint().await;
    let stopped = Rc::new(Cell::new(false));
    let run = Rc::new(LoadRun {
        params: params.clone(),
        typed_url,
        start_ms: epoch_ms(),
        recorder: RefCell::new(recorder),
        slots: RefCell::new(Slots::default()),
        next_index: Cell::new(0),
        in_flight: RefCell::new(BTreeMap::new()),
        timed_out: RefCell::new(BTreeSet::new()),
        body,
        stopped: stopped.clone(),
    });
    let ended = Rc::new(Cell::new(false));
    let snapshot = |run: &LoadRun| LoadSnapshot::of(&run.recorder.borrow(), run.now_ms());
    // Stop (a flag the page sets), the timeouts and the live figures, on
    // a timer: it keeps running in a hidden tab, where frames stop.
    let watch = {
        let (run, ended) = (run.clone(), ended.clone());
        let cancelled = ticket.cancelled.clone();
        let progress = ticket.progress;
        async move {
            let mut last_ms = f64::NEG_INFINITY;
            while !ended.get() {
                sleep_ms(WATCH_EVERY_MS).await;
                if cancelled.load(Ordering::Relaxed) && !run.stopped.get() {
                    run.stopped.set(true);
                    run.abort_all();
                }
                run.abort_timed_out();
                let now_ms = run.now_ms();
                if now_ms - last_ms >= SNAPSHOT_EVERY_MS {
                    last_ms = now_ms;
                    let shot = snapshot(&run);
                    progress.set(shot.all.sent as usize);
                    update_run(runs, id, |record| record.snapshot = Some(shot));
                }
            }
        }
    };
    let load = {
        let (run, ended) = (run.clone(), ended.clone());
        async move {
            match run.params.model {
                LoadModel::Closed => closed_load(&run).await,
                LoadModel::Open => open_load(&run).await,
            }
            // The open model's requests run on their own: wait for the last.
            while !run.in_flight.borrow().is_empty() {
                sleep_ms(DRAIN_POLL_MS).await;
            }
            ended.set(true);
        }
    };
    futures::join!(load, watch);
    let shot = snapshot(&run);
    let outcome = if stopped.get() { LoadOutcome::Stopped } else { LoadOutcome::Complete };
    ticket.progress.set(shot.all.sent as usize);
    update_run(runs, id, |record| {
        record.snapshot = Some(shot);
        record.outcome = outcome;
    });
}
