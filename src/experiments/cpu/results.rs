//! The numbers of every run, as a table (the timeline draws their spans);
//! core computes them (`run_figures`), this words and lays them out.

use leptos::prelude::*;
use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::cpu::{RunFigures, run_figures};
use overlap_core::lang::Lang;
use overlap_core::records::run_stats::RunStats;
use overlap_core::records::units::{format_ms, format_percent, format_ratio};

use crate::experiments::cpu::run::{RunOutcome, RunRecord};
use leptos_i18n::I18nContext;

use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::widgets::run_views::{RunsPanel, keyed_rows};

/// What a run's row shows besides its number and the language: the run as
/// it stands and the baseline it is compared with (`keyed_rows`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct RowKey {
    tasks_done: usize,
    spans: usize,
    ended: bool,
    baseline: Option<u32>,
}

impl RowKey {
    fn of(run: &RunRecord, runs: &[RunRecord]) -> Self {
        RowKey {
            tasks_done: run.tasks_done,
            spans: run.spans.len(),
            ended: !matches!(run.outcome, RunOutcome::InProgress),
            baseline: run.baseline(runs).map(|baseline| baseline.id),
        }
    }
}

/// A run's figures against its baseline in `runs`.
pub fn figures_of(run: &RunRecord, runs: &[RunRecord]) -> RunFigures {
    run_figures(run.facts(), run.baseline(runs).map(RunRecord::facts))
}

/// What a run computed, or how it ended, in words.
pub fn result_text(run: &RunRecord, figures: &RunFigures, i18n: I18nContext<Locale>, lang: Lang) -> String {
    match &run.outcome {
        RunOutcome::InProgress => t_string!(i18n, cpu.result_running).to_string(),
        RunOutcome::Cancelled => {
            let (done, total) = (run.tasks_done, run.total_tasks);
            t_string!(i18n, cpu.result_cancelled, done, total, never = total - done).to_string()
        }
        RunOutcome::Failed(said) => {
            t_string!(i18n, cpu.result_failed, message = said.get(lang).to_string()).to_string()
        }
        RunOutcome::Complete { check, .. } => {
            let verdict = match figures.matches_sequential {
                Some(true) => t_string!(i18n, cpu.verdict_matches).to_string(),
                Some(false) => t_string!(i18n, cpu.verdict_differs).to_string(),
                None => t_string!(i18n, cpu.verdict_none).to_string(),
            };
            let (summary, digest) = (check.summary.text(lang), format!("{:016x}", check.digest));
            t_string!(i18n, cpu.result_complete, summary, digest, verdict).to_string()
        }
    }
}

#[component]
pub fn RunsTable(runs: RwSignal<Vec<RunRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |run: &RunRecord, all: &[RunRecord], lang: Lang| {
        let figures = figures_of(run, all);
        let outcome = match run.outcome {
            RunOutcome::InProgress => "in-progress",
            RunOutcome::Complete { .. } => "complete",
            RunOutcome::Cancelled => "cancelled",
            RunOutcome::Failed(_) => "failed",
        };
        let digest = run.facts().digest.map(|digest| format!("{digest:016x}")).unwrap_or_default();
        let busy = match figures.busy_ms {
            Some(busy_ms) => format_ms(busy_ms),
            None => t_string!(i18n, cpu.busy_not_recorded).to_string(),
        };
        let row = view! {
            <tr
                data-testid="run-row"
                data-run=run.id
                data-mode=run.params.mode.text()
                data-workers=run.workers
                data-outcome=outcome
                data-digest=digest
                data-matches=figures.matches_sequential.map(|matches| matches.to_string()).unwrap_or_default()
                data-tasks-done=run.tasks_done
                data-makespan-ms=figures.makespan_ms
                data-busy-ms=figures.busy_ms
                data-speedup=figures.speedup
                data-ceiling=figures.ceiling
                data-starting-ms=figures.stats.starting_ms
                data-serialising-ms=figures.stats.serialising_ms
            >
                <td>{run.id}</td>
                <td>{run.params.workload.title().get(lang)}</td>
                <td>{run.title(lang)}</td>
                <td>{figures.makespan_ms.map(format_ms)}</td>
                <td>{busy}</td>
                <td>{figures.speedup.map(format_ratio)}</td>
                <td>{figures.efficiency.map(format_percent)}</td>
                <td>{figures.ceiling.map(format_ratio)}</td>
                <td>{overheads(&figures.stats, i18n)}</td>
                <td>{result_text(run, &figures, i18n, lang)}</td>
            </tr>
        };
        row
    };
    let rows = move || keyed_rows(runs, RowKey::of, row);
    view! {
        <RunsPanel
            class="cpu-results"
            runs=runs
            header=move || view! {
                <th scope="col">"#"</th>
                <th scope="col">{t!(i18n, cpu.column_workload)}</th>
                <th scope="col">{t!(i18n, cpu.column_mode)}</th>
                <th scope="col">{t!(i18n, cpu.column_makespan)}</th>
                <th scope="col">{t!(i18n, cpu.column_busy)}</th>
                <th scope="col">{t!(i18n, cpu.column_speedup)}</th>
                <th scope="col">{t!(i18n, cpu.column_efficiency)}</th>
                <th scope="col">{t!(i18n, cpu.column_ceiling)}</th>
                <th scope="col">{t!(i18n, cpu.column_overheads)}</th>
                <th scope="col">{t!(i18n, cpu.column_result)}</th>
            }
            hint=move || t!(i18n, cpu.runs_hint)
        >
            {rows}
        </RunsPanel>
    }
}

fn overheads(stats: &RunStats, i18n: I18nContext<Locale>) -> String {
    let time = |ms: f64| format_ms(ms);
    let mut parts = Vec::new();
    if stats.starting_ms > 0.0 {
        parts.push(t_string!(i18n, cpu.overhead_starting, time = time(stats.starting_ms)).to_string());
    }
    if stats.serialising_ms > 0.0 {
        parts.push(t_string!(i18n, cpu.overhead_copying, time = time(stats.serialising_ms)).to_string());
    }
    if stats.waiting_for_lock_ms > 0.0 {
        parts.push(t_string!(i18n, cpu.overhead_lock, time = time(stats.waiting_for_lock_ms)).to_string());
    }
    parts.join(t_string!(i18n, common.list_separator))
}
