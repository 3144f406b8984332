//! The CPU experiment on isolated workers, the process-pool analogue: each
//! of `k` workers has its own memory, so every task and every result is
//! encoded and copied through `postMessage`, and each worker must start
//! before its first task. Those costs are recorded as their own spans.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use js_sys::{Float64Array, Object, Reflect, Uint8Array};
use overlap_core::experiments::cpu::wire;
use overlap_core::experiments::cpu::{CpuFault, TaskInput, TaskOutput, run_task};
use overlap_core::lang::Said;
use overlap_core::records::span::{Span, SpanState};
use wasm_bindgen::prelude::*;

use crate::browser::clock::epoch_ms;
use crate::workers::isolated_worker::{IsolatedWorker, Reply, answer_field};

/// What an isolated worker's lane reports as its worker's messages come:
/// each crossed `postMessage` already, so the page handles them one by one.
pub enum RunEvent {
    Span(Span),
    Done { task: u32, output: TaskOutput },
}

/// Runs `inputs` on `workers` isolated workers; reports spans and results
/// through `report` as they come. A worker that fails loses the task it
/// had; the others run the rest, and the error names every task lost and
/// any left unrun. `terminate` is the fault `fault=terminate`: the worker
/// that takes the second task is terminated with it in flight.
/// Python's `ProcessPoolExecutor` fails every pending future with
/// `BrokenProcessPool` instead: here the surviving workers go on, so the
/// loss is one task.
pub async fn run(
    inputs: Arc<Vec<TaskInput>>,
    workers: u32,
    cancelled: Arc<AtomicBool>,
    report: Rc<dyn Fn(RunEvent)>,
    terminate: bool,
) -> Result<(), Said> {
    // Starting the workers is part of the measured run: it is the cost a
    // process pool pays, and what this mode shows.
    let run_start_ms = epoch_ms();
    let next_task = Rc::new(Cell::new(0usize));
    let terminated_task = terminate.then(|| CpuFault::terminated_task(inputs.len()));
    let lanes = (0..workers).map(|lane| {
        let (inputs, next_task, cancelled, report) =
            (inputs.clone(), next_task.clone(), cancelled.clone(), report.clone());
        async move {
            work_lane(lane, &inputs, &next_task, &cancelled, &*report, run_start_ms, terminated_task).await
        }
    });
    let mut failures: Vec<Said> =
        futures::future::join_all(lanes).await.into_iter().filter_map(Result::err).collect();
    let unrun = next_task.get()..inputs.len();
    if !failures.is_empty() && !unrun.is_empty() && !cancelled.load(Ordering::Relaxed) {
        let (first, last) = (unrun.start, unrun.end - 1);
        failures.push(Said::new(
            format!("no worker was left to run tasks {first}–{last}"),
            format!("没有剩下的工作者来运行任务 {first}–{last}"),
        ));
    }
    Said::joined(&failures).map_or(Ok(()), Err)
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
    terminated_task: Option<usize>,
) -> Result<(), Said> {
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
        Reply::Answer { .. } => {
            return Err(Said::new("the worker answered before it started", "工作者在启动之前就回答了"));
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
        let bytes = Uint8Array::from(&wire::encode_input(input)[..]);
        worker.call("isolated_worker_task", &[bytes.into()])?;
        let posted_ms = now_ms();
        inject_fault(&worker, task, terminated_task);
        let (answer, received_at_ms) = match worker.reply().await {
            Reply::Answer { value, received_at_ms } => (value, received_at_ms),
            Reply::Failed(message) => {
                let worker = lane + 1;
                return Err(Said::new(
                    format!("worker {worker} failed on task {task}: {}; task {task} was lost", message.en),
                    format!("工作者 {worker} 在任务 {task} 上出错：{}；任务 {task} 丢失了", message.zh),
                ));
            }
            Reply::Ready => {
                let worker = lane + 1;
                return Err(Said::new(
                    format!("worker {worker} started again instead of running task {task}"),
                    format!("工作者 {worker} 没有运行任务 {task}，而是重新启动了"),
                ));
            }
        };
        let output = answer_field(&answer, "output").dyn_into::<Uint8Array>().map(|bytes| bytes.to_vec());
        let times_ms = answer_field(&answer, "times").dyn_into::<Float64Array>().map(|times| times.to_vec());
        let (Ok(output), Ok(times_ms)) = (output, times_ms) else {
            let worker = lane + 1;
            return Err(Said::new(
                format!("worker {worker} answered task {task} without its result"),
                format!("工作者 {worker} 回答了任务 {task}，却没有给出结果"),
            ));
        };
        // The worker's own clock readings: received, decoded, computed, encoded.
        let relative = |epoch: f64| epoch - run_start_ms;
        // The worker may receive the task before `call` returns here.
        let received_ms = times_ms.first().map_or(posted_ms, |received| relative(*received));
        report(span(Some(task), SpanState::Serialising, taken_ms, posted_ms.min(received_ms)));
        if let [received, decoded, computed, encoded] = times_ms[..] {
            report(span(Some(task), SpanState::Serialising, relative(received), relative(decoded)));
            report(span(Some(task), SpanState::Running, relative(decoded), relative(computed)));
            report(span(Some(task), SpanState::Serialising, relative(computed), relative(encoded)));
        }
        let decoding_ms = received_at_ms - run_start_ms;
        let output = wire::decode_output(&output).map_err(|error| Said::as_given(error.to_string()))?;
        report(span(Some(task), SpanState::Serialising, decoding_ms, now_ms()));
        report(RunEvent::Done { task: task as u32, output });
    }
    Ok(())
}
// endregion: shown

/// `fault=terminate`: ends the worker that was just sent `terminated_task`.
fn inject_fault(worker: &IsolatedWorker, task: usize, terminated_task: Option<usize>) {
    if terminated_task == Some(task) {
        worker.terminate();
    }
}

/// Runs inside an isolated worker: decodes the task, runs it, encodes the
/// result, and returns the result with the worker's clock readings
/// `[received, decoded, computed, encoded]`.
#[wasm_bindgen]
pub fn isolated_worker_task(input: &[u8]) -> Result<Object, JsValue> {
    let received_ms = epoch_ms();
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
