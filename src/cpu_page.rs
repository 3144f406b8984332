//! The CPU experiment page: one workload, run sequentially, on threads, on
//! isolated workers or under a global lock, with the numbers of every run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::cpu_mode::CpuMode;
use overlap_core::cpu_workload::Workload;
use overlap_core::page_state::{
    self, Experiment, MODE_KEY, PageState, QueryProblem, RECORD_KEY, Recording, SIZE_KEY, TASKS_KEY,
    WORKERS_KEY, WORKLOAD_KEY,
};
use overlap_core::pool_state::PoolState;
use overlap_core::source_excerpt::shown_region;
use overlap_core::timeline::lanes_of;

use crate::cpu_results::{RunsTable, lane_name};
use crate::cpu_run::{RunOutcome, RunRecord, run_once};
use crate::form_fields::{ChoiceField, NumberField};
use crate::param_form::ParamForm;
use crate::picture_canvas::PictureCanvas;
use crate::pool_context::PoolContext;
use crate::run_views::RunProgress;
use crate::timeline_view::{Timeline, TimelineRun};

fn kernel_source(workload: Workload) -> &'static str {
    shown_region(match workload {
        Workload::SumOfSquares => include_str!("../crates/overlap-core/src/kernels/sum_of_squares.rs"),
        Workload::Primes => include_str!("../crates/overlap-core/src/kernels/primes.rs"),
        Workload::Blur => include_str!("../crates/overlap-core/src/kernels/blur.rs"),
        Workload::Mandelbrot => include_str!("../crates/overlap-core/src/kernels/mandelbrot.rs"),
    })
}

fn scheduling_source(mode: CpuMode) -> &'static str {
    shown_region(match mode {
        CpuMode::Workers => include_str!("isolated_workers.rs"),
        CpuMode::Sequential | CpuMode::Threads | CpuMode::Gil => include_str!("cpu_threads.rs"),
    })
}

