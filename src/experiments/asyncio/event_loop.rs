//! The notes' asyncio programs as Rust futures on an isolated worker's own
//! event loop: one thread, which switches between coroutines only where
//! they await, as asyncio's loop does. The page never runs them, so a
//! coroutine that never awaits freezes this worker's loop, not the page.
//!
//! Every coroutine is traced on its own lane: running while it is polled,
//! awaiting while it is suspended, ready once what it awaited has come but
//! the loop's thread is still busy elsewhere, cancelled when it is dropped
//! at an await. Each printed line goes to the page as it is printed.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::FutureExt;
use futures::future::{AbortHandle, Abortable, Either, LocalBoxFuture, RemoteHandle, join_all, select};
use js_sys::Float64Array;
use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::asyncio::{
    CANCEL_AT_UNITS, COMPUTE_FROM_UNITS, COMPUTE_UNITS, Ending, Line, LoopEvent, SLICE_UNITS, Scenario,
    TICKS, TIMEOUT_UNITS, coroutines, encode_events, urls,
};
use overlap_core::records::span::SpanState;
use wasm_bindgen::prelude::*;

use crate::browser::clock::epoch_ms;
use crate::browser::timer::{next_turn, sleep_ms};
use crate::workers::isolated_worker::post_progress;

/// What every coroutine records into: closed spans and printed lines, and
/// each lane's span still open.
#[derive(Clone)]
struct Recorder(Rc<RefCell<Recording>>);

struct Recording {
    /// When the program started: the lines posted live are timed from it.
    origin_ms: f64,
    events: Vec<LoopEvent>,
    open: Vec<Option<(SpanState, f64)>>,
}

impl Recorder {
    fn new(lanes: usize) -> Self {
        Recorder(Rc::new(RefCell::new(Recording {
            origin_ms: epoch_ms(),
            events: Vec::new(),
            open: vec![None; lanes],
        })))
    }

    /// Closes `lane`'s open span now and, with a state, opens the next.
    fn enter(&self, lane: u32, next: Option<SpanState>) {
        let now_ms = epoch_ms();
        let mut recording = self.0.borrow_mut();
        let Recording { events, open, .. } = &mut *recording;
        let Some(slot) = open.get_mut(lane as usize) else { return };
        if let Some((state, start_ms)) = slot.take() {
            events.push(LoopEvent::Span { lane, state, start_ms, end_ms: now_ms });
        }
        *slot = next.map(|state| (state, now_ms));
    }

    /// The lane's open span takes `state` from here on (raised, cancelled).
    fn mark(&self, lane: u32, state: SpanState) {
        if let Some(Some((open_state, _))) = self.0.borrow_mut().open.get_mut(lane as usize) {
            *open_state = state;
        }
    }

    /// What the lane awaited was due at `due_ms`; from then until now it
    /// was ready but not run: its last wait splits there.
    fn ready_since(&self, lane: u32, due_ms: f64) {
        let mut recording = self.0.borrow_mut();
        let last_wait = recording.events.iter().rposition(
            |event| matches!(event, LoopEvent::Span { lane: on, state: SpanState::Awaiting, .. } if *on == lane),
        );
        let Some(index) = last_wait else { return };
        let LoopEvent::Span { start_ms, end_ms, .. } = recording.events[index] else { return };
        let split_ms = due_ms.clamp(start_ms, end_ms);
        recording.events[index] =
            LoopEvent::Span { lane, state: SpanState::Awaiting, start_ms, end_ms: split_ms };
        recording.events.push(LoopEvent::Span {
            lane,
            state: SpanState::ReadyForLoop,
            start_ms: split_ms,
            end_ms,
        });
    }

    /// Records a printed line, and posts it to the page at once, timed
    /// from the program's start (the record keeps the worker's clock).
    fn print(&self, lane: u32, line: Line) {
        let at_ms = epoch_ms();
        let origin_ms = {
            let mut recording = self.0.borrow_mut();
            recording.events.push(LoopEvent::Print { lane, at_ms, line });
            recording.origin_ms
        };
        let posted = LoopEvent::Print { lane, at_ms: at_ms - origin_ms, line };
        post_progress(&Float64Array::from(encode_events(&[posted]).as_slice()).into());
    }

    fn events(&self) -> Vec<LoopEvent> {
        self.0.borrow().events.clone()
    }
}

