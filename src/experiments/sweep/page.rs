//! The sweep page: choose the work (CPU tasks or requests), the list of k
//! and how often each is measured; run it; read speedup against k with the
//! ideal, the ceiling and an Amdahl fit, efficiency, Karp–Flatt, the table
//! of every run (each can be opened on the timeline) and the reading.

use std::collections::BTreeSet;

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::sweep::prediction::{measured, question};
use overlap_core::experiments::sweep::{
    Ink, KS_KEY, LATENCY_KEY, N_KEY, OF_KEY, REPEAT_KEY, SIZE_KEY, SweepOf, SweepParams, SweepTarget,
    TARGET_KEY, TASKS_KEY, WORKLOAD_KEY, efficiency_chart, karp_flatt_chart, ks_text, measurement_text,
    measurements_csv, python_program, speedup_chart,
};
use overlap_core::lang::Lang;
use overlap_core::prediction::Measured;
use overlap_core::records::results::{Figure, ResultsRun};
use overlap_core::records::units::format_ms;
use overlap_core::shown_source;
use overlap_core::workloads::cpu::Workload;

use crate::browser::clock::epoch_ms;
use crate::browser::download::download_text;
use crate::browser::request::watch_service_worker_control;
use crate::experiments::sweep::charts::{SweepChart, SweepLegend};
use crate::experiments::sweep::run::{SweepOutcome, SweepRecord, run_sweep};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, TextField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::results_download::DownloadResults;
use crate::widgets::run_control::RunControl;

/// The charts' drawing size (the SVG scales to the page's width).
const CHART_WIDTH_PX: f64 = 640.0;
const SPEEDUP_HEIGHT_PX: f64 = 280.0;
const STRIP_HEIGHT_PX: f64 = 150.0;

/// The Rust shown: what one timed run does.
fn rust_shown(of: SweepOf) -> String {
    match of {
        SweepOf::Cpu => shown_source!(include_str!("../../pool/task_lanes.rs")).to_string(),
        SweepOf::Fetch => shown_source!(include_str!("request_runs.rs")).to_string(),
    }
}

/// The latest complete sweep of this work over these k, as the prediction
/// reads it.
fn answering_sweep(
    sweeps: &[SweepRecord],
    params: &SweepParams,
    ks: &[u32],
    logical_processors: Option<u32>,
) -> Option<(u32, Measured)> {
    let sweep = sweeps.iter().rev().find(|sweep| {
        sweep.outcome == SweepOutcome::Complete && sweep.params.work() == params.work() && sweep.ks == ks
    })?;
    measured(&sweep.figures(logical_processors)?).map(|measured| (sweep.id, measured))
}

/// A run of a sweep, by the sweep's number and the run's place in it.
type RunKey = (u32, usize);