#[component]
pub fn CpuPage(initial: PageState, problems: Vec<QueryProblem>, default_workers: u32) -> impl IntoView {
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems, &Experiment::Cpu.form_keys());
    let state = form.state;
    let runs = RwSignal::new(Vec::<RunRecord>::new());
    let running = RwSignal::new(false);
    let cancelled = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let next_id = StoredValue::new(1u32);

    let workers = move || state.get().cpu.workers.unwrap_or(default_workers);
    // Why a mode cannot run now, if it cannot.
    let unavailable = move |mode: CpuMode| -> Option<String> {
        if !mode.needs_thread_pool() {
            return None;
        }
        match pool.state.get() {
            PoolState::Ready { .. } => None,
            PoolState::Starting { .. } => Some("waiting for the thread pool to start".to_string()),
            PoolState::Off(reason) => {
                Some(format!("{} needs threads, which are off: {reason}", mode.title()))
            }
        }
    };
    let blocked_reason = move |modes: &[CpuMode]| -> Option<String> {
        if running.get() {
            return Some("a run is in progress".to_string());
        }
        if let Some(message) = form.first_error() {
            return Some(format!("fix the parameters first: {message}"));
        }
        modes.iter().find_map(|mode| unavailable(*mode))
    };

    let start = move |modes: Vec<CpuMode>| {
        if blocked_reason(&modes).is_some() {
            return;
        }
        let flag = Arc::new(AtomicBool::new(false));
        cancelled.set_value(flag.clone());
        running.set(true);
        let base = state.get_untracked().cpu;
        let worker_count = workers();
        let pool_handle = pool.pool.get_untracked();
        spawn_local(async move {
            for mode in modes {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                let id = next_id.get_value();
                next_id.set_value(id + 1);
                let params = page_state::CpuParams { mode, ..base };
                run_once(pool_handle, params, worker_count, id, runs, flag.clone()).await;
            }
            running.set(false);
        });
    };

    // `run=1`: start as soon as the chosen mode can run.
    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let mode = state.get_untracked().cpu.mode;
        if state.get_untracked().run_on_load && !started_on_load.get_value() && unavailable(mode).is_none() {
            started_on_load.set_value(true);
            start(vec![mode]);
        }
    });

    let latest = move || runs.with(|runs| runs.last().cloned());
    let latest_picture = move || {
        runs.with(|runs| {
            runs.iter().rev().find_map(|run| match &run.outcome {
                RunOutcome::Complete { picture: Some(picture), .. } => Some((run.title(), picture.clone())),
                _ => None,
            })
        })
    };

    view! {
        <article class="experiment" data-testid="cpu-experiment">
            <h2>{move || state.get().cpu.workload.title()}" — CPU-bound work"</h2>
            <section class="idea">
                <p>{move || state.get().cpu.workload.description()}</p>
                <p>
                    <strong>{move || state.get().cpu.mode.title()}": "</strong>
                    {move || state.get().cpu.mode.teaches()}
                </p>
            </section>

            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=WORKLOAD_KEY
                    label="Workload"
                    options=Workload::ALL.iter().map(|workload| (workload.query_value(), workload.title())).collect()
                    value=Signal::derive(move || state.get().cpu.workload.query_value())
                    form=form
                />
                <ChoiceField
                    key=MODE_KEY
                    label="Mode"
                    options=CpuMode::ALL.iter().map(|mode| (mode.query_value(), mode.title())).collect()
                    value=Signal::derive(move || state.get().cpu.mode.query_value())
                    note=Signal::derive(move || unavailable(state.get().cpu.mode))
                    form=form
                />
                <NumberField
                    key=WORKERS_KEY
                    label="Workers (k)"
                    value=Signal::derive(workers)
                    enabled=Signal::derive(move || state.get().cpu.mode.uses_workers())
                    form=form
                />
                <Show when=move || state.get().cpu.workload.bounds().size_meaning.is_some()>
                    <NumberField
                        key=SIZE_KEY
                        label="Size"
                        value=Signal::derive(move || state.get().cpu.size_or_default())
                        hint=Signal::derive(move || state.get().cpu.workload.bounds().size_meaning)
                        form=form
                    />
                </Show>
                <NumberField
                    key=TASKS_KEY
                    label="Tasks"
                    value=Signal::derive(move || state.get().cpu.tasks_or_default())
                    form=form
                />
                <ChoiceField
                    key=RECORD_KEY
                    label="Record"
                    options=Recording::ALL.iter().map(|recording| (recording.query_value(), recording.title())).collect()
                    value=Signal::derive(move || state.get().cpu.recording.query_value())
                    note=Signal::derive(move || state.get().cpu.recording_note())
                    form=form
                />
                <div class="actions">
                    <button
                        type="button"
                        data-testid="run"
                        prop:disabled=move || blocked_reason(&[state.get().cpu.mode]).is_some()
                        on:click=move |_| start(vec![state.get_untracked().cpu.mode])
                    >
                        "Run"
                    </button>
                    <button
                        type="button"
                        data-testid="compare"
                        prop:disabled=move || {
                            blocked_reason(&[CpuMode::Sequential, state.get().cpu.mode]).is_some()
                        }
                        on:click=move |_| {
                            let mode = state.get_untracked().cpu.mode;
                            let modes = if mode == CpuMode::Sequential {
                                vec![mode]
                            } else {
                                vec![CpuMode::Sequential, mode]
                            };
                            start(modes)
                        }
                    >
                        {move || format!("Compare: sequential, then {}", state.get().cpu.mode.title().to_lowercase())}
                    </button>
                    <button
                        type="button"
                        data-testid="cancel"
                        prop:disabled=move || !running.get()
                        on:click=move |_| cancelled.get_value().store(true, Ordering::Relaxed)
                    >
                        "Cancel"
                    </button>
                </div>
                <p class="field-message" role="status">
                    {move || {
                        blocked_reason(&[state.get().cpu.mode])
                            .filter(|_| !running.get())
                            .map(|reason| format!("Run is unavailable: {reason}."))
                    }}
                </p>
            </form>

            {move || {
                latest()
                    .filter(|run| matches!(run.outcome, RunOutcome::InProgress))
                    .map(|run| {
                        view! {
                            <RunProgress title=run.title() done=run.tasks_done total=run.total_tasks unit="tasks" />
                        }
                    })
            }}

            <RunsTable runs=runs />
            <Timeline runs=Memo::new(move |_| {
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| {
                            let lanes = lanes_of(&run.spans).last().map_or(0, |last| last + 1);
                            TimelineRun {
                                title: format!("{}. {}: {}", run.id, run.params.workload.title(), run.title()),
                                spans: run.spans.clone(),
                                lane_names: (0..lanes).map(|lane| lane_name(run, lane)).collect(),
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
                        view! {
                            <figure class="panel">
                                <PictureCanvas picture=picture label=format!("The picture computed by {title}") />
                                <figcaption>{format!("Result of the latest complete run ({title}).")}</figcaption>
                            </figure>
                        }
                    })
            }}
            <section class="panel code">
                <h3>"The Python it mirrors"</h3>
                <pre>
                    <code>
                        {move || {
                            let cpu = state.get().cpu;
                            cpu.mode.python_idiom(cpu.workload.python_function())
                        }}
                    </code>
                </pre>
                <h3>"The Rust that runs"</h3>
                <p class="hint">"Included from the source at build time: the kernel, then how this mode schedules it."</p>
                <pre data-testid="rust-kernel">
                    <code>{move || kernel_source(state.get().cpu.workload)}</code>
                </pre>
                <pre data-testid="rust-scheduling">
                    <code>{move || scheduling_source(state.get().cpu.mode)}</code>
                </pre>
            </section>
        </article>
    }
}
