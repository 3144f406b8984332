//! Running CPU tasks on the shared-memory pool: `k` lanes,
//! each a long-lived rayon task pulling the next task from one queue (the
//! global pool is built once at its largest size, so `k` lanes give a
//! `k`-worker pool). Sequential is the same with one lane; the global-lock
//! mode makes every task hold one lock while it computes.
//!
//! Everything here runs on pool threads, never on the main thread; the lock
//! is a blocking mutex, which is why only workers may ever touch it. The
//! lanes report into a `RunLog` the page reads when it draws.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use overlap_core::lang::Said;
use overlap_core::records::run_log::RunLog;
use overlap_core::records::span::{Span, SpanState};
use overlap_core::workloads::cpu::{Recording, TaskInput, TaskOutput, run_task, warm_up_settled};

use crate::browser::clock::epoch_ms;

/// A run to do on the pool.
pub struct PoolRun {
    pub inputs: Arc<Vec<TaskInput>>,
    pub warm_up: TaskInput,
    pub lanes: u32,
    pub global_lock: bool,
    /// Each task's spans, or only each lane's first start and last end.
    pub recording: Recording,
    pub cancelled: Arc<AtomicBool>,
    /// Where the lanes write their spans and results, for the page to read
    /// when it draws (made by `run_log`).
    pub log: Arc<RunLog<TaskOutput>>,
    /// The task that panics (`fault=panic`), if one is to.
    pub panicking_task: Option<usize>,
}

/// A log with room for everything a run of `tasks` tasks on `lanes` lanes
/// writes: per task, its wait in the queue, its wait for the lock and its
/// run; per lane, at most one warm-up (one per pool thread used) and,
/// recording lanes only, its busy span.
pub fn run_log(tasks: usize, lanes: u32) -> RunLog<TaskOutput> {
    RunLog::new(tasks, 3 * tasks + 2 * lanes as usize)
}

/// The log of a run whose job has returned, checked to hold everything the
/// lanes wrote: they let go of it when the job returned, so the page holds
/// it alone. (A job lost to a pool thread that panicked never lets go: its
/// log, results and all, stays until the page is reloaded, which a broken
/// pool asks for anyway.)
pub fn finished_log(log: Arc<RunLog<TaskOutput>>) -> Result<RunLog<TaskOutput>, Said> {
    let log = Arc::into_inner(log).ok_or_else(|| {
        Said::new("a pool thread still holds the run's log", "还有池线程持有这次运行的记录")
    })?;
    log.check().map_err(|error| error.said())?;
    Ok(log)
}

/// Warms every pool thread up, then runs every task on `lanes` lanes;
/// returns the run's start on the page's clock (spans are relative to it).
/// A span's lane is the pool thread it ran on. Call it on a pool thread.
pub fn run_on_pool(run: PoolRun) -> f64 {
    let PoolRun { inputs, warm_up, lanes, global_lock, recording, cancelled, log, panicking_task } = run;
    // Warm every pool thread up before timing, until its kernel calls take
    // steady time (`warm_up_settled` says why). Recorded, before the start.
    let warmed: Vec<(u32, f64, f64)> = rayon::broadcast(|context| {
        let start_ms = epoch_ms();
        let mut call_durations_ms = Vec::new();
        // Cancel ends a warm-up too: it can last up to WARM_UP_MAX_MS.
        while !warm_up_settled(&call_durations_ms, epoch_ms() - start_ms)
            && !cancelled.load(Ordering::Relaxed)
        {
            let call_start_ms = epoch_ms();
            let _ = run_task(&warm_up);
            call_durations_ms.push(epoch_ms() - call_start_ms);
        }
        (context.index() as u32, start_ms, epoch_ms())
    });
    let run_start_ms = epoch_ms();

    let next_task = AtomicUsize::new(0);
    let lock = Mutex::new(f64::MIN);
    let threads_used: Vec<u32> = {
        let used = Mutex::new(Vec::new());
        rayon::scope(|scope| {
            for _ in 0..lanes {
                let (inputs, cancelled, log, next_task, lock, used) =
                    (&inputs, &cancelled, &log, &next_task, &lock, &used);
                scope.spawn(move |_| {
                    let thread = rayon::current_thread_index().unwrap_or(0) as u32;
                    if let Ok(mut used) = used.lock() {
                        used.push(thread);
                    }
                    let lock = global_lock.then_some(lock);
                    let lane = Lane { lane: thread, recording, run_start_ms, panicking_task };
                    work_lane(&lane, inputs, next_task, lock, cancelled, log);
                });
            }
        });
        used.into_inner().unwrap_or_default()
    };
    for (thread, start_ms, end_ms) in warmed.into_iter().filter(|(thread, ..)| threads_used.contains(thread))
    {
        log.push_span(Span {
            task: None,
            lane: Some(thread),
            state: SpanState::Starting,
            start_ms: start_ms - run_start_ms,
            end_ms: end_ms - run_start_ms,
        });
    }
    run_start_ms
}

