//! One timed CPU run of the sweep: the workload's tasks on k pool threads,
//! every pool thread warmed up first (not timed), through the same lanes the
//! CPU experiment's threads mode uses.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use overlap_core::experiments::sweep::SweepParams;
use overlap_core::lang::Said;
use overlap_core::records::run_log::LogCursor;
use overlap_core::records::span::{Span, SpanState};
use overlap_core::workloads::cpu::{Recording, task_inputs, warm_up_input};

use crate::experiments::sweep::run::Timed;
use crate::pool::task_lanes::{PoolRun, finished_log, run_log, run_on_pool};
use crate::pool::thread_pool::{JobLost, Pool};

/// Runs the sweep's tasks on `k` lanes of `pool`; `Ok(None)` when Cancel
/// stopped it before every task ran.
pub async fn run_cpu(
    pool: Pool,
    params: &SweepParams,
    k: u32,
    cancelled: Arc<AtomicBool>,
) -> Result<Option<Timed>, Said> {
    let inputs = Arc::new(task_inputs(params.workload, params.size_or_default(), params.tasks_or_default()));
    let total_tasks = inputs.len();
    let log = Arc::new(run_log(total_tasks, k));
    let pool_run = PoolRun {
        inputs,
        warm_up: warm_up_input(params.workload, params.size_or_default()),
        lanes: k,
        global_lock: false,
        recording: Recording::EveryTask,
        cancelled: cancelled.clone(),
        log: log.clone(),
        panicking_task: None,
    };
    pool.run(move || run_on_pool(pool_run)).await.map_err(JobLost::said)?;
    let log = finished_log(log)?;
    let spans = log.new_spans(&mut LogCursor::default());
    let done = log.tasks_done();
    // Tasks left unrun are Cancel's doing, or else a failure to say.
    if done < total_tasks {
        return if cancelled.load(Ordering::Relaxed) {
            Ok(None)
        } else {
            Err(Said::new(
                format!("{} of {total_tasks} tasks reported no result", total_tasks - done),
                format!("{total_tasks} 个任务中有 {} 个没有报告结果", total_tasks - done),
            ))
        };
    }
    Ok(Some(Timed { makespan_ms: makespan_ms(&spans), spans, waiting_ms: 0.0, task_ms: 0.0 }))
}

/// From the run's start (after warm-up) to the end of its last task.
fn makespan_ms(spans: &[Span]) -> f64 {
    spans.iter().filter(|span| span.state == SpanState::Running).map(|span| span.end_ms).fold(0.0, f64::max)
}
