//! The numbers of every run, as a table (the timeline draws their spans).

use leptos::prelude::*;
use overlap_core::cpu_mode::CpuMode;
use overlap_core::page_state::Recording;
use overlap_core::run_stats::{ceiling, efficiency, run_stats, speedup, task_durations_ms};
use overlap_core::units::{format_ms, format_percent, format_ratio};

use crate::cpu_run::{RunOutcome, RunRecord};
use crate::run_views::RunsPanel;

/// The latest complete sequential run of the same work as `run`: the
/// baseline for speedup and for checking results.
fn baseline<'a>(run: &RunRecord, runs: &'a [RunRecord]) -> Option<&'a RunRecord> {
    runs.iter().rev().find(|other| {
        other.params.mode == CpuMode::Sequential
            && other.same_work(run)
            && matches!(other.outcome, RunOutcome::Complete { .. })
    })
}

fn digest_of(run: &RunRecord) -> Option<u64> {
    match &run.outcome {
        RunOutcome::Complete { check, .. } => Some(check.digest),
        _ => None,
    }
}

#[component]
pub fn RunsTable(runs: RwSignal<Vec<RunRecord>>) -> impl IntoView {
    let rows = move || {
        runs.with(|all| {
            all.iter()
                .map(|run| {
                    let stats = run_stats(&run.spans);
                    let base = baseline(run, all);
                    let base_makespan = base.map(|base| run_stats(&base.spans).makespan_ms);
                    let finished = !matches!(run.outcome, RunOutcome::InProgress);
                    let run_speedup =
                        base_makespan.and_then(|base| speedup(base, stats.makespan_ms)).filter(|_| finished);
                    // The ceiling uses the sequential run's task times when there is one:
                    // they are not inflated by running side by side.
                    let durations = task_durations_ms(&base.unwrap_or(run).spans);
                    let run_ceiling = (durations.len() == run.total_tasks)
                        .then(|| ceiling(&durations, run.workers))
                        .flatten();
                    let (result, matches) = match &run.outcome {
                        RunOutcome::InProgress => ("running…".to_string(), String::new()),
                        RunOutcome::Cancelled => (
                            format!(
                                "cancelled: {} of {} tasks ran, {} were never started",
                                run.tasks_done,
                                run.total_tasks,
                                run.total_tasks - run.tasks_done
                            ),
                            String::new(),
                        ),
                        RunOutcome::Failed(message) => (format!("failed: {message}"), String::new()),
                        RunOutcome::Complete { check, .. } => {
                            let verdict = match base.and_then(digest_of) {
                                Some(digest) if digest == check.digest => "matches sequential ✓",
                                Some(_) => "DIFFERS from sequential ✗",
                                None => "no sequential run of this work to compare with yet",
                            };
                            let matches =
                                base.and_then(digest_of).map(|digest| (digest == check.digest).to_string());
                            (
                                format!("{} (digest {:016x}): {verdict}", check.summary, check.digest),
                                matches.unwrap_or_default(),
                            )
                        }
                    };
                    let outcome = match run.outcome {
                        RunOutcome::InProgress => "in-progress",
                        RunOutcome::Complete { .. } => "complete",
                        RunOutcome::Cancelled => "cancelled",
                        RunOutcome::Failed(_) => "failed",
                    };
                    let digest = digest_of(run).map(|digest| format!("{digest:016x}")).unwrap_or_default();
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-mode=run.params.mode.query_value()
                            data-workers=run.workers
                            data-outcome=outcome
                            data-digest=digest
                            data-matches=matches
                            data-tasks-done=run.tasks_done
                            data-makespan-ms=finished.then_some(stats.makespan_ms)
                            data-speedup=run_speedup
                            data-ceiling=run_ceiling
                            data-starting-ms=stats.starting_ms
                            data-serialising-ms=stats.serialising_ms
                        >
                            <td>{run.id}</td>
                            <td>{run.params.workload.title()}</td>
                            <td>{run.title()}</td>
                            <td>{finished.then(|| format_ms(stats.makespan_ms))}</td>
                            <td>
                                {if run.params.recording_used() == Recording::LanesOnly {
                                    "not recorded (lanes only)".to_string()
                                } else {
                                    format_ms(stats.busy_ms)
                                }}
                            </td>
                            <td>{run_speedup.map(format_ratio)}</td>
                            <td>{run_speedup.map(|s| format_percent(efficiency(s, run.workers)))}</td>
                            <td>{run_ceiling.map(format_ratio)}</td>
                            <td>{overheads(&stats)}</td>
                            <td>{result}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <RunsPanel
            class="cpu-results"
            columns=&[
                "#",
                "Workload",
                "Mode",
                "Makespan",
                "Busy (sum of tasks)",
                "Speedup over sequential",
                "Efficiency",
                "Ceiling on k workers",
                "Overheads",
                "Result",
            ]
            has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
            hint="Makespan runs from the start of the first task (after every worker warmed up) to the end of \
                  the last. The ceiling is the speedup a pool of k workers taking these tasks in order would \
                  reach with no overhead at all, from the tasks' sequential times."
        >
            {rows}
        </RunsPanel>
    }
}

fn overheads(stats: &overlap_core::run_stats::RunStats) -> String {
    let mut parts = Vec::new();
    if stats.starting_ms > 0.0 {
        parts.push(format!("start-up {}", format_ms(stats.starting_ms)));
    }
    if stats.serialising_ms > 0.0 {
        parts.push(format!("copying {}", format_ms(stats.serialising_ms)));
    }
    if stats.waiting_for_lock_ms > 0.0 {
        parts.push(format!("waiting for the lock {}", format_ms(stats.waiting_for_lock_ms)));
    }
    parts.join(", ")
}

/// The lane's name as tables and traces show it.
pub fn lane_name(run: &RunRecord, lane: u32) -> String {
    match run.params.mode {
        CpuMode::Workers => format!("worker {}", lane + 1),
        _ => format!("thread {}", lane + 1),
    }
}
