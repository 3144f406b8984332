//! The process-pool analogue: `k` plain Web Workers, each with its own
//! WebAssembly instance and its own memory. Nothing is shared: every task
//! and every result is encoded and copied through `postMessage`, and each
//! worker must start (instantiate the module) before its first task. Those
//! costs are recorded as their own spans. Works without cross-origin
//! isolation.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use futures::channel::mpsc;
use js_sys::{Float64Array, Object, Reflect, Uint8Array};
use overlap_core::cpu_workload::{TaskInput, run_task};
use overlap_core::span::{Span, SpanState};
use overlap_core::wire;
use wasm_bindgen::prelude::*;

use crate::clock::epoch_ms;
use crate::cpu_threads::RunEvent;
use crate::js_error;

#[wasm_bindgen]
extern "C" {
    /// The URL of this module's JavaScript glue, which each worker imports.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS_URL: js_sys::JsString;
}

pub(crate) enum Reply {
    Ready,
    Done {
        output: Vec<u8>,
        times_ms: Vec<f64>,
        received_at_ms: f64,
    },
    /// A request a worker sent: how it ended, with the worker's clock
    /// readings `[sent, first byte, end]` (first byte is NaN if none came).
    Fetched {
        kind: String,
        status: u16,
        body_bytes: u64,
        times_ms: Vec<f64>,
    },
    Failed(String),
}

/// One started worker and its replies.
pub(crate) struct IsolatedWorker {
    pub(crate) worker: web_sys::Worker,
    replies: mpsc::UnboundedReceiver<Reply>,
    // Kept alive as long as the worker: the browser calls them.
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Drop for IsolatedWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl IsolatedWorker {
    pub(crate) fn spawn() -> Result<Self, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("./isolated-worker.js", &options)
            .map_err(|error| js_error::describe(&error))?;
        let (sender, replies) = mpsc::unbounded();
        let on_reply = sender.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let _ = on_reply.unbounded_send(read_reply(&event.data()));
            });
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            let _ = sender.unbounded_send(Reply::Failed(format!("the worker failed: {}", event.message())));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let start = Object::new();
        let _ = Reflect::set(&start, &"type".into(), &"start".into());
        let _ = Reflect::set(&start, &"module".into(), &wasm_bindgen::module());
        let _ = Reflect::set(&start, &"mainJs".into(), &MAIN_JS_URL.with(Clone::clone));
        worker.post_message(&start).map_err(|error| js_error::describe(&error))?;
        Ok(IsolatedWorker { worker, replies, _on_message: on_message, _on_error: on_error })
    }

    pub(crate) async fn reply(&mut self) -> Reply {
        self.replies.next().await.unwrap_or_else(|| Reply::Failed("the worker went away".to_string()))
    }
}

fn read_reply(data: &JsValue) -> Reply {
    let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    match field("type").as_string().as_deref() {
        Some("ready") => Reply::Ready,
        Some("done") => Reply::Done {
            output: field("output").dyn_into::<Uint8Array>().map(|bytes| bytes.to_vec()).unwrap_or_default(),
            times_ms: field("times")
                .dyn_into::<Float64Array>()
                .map(|times| times.to_vec())
                .unwrap_or_default(),
            received_at_ms: epoch_ms(),
        },
        Some("fetched") => Reply::Fetched {
            kind: field("kind").as_string().unwrap_or_default(),
            status: field("status").as_f64().map_or(0, |status| status as u16),
            body_bytes: field("bytes").as_f64().map_or(0, |bytes| bytes as u64),
            times_ms: field("times")
                .dyn_into::<Float64Array>()
                .map(|times| times.to_vec())
                .unwrap_or_default(),
        },
        Some("failed") => {
            Reply::Failed(field("message").as_string().unwrap_or_else(|| "unknown error".to_string()))
        }
        _ => Reply::Failed("the worker sent a message this page does not know".to_string()),
    }
}

/// Runs `inputs` on `workers` isolated workers; reports spans and results
/// through `report` as they come. Returns an error if a worker failed.
pub async fn run(
    inputs: Arc<Vec<TaskInput>>,
    workers: u32,
    cancelled: Arc<AtomicBool>,
    report: Rc<dyn Fn(RunEvent)>,
) -> Result<(), String> {
    // Starting the workers is part of the measured run: it is the cost a
    // process pool pays, and what this mode shows.
    let run_start_ms = epoch_ms();
    let next_task = Rc::new(Cell::new(0usize));
    let lanes = (0..workers).map(|lane| {
        let (inputs, next_task, cancelled, report) =
            (inputs.clone(), next_task.clone(), cancelled.clone(), report.clone());
        async move { work_lane(lane, &inputs, &next_task, &cancelled, &*report, run_start_ms).await }
    });
    futures::future::join_all(lanes).await.into_iter().collect::<Result<Vec<()>, String>>().map(|_| ())
}

