//! One sweep as the page keeps it, and the driver: every k once per round,
//! round after round (k = 1, 2, …, then again), so that slow drift on a
//! shared machine biases no k; each run after its uncounted warm-up.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use overlap_core::experiments::sweep::{
    Measurement, SweepFacts, SweepFigures, SweepOf, SweepParams, schedule, sweep_figures,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::run_stats::task_durations_ms;
use overlap_core::records::span::Span;

use crate::browser::clock::epoch_ms;
use crate::browser::next_paint::after_next_paint;
use crate::experiments::sweep::cpu_runs::run_cpu;
use crate::experiments::sweep::request_runs::run_requests;
use crate::pool::thread_pool::Pool;
use crate::widgets::run_control::{RunTicket, push_run, update_run};

/// What one timed run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Timed {
    pub makespan_ms: f64,
    pub spans: Vec<Span>,
    /// Requests: time awaiting the network, and time in tasks (0 for CPU).
    pub waiting_ms: f64,
    pub task_ms: f64,
}

/// A timed run with where it sits in the sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasuredRun {
    pub measurement: Measurement,
    pub spans: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SweepOutcome {
    InProgress,
    Complete,
    /// Cancel kept what was measured before it.
    Cancelled,
    /// What failed; what was measured before it is kept.
    Failed(Said),
}

overlap_core::numbered_by_id!(SweepRecord);

#[derive(Clone, Debug, PartialEq)]
pub struct SweepRecord {
    pub id: u32,
    pub params: SweepParams,
    pub ks: Vec<u32>,
    pub runs: Vec<MeasuredRun>,
    /// CPU: each task's time in the latest run on one thread; requests:
    /// the latency asked of the server. The ceiling comes from them.
    pub task_durations_ms: Vec<f64>,
    pub waiting_ms: f64,
    pub task_ms: f64,
    pub started_ms: f64,
    pub outcome: SweepOutcome,
    /// This sweep was a Compare: drawn over the one before it.
    pub compared: bool,
}

impl SweepRecord {
    pub fn total_runs(&self) -> usize {
        self.ks.len() * self.params.repeat as usize
    }

    pub fn measurements(&self) -> Vec<Measurement> {
        self.runs.iter().map(|run| run.measurement).collect()
    }

    pub fn figures(&self, logical_processors: Option<u32>) -> Option<SweepFigures> {
        let measurements = self.measurements();
        sweep_figures(&SweepFacts {
            of: self.params.of,
            measurements: &measurements,
            task_durations_ms: &self.task_durations_ms,
            logical_processors,
            waiting_and_task_ms: (self.params.of == SweepOf::Fetch)
                .then_some((self.waiting_ms, self.task_ms)),
            connections: self.params.connections(),
        })
    }

    /// "Sweep 2: requests, k = 1, 2, 6, 12, 3 runs each".
    pub fn title(&self, lang: Lang) -> String {
        let ks = self.ks.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        let what = self.params.of.title().get(lang);
        let repeat = self.params.repeat;
        match lang {
            Lang::En => format!("Sweep {}: {what}, k = {ks}, {repeat} runs each", self.id),
            Lang::ZhCn => format!("扫描 {}：{what}，k = {ks}，每个 {repeat} 次", self.id),
        }
    }
}

/// Runs the sweep, keeping its record in `sweeps` up to date after every run.
pub async fn run_sweep(
    pool: Option<Pool>,
    params: SweepParams,
    ks: Vec<u32>,
    compared: bool,
    sweeps: RwSignal<Vec<SweepRecord>>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    let planned_ms = match params.of {
        SweepOf::Cpu => Vec::new(),
        SweepOf::Fetch => vec![f64::from(params.latency_ms); params.n as usize],
    };
    let record = SweepRecord {
        id,
        params: params.clone(),
        ks: ks.clone(),
        runs: Vec::new(),
        task_durations_ms: planned_ms,
        waiting_ms: 0.0,
        task_ms: 0.0,
        started_ms: epoch_ms(),
        outcome: SweepOutcome::InProgress,
        compared,
    };
    push_run(sweeps, record);
    let mut outcome = SweepOutcome::Complete;
    for (done, (k, repetition)) in schedule(&ks, params.repeat).into_iter().enumerate() {
        progress.set(done);
        if cancelled.load(Ordering::Relaxed) {
            outcome = SweepOutcome::Cancelled;
            break;
        }
        // The last run's table, charts and timeline are drawn before the
        // next is timed, so that drawing is not inside the measurement.
        after_next_paint().await;
        match run_one(pool, &params, k, cancelled.clone()).await {
            Ok(Some(timed)) => update_run(sweeps, id, |record| {
                if params.of == SweepOf::Cpu && k == 1 {
                    record.task_durations_ms = task_durations_ms(&timed.spans);
                }
                record.waiting_ms += timed.waiting_ms;
                record.task_ms += timed.task_ms;
                let measurement = Measurement { k, repetition, makespan_ms: timed.makespan_ms };
                record.runs.push(MeasuredRun { measurement, spans: timed.spans });
            }),
            Ok(None) => {
                outcome = SweepOutcome::Cancelled;
                break;
            }
            Err(said) => {
                let said = Said::new(
                    format!("the run with k = {k} failed: {}", said.get(Lang::En)),
                    format!("k = {k} 的那次运行失败：{}", said.get(Lang::ZhCn)),
                );
                outcome = SweepOutcome::Failed(said);
                break;
            }
        }
    }
    let measured = sweeps.with_untracked(|sweeps| {
        sweeps.iter().find(|record| record.id == id).map_or(0, |record| record.runs.len())
    });
    progress.set(measured);
    update_run(sweeps, id, |record| record.outcome = outcome);
}

async fn run_one(
    pool: Option<Pool>,
    params: &SweepParams,
    k: u32,
    cancelled: Arc<AtomicBool>,
) -> Result<Option<Timed>, Said> {
    match (params.of, pool) {
        (SweepOf::Cpu, Some(pool)) => run_cpu(pool, params, k, cancelled).await,
        (SweepOf::Cpu, None) => Err(Said::new("the thread pool is not running", "线程池没有在运行")),
        (SweepOf::Fetch, _) => run_requests(params, k, cancelled).await,
    }
}
