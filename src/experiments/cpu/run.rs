//! One CPU run as the page keeps it, and the driver that starts it on the
//! right workers and folds what they report into signals.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use overlap_core::experiments::cpu::{
    CpuFault, CpuMode, CpuParams, ResultCheck, RunFacts, TaskOutput, Workload, check_results, task_inputs,
    warm_up_input,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::run_log::{LogCursor, RunLog};
use overlap_core::records::span::Span;

use crate::browser::next_paint::drawing_while;
use crate::experiments::cpu::isolated::{self, RunEvent};
use crate::pool::task_lanes::{PoolRun, finished_log, run_log, run_on_pool};
use crate::pool::thread_pool::{JobLost, Pool, pool_thread_panic};
use crate::widgets::run_control::{push_run, update_run};

/// A finished run's picture (blur, Mandelbrot), RGBA rows of `size`².
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub size: u32,
    pub pixels: Arc<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RunOutcome {
    InProgress,
    Complete { check: ResultCheck, picture: Option<Picture> },
    Cancelled,
    Failed(Said),
}

overlap_core::numbered_by_id!(RunRecord);

#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    pub id: u32,
    pub params: CpuParams,
    /// How many workers ran it (1 for sequential).
    pub workers: u32,
    pub total_tasks: usize,
    pub tasks_done: usize,
    pub spans: Vec<Span>,
    pub outcome: RunOutcome,
}

impl RunRecord {
    /// "Threads, 2 workers".
    pub fn title(&self, lang: Lang) -> String {
        self.params.mode.run_title(self.workers, lang)
    }

    /// What the figures need of it.
    pub fn facts(&self) -> RunFacts<'_> {
        RunFacts {
            spans: &self.spans,
            workers: self.workers,
            total_tasks: self.total_tasks,
            finished: !matches!(self.outcome, RunOutcome::InProgress),
            recording: self.params.recording_used(),
            digest: match &self.outcome {
                RunOutcome::Complete { check, .. } => Some(check.digest),
                _ => None,
            },
        }
    }

    /// The latest complete sequential run of the same work in `runs`: the
    /// baseline for speedup and for checking results.
    pub fn baseline<'a>(&self, runs: &'a [RunRecord]) -> Option<&'a RunRecord> {
        runs.iter().rev().find(|other| {
            other.params.mode == CpuMode::Sequential
                && other.same_work(self)
                && matches!(other.outcome, RunOutcome::Complete { .. })
        })
    }

    /// The lane's name as tables and traces show it.
    pub fn lane_name(&self, lane: u32, lang: Lang) -> String {
        self.params.mode.lane_name(lane, lang)
    }

    /// Runs of the same work (workload, size, tasks) can be compared.
    pub fn same_work(&self, other: &RunRecord) -> bool {
        self.work() == other.work()
    }

    /// What a run computed, as a key: runs with equal keys compare.
    pub fn work(&self) -> String {
        let params = &self.params;
        format!(
            "{} size={} tasks={}",
            <&str>::from(params.workload),
            params.size_or_default(),
            params.tasks_or_default()
        )
    }
}