#[component]
pub fn SweepPage(
    initial: PageState,
    problems: Vec<QueryProblem>,
    logical_processors: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let service_worker_in_control = watch_service_worker_control();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| SweepParams::try_from(state.get().experiment).unwrap_or_default());
    let pool_threads = pool.size.threads as u32;
    let ks = Memo::new(move |_| params.get().ks_or_default(pool_threads));
    let sweeps = RwSignal::new(Vec::<SweepRecord>::new());
    let control = RunControl::new();
    let running = control.running;
    // The runs shown on the timeline; by default a sweep's first and last k
    // of its latest round.
    let chosen = RwSignal::new(None::<BTreeSet<RunKey>>);

    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || question(params.get().of, &ks.get()),
        move || {
            let (params, ks) = (params.get(), ks.get());
            sweeps.with(|sweeps| answering_sweep(sweeps, &params, &ks, logical_processors))
        },
        running.into(),
    );
    control.predicting(prediction);
    // A CPU run holds its largest k of pool threads at once.
    let blocked_reason = move || {
        let lang = lang.get();
        match params.get().of {
            SweepOf::Fetch => control.blocked_on_page(form, i18n, lang).or_else(|| {
                (params.get().target == SweepTarget::ServiceWorker && !service_worker_in_control.get())
                    .then(|| t_string!(i18n, sweep.no_service_worker).to_string())
            }),
            SweepOf::Cpu => {
                let most = ks.get().iter().copied().max().unwrap_or(1);
                control.blocked(form, pool, most, i18n, lang)
            }
        }
    };
    // Run sweeps what the form says; Compare sweeps the latest sweep's work
    // again, so that the two drawn together measured the same thing.
    let start = move |compared: bool| {
        if untrack(blocked_reason).is_some() {
            return;
        }
        let latest_work = sweeps
            .with_untracked(|sweeps| sweeps.last().map(|sweep| (sweep.params.clone(), sweep.ks.clone())));
        let (params, ks) = match latest_work {
            Some(work) if compared => work,
            _ => (params.get_untracked(), ks.get_untracked()),
        };
        chosen.set(None);
        let pool_handle = pool.pool.get_untracked();
        control.start(vec![()], move |(), ticket| {
            run_sweep(pool_handle, params.clone(), ks.clone(), compared, sweeps, ticket)
        });
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let pool_settled = !matches!(pool.state.get(), PoolState::Starting { .. });
        let needs_pool = params.get_untracked().of == SweepOf::Cpu;
        // On a first visit the service worker takes control a moment after
        // the page loaded: a sweep on it waits for that, as Run does.
        let waits_for_worker = params.get_untracked().of == SweepOf::Fetch
            && params.get_untracked().target == SweepTarget::ServiceWorker
            && !service_worker_in_control.get();
        if state.get_untracked().run_on_load
            && !started_on_load.get_value()
            && (pool_settled || !needs_pool)
            && !waits_for_worker
            && prediction.ready()
        {
            started_on_load.set_value(true);
            start(false);
        }
    });

    let latest = Memo::new(move |_| sweeps.with(|sweeps| sweeps.last().cloned()));
    let figures = Memo::new(move |_| {
        latest.with(|sweep| sweep.as_ref().and_then(|sweep| sweep.figures(logical_processors)))
    });
    // The sweep a Compare is drawn against: the one before it.
    let previous_figures = Memo::new(move |_| {
        sweeps.with(|sweeps| match sweeps.as_slice() {
            [.., before, last] if last.compared => before.figures(logical_processors),
            _ => None,
        })
    });

    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        sweeps
            .get_untracked()
            .iter()
            .map(|sweep| {
                let mut pairs = Vec::new();
                sweep.params.encode(&mut pairs);
                let figures = sweep.figures(logical_processors).map_or_else(
                    || vec![("runs_measured", Figure::from(sweep.runs.len()))],
                    |figures| figures.results(sweep.params.repeat),
                );
                ResultsRun {
                    title: sweep.title(lang),
                    params: pairs,
                    complete: sweep.outcome == SweepOutcome::Complete,
                    figures,
                }
            })
            .collect()
    });
    let csv_error = RwSignal::new(None::<String>);
    let download_csv = move |_| {
        let Some(sweep) = latest.get_untracked() else { return };
        let baseline_ms = figures.get_untracked().map(|figures| figures.baseline_ms);
        let csv = measurements_csv(&sweep.measurements(), baseline_ms);
        csv_error.set(download_text(&format!("overlap-sweep-{}.csv", sweep.id), "text/csv", &csv).err());
    };

    let progress = move || {
        let sweep = latest.get()?;
        (sweep.outcome == SweepOutcome::InProgress).then(|| {
            let done = control.progress.get();
            let total = sweep.total_runs();
            let elapsed_ms = epoch_ms() - sweep.started_ms;
            // Time left from the pace so far; none until one run has ended.
            let left = (done > 0).then(|| elapsed_ms / done as f64 * (total - done) as f64);
            let left = left.map_or_else(
                || t_string!(i18n, sweep.time_left_unknown).to_string(),
                |left_ms| t_string!(i18n, sweep.time_left, time = format_ms(left_ms)).to_string(),
            );
            view! {
                <div class="progress" data-testid="progress">
                    <label for="sweep-progress">{t!(i18n, sweep.progress_label, title = sweep.title(lang.get()))}</label>
                    <progress id="sweep-progress" max=total value=done></progress>
                    <span>{t!(i18n, sweep.progress_runs, done, total)} " · " {left}</span>
                </div>
            }
        })
    };

    let status = move || {
        let sweep = latest.get()?;
        let lang = lang.get();
        let measured = sweep.runs.len();
        match &sweep.outcome {
            SweepOutcome::Cancelled => Some(t_string!(i18n, sweep.cancelled, measured).to_string()),
            SweepOutcome::Failed(said) => Some(
                t_string!(i18n, sweep.failed, message = said.get(lang).to_string(), measured).to_string(),
            ),
            SweepOutcome::InProgress | SweepOutcome::Complete => None,
        }
        .map(|text| view! { <p class="field-message" role="alert" data-testid="sweep-status">{text}</p> })
    };

    let figures_panel = move || {
        let figures = figures.get()?;
        let lang = lang.get();
        let sweep = latest.get()?;
        let outcome = match sweep.outcome {
            SweepOutcome::Complete => "complete",
            SweepOutcome::InProgress => "in-progress",
            SweepOutcome::Cancelled => "cancelled",
            SweepOutcome::Failed(_) => "failed",
        };
        let speedup_label = t_string!(i18n, sweep.speedup_chart_label).to_string();
        let mut inks = vec![Ink::Measured, Ink::Ideal, Ink::Ceiling, Ink::Amdahl, Ink::Processors];
        if figures.rule_k.is_some() {
            inks.extend([Ink::Rule, Ink::Best]);
        }
        let previous = previous_figures.get();
        if previous.is_some() {
            inks.push(Ink::Previous);
        }
        let optional = |value: Option<f64>, digits: usize| {
            value.map_or_else(|| "—".to_string(), |value| format!("{value:.digits$}"))
        };
        let requests = figures.blocking_fraction.map(|blocking| {
            let rule = optional(figures.rule_k, 0);
            view! {
                <dt>{t!(i18n, sweep.blocking_fraction)}</dt>
                <dd data-testid="blocking-fraction">{format!("{:.1}%", blocking * 100.0)}</dd>
                <dt>{t!(i18n, sweep.rule_k)}</dt>
                <dd data-testid="rule-k">{t!(i18n, sweep.rule_k_value, rule, best = figures.best_k)}</dd>
            }
        });
        Some(view! {
            <section class="panel" data-testid="sweep-figures" data-outcome=outcome aria-labelledby="sweep-figures-heading">
                <h3 id="sweep-figures-heading">{sweep.title(lang)}</h3>
                <p data-testid="reading">{figures.reading.said().get(lang).to_string()}</p>
                <SweepChart
                    chart=speedup_chart(&figures, previous.as_ref(), CHART_WIDTH_PX, SPEEDUP_HEIGHT_PX, lang)
                    testid="speedup-chart"
                    label=speedup_label
                />
                <SweepLegend inks=inks lang=lang />
                <div class="sweep-strips">
                    <SweepChart
                        chart=efficiency_chart(&figures, CHART_WIDTH_PX, STRIP_HEIGHT_PX, lang)
                        testid="efficiency-chart"
                        label=t_string!(i18n, sweep.efficiency_chart_label).to_string()
                    />
                    <SweepChart
                        chart=karp_flatt_chart(&figures, CHART_WIDTH_PX, STRIP_HEIGHT_PX, lang)
                        testid="karp-flatt-chart"
                        label=t_string!(i18n, sweep.karp_flatt_chart_label).to_string()
                    />
                </div>
                <dl class="figures">
                    <dt>{t!(i18n, sweep.baseline)}</dt>
                    <dd data-testid="baseline">{format_ms(figures.baseline_ms)}</dd>
                    <dt>{t!(i18n, sweep.serial_fraction)}</dt>
                    <dd data-testid="serial-fraction">{optional(figures.amdahl_serial_fraction, 3)}</dd>
                    <dt>{t!(i18n, sweep.amdahl_ceiling)}</dt>
                    <dd data-testid="amdahl-ceiling">{figures.amdahl_ceiling.map_or_else(|| t_string!(i18n, sweep.no_ceiling).to_string(), |ceiling| format!("{ceiling:.2}×"))}</dd>
                    {requests}
                </dl>
                <p class="hint">{t!(i18n, sweep.figures_hint)}</p>
            </section>
        })
    };

    // Which runs the timeline shows: those chosen, else the latest round's
    // first and last k.
    let shown = Memo::new(move |_| {
        chosen.get().unwrap_or_else(|| {
            latest.with(|sweep| {
                let Some(sweep) = sweep else { return BTreeSet::new() };
                let last_round = sweep.runs.last().map_or(0, |run| run.measurement.repetition);
                let in_round: Vec<usize> = (0..sweep.runs.len())
                    .filter(|&index| sweep.runs[index].measurement.repetition == last_round)
                    .collect();
                [in_round.first(), in_round.last()]
                    .into_iter()
                    .flatten()
                    .map(|&index| (sweep.id, index))
                    .collect()
            })
        })
    });
    let toggle = move |key: RunKey| {
        let mut set = shown.get_untracked();
        if !set.remove(&key) {
            set.insert(key);
        }
        chosen.set(Some(set));
    };

    let rows = move || {
        let Some(sweep) = latest.get() else { return ().into_any() };
        let baseline_ms = figures.get().map(|figures| figures.baseline_ms);
        sweep
            .runs
            .iter()
            .enumerate()
            .map(|(index, run)| {
                let key = (sweep.id, index);
                let measurement = run.measurement;
                let speedup = baseline_ms.map(|baseline_ms| baseline_ms / measurement.makespan_ms);
                view! {
                    <tr data-testid="sweep-row" data-k=measurement.k data-round=measurement.repetition + 1 data-makespan=measurement.makespan_ms data-speedup=speedup>
                        <td>{measurement.k}</td>
                        <td>{measurement.repetition + 1}</td>
                        <td>{measurement_text(&measurement, baseline_ms)}</td>
                        <td>
                            <label>
                                <input
                                    type="checkbox"
                                    data-testid="show-on-timeline"
                                    prop:checked=move || shown.with(|shown| shown.contains(&key))
                                    on:change=move |_| toggle(key)
                                />
                                {t!(i18n, sweep.show_on_timeline)}
                            </label>
                        </td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };

    let timeline_runs = Memo::new(move |_| {
        let lang = lang.get();
        let shown = shown.get();
        sweeps.with(|sweeps| {
            sweeps
                .iter()
                .flat_map(|sweep| sweep.runs.iter().enumerate().map(move |(index, run)| (sweep, index, run)))
                .filter(|(sweep, index, _)| shown.contains(&(sweep.id, *index)))
                .map(|(sweep, _, run)| {
                    let measurement = run.measurement;
                    let lanes =
                        run.spans.iter().filter_map(|span| span.lane).max().map_or(0, |lane| lane + 1);
                    TimelineRun {
                        title: format!(
                            "{}. {}",
                            sweep.id,
                            sweep.params.run_title(measurement.k, measurement.repetition, lang)
                        ),
                        spans: run.spans.clone(),
                        lane_names: (0..lanes).map(|lane| sweep.params.lane_name(lane, lang)).collect(),
                        in_progress: false,
                        complete: true,
                        work: sweep.params.work(),
                    }
                })
                .collect()
        })
    });

    let number = move |key: &'static str, label: Signal<String>, value: fn(&SweepParams) -> u32| {
        view! {
            <NumberField key=key label=label value=Signal::derive(move || value(&params.get())) enabled=Signal::derive(move || !running.get()) form=form />
        }
    };
    let work_fields = move || {
        match params.get().of {
        SweepOf::Cpu => view! {
            <ChoiceField
                key=WORKLOAD_KEY
                label=Signal::derive(move || t_string!(i18n, sweep.field_workload).to_string())
                options=options_of(Workload::title, lang)
                value=Signal::derive(move || params.get().workload.into())
                enabled=Signal::derive(move || !running.get())
                form=form
            />
            {move || params.get().workload.bounds().size_meaning.map(|_| number(SIZE_KEY, Signal::derive(move || t_string!(i18n, sweep.field_size).to_string()), SweepParams::size_or_default))}
            {number(TASKS_KEY, Signal::derive(move || t_string!(i18n, sweep.field_tasks).to_string()), SweepParams::tasks_or_default)}
        }
        .into_any(),
        SweepOf::Fetch => view! {
            <ChoiceField
                key=TARGET_KEY
                label=Signal::derive(move || t_string!(i18n, sweep.field_target).to_string())
                options=options_of(SweepTarget::title, lang)
                value=Signal::derive(move || params.get().target.into())
                enabled=Signal::derive(move || !running.get())
                form=form
            />
            {number(LATENCY_KEY, Signal::derive(move || t_string!(i18n, sweep.field_latency).to_string()), |params| params.latency_ms)}
            {number(N_KEY, Signal::derive(move || t_string!(i18n, sweep.field_n).to_string()), |params| params.n)}
        }
        .into_any(),
    }
    };

    view! {
        <article class="experiment" data-testid="sweep-experiment">
            <h2>{t!(i18n, sweep.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, sweep.idea)}</p>
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=OF_KEY
                    label=Signal::derive(move || t_string!(i18n, sweep.field_of).to_string())
                    options=options_of(SweepOf::title, lang)
                    value=Signal::derive(move || params.get().of.into())
                    enabled=Signal::derive(move || !running.get())
                    form=form
                />
                {work_fields}
                <TextField
                    key=KS_KEY
                    label=Signal::derive(move || t_string!(i18n, sweep.field_ks).to_string())
                    value=Signal::derive(move || ks_text(&ks.get()))
                    enabled=Signal::derive(move || !running.get())
                    hint=Signal::derive(move || Some(t_string!(i18n, sweep.ks_hint, pool_threads).to_string()))
                    form=form
                />
                {number(REPEAT_KEY, Signal::derive(move || t_string!(i18n, sweep.field_repeat).to_string()), |params| params.repeat)}
                <div class="actions">
                    <button type="button" data-testid="run" prop:disabled=move || blocked_reason().is_some() on:click=move |_| start(false)>
                        {t!(i18n, common.run)}
                    </button>
                    <button type="button" data-testid="compare" prop:disabled=move || blocked_reason().is_some() || latest.with(Option::is_none) on:click=move |_| start(true)>
                        {t!(i18n, sweep.compare)}
                    </button>
                    <button type="button" data-testid="cancel" prop:disabled=move || !running.get() on:click=move |_| control.cancel()>
                        {t!(i18n, common.cancel)}
                    </button>
                    <DownloadResults experiment=SweepParams::KEY state=state runs=results_runs has_runs=Signal::derive(move || sweeps.with(|sweeps| !sweeps.is_empty())) />
                    <button type="button" data-testid="download-csv" prop:disabled=move || latest.with(|sweep| sweep.as_ref().is_none_or(|sweep| sweep.runs.is_empty())) on:click=download_csv>
                        {t!(i18n, sweep.download_csv)}
                    </button>
                </div>
                {move || csv_error.get().map(|error| view! { <p class="field-message" role="alert">{error}</p> })}
                <p class="field-message" role="status">
                    {move || blocked_reason().filter(|_| !running.get()).map(|reason| t_string!(i18n, common.run_unavailable, reason).to_string())}
                </p>
            </form>
            <p class="hint">{t!(i18n, sweep.compare_hint)}</p>
            <PredictionPanel prediction=prediction />
            {progress}
            {status}
            {figures_panel}
            <section class="panel" aria-labelledby="sweep-table-heading">
                <h3 id="sweep-table-heading">{t!(i18n, sweep.table_heading)}</h3>
                {move || if latest.with(|sweep| sweep.as_ref().is_none_or(|sweep| sweep.runs.is_empty())) {
                    view! { <p class="hint">{t!(i18n, sweep.no_sweep_yet)}</p> }.into_any()
                } else {
                    view! {
                        <table class="runs sweep-table">
                            <thead>
                                <tr>
                                    <th scope="col">"k"</th>
                                    <th scope="col">{t!(i18n, sweep.column_round)}</th>
                                    <th scope="col">{t!(i18n, sweep.column_time)}</th>
                                    <th scope="col">{t!(i18n, sweep.column_timeline)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <Timeline runs=timeline_runs.into() />
            <CodePanel
                python=Signal::derive(move || python_program(&params.get(), &ks.get(), lang.get()))
                rust_hint=Signal::derive(move || match params.get().of {
                    SweepOf::Cpu => t_string!(i18n, sweep.code_hint_cpu).to_string(),
                    SweepOf::Fetch => t_string!(i18n, sweep.code_hint_fetch).to_string(),
                })
                rust=Signal::derive(move || rust_shown(params.get().of))
            />
        </article>
    }
}
