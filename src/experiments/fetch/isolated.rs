//! Fetching from isolated workers: the process-pool analogue for I/O. Each
//! of `k` workers, with its own instance and memory, sends one request at a
//! time; the page hands out the next request when a worker answers.

use std::cell::Cell;

use futures::future::{Either, select};
use js_sys::{Float64Array, Object, Promise, Reflect};
use overlap_core::experiments::fetch::{FetchParams, PlannedRequest, RequestOutcome, server_queue_ms};
use overlap_core::lang::Said;
use overlap_core::records::span::{Span, SpanState};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::clock::epoch_ms;
use crate::browser::request::{Deadline, request_init};
use crate::experiments::fetch::run::{RunShared, request_url, resource_timing_in};
use crate::workers::isolated_worker::{IsolatedWorker, Reply, answer_field};

/// Runs `requests` on `params.workers` isolated workers.
pub(crate) async fn run(params: &FetchParams, shared: &RunShared, requests: Vec<(u32, PlannedRequest)>) {
    // Resolves when Cancel all is pressed: in-flight requests are then
    // abandoned by ending their workers.
    let signal = shared.cancel_all.signal();
    let cancelled = Promise::new(&mut |resolve, _reject| {
        if signal.aborted() {
            let _ = resolve.call0(&JsValue::NULL);
        } else {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
    });
    let next = Cell::new(0usize);
    let lanes = (0..params.workers_or_default().min(requests.len() as u32))
        .map(|lane| work_lane(lane, params, shared, &requests, &next, cancelled.clone()));
    futures::future::join_all(lanes).await;
}

// region: shown
/// One isolated worker: start it, then send it one request at a time.
async fn work_lane(
    lane: u32,
    params: &FetchParams,
    shared: &RunShared,
    requests: &[(u32, PlannedRequest)],
    next: &Cell<usize>,
    cancelled: Promise,
) {
    let span = |task: Option<u32>, state, start_ms: f64, end_ms: f64| {
        shared.record(Span { task, lane: Some(lane), state, start_ms, end_ms })
    };
    let starting_ms = shared.now_ms();
    let mut worker = match IsolatedWorker::spawn() {
        Ok(worker) => worker,
        Err(message) => return shared.fail_remaining(requests, next, &message),
    };
    match worker.reply().await {
        Reply::Ready => span(None, SpanState::Starting, starting_ms, shared.now_ms()),
        Reply::Failed(message) => return shared.fail_remaining(requests, next, &message),
        Reply::Answer { .. } => {
            let said = Said::new("the worker answered before it started", "工作者在启动之前就回答了");
            return shared.fail_remaining(requests, next, &said);
        }
    }
    while let Some((index, request)) = requests.get(next.get()) {
        next.set(next.get() + 1);
        let taken_ms = shared.now_ms();
        shared.record(Span {
            task: Some(*index),
            lane: None,
            state: SpanState::Queued,
            start_ms: 0.0,
            end_ms: taken_ms,
        });
        if shared.cancelled.get() {
            shared.finish(*index, request, RequestOutcome::Cancelled, taken_ms, taken_ms);
            continue;
        }
        let url = request_url(params, request, shared.tag(*index));
        if let Err(message) =
            worker.call("isolated_worker_fetch", &[url.into(), params.timeout_or_default().into()])
        {
            shared.finish(*index, request, RequestOutcome::NetworkError, taken_ms, shared.now_ms());
            return shared.fail_remaining(requests, next, &message);
        }
        let reply = select(Box::pin(worker.reply()), JsFuture::from(cancelled.clone())).await;
        let Either::Left((Reply::Answer { value: answer, .. }, _)) = reply else {
            // Cancelled, or the worker died: its request ends here.
            let outcome =
                if shared.cancelled.get() { RequestOutcome::Cancelled } else { RequestOutcome::NetworkError };
            let now_ms = shared.now_ms();
            let state =
                if outcome == RequestOutcome::Cancelled { SpanState::Cancelled } else { SpanState::Failed };
            span(Some(*index), state, taken_ms, now_ms);
            shared.finish(*index, request, outcome, taken_ms, now_ms);
            return;
        };
        let kind = answer_field(&answer, "kind").as_string().unwrap_or_default();
        let status = answer_field(&answer, "status").as_f64().map_or(0, |status| status as u16);
        let body_bytes = answer_field(&answer, "bytes").as_f64().map_or(0, |bytes| bytes as u64);
        let times_ms = answer_field(&answer, "times")
            .dyn_into::<Float64Array>()
            .map(|times| times.to_vec())
            .unwrap_or_default();
        // The worker's clock readings, on the run's time line.
        let relative = |epoch: f64| epoch - shared.run_start_ms;
        let [sent, first_byte, end] = times_ms[..] else {
            let now_ms = shared.now_ms();
            span(Some(*index), SpanState::Failed, taken_ms, now_ms);
            shared.finish(*index, request, RequestOutcome::NetworkError, taken_ms, now_ms);
            continue;
        };
        let outcome = match kind.as_str() {
            "response" => {
                // Waiting in the worker's browser for a connection, and at the
                // server for a free place, is queueing, not time on the wire.
                let connected = answer_field(&answer, "connectedMs").as_f64().filter(|ms| ms.is_finite());
                let queued_ms = answer_field(&answer, "queuedMs").as_f64().unwrap_or(0.0);
                let served = (connected.unwrap_or(sent).max(sent) + queued_ms).min(first_byte);
                if served > sent {
                    span(Some(*index), SpanState::Queued, relative(sent), relative(served));
                }
                span(Some(*index), SpanState::Waiting, relative(served), relative(first_byte));
                span(Some(*index), SpanState::Downloading, relative(first_byte), relative(end));
                RequestOutcome::Response { status, body_bytes }
            }
            "timeout" => RequestOutcome::TimedOut,
            _ => RequestOutcome::NetworkError,
        };
        if !matches!(outcome, RequestOutcome::Response { .. }) {
            span(Some(*index), SpanState::Failed, relative(sent), relative(end));
        }
        shared.finish(*index, request, outcome, relative(sent), relative(end));
    }
}
// endregion: shown

/// Runs inside an isolated worker (called by `isolated-worker.js`): sends
/// one request with a timeout and reads its body. Resolves to `{kind,
/// status, bytes, connectedMs, queuedMs, times: [sent, first byte, end]}`
/// on the worker's clock; `connectedMs` is when the request got its
/// connection (Resource Timing; NaN if unknown), `queuedMs` the time the
/// server says it waited.
#[wasm_bindgen]
pub async fn isolated_worker_fetch(url: String, timeout_ms: u32) -> Result<Object, JsValue> {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let deadline = Deadline::new(timeout_ms)?;
    let controller = &deadline.controller;
    let sent_ms = epoch_ms();
    let first_byte_ms = Cell::new(f64::NAN);
    let queued_ms = Cell::new(0.0);
    let connected_ms = Cell::new(f64::NAN);
    let result = async {
        let response: web_sys::Response =
            JsFuture::from(scope.fetch_with_str_and_init(&url, &request_init(&controller.signal())))
                .await?
                .dyn_into()?;
        first_byte_ms.set(epoch_ms());
        if let Some(queued) =
            response.headers().get("server-timing")?.and_then(|timing| server_queue_ms(&timing))
        {
            queued_ms.set(queued);
        }
        let body = JsFuture::from(response.array_buffer()?).await?;
        if let Some(timing) =
            scope.performance().and_then(|performance| resource_timing_in(&performance, &response.url()))
        {
            connected_ms.set(timing.request_start_ms);
        }
        Ok::<_, JsValue>((response.status(), js_sys::ArrayBuffer::from(body).byte_length()))
    }
    .await;
    let end_ms = epoch_ms();
    let timed_out = deadline.timed_out();
    drop(deadline);
    let reply = Object::new();
    let (kind, status, bytes) = match result {
        Ok((status, bytes)) => ("response", status, bytes),
        Err(_) if timed_out => ("timeout", 0, 0),
        Err(_) => ("network", 0, 0),
    };
    Reflect::set(&reply, &"kind".into(), &kind.into())?;
    Reflect::set(&reply, &"status".into(), &status.into())?;
    Reflect::set(&reply, &"bytes".into(), &bytes.into())?;
    Reflect::set(&reply, &"queuedMs".into(), &queued_ms.get().into())?;
    Reflect::set(&reply, &"connectedMs".into(), &connected_ms.get().into())?;
    let times = [sent_ms, first_byte_ms.get(), end_ms];
    Reflect::set(&reply, &"times".into(), &Float64Array::from(&times[..]))?;
    Ok(reply)
}