/// Runs `params` with `workers` workers, appending the run to `runs` and
/// keeping it up to date until it ends. `cancelled` stops it between tasks.
/// Says whether the run failed, so a comparison stops after a failure.
pub async fn run_once(
    pool: Option<Pool>,
    params: CpuParams,
    workers: u32,
    id: u32,
    runs: RwSignal<Vec<RunRecord>>,
    cancelled: Arc<AtomicBool>,
) -> bool {
    let workload = params.workload;
    let inputs = Arc::new(task_inputs(workload, params.size_or_default(), params.tasks_or_default()));
    let total_tasks = inputs.len();
    let lanes = if params.mode == CpuMode::Sequential { 1 } else { workers };
    push_run(
        runs,
        RunRecord {
            id,
            params,
            workers: lanes,
            total_tasks,
            tasks_done: 0,
            spans: Vec::new(),
            outcome: RunOutcome::InProgress,
        },
    );
    let update = move |change: &mut dyn FnMut(&mut RunRecord)| update_run(runs, id, |run| change(run));
    // Reports are gathered and drawn a few times a second (`drawing_while`):
    // on a machine with as many cores as workers, redrawing on every
    // report, or at every frame, takes a share of a core from the very
    // workers being measured. Pool threads write theirs into `log`, read
    // here when the page draws; isolated workers' come as messages.
    let pending = Rc::new(RefCell::new(PendingReports::default()));
    let outputs: Rc<RefCell<Vec<Option<TaskOutput>>>> = Rc::new(RefCell::new(vec![None; total_tasks]));
    let log = Arc::new(run_log(total_tasks, lanes));
    let apply = {
        let (outputs, pending) = (outputs.clone(), pending.clone());
        move |event: RunEvent| match event {
            RunEvent::Span(span) => pending.borrow_mut().spans.push(span),
            RunEvent::Done { task, output } => {
                if let Some(slot) = outputs.borrow_mut().get_mut(task as usize) {
                    *slot = Some(output);
                }
                pending.borrow_mut().tasks_done += 1;
            }
        }
    };
    let flush = {
        let (pending, log) = (pending.clone(), log.clone());
        let (cursor, logged_done) = (Rc::new(Cell::new(LogCursor::default())), Rc::new(Cell::new(0)));
        move || {
            let mut reports = pending.take();
            // The count first: a task counted here has its spans written
            // already, so the progress never runs ahead of the timeline.
            let done = log.tasks_done();
            reports.tasks_done += done - logged_done.replace(done);
            let mut at = cursor.get();
            reports.spans.extend(log.new_spans(&mut at));
            cursor.set(at);
            if !reports.spans.is_empty() || reports.tasks_done > 0 {
                update(&mut |run| {
                    run.spans.extend_from_slice(&reports.spans);
                    run.tasks_done += reports.tasks_done;
                });
            }
        }
    };
    let work = {
        let (log, cancelled) = (log.clone(), cancelled.clone());
        async move {
            match (params.mode, pool) {
                (CpuMode::Workers, _) => {
                    let terminate = params.fault_used() == CpuFault::Terminate;
                    isolated::run(inputs, lanes, cancelled, Rc::new(apply), terminate).await
                }
                (_, Some(pool)) => {
                    let pool_run = PoolRun {
                        inputs,
                        warm_up: warm_up_input(workload, params.size_or_default()),
                        lanes,
                        global_lock: params.mode == CpuMode::Gil,
                        recording: params.recording_used(),
                        cancelled,
                        log,
                        panicking_task: (params.fault_used() == CpuFault::Panic)
                            .then(|| CpuFault::panicking_task(total_tasks)),
                    };
                    pool.run(move || run_on_pool(pool_run)).await.map(|_| ()).map_err(JobLost::said)
                }
                (mode, None) => Err(Said::new(
                    format!("{} needs the thread pool, which is not running", mode.title().en),
                    format!("{}需要线程池，但线程池没有运行", mode.title().zh),
                )),
            }
        }
    };
    let has_reports = {
        let (pending, log) = (pending.clone(), log.clone());
        move || {
            let pending = pending.borrow();
            !log.is_empty() || !pending.spans.is_empty() || pending.tasks_done > 0
        }
    };
    let finished = drawing_while(work, has_reports, flush.clone()).await;
    // What was written since the last draw, also after a failure.
    flush();
    drop(flush);
    let finished = finished.and_then(|()| match params.mode {
        CpuMode::Workers => Ok(outputs.take()),
        _ => finished_log(log).map(RunLog::into_outputs),
    });

    let outcome = match finished {
        Err(message) => RunOutcome::Failed(message),
        Ok(outputs) if outputs.iter().any(Option::is_none) && cancelled.load(Ordering::Relaxed) => {
            RunOutcome::Cancelled
        }
        Ok(outputs) => match outputs.into_iter().collect::<Option<Vec<TaskOutput>>>() {
            None => RunOutcome::Failed(Said::new("some tasks reported no result", "有些任务没有报告结果")),
            // A pool thread that panicked (noted before the page's watch
            // turns the pool off) would lose the fold: isolated workers'
            // results are folded here instead.
            Some(outputs) => match pool.filter(|_| pool_thread_panic().is_none()) {
                // Checking up to 16 MB of pixels is CPU work: it goes to the pool.
                Some(pool) => match pool.run(move || fold_results(workload, params, outputs)).await {
                    Ok((check, picture)) => RunOutcome::Complete { check, picture },
                    Err(lost) => RunOutcome::Failed(lost.said()),
                },
                // Without a pool (a page that is not isolated) there is no
                // other thread that shares this memory to do it.
                None => {
                    let (check, picture) = fold_results(workload, params, outputs);
                    RunOutcome::Complete { check, picture }
                }
            },
        },
    };
    let failed = matches!(outcome, RunOutcome::Failed(_));
    update(&mut |run| run.outcome = outcome.clone());
    failed
}

/// Reports received since the page last drew.
#[derive(Default)]
struct PendingReports {
    spans: Vec<Span>,
    tasks_done: usize,
}

fn fold_results(
    workload: Workload,
    params: CpuParams,
    outputs: Vec<TaskOutput>,
) -> (ResultCheck, Option<Picture>) {
    let check = check_results(workload, &outputs);
    let picture = workload.makes_picture().then(|| {
        let pixels = outputs
            .into_iter()
            .flat_map(|output| match output {
                TaskOutput::Pixels(pixels) => pixels,
                TaskOutput::Sum(_) | TaskOutput::Prime(_) => Vec::new(),
            })
            .collect();
        Picture { size: params.size_or_default(), pixels: Arc::new(pixels) }
    });
    (check, picture)
}
