//! The CPU experiment page: one workload, run sequentially, on threads, on
//! isolated workers or under a global lock, with the numbers of every run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::cpu::prediction::{Facts as PredictionFacts, measured, question};
use overlap_core::experiments::cpu::run_figures;
use overlap_core::experiments::cpu::{
    CpuFault, CpuMode, CpuParams, FAULT_KEY, MODE_KEY, RECORD_KEY, Recording, ResultSummary, SIZE_KEY,
    TASKS_KEY, WORKERS_KEY, WORKLOAD_KEY, Workload,
};
use overlap_core::lang::Lang;
use overlap_core::prediction::Measured;
use overlap_core::records::results::ResultsRun;
use overlap_core::records::run_stats::run_stats;
use overlap_core::shown_source;
use overlap_core::timeline::scale::lanes_of;

use crate::experiments::cpu::picture::PictureCanvas;
use crate::experiments::cpu::results::{RunsTable, figures_of, result_text};
use crate::experiments::cpu::run::{RunOutcome, RunRecord, run_once};
use leptos_i18n::I18nContext;

use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::language::{label_of, use_lang};
use crate::pool::pool_context::PoolContext;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chosen_idea::ChosenIdea;
use crate::widgets::form_fields::{ChoiceField, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::results_download::DownloadResults;
use crate::widgets::run_views::{ProgressUnit, RunProgress};

fn kernel_source(workload: Workload) -> &'static str {
    match workload {
        Workload::SumOfSquares => {
            shown_source!(include_str!(
                "../../../crates/overlap-core/src/workloads/kernels/sum_of_squares.rs"
            ))
        }
        Workload::Primes => {
            shown_source!(include_str!("../../../crates/overlap-core/src/workloads/kernels/primes.rs"))
        }
        Workload::Blur => {
            shown_source!(include_str!("../../../crates/overlap-core/src/workloads/kernels/blur.rs"))
        }
        Workload::Mandelbrot => {
            shown_source!(include_str!("../../../crates/overlap-core/src/workloads/kernels/mandelbrot.rs"))
        }
    }
}

fn scheduling_source(mode: CpuMode) -> &'static str {
    match mode {
        CpuMode::Workers => shown_source!(include_str!("isolated.rs")),
        CpuMode::Sequential | CpuMode::Threads | CpuMode::Gil => {
            shown_source!(include_str!("../../pool/task_lanes.rs"))
        }
    }
}

/// Whether a mode can run now: those on the thread pool need it ready.
fn can_run(mode: CpuMode, pool: &PoolState) -> bool {
    !mode.needs_thread_pool() || matches!(pool, PoolState::Ready { .. })
}

/// Why a mode cannot run now, if it cannot.
fn unavailable(mode: CpuMode, pool: &PoolState, i18n: I18nContext<Locale>, lang: Lang) -> Option<String> {
    if can_run(mode, pool) {
        return None;
    }
    Some(match pool {
        PoolState::Off(reason) => {
            let (mode, reason) = (mode.title().get(lang), reason.message(lang));
            t_string!(i18n, cpu.needs_threads, mode, reason).to_string()
        }
        PoolState::Starting { .. } | PoolState::Ready { .. } => {
            t_string!(i18n, cpu.waiting_for_pool).to_string()
        }
    })
}

