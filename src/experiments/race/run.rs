//! One race run as the page keeps it, and the driver that starts it on the
//! pool and follows its progress at the live drawing rate.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use overlap_core::experiments::race::{
    IncrementRecord, LostUpdate, RaceFacts, RaceFigures, Variant, find_lost_update, race_figures,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::span::{Span, SpanState};

use crate::experiments::race::counter::{RaceReport, RaceRun, race_on_pool};
use crate::pool::thread_pool::{JobLost, Pool};
use crate::widgets::run_control::{RunTicket, push_run, update_run};

/// How many of each lost increment's neighbours (per thread, each side) the
/// evidence shows.
const EVIDENCE_NEIGHBOURS: u32 = 3;

#[derive(Clone, Debug, PartialEq)]
pub enum RaceOutcome {
    InProgress,
    Complete { final_value: i64, time_ms: f64 },
    Cancelled,
    Failed(Said),
}

/// What the unprotected run recorded of its first increments.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// Increments recorded per thread.
    pub window: usize,
    pub lost: Option<LostUpdate>,
    /// The lost pair and their neighbours, in order of their reads.
    pub shown: Vec<IncrementRecord>,
}

overlap_core::numbered_by_id!(RaceRecord);

#[derive(Clone, Debug, PartialEq)]
pub struct RaceRecord {
    pub id: u32,
    pub variant: Variant,
    pub threads: u32,
    pub increments: u32,
    pub done: usize,
    pub spans: Vec<Span>,
    pub outcome: RaceOutcome,
    pub evidence: Option<Evidence>,
}

impl RaceRecord {
    pub fn title(&self, lang: Lang) -> String {
        self.variant.run_title(self.threads, self.increments, lang)
    }

    pub fn total(&self) -> usize {
        self.threads as usize * self.increments as usize
    }

    /// Runs of the same threads and size compare.
    pub fn work(&self) -> String {
        format!("threads={} increments={}", self.threads, self.increments)
    }

    /// Its figures, against the latest complete unprotected run of the same
    /// work in `runs`; `None` until it is complete.
    pub fn figures(&self, runs: &[RaceRecord]) -> Option<RaceFigures> {
        let RaceOutcome::Complete { final_value, time_ms } = self.outcome else { return None };
        let unsafe_ms = runs.iter().rev().find_map(|other| match other.outcome {
            RaceOutcome::Complete { time_ms, .. }
                if other.variant == Variant::Unsafe && other.work() == self.work() =>
            {
                Some(time_ms)
            }
            _ => None,
        });
        let facts = RaceFacts {
            variant: self.variant,
            threads: self.threads,
            increments: self.increments,
            final_value,
            time_ms,
        };
        Some(race_figures(facts, unsafe_ms))
    }
}

/// Runs `variant` on `threads` threads, appending the run to `runs` and
/// keeping it up to date until it ends.
pub async fn run_race(
    pool: Pool,
    variant: Variant,
    threads: u32,
    increments: u32,
    runs: RwSignal<Vec<RaceRecord>>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    push_run(
        runs,
        RaceRecord {
            id,
            variant,
            threads,
            increments,
            done: 0,
            spans: Vec::new(),
            outcome: RaceOutcome::InProgress,
            evidence: None,
        },
    );
    let done = Arc::new(AtomicUsize::new(0));
    let run = RaceRun { variant, threads, increments, cancelled: cancelled.clone(), done: done.clone() };
    let report =
        pool.run_counting(done.clone(), move || race_on_pool(&run), |count| progress.set(count)).await;
    let done = done.load(Ordering::Relaxed);
    let (outcome, spans, evidence) = match report {
        Err(lost) => (RaceOutcome::Failed(JobLost::said(lost)), Vec::new(), None),
        Ok(report) => fold(
            report,
            variant,
            done,
            threads as usize * increments as usize,
            cancelled.load(Ordering::Relaxed),
        ),
    };
    update_run(runs, id, |record| {
        record.done = done;
        record.outcome = outcome;
        record.spans = spans;
        record.evidence = evidence;
    });
}

/// The run's outcome, its threads' spans and its evidence, from what the
/// pool reported.
fn fold(
    report: RaceReport,
    variant: Variant,
    done: usize,
    total: usize,
    cancelled: bool,
) -> (RaceOutcome, Vec<Span>, Option<Evidence>) {
    let released_ms = report.lanes.iter().map(|lane| lane.start_ms).fold(f64::INFINITY, f64::min);
    let spans = report
        .lanes
        .iter()
        .enumerate()
        .map(|(lane, report)| Span {
            task: None,
            lane: Some(lane as u32),
            state: SpanState::Running,
            start_ms: report.start_ms - released_ms,
            end_ms: report.end_ms - released_ms,
        })
        .collect();
    let records: Vec<IncrementRecord> = report
        .lanes
        .iter()
        .flat_map(|lane| lane.records.iter())
        .map(|record| IncrementRecord {
            read_ms: record.read_ms - released_ms,
            wrote_ms: record.wrote_ms - released_ms,
            ..*record
        })
        .collect();
    let evidence = (variant == Variant::Unsafe && !records.is_empty()).then(|| {
        let lost = find_lost_update(&records);
        Evidence {
            window: report.lanes.iter().map(|lane| lane.records.len()).max().unwrap_or(0),
            lost,
            shown: lost.map(|lost| lost.neighbours(&records, EVIDENCE_NEIGHBOURS)).unwrap_or_default(),
        }
    });
    let outcome = if report.lanes.iter().any(|lane| !lane.at_start_line) && !cancelled {
        let arrived = report.lanes.iter().filter(|lane| lane.at_start_line).count();
        RaceOutcome::Failed(Said::new(
            format!(
                "only {arrived} of {} threads reached the start line within 5 s: another job may hold a pool thread",
                report.lanes.len()
            ),
            format!(
                "5 秒内只有 {arrived}/{} 个线程到达起跑线：可能有别的任务占着线程池的线程",
                report.lanes.len()
            ),
        ))
    } else if done < total {
        RaceOutcome::Cancelled
    } else {
        let end_ms = report.lanes.iter().map(|lane| lane.end_ms).fold(f64::NEG_INFINITY, f64::max);
        RaceOutcome::Complete { final_value: report.final_value, time_ms: end_ms - released_ms }
    };
    (outcome, spans, evidence)
}