/// A lane: the pool thread it runs on, what it records, and the run's start.
struct Lane {
    lane: u32,
    recording: Recording,
    run_start_ms: f64,
    panicking_task: Option<usize>,
}

// region: shown
/// One worker: take the next task from the shared queue until it is empty
/// or the run is cancelled (tasks not yet started are then never run, like
/// `shutdown(cancel_futures=True)`).
fn work_lane(
    &Lane { lane, recording, run_start_ms, panicking_task }: &Lane,
    inputs: &[TaskInput],
    next_task: &AtomicUsize,
    global_lock: Option<&Mutex<f64>>,
    cancelled: &AtomicBool,
    log: &RunLog<TaskOutput>,
) {
    let now_ms = || epoch_ms() - run_start_ms;
    // A write into memory the page reads when it draws: no message, and
    // nothing that wakes the page's thread.
    let send = |span: Span| log.push_span(span);
    let record_tasks = recording == Recording::EveryTask;
    let record = |task: usize, state, start_ms, end_ms| {
        if record_tasks {
            send(Span { task: Some(task as u32), lane: Some(lane), state, start_ms, end_ms });
        }
    };
    // With lanes only: when this lane started its first task and ended its last.
    let mut lane_busy_ms: Option<(f64, f64)> = None;
    while !cancelled.load(Ordering::Relaxed) {
        let task = next_task.fetch_add(1, Ordering::Relaxed);
        let Some(input) = inputs.get(task) else { break };
        let taken_ms = now_ms();
        // Every task was submitted at the run's start and waited until now.
        if record_tasks {
            send(Span {
                task: Some(task as u32),
                lane: None,
                state: SpanState::Queued,
                start_ms: 0.0,
                end_ms: taken_ms,
            });
        }
        // The GIL analogue: hold the one lock for the whole computation. It
        // keeps when it was last released: each worker reads its own clock,
        // and two clocks can disagree by microseconds, so a task starts no
        // earlier than the previous holder let go.
        let mut guard = global_lock.map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let released_ms = guard.as_deref().copied().unwrap_or(f64::MIN);
        let start_ms = now_ms().max(released_ms);
        if guard.is_some() && start_ms > taken_ms {
            record(task, SpanState::WaitingForLock, taken_ms, start_ms);
        }
        if panicking_task == Some(task) {
            // The fault asked for: a wasm build aborts here, and this
            // thread dies with whatever it holds (the global lock, too).
            panic!("fault=panic: task {task} panicked on pool thread {lane}");
        }
        let output = run_task(input);
        let end_ms = now_ms().max(start_ms);
        if let Some(released_ms) = guard.as_deref_mut() {
            *released_ms = end_ms;
        }
        drop(guard);
        record(task, SpanState::Running, start_ms, end_ms);
        lane_busy_ms = Some((lane_busy_ms.map_or(start_ms, |(first_ms, _)| first_ms), end_ms));
        log.set_output(task, output);
    }
    if let (false, Some((start_ms, end_ms))) = (record_tasks, lane_busy_ms) {
        send(Span { task: None, lane: Some(lane), state: SpanState::Running, start_ms, end_ms });
    }
}
// endregion: shown