/// A coroutine on its lane: running while polled, awaiting while pending;
/// dropped before its end, it was cancelled at the await it was in.
struct Traced<'a, T> {
    recorder: Recorder,
    lane: u32,
    coroutine: LocalBoxFuture<'a, T>,
    ended: bool,
}

fn traced<'a, T>(recorder: &Recorder, lane: u32, coroutine: impl Future<Output = T> + 'a) -> Traced<'a, T> {
    Traced { recorder: recorder.clone(), lane, coroutine: coroutine.boxed_local(), ended: false }
}

impl<T> Future for Traced<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        this.recorder.enter(this.lane, Some(SpanState::Running));
        let polled = this.coroutine.as_mut().poll(context);
        match polled {
            Poll::Pending => this.recorder.enter(this.lane, Some(SpanState::Awaiting)),
            Poll::Ready(_) => {
                this.ended = true;
                this.recorder.enter(this.lane, None);
            }
        }
        polled
    }
}

impl<T> Drop for Traced<'_, T> {
    fn drop(&mut self) {
        if !self.ended {
            self.recorder.mark(self.lane, SpanState::Cancelled);
            self.recorder.enter(self.lane, None);
        }
    }
}

/// Runs `on_cancel` if dropped before `defuse`: a coroutine dropped at an
/// await, as Python's `except CancelledError` sees it.
struct OnCancel<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> OnCancel<F> {
    fn defuse(mut self) {
        self.0 = None;
    }
}

impl<F: FnOnce()> Drop for OnCancel<F> {
    fn drop(&mut self) {
        if let Some(on_cancel) = self.0.take() {
            on_cancel();
        }
    }
}

/// `asyncio.create_task`: the coroutine runs on the loop from its next
/// turn; the handle awaits its result, or says it was cancelled.
fn create_task<T: 'static>(
    coroutine: impl Future<Output = T> + 'static,
) -> (RemoteHandle<Result<T, futures::future::Aborted>>, AbortHandle) {
    let (abort, registration) = AbortHandle::new_pair();
    let (task, handle) = Abortable::new(coroutine, registration).remote_handle();
    wasm_bindgen_futures::spawn_local(task);
    (handle, abort)
}

// region: shown
/// `await asyncio.sleep(until due)`: suspended until the timer is due, then
/// ready until the loop's thread runs this coroutine again. Returns how
/// late that was. A due time already past still yields one turn.
async fn sleep_until(recorder: &Recorder, lane: u32, due_ms: f64) -> f64 {
    let wait_ms = (due_ms - epoch_ms()).ceil();
    if wait_ms > 0.0 {
        sleep_ms(wait_ms as i32).await;
    } else {
        next_turn().await;
    }
    recorder.ready_since(lane, due_ms);
    (epoch_ms() - due_ms).max(0.0)
}

/// `crawl_page(url)`: `url_<n>` waits n units.
async fn crawl_page(recorder: Recorder, lane: u32, url: u32, unit_ms: f64) {
    recorder.print(lane, Line::Crawling(url));
    let cancelled = OnCancel(Some(|| recorder.print(lane, Line::Cancelled(url))));
    sleep_until(&recorder, lane, epoch_ms() + f64::from(url) * unit_ms).await;
    cancelled.defuse();
    recorder.print(lane, Line::Ok(url));
}

/// The notes' workers: worker_2 raises (`2 / 0`), the others return their number.
async fn worker(recorder: Recorder, lane: u32, number: u32, unit_ms: f64) -> Result<u32, ()> {
    sleep_until(&recorder, lane, epoch_ms() + f64::from(number) * unit_ms).await;
    if number == 2 {
        recorder.mark(lane, SpanState::Failed);
        return Err(()); // ZeroDivisionError
    }
    Ok(number)
}

async fn ticker(recorder: Recorder, lane: u32, unit_ms: f64) {
    let start_ms = epoch_ms();
    for tick in 1..=TICKS {
        let late_ms = sleep_until(&recorder, lane, start_ms + f64::from(tick) * unit_ms).await;
        recorder.print(lane, Line::Tick { tick, late_ms });
    }
}

