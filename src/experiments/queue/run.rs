//! One queue run as the page keeps it, and running it where its
//! parameters say: pool threads, coroutines or isolated workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use overlap_core::experiments::queue::{Actor, QueueFigures, QueueLog, QueueOn, QueueParams, queue_figures};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::span::Span;
use overlap_core::timeline::counter::CountAt;

use crate::browser::next_paint::counting_while;
use crate::experiments::queue::threads::{ThreadsReport, ThreadsRun, run_on_pool};
use crate::experiments::queue::{coroutines, workers};
use crate::pool::thread_pool::Pool;
use crate::widgets::run_control::{RunTicket, push_run, update_run};

#[derive(Clone, Debug, PartialEq)]
pub enum QueueOutcome {
    InProgress,
    Complete {
        figures: QueueFigures,
        log: QueueLog,
    },
    /// What ran before Cancel.
    Cancelled(QueueLog),
    Failed(Said),
}

overlap_core::numbered_by_id!(QueueRecord);

#[derive(Clone, Debug, PartialEq)]
pub struct QueueRecord {
    pub id: u32,
    pub params: QueueParams,
    pub done: usize,
    pub outcome: QueueOutcome,
}

impl QueueRecord {
    pub fn title(&self, lang: Lang) -> String {
        format!("{}. {}", self.id, self.params.title(lang))
    }

    pub fn log(&self) -> Option<&QueueLog> {
        match &self.outcome {
            QueueOutcome::Complete { log, .. } | QueueOutcome::Cancelled(log) => Some(log),
            _ => None,
        }
    }

    pub fn spans(&self) -> Vec<Span> {
        self.log().map(|log| log.spans.clone()).unwrap_or_default()
    }

    /// Where the run's record ends: its last span's end.
    pub fn end_ms(&self) -> f64 {
        self.log().map_or(0.0, |log| log.spans.iter().map(|span| span.end_ms).fold(0.0, f64::max))
    }

    pub fn lane_names(&self, lang: Lang) -> Vec<String> {
        (0..self.params.actors()).map(|lane| Actor::of_lane(lane, self.params.producers).name(lang)).collect()
    }

    /// The queue's depth over the run, for the chart under the lanes.
    pub fn depth(&self) -> Vec<CountAt> {
        self.log()
            .map(|log| {
                log.depth.iter().map(|sample| CountAt { at_ms: sample.at_ms, count: sample.depth }).collect()
            })
            .unwrap_or_default()
    }
}

/// Runs `params` and keeps its record in `runs` up to date.
pub async fn run_queue(
    pool: Option<Pool>,
    params: QueueParams,
    runs: RwSignal<Vec<QueueRecord>>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    push_run(runs, QueueRecord { id, params, done: 0, outcome: QueueOutcome::InProgress });
    let done = Arc::new(AtomicUsize::new(0));
    let logged: Result<QueueLog, Said> = match (params.on, pool) {
        (QueueOn::Threads, Some(pool)) => {
            let run = ThreadsRun { params, cancelled: cancelled.clone(), done: done.clone() };
            match pool
                .run_counting(done.clone(), move || run_on_pool(&run), |count| progress.set(count))
                .await
            {
                Err(lost) => Err(lost.said()),
                Ok(ThreadsReport { damaged: Some(error), .. }) => Err(error.said()),
                Ok(report) if !report.all_started && !report.cancelled => {
                    let started = report.arrived;
                    let actors = params.actors();
                    Err(Said::new(
                        format!(
                            "the pool could not give every producer and consumer a thread at once ({started} of \
                             {actors} within 5 s)"
                        ),
                        format!(
                            "线程池无法同时为每个生产者和消费者提供一个线程（5 秒内只有 {started}/{actors} 个）"
                        ),
                    ))
                }
                Ok(report) => Ok(report.log),
            }
        }
        (QueueOn::Threads, None) => Err(Said::new("the thread pool is not running", "线程池没有在运行")),
        (QueueOn::Coroutines, _) => {
            counting_while(
                &done,
                |count| progress.set(count),
                coroutines::run(params, cancelled.clone(), done.clone()),
            )
            .await
        }
        (QueueOn::Workers, _) => {
            counting_while(
                &done,
                |count| progress.set(count),
                workers::run(params, cancelled.clone(), done.clone()),
            )
            .await
        }
    };
    let was_cancelled = cancelled.load(Ordering::Relaxed);
    let outcome = match logged {
        Err(said) => QueueOutcome::Failed(said),
        Ok(log) if was_cancelled => QueueOutcome::Cancelled(log),
        Ok(log) => QueueOutcome::Complete { figures: queue_figures(&params, &log), log },
    };
    let done = done.load(Ordering::Relaxed);
    update_run(runs, id, |record| {
        record.done = done;
        record.outcome = outcome;
    });
}