/// The latest complete run of `mode` with `workers` (any number, for
/// sequential) after a complete sequential run of the same work, as the
/// prediction reads them.
fn answering_run(runs: &[RunRecord], mode: CpuMode, workers: u32) -> Option<(u32, Measured)> {
    let complete = |run: &&RunRecord| matches!(run.outcome, RunOutcome::Complete { .. });
    runs.iter()
        .rev()
        .filter(complete)
        .filter(|run| run.params.mode == mode && (mode == CpuMode::Sequential || run.workers == workers))
        .find_map(|run| {
            let sequential = runs.iter().rev().filter(complete).find(|other| {
                other.id < run.id && other.params.mode == CpuMode::Sequential && other.same_work(run)
            })?;
            // Against the same sequential run as the fraction it answers
            // with: the ceiling in its explanation comes from that run too.
            let figures = run_figures(run.facts(), Some(sequential.facts()));
            let facts = PredictionFacts {
                mode,
                workers: run.workers,
                sequential_ms: run_stats(&sequential.spans).makespan_ms,
                makespan_ms: figures.stats.makespan_ms,
                ceiling: figures.ceiling,
                starting_ms: figures.stats.starting_ms,
                serialising_ms: figures.stats.serialising_ms,
                waiting_for_lock_ms: figures.stats.waiting_for_lock_ms,
            };
            measured(&facts).map(|measured| (run.id, measured))
        })
}