async fn compute(recorder: Recorder, lane: u32, unit_ms: f64, cooperative: bool) {
    sleep_until(&recorder, lane, epoch_ms() + COMPUTE_FROM_UNITS * unit_ms).await;
    let end_ms = epoch_ms() + f64::from(COMPUTE_UNITS) * unit_ms;
    if cooperative {
        while epoch_ms() < end_ms {
            let slice_end_ms = end_ms.min(epoch_ms() + SLICE_UNITS * unit_ms);
            while epoch_ms() < slice_end_ms {
                std::hint::spin_loop();
            }
            next_turn().await; // asyncio.sleep(0): the loop runs what is due
        }
    } else {
        while epoch_ms() < end_ms {
            std::hint::spin_loop(); // never awaits: the loop waits for it
        }
    }
    recorder.print(lane, Line::Computed);
}

async fn main(recorder: Recorder, scenario: Scenario, unit_ms: f64) {
    let lane_of = |index: usize| index as u32 + 1;
    match scenario {
        Scenario::Sequential => {
            for (index, url) in urls(scenario).iter().enumerate() {
                let lane = lane_of(index);
                traced(&recorder, lane, crawl_page(recorder.clone(), lane, *url, unit_ms)).await;
            }
        }
        Scenario::Tasks => {
            let tasks: Vec<_> = urls(scenario)
                .iter()
                .enumerate()
                .map(|(index, url)| {
                    let lane = lane_of(index);
                    create_task(traced(&recorder, lane, crawl_page(recorder.clone(), lane, *url, unit_ms))).0
                })
                .collect();
            join_all(tasks).await; // gather(*tasks)
        }
        Scenario::Gather => {
            let tasks: Vec<_> = (1..=3)
                .map(|number| {
                    let lane = lane_of(number as usize - 1);
                    create_task(traced(&recorder, lane, worker(recorder.clone(), lane, number, unit_ms)))
                })
                .collect();
            sleep_until(&recorder, 0, epoch_ms() + f64::from(CANCEL_AT_UNITS) * unit_ms).await;
            tasks[2].1.abort(); // task_3.cancel()
            let results = join_all(tasks.into_iter().map(|(handle, _)| handle)).await;
            let ending = |result: &Result<Result<u32, ()>, _>| match result {
                Ok(Ok(_)) => Ending::Returned,
                Ok(Err(())) => Ending::Raised,
                Err(_) => Ending::Cancelled,
            };
            recorder
                .print(0, Line::Gathered([ending(&results[0]), ending(&results[1]), ending(&results[2])]));
        }
        Scenario::WaitFor => {
            for (index, url) in urls(scenario).iter().enumerate() {
                let lane = lane_of(index);
                let crawl = traced(&recorder, lane, crawl_page(recorder.clone(), lane, *url, unit_ms));
                let timeout = sleep_ms((f64::from(TIMEOUT_UNITS) * unit_ms) as i32).boxed_local();
                // Whichever ends first; a crawl still awaiting at the timeout
                // is dropped there, which cancels it, before main goes on.
                if let Either::Right((_, crawl)) = select(crawl, timeout).await {
                    drop(crawl);
                    recorder.print(0, Line::TimedOut(*url));
                }
            }
        }
        Scenario::Blocking | Scenario::Cooperative => {
            let cooperative = scenario == Scenario::Cooperative;
            let (ticks, _) = create_task(traced(&recorder, 1, ticker(recorder.clone(), 1, unit_ms)));
            let (computed, _) =
                create_task(traced(&recorder, 2, compute(recorder.clone(), 2, unit_ms, cooperative)));
            // gather(ticker(…), compute(…)); nothing here cancels either.
            let (_ticked, _computed) = futures::join!(ticks, computed);
        }
    }
}
// endregion: shown

/// Runs one scenario on this worker's loop and answers with everything it
/// recorded, as numbers (`overlap_core::experiments::asyncio::decode_events`).
#[wasm_bindgen]
pub async fn isolated_worker_asyncio_run(scenario: String, unit_ms: u32) -> Result<Float64Array, JsValue> {
    let scenario = Scenario::from_text(&scenario)
        .ok_or_else(|| JsValue::from_str(&format!("no asyncio scenario {scenario}")))?;
    let recorder = Recorder::new(coroutines(scenario).len());
    traced(&recorder, 0, main(recorder.clone(), scenario, f64::from(unit_ms))).await;
    Ok(Float64Array::from(encode_events(&recorder.events()).as_slice()))
}
