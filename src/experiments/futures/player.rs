//! Plays a futures program on real time: the main thread's calls on the
//! page (which never blocks: where Python's main thread would block, it
//! awaits), each task on a pool thread of its own. Core's `Program` keeps
//! Python's rules; this file only tells it what happened, and when.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::FutureExt;
use futures::channel::mpsc::UnboundedReceiver;
use futures::future::{Either, select};
use futures::stream::{FuturesUnordered, StreamExt};
use overlap_core::experiments::futures::{FutureId, FutureState, Op, Outcome, Program, Step, TaskSpec};
use overlap_core::lang::Said;

use crate::browser::clock::epoch_ms;
use crate::browser::timer::sleep_ms;
use crate::pool::thread_pool::{JobLost, Pool};

/// How often the page redraws a run in flight and looks at Cancel.
const FRAME_MS: f64 = 50.0;
/// How often a sleeping task looks at the run's stop flag.
const LOOK_AGAIN: Duration = Duration::from_millis(1);

/// How a played program ended.
pub enum Played {
    Ended,
    Cancelled,
    Failed(Said),
}

/// What woke the player.
enum Woke {
    Task(Option<Result<TaskEnded, JobLost>>),
    Call(Option<Op>),
    Tick,
}

/// A task's life, timed on the run's clock by the thread that ran it.
struct TaskEnded {
    future: FutureId,
    /// `None` if the run stopped it.
    outcome: Option<Outcome>,
    start_ms: f64,
    end_ms: f64,
}

/// What the page draws of a run, to tell whether a step changed it.
fn drawn(program: &Program) -> (usize, usize, Vec<FutureState>, bool) {
    let states = program.executor.futures().iter().map(|record| record.state).collect();
    (program.log.len(), program.ops().len(), states, program.is_free())
}

// region: shown
/// `do_something(n, seconds, fails)` on a pool thread: sleeps its units
/// (looking every millisecond at the run's stop flag, so no pool thread
/// stays blocked), then returns `n * 10` or raises.
fn do_something(
    future: FutureId,
    task: TaskSpec,
    unit_ms: u32,
    origin_ms: f64,
    stopped: &AtomicBool,
) -> TaskEnded {
    let start_ms = epoch_ms();
    let until_ms = start_ms + task.units * f64::from(unit_ms);
    let mut outcome = Some(task.outcome(future));
    while epoch_ms() < until_ms {
        if stopped.load(Ordering::Relaxed) {
            outcome = None;
            break;
        }
        std::thread::sleep(
            LOOK_AGAIN.min(Duration::from_secs_f64((until_ms - epoch_ms()).max(0.0) / 1000.0)),
        );
    }
    TaskEnded { future, outcome, start_ms: start_ms - origin_ms, end_ms: epoch_ms() - origin_ms }
}

/// Plays `program`: starts each task the executor hands to a worker on
/// the pool, tells the executor of each end in the order they happened
/// (every end already in, by its time, and a timeout due before an end
/// first, as in Python), and calls `on_change` when what is drawn changed
/// and `on_frame` at every frame. In the sandbox, `calls` brings the
/// learner's calls; the time the main thread was free before each is
/// written down as a sleep (so the Python replays it).
pub async fn play(
    pool: Pool,
    mut program: Program,
    stop: Arc<AtomicBool>,
    mut calls: Option<UnboundedReceiver<Op>>,
    mut on_change: impl FnMut(&Program, f64),
    on_frame: impl Fn(f64),
) -> (Program, Played) {
    let origin_ms = epoch_ms();
    let now_ms = move || epoch_ms() - origin_ms;
    let unit_ms = program.unit_ms();
    let stopped = Arc::new(AtomicBool::new(false));
    let mut tasks = FuturesUnordered::new();
    let mut ended: Vec<TaskEnded> = Vec::new();
    let mut shown = None;
    // Since when the main thread has been free for the learner's next call.
    let mut free_since_ms = f64::NAN;
    loop {
        ended.sort_by(|first, second| first.end_ms.total_cmp(&second.end_ms));
        for task in ended.drain(..) {
            while let Some(deadline_ms) =
                program.deadline_ms().filter(|deadline_ms| *deadline_ms <= task.end_ms)
            {
                program.advance(deadline_ms);
            }
            program.started_at(task.future, task.start_ms);
            if let Some(outcome) = task.outcome {
                program.finished(task.future, outcome, task.end_ms);
            }
        }
        let step = program.advance(now_ms());
        for start in program.take_starts() {
            let stopped = stopped.clone();
            tasks
                .push(pool.run(move || do_something(start.future, start.task, unit_ms, origin_ms, &stopped)));
        }
        let now = drawn(&program);
        if shown.as_ref() != Some(&now) {
            on_change(&program, now_ms());
            shown = Some(now);
        }
        on_frame(now_ms());
        if step == Step::Ended {
            return (program, Played::Ended);
        }
        if stop.load(Ordering::Relaxed) {
            // Every task looks at the flag within a millisecond: wait for
            // them, so the next run has every pool thread.
            stopped.store(true, Ordering::Relaxed);
            let mut lost = None;
            while let Some(task) = tasks.next().await {
                lost = lost.or(task.err());
            }
            let played = lost.map_or(Played::Cancelled, |lost| Played::Failed(lost.said()));
            return (program, played);
        }
        if step != Step::Idle {
            free_since_ms = f64::NAN;
        } else if free_since_ms.is_nan() {
            free_since_ms = now_ms();
        }
        let wait_ms = match step {
            Step::Waiting { until_ms: Some(until_ms) } => (until_ms - now_ms()).clamp(0.0, FRAME_MS),
            _ => FRAME_MS,
        };
        let next_task =
            async { if tasks.is_empty() { std::future::pending().await } else { tasks.next().await } };
        let next_call = async {
            match calls.as_mut() {
                Some(calls) => calls.next().await,
                None => std::future::pending().await,
            }
        };
        let woke =
            match select(select(pin!(next_task), pin!(next_call)), pin!(sleep_ms(wait_ms.ceil() as i32)))
                .await
            {
                Either::Left((Either::Left((task, _)), _)) => Woke::Task(task),
                Either::Left((Either::Right((call, _)), _)) => Woke::Call(call),
                Either::Right(_) => Woke::Tick,
            };
        match woke {
            Woke::Task(Some(first)) => {
                // Every end already in, not only the first: they are told
                // to the executor in the order they happened.
                let mut results = vec![first];
                while let Some(Some(result)) = tasks.next().now_or_never() {
                    results.push(result);
                }
                for result in results {
                    match result {
                        Ok(task) => ended.push(task),
                        Err(lost) => {
                            // As on Cancel: the other tasks leave their
                            // threads before the run ends.
                            stopped.store(true, Ordering::Relaxed);
                            while tasks.next().await.is_some() {}
                            return (program, Played::Failed(lost.said()));
                        }
                    }
                }
            }
            Woke::Call(Some(op)) => {
                // The learner took this long to call: in the Python written
                // down, the main thread sleeps it.
                let idle_units = ((now_ms() - free_since_ms) / f64::from(unit_ms) * 10.0).round() / 10.0;
                if idle_units > 0.0 {
                    program.push(Op::Idle(idle_units));
                }
                program.push(op);
                free_since_ms = f64::NAN;
            }
            // The page let go of the sandbox (it left, or chose a
            // scenario): the run ends as if cancelled.
            Woke::Call(None) => {
                calls = None;
                stop.store(true, Ordering::Relaxed);
            }
            Woke::Task(None) | Woke::Tick => {}
        }
    }
}
// endregion: shown