// region: shown
/// One isolated worker: start it, then send it the next task, wait for its
/// result, and repeat until the queue is empty or the run is cancelled.
/// Every crossing between memories is a copy, recorded as `serialising`.
async fn work_lane(
    lane: u32,
    inputs: &[TaskInput],
    next_task: &Cell<usize>,
    cancelled: &AtomicBool,
    report: &dyn Fn(RunEvent),
    run_start_ms: f64,
) -> Result<(), String> {
    let now_ms = || epoch_ms() - run_start_ms;
    // The page and the worker read different clocks, whose readings can be
    // coarsened (to 100 µs without isolation): a span never starts before
    // the lane's previous span ended.
    let lane_free_ms = Cell::new(f64::MIN);
    let span = |task: Option<usize>, state, start_ms: f64, end_ms: f64| {
        let start_ms = start_ms.max(lane_free_ms.get());
        let end_ms = end_ms.max(start_ms);
        lane_free_ms.set(end_ms);
        RunEvent::Span(Span { task: task.map(|t| t as u32), lane: Some(lane), state, start_ms, end_ms })
    };
    let starting_ms = now_ms();
    let mut worker = IsolatedWorker::spawn()?;
    match worker.reply().await {
        Reply::Ready => report(span(None, SpanState::Starting, starting_ms, now_ms())),
        Reply::Failed(message) => return Err(message),
        Reply::Done { .. } | Reply::Fetched { .. } => {
            return Err("the worker answered before it started".to_string());
        }
    }
    while !cancelled.load(Ordering::Relaxed) {
        let task = next_task.get();
        let Some(input) = inputs.get(task) else { break };
        next_task.set(task + 1);
        let taken_ms = now_ms();
        report(RunEvent::Span(Span {
            task: Some(task as u32),
            lane: None,
            state: SpanState::Queued,
            start_ms: 0.0,
            end_ms: taken_ms,
        }));
        // Encode and post: the structured clone copies the bytes.
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"task".into());
        let _ = Reflect::set(&message, &"input".into(), &Uint8Array::from(&wire::encode_input(input)[..]));
        worker.worker.post_message(&message).map_err(|error| js_error::describe(&error))?;
        let posted_ms = now_ms();
        let Reply::Done { output, times_ms, received_at_ms } = worker.reply().await else {
            return Err(format!("worker {} failed on task {task}", lane + 1));
        };
        // The worker's own clock readings: received, decoded, computed, encoded.
        let relative = |epoch: f64| epoch - run_start_ms;
        // The worker may receive the task before `post_message` returns here.
        let received_ms = times_ms.first().map_or(posted_ms, |received| relative(*received));
        report(span(Some(task), SpanState::Serialising, taken_ms, posted_ms.min(received_ms)));
        if let [received, decoded, computed, encoded] = times_ms[..] {
            report(span(Some(task), SpanState::Serialising, relative(received), relative(decoded)));
            report(span(Some(task), SpanState::Running, relative(decoded), relative(computed)));
            report(span(Some(task), SpanState::Serialising, relative(computed), relative(encoded)));
        }
        let decoding_ms = received_at_ms - run_start_ms;
        let output = wire::decode_output(&output).map_err(|error| error.to_string())?;
        report(span(Some(task), SpanState::Serialising, decoding_ms, now_ms()));
        report(RunEvent::Done { task: task as u32, output });
    }
    Ok(())
}
// endregion: shown

/// Runs inside an isolated worker (called by `isolated-worker.js`): decodes
/// the task, runs it, encodes the result, and returns the result with the
/// worker's clock readings `[received, decoded, computed, encoded]`.
#[wasm_bindgen]
pub fn isolated_worker_task(input: &[u8], received_ms: f64) -> Result<Object, JsValue> {
    let task = wire::decode_input(input).map_err(|error| JsValue::from_str(&error.to_string()))?;
    let decoded_ms = epoch_ms();
    let output = run_task(&task);
    let computed_ms = epoch_ms();
    let bytes = wire::encode_output(&output);
    let encoded_ms = epoch_ms();
    let reply = Object::new();
    Reflect::set(&reply, &"output".into(), &Uint8Array::from(&bytes[..]))?;
    Reflect::set(
        &reply,
        &"times".into(),
        &Float64Array::from(&[received_ms, decoded_ms, computed_ms, encoded_ms][..]),
    )?;
    Ok(reply)
}
