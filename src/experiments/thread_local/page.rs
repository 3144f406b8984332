//! The thread-local page: run the tasks on k threads (or compare one thread
//! with k), then see each thread's own total, that they add up to the
//! shared one, and which student each task saw.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::thread_local::prediction::{measured, question};
use overlap_core::experiments::thread_local::{
    TASKS_KEY, THREADS_KEY, TaskRecord, ThreadLocalFigures, ThreadLocalParams, python_program,
    saw_own_student, thread_local_figures,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::prediction::Measured;
use overlap_core::records::results::{Figure, ResultsRun};
use overlap_core::records::span::{Span, SpanState};
use overlap_core::shown_source;
use overlap_core::timeline::text::thread_label;

use crate::experiments::thread_local::tasks::{LocalRun, run_on_pool};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;
use crate::pool::thread_pool::Pool;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::NumberField;
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::run_control::{RunActions, RunControl, RunTicket, push_run, update_run};
use crate::widgets::run_views::{ProgressUnit, RunProgress, RunsPanel};

#[derive(Clone, Debug, PartialEq)]
enum LocalOutcome {
    InProgress,
    Complete { figures: ThreadLocalFigures, records: Vec<TaskRecord> },
    Cancelled,
    Failed(Said),
}

overlap_core::numbered_by_id!(LocalRecord);

#[derive(Clone, Debug, PartialEq)]
struct LocalRecord {
    id: u32,
    lanes: u32,
    tasks: u32,
    done: usize,
    outcome: LocalOutcome,
}

impl LocalRecord {
    fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::En => {
                let unit = if self.lanes == 1 { "thread" } else { "threads" };
                format!("{} {unit}, {} tasks", self.lanes, self.tasks)
            }
            Lang::ZhCn => format!("{} 个线程，{} 个任务", self.lanes, self.tasks),
        }
    }

    fn spans(&self) -> Vec<Span> {
        match &self.outcome {
            LocalOutcome::Complete { records, .. } => records
                .iter()
                .map(|record| Span {
                    task: Some(record.task),
                    lane: Some(record.thread),
                    state: SpanState::Running,
                    start_ms: record.start_ms,
                    end_ms: record.end_ms.max(record.start_ms),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

async fn run_tasks(
    pool: Pool,
    lanes: u32,
    tasks: u32,
    runs: RwSignal<Vec<LocalRecord>>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    push_run(runs, LocalRecord { id, lanes, tasks, done: 0, outcome: LocalOutcome::InProgress });
    let done = Arc::new(AtomicUsize::new(0));
    let run = LocalRun { run_id: id, lanes, tasks, cancelled, done: done.clone() };
    let report =
        pool.run_counting(done.clone(), move || run_on_pool(&run), |count| progress.set(count)).await;
    let outcome = match report {
        Err(lost) => LocalOutcome::Failed(lost.said()),
        Ok(report) if report.records.len() < tasks as usize => LocalOutcome::Cancelled,
        Ok(report) => LocalOutcome::Complete {
            figures: thread_local_figures(tasks, &report.records, &report.totals, report.shared_total),
            records: report.records,
        },
    };
    let done = done.load(Ordering::Relaxed);
    update_run(runs, id, |record| {
        record.done = done;
        record.outcome = outcome;
    });
}

/// The latest complete run of `tasks` tasks on `threads` threads, as the
/// prediction reads it.
fn answering_run(runs: &[LocalRecord], threads: u32, tasks: u32) -> Option<(u32, Measured)> {
    runs.iter().rev().find_map(|run| match &run.outcome {
        LocalOutcome::Complete { figures, .. } if run.lanes == threads && run.tasks == tasks => {
            Some((run.id, measured(figures)))
        }
        _ => None,
    })
}

#[component]
pub fn ThreadLocalPage(
    initial: PageState,
    problems: Vec<QueryProblem>,
    default_threads: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| ThreadLocalParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<LocalRecord>::new());
    let control = RunControl::new();
    let threads = move || params.get().threads.unwrap_or(default_threads);

    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(threads(), params.get().tasks)),
        move || {
            let (threads, tasks) = (threads(), params.get().tasks);
            runs.with(|runs| answering_run(runs, threads, tasks))
        },
        control.running.into(),
    );
    control.predicting(prediction);
    let blocked_reason = move || control.blocked(form, pool, threads(), i18n, lang.get());

    let start = move |lane_counts: Vec<u32>| {
        let Some(pool_handle) = pool.pool.get_untracked() else { return };
        if untrack(blocked_reason).is_some() {
            return;
        }
        let tasks = params.get_untracked().tasks;
        control.start(lane_counts, move |lanes, ticket| run_tasks(pool_handle, lanes, tasks, runs, ticket));
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let ready = matches!(pool.state.get(), PoolState::Ready { .. });
        if state.get_untracked().run_on_load && !started_on_load.get_value() && ready && prediction.ready() {
            started_on_load.set_value(true);
            start(vec![untrack(threads)]);
        }
    });

    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut params = Vec::new();
                ThreadLocalParams { threads: Some(run.lanes), tasks: run.tasks }.encode(&mut params);
                let figures = match &run.outcome {
                    LocalOutcome::Complete { figures, .. } => figures.results(),
                    _ => vec![("done", Figure::from(run.done))],
                };
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: matches!(run.outcome, LocalOutcome::Complete { .. }),
                    figures,
                }
            })
            .collect()
    });

    let rows = move || {
        let lang = lang.get();
        runs.with(|runs| {
            runs.iter()
                .map(|run| {
                    let (outcome, per_thread, sums, verdict) = match &run.outcome {
                        LocalOutcome::InProgress => ("in-progress", String::new(), String::new(), t_string!(i18n, thread_local.result_running).to_string()),
                        LocalOutcome::Cancelled => ("cancelled", String::new(), String::new(), t_string!(i18n, thread_local.result_cancelled).to_string()),
                        LocalOutcome::Failed(said) => ("failed", String::new(), String::new(), t_string!(i18n, thread_local.result_failed, message = said.get(lang).to_string()).to_string()),
                        LocalOutcome::Complete { figures, .. } => {
                            let per_thread = figures
                                .per_thread
                                .iter()
                                .map(|thread| format!("{} ({}): {}", thread_label(thread.thread, lang), thread.student, thread.local_sum))
                                .collect::<Vec<_>>()
                                .join(t_string!(i18n, common.list_separator));
                            let sums = format!("{} / {} / {}", figures.sum_of_locals, figures.shared_total, figures.expected);
                            let verdict = if figures.sums_agree() && figures.students_kept_apart {
                                t_string!(i18n, thread_local.verdict_ok).to_string()
                            } else {
                                t_string!(i18n, thread_local.verdict_wrong).to_string()
                            };
                            ("complete", per_thread, sums, verdict)
                        }
                    };
                    let figures = match &run.outcome {
                        LocalOutcome::Complete { figures, .. } => Some(figures.clone()),
                        _ => None,
                    };
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-threads=run.lanes
                            data-outcome=outcome
                            data-sum-of-locals=figures.as_ref().map(|figures| figures.sum_of_locals)
                            data-shared-total=figures.as_ref().map(|figures| figures.shared_total)
                            data-expected=figures.as_ref().map(|figures| figures.expected)
                            data-threads-used=figures.as_ref().map(|figures| figures.per_thread.len())
                            data-kept-apart=figures.as_ref().map(|figures| figures.students_kept_apart.to_string())
                        >
                            <td>{run.id}</td>
                            <td>{run.title(lang)}</td>
                            <td>{per_thread}</td>
                            <td>{sums}</td>
                            <td>{verdict}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    let students = move || {
        let lang = lang.get();
        runs.with(|runs| {
            runs.iter().rev().find_map(|run| match &run.outcome {
                LocalOutcome::Complete { figures, records } => {
                    Some((run.id, figures.clone(), records.clone()))
                }
                _ => None,
            })
        })
        .map(|(id, figures, records)| {
            let rows = figures
                .per_thread
                .iter()
                .map(|thread| {
                    let mine: Vec<&TaskRecord> =
                        records.iter().filter(|record| record.thread == thread.thread).collect();
                    let saw_other = mine.iter().filter(|record| !saw_own_student(record, &records)).count();
                    let tasks = mine
                        .iter()
                        .map(|record| (record.task + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <tr data-testid="student-row" data-saw-other=saw_other>
                            <td>{thread_label(thread.thread, lang)}</td>
                            <td>{thread.student}</td>
                            <td>{tasks}</td>
                            <td>{saw_other}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="panel" data-testid="students" aria-labelledby="students-heading">
                    <h3 id="students-heading">{t_string!(i18n, thread_local.students_heading, run = id).to_string()}</h3>
                    <div class="table-scroll">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, thread_local.column_thread)}</th>
                                    <th scope="col">{t!(i18n, thread_local.column_student)}</th>
                                    <th scope="col">{t!(i18n, thread_local.column_tasks_read)}</th>
                                    <th scope="col">{t!(i18n, thread_local.column_saw_other)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
            }
        })
    };

    view! {
        <article class="experiment" data-testid="thread-local-experiment">
            <h2>{t!(i18n, thread_local.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, thread_local.idea)}</p>
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <NumberField
                    key=THREADS_KEY
                    label=Signal::derive(move || t_string!(i18n, thread_local.field_threads).to_string())
                    value=Signal::derive(threads)
                    form=form
                />
                <NumberField
                    key=TASKS_KEY
                    label=Signal::derive(move || t_string!(i18n, thread_local.field_tasks).to_string())
                    value=Signal::derive(move || params.get().tasks)
                    form=form
                />
                <RunActions
                    control=control
                    blocked=Signal::derive(blocked_reason)
                    on_run=move || start(vec![threads()])
                    on_compare=move || start(vec![1, threads()])
                    compare_label=Signal::derive(move || t_string!(i18n, thread_local.compare, threads = threads()).to_string())
                    experiment=ThreadLocalParams::KEY
                    state=state
                    results=results_runs
                    has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
                />
            </form>
            <PredictionPanel prediction=prediction />
            {move || {
                runs.with(|runs| runs.last().cloned())
                    .filter(|run| matches!(run.outcome, LocalOutcome::InProgress))
                    .map(|run| view! { <RunProgress title=run.title(lang.get()) done=control.progress.get() total=run.tasks as usize unit=ProgressUnit::Tasks /> })
            }}
            <RunsPanel
                class="thread-local-results"
                runs=runs
                header=move || view! {
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, thread_local.column_run)}</th>
                    <th scope="col">{t!(i18n, thread_local.column_per_thread)}</th>
                    <th scope="col">{t!(i18n, thread_local.column_sums)}</th>
                    <th scope="col">{t!(i18n, thread_local.column_verdict)}</th>
                }
                hint=move || t!(i18n, thread_local.runs_hint)
            >
                {rows}
            </RunsPanel>
            {students}
            <Timeline runs=Memo::new(move |_| {
                let lang = lang.get();
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| {
                            let spans = run.spans();
                            let lanes = spans.iter().filter_map(|span| span.lane).max().map_or(0, |last| last + 1);
                            TimelineRun {
                                title: format!("{}. {}", run.id, run.title(lang)),
                                spans,
                                lane_names: (0..lanes).map(|lane| thread_label(lane, lang)).collect(),
                                in_progress: matches!(run.outcome, LocalOutcome::InProgress),
                                complete: matches!(run.outcome, LocalOutcome::Complete { .. }),
                                work: format!("tasks={}", run.tasks),
                            }
                        })
                        .collect()
                })
            }).into() />
            <CodePanel
                python=Signal::derive(move || python_program(lang.get()))
                rust_hint=Signal::derive(move || t_string!(i18n, thread_local.code_hint).to_string())
                rust=Signal::stored(shown_source!(include_str!("tasks.rs")).to_string())
            />
        </article>
    }
}