#[component]
pub fn CpuPage(initial: PageState, problems: Vec<QueryProblem>, default_workers: u32) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let cpu = Memo::new(move |_| CpuParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<RunRecord>::new());
    let running = RwSignal::new(false);
    let cancelled = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let next_id = StoredValue::new(1u32);

    let workers = move || cpu.get().workers.unwrap_or(default_workers);
    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(&cpu.get(), workers())),
        move || {
            let (mode, workers) = (cpu.get().mode, workers());
            runs.with(|runs| answering_run(runs, mode, workers))
        },
        running.into(),
    );
    let blocked_reason = move |modes: &[CpuMode]| -> Option<String> {
        let lang = lang.get();
        if running.get() {
            return Some(t_string!(i18n, common.run_in_progress).to_string());
        }
        if let Some(reason) = prediction.blocked() {
            return Some(reason);
        }
        if let Some(message) = form.first_error(lang) {
            return Some(t_string!(i18n, common.fix_parameters, message).to_string());
        }
        let pool_state = pool.state.get();
        modes.iter().find_map(|mode| unavailable(*mode, &pool_state, i18n, lang))
    };

    let start = move |modes: Vec<CpuMode>| {
        if blocked_reason(&modes).is_some() {
            return;
        }
        let flag = Arc::new(AtomicBool::new(false));
        cancelled.set_value(flag.clone());
        running.set(true);
        let base = cpu.get_untracked();
        let worker_count = workers();
        let pool_handle = pool.pool.get_untracked();
        // A comparison's sequential baseline suffers no fault: the fault is
        // the compared mode's.
        let comparing = modes.len() > 1;
        spawn_local(async move {
            for mode in modes {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                let id = next_id.get_value();
                next_id.set_value(id + 1);
                let fault =
                    if comparing && mode == CpuMode::Sequential { CpuFault::None } else { base.fault };
                let params = CpuParams { mode, fault, ..base };
                if run_once(pool_handle, params, worker_count, id, runs, flag.clone()).await {
                    break;
                }
            }
            running.set(false);
        });
    };

    // `run=1`: start as soon as the chosen mode can run, and a required
    // prediction is committed.
    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let mode = cpu.get_untracked().mode;
        let ready = can_run(mode, &pool.state.get()) && prediction.ready();
        if state.get_untracked().run_on_load && !started_on_load.get_value() && ready {
            started_on_load.set_value(true);
            start(vec![mode]);
        }
    });

    // The run going on, as its progress line shows it: read at every draw
    // of a run, so without copying its spans.
    let in_progress = move || {
        runs.with(|runs| {
            runs.last()
                .filter(|run| matches!(run.outcome, RunOutcome::InProgress))
                .map(|run| (run.title(lang.get()), run.tasks_done, run.total_tasks))
        })
    };
    // The latest run with a picture, by id: the picture is drawn again only
    // when a newer one comes, not at every draw of the run after it (each
    // draw copied up to 4 MB into a new canvas on the main thread while
    // the workers ran: issue 17).
    let latest_picture_id = Memo::new(move |_| {
        runs.with(|runs| {
            runs.iter().rev().find_map(|run| {
                matches!(run.outcome, RunOutcome::Complete { picture: Some(_), .. }).then_some(run.id)
            })
        })
    });
    let latest_picture = move || {
        let id = latest_picture_id.get()?;
        let lang = lang.get();
        runs.with_untracked(|runs| {
            runs.iter().find(|run| run.id == id).and_then(|run| match &run.outcome {
                RunOutcome::Complete { picture: Some(picture), .. } => {
                    Some((run.title(lang), picture.clone()))
                }
                _ => None,
            })
        })
    };
    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        let runs = runs.get_untracked();
        runs.iter()
            .map(|run| {
                let figures = figures_of(run, &runs);
                let sums = match &run.outcome {
                    RunOutcome::Complete { check, .. } => match &check.summary {
                        ResultSummary::Sums(sums) => Some(sums.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                // The workers the run had, whether the address named them or not.
                let mut params = Vec::new();
                CpuParams { workers: Some(run.workers), ..run.params }.encode(&mut params);
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: matches!(run.outcome, RunOutcome::Complete { .. }),
                    figures: figures.results(result_text(run, &figures, i18n, lang), sums.as_deref()),
                }
            })
            .collect()
    });

    view! {
        <article class="experiment" data-testid="cpu-experiment">
            <h2>{move || t_string!(i18n, cpu.heading, workload = cpu.get().workload.title().get(lang.get())).to_string()}</h2>
            <section class="idea">
                <p>{move || cpu.get().workload.description().get(lang.get())}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = cpu.get().mode;
                    (chosen.title(), chosen.teaches())
                }) />
            </section>

            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=WORKLOAD_KEY
                    label=Signal::derive(move || t_string!(i18n, cpu.field_workload).to_string())
                    options=options_of(Workload::title, lang)
                    value=Signal::derive(move || cpu.get().workload.into())
                    form=form
                />
                <ChoiceField
                    key=MODE_KEY
                    label=Signal::derive(move || t_string!(i18n, cpu.field_mode).to_string())
                    options=options_of(CpuMode::title, lang)
                    value=Signal::derive(move || cpu.get().mode.into())
                    note=Signal::derive(move || unavailable(cpu.get().mode, &pool.state.get(), i18n, lang.get()))
                    form=form
                />
                <NumberField
                    key=WORKERS_KEY
                    label=Signal::derive(move || t_string!(i18n, cpu.field_workers).to_string())
                    value=Signal::derive(workers)
                    enabled=Signal::derive(move || cpu.get().mode.uses_workers())
                    form=form
                />
                <Show when=move || cpu.get().workload.bounds().size_meaning.is_some()>
                    <NumberField
                        key=SIZE_KEY
                        label=Signal::derive(move || t_string!(i18n, cpu.field_size).to_string())
                        value=Signal::derive(move || cpu.get().size_or_default())
                        hint=Signal::derive(move || cpu.get().workload.bounds().size_meaning.map(|words| words.get(lang.get()).to_string()))
                        form=form
                    />
                </Show>
                <NumberField
                    key=TASKS_KEY
                    label=Signal::derive(move || t_string!(i18n, cpu.field_tasks).to_string())
                    value=Signal::derive(move || cpu.get().tasks_or_default())
                    form=form
                />
                <ChoiceField
                    key=RECORD_KEY
                    label=Signal::derive(move || t_string!(i18n, cpu.field_record).to_string())
                    options=options_of(Recording::title, lang)
                    value=Signal::derive(move || cpu.get().recording.into())
                    note=Signal::derive(move || cpu.get().recording_note(lang.get()))
                    form=form
                />
                <ChoiceField
                    key=FAULT_KEY
                    label=Signal::derive(move || t_string!(i18n, cpu.field_fault).to_string())
                    options=options_of(CpuFault::title, lang)
                    value=Signal::derive(move || cpu.get().fault.into())
                    note=Signal::derive(move || {
                        let cpu = cpu.get();
                        cpu.fault.note(cpu.mode, lang.get()).or_else(|| {
                            (cpu.fault_used() != CpuFault::None)
                                .then(|| t_string!(i18n, cpu.fault_hint).to_string())
                        })
                    })
                    form=form
                />
                <div class="actions">
                    <button
                        type="button"
                        data-testid="run"
                        prop:disabled=move || blocked_reason(&[cpu.get().mode]).is_some()
                        on:click=move |_| start(vec![cpu.get_untracked().mode])
                    >
                        {t!(i18n, common.run)}
                    </button>
                    <button
                        type="button"
                        data-testid="compare"
                        prop:disabled=move || blocked_reason(&[CpuMode::Sequential, cpu.get().mode]).is_some()
                        on:click=move |_| {
                            let mode = cpu.get_untracked().mode;
                            let modes = if mode == CpuMode::Sequential {
                                vec![mode]
                            } else {
                                vec![CpuMode::Sequential, mode]
                            };
                            start(modes)
                        }
                    >
                        {move || {
                            let mode = cpu.get().mode.title().get(lang.get());
                            let mode = if lang.get() == Lang::En { mode.to_lowercase() } else { mode.to_string() };
                            t_string!(i18n, cpu.compare, mode).to_string()
                        }}
                    </button>
                    <button
                        type="button"
                        data-testid="cancel"
                        prop:disabled=move || !running.get()
                        on:click=move |_| cancelled.get_value().store(true, Ordering::Relaxed)
                    >
                        {t!(i18n, common.cancel)}
                    </button>
                    <DownloadResults experiment=CpuParams::KEY state=state runs=results_runs has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty())) />
                </div>
                <p class="field-message" role="status">
                    {move || {
                        blocked_reason(&[cpu.get().mode])
                            .filter(|_| !running.get())
                            .map(|reason| t_string!(i18n, common.run_unavailable, reason).to_string())
                    }}
                </p>
            </form>
            <PredictionPanel prediction=prediction />

            {move || {
                in_progress()
                    .map(|(title, done, total)| {
                        view! { <RunProgress title=title done=done total=total unit=ProgressUnit::Tasks /> }
                    })
            }}

            <RunsTable runs=runs />
            <Timeline marker=prediction.marker(move |id| runs.with(|runs| runs.iter().position(|run| run.id == id))) runs=Memo::new(move |_| {
                let lang = lang.get();
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| {
                            let lanes = lanes_of(&run.spans).last().map_or(0, |last| last + 1);
                            TimelineRun {
                                title: format!("{}. {}{}", run.id, label_of(i18n, run.params.workload.title().get(lang)), run.title(lang)),
                                spans: run.spans.clone(),
                                lane_names: (0..lanes).map(|lane| run.lane_name(lane, lang)).collect(),
                                in_progress: matches!(run.outcome, RunOutcome::InProgress),
                                complete: matches!(run.outcome, RunOutcome::Complete { .. }),
                                work: run.work(),
                            }
                        })
                        .collect()
                })
            }).into() />
            {move || {
                latest_picture()
                    .map(|(title, picture)| {
                        let caption = t_string!(i18n, cpu.picture_caption, title = title.clone()).to_string();
                        view! {
                            <figure class="panel">
                                <PictureCanvas picture=picture label=caption.clone() />
                                <figcaption>{caption}</figcaption>
                            </figure>
                        }
                    })
            }}
            <section class="panel code">
                <h3>{t!(i18n, common.python_it_mirrors)}</h3>
                <pre>
                    <code>
                        {move || {
                            let cpu = cpu.get();
                            cpu.mode.python_idiom(cpu.workload.python_function(), lang.get())
                        }}
                    </code>
                </pre>
                <h3>{t!(i18n, common.rust_that_runs)}</h3>
                <p class="hint">{t!(i18n, cpu.code_hint)}</p>
                <pre data-testid="rust-kernel">
                    <code>{move || kernel_source(cpu.get().workload)}</code>
                </pre>
                <pre data-testid="rust-scheduling">
                    <code>{move || scheduling_source(cpu.get().mode)}</code>
                </pre>
            </section>
        </article>
    }
}
