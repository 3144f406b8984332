//! The queue page: set producers, consumers and the queue (or pick one of
//! the notes' set-ups), run it on threads, coroutines or isolated workers
//! (or all three), and read who waited, the depth under the timeline, and
//! Little's law on the measured numbers.

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::queue::prediction::{measured, question};
use overlap_core::experiments::queue::{
    CAPACITY_KEY, CONSUME_MS_KEY, CONSUMERS_KEY, ITEMS_KEY, ON_KEY, PRODUCE_MS_KEY, PRODUCERS_KEY, Preset,
    QueueOn, QueueParams, STOP_KEY, StopMode, exactly_once, python_program,
};
use overlap_core::lang::Lang;
use overlap_core::prediction::Measured;
use overlap_core::records::results::{Figure, ResultsRun};
use overlap_core::records::units::{format_ms, format_percent};
use overlap_core::shown_source;
use strum::VariantArray;

use crate::experiments::queue::run::{QueueOutcome, QueueRecord, run_queue};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;
use crate::timeline::counter_chart::CounterTrack;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::run_control::{RunActions, RunControl, pool_unavailable};
use crate::widgets::run_views::{ProgressUnit, RunProgress, RunsPanel};

/// The Rust shown for each place: what runs there, from its source.
fn rust_shown(on: QueueOn) -> String {
    match on {
        QueueOn::Threads => format!(
            "{}\n\n{}",
            shown_source!(include_str!("../../../crates/overlap-core/src/experiments/queue/blocking.rs")),
            shown_source!(include_str!("threads.rs"))
        ),
        QueueOn::Coroutines => shown_source!(include_str!("coroutines.rs")).to_string(),
        QueueOn::Workers => shown_source!(include_str!("workers.rs")).to_string(),
    }
}

/// The latest complete run of the same producers, consumers and queue,
/// wherever it ran, as the prediction reads it.
fn answering_run(runs: &[QueueRecord], params: &QueueParams) -> Option<(u32, Measured)> {
    runs.iter().rev().find_map(|run| match &run.outcome {
        QueueOutcome::Complete { figures, .. } if run.params.work() == params.work() => {
            measured(&run.params, figures).map(|measured| (run.id, measured))
        }
        _ => None,
    })
}

#[component]
pub fn QueuePage(initial: PageState, problems: Vec<QueryProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| QueueParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<QueueRecord>::new());
    let control = RunControl::new();
    let running = control.running;

    // On threads every producer and consumer holds a pool thread at once.
    let threads_short = move || {
        let lang = lang.get();
        pool_unavailable(&pool.state.get(), i18n, lang).or_else(|| {
            let (actors, pool_threads) =
                (params.get().actors(), pool.pool.get().map_or(0, |pool| pool.threads()));
            (actors as usize > pool_threads)
                .then(|| t_string!(i18n, queue.more_actors_than_pool, actors, pool_threads).to_string())
        })
    };
    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(&params.get())),
        move || {
            let params = params.get();
            runs.with(|runs| answering_run(runs, &params))
        },
        running.into(),
    );
    control.predicting(prediction);
    let blocked_reason = move || {
        control.blocked_on_page(form, i18n, lang.get()).or_else(|| match params.get().on {
            QueueOn::Threads => threads_short(),
            QueueOn::Coroutines | QueueOn::Workers => None,
        })
    };
    // Compare waits for a pool that is starting; one that is off or too
    // small is left out, and the page says so.
    let compare_blocked = move || {
        control.blocked_on_page(form, i18n, lang.get()).or_else(|| {
            matches!(pool.state.get(), PoolState::Starting { .. })
                .then(|| t_string!(i18n, common.waiting_for_pool).to_string())
        })
    };

    let start = move |places: Vec<QueueOn>| {
        let base = params.get_untracked();
        let pool_handle = pool.pool.get_untracked();
        let settings: Vec<QueueParams> = places.into_iter().map(|on| QueueParams { on, ..base }).collect();
        control.start(settings, move |params, ticket| run_queue(pool_handle, params, runs, ticket));
    };
    let run_now = move || {
        if untrack(blocked_reason).is_none() {
            start(vec![params.get_untracked().on]);
        }
    };
    let compare = move || {
        if untrack(compare_blocked).is_some() {
            return;
        }
        let places = QueueOn::VARIANTS
            .iter()
            .copied()
            .filter(|on| *on != QueueOn::Threads || untrack(threads_short).is_none());
        start(places.collect());
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        // A run on threads waits for the pool; the others can go at once.
        let pool_settled = !matches!(pool.state.get(), PoolState::Starting { .. });
        let needs_pool = params.get_untracked().on == QueueOn::Threads;
        if state.get_untracked().run_on_load
            && !started_on_load.get_value()
            && (pool_settled || !needs_pool)
            && prediction.ready()
        {
            started_on_load.set_value(true);
            run_now();
        }
    });

    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut pairs = Vec::new();
                run.params.encode(&mut pairs);
                let figures = match &run.outcome {
                    QueueOutcome::Complete { figures, .. } => figures.results(),
                    _ => vec![("items_consumed", Figure::from(run.done))],
                };
                ResultsRun {
                    title: run.title(lang),
                    params: pairs,
                    complete: matches!(run.outcome, QueueOutcome::Complete { .. }),
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
                    let (outcome, figures) = match &run.outcome {
                        QueueOutcome::InProgress => ("in-progress", None),
                        QueueOutcome::Cancelled(_) => ("cancelled", None),
                        QueueOutcome::Failed(_) => ("failed", None),
                        QueueOutcome::Complete { figures, .. } => ("complete", Some(figures.clone())),
                    };
                    let cells = match (&run.outcome, &figures) {
                        (_, Some(figures)) => {
                            let (depth, expected) = figures.littles_law_sides();
                            let ratio = figures.littles_law_ratio.map_or_else(|| "—".to_string(), |ratio| format!("{ratio:.3}"));
                            let little = format!("{depth:.2} / {expected:.2} ({ratio})");
                            view! {
                                <td>{exactly_once(figures, lang)}</td>
                                <td>{format!("{:.0}/s", figures.throughput_per_s)}</td>
                                <td>{format_ms(figures.mean_wait_ms)}</td>
                                <td>{format!("{:.2} / {}", figures.mean_depth, figures.max_depth)}</td>
                                <td>{little}</td>
                                <td>{format!("{} / {}", format_percent(figures.producer_blocked_share), format_percent(figures.consumer_blocked_share))}</td>
                            }
                            .into_any()
                        }
                        (QueueOutcome::Failed(said), _) => {
                            let message = said.get(lang).to_string();
                            view! { <td colspan="6">{t_string!(i18n, queue.result_failed, message).to_string()}</td> }.into_any()
                        }
                        // Text, not `t!`'s closures: rows are drawn anew whenever the runs
                        // change, and a dropped closure stays subscribed to the language.
                        (QueueOutcome::Cancelled(_), _) => view! { <td colspan="6">{t_string!(i18n, queue.result_cancelled).to_string()}</td> }.into_any(),
                        _ => view! { <td colspan="6">{t_string!(i18n, queue.result_running).to_string()}</td> }.into_any(),
                    };
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-on={let on: &str = run.params.on.into(); on}
                            data-outcome=outcome
                            data-produced=figures.as_ref().map(|figures| figures.items_produced)
                            data-consumed=figures.as_ref().map(|figures| figures.items_consumed)
                            data-duplicates=figures.as_ref().map(|figures| figures.duplicates)
                            data-lost=figures.as_ref().map(|figures| figures.lost)
                            data-max-depth=figures.as_ref().map(|figures| figures.max_depth)
                            data-mean-depth=figures.as_ref().map(|figures| figures.mean_depth)
                            data-little=figures.as_ref().and_then(|figures| figures.littles_law_ratio)
                            data-producer-blocked=figures.as_ref().map(|figures| figures.producer_blocked_share)
                            data-consumer-blocked=figures.as_ref().map(|figures| figures.consumer_blocked_share)
                            data-stopped-exactly=figures.as_ref().map(|figures| figures.stopped_exactly.to_string())
                        >
                            <td>{run.id}</td>
                            <td>{run.params.title(lang)}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    let reading = move || {
        let lang = lang.get();
        runs.with(|runs| {
            runs.iter().rev().find_map(|run| match &run.outcome {
                QueueOutcome::Complete { figures, .. } => Some((run.id, figures.reading(&run.params))),
                _ => None,
            })
        })
        .map(|(id, said)| {
            view! {
                <section class="panel" data-testid="reading" aria-labelledby="reading-heading">
                    <h3 id="reading-heading">{t_string!(i18n, queue.reading_heading, run = id).to_string()}</h3>
                    <p>{said.get(lang).to_string()}</p>
                </section>
            }
        })
    };

    let presets = move || {
        Preset::VARIANTS
            .iter()
            .map(|preset| {
                let preset = *preset;
                let name: &'static str = preset.into();
                view! {
                    <button
                        type="button"
                        data-testid=format!("preset-{name}")
                        prop:disabled=move || running.get()
                        on:click=move |_| form.set_experiment(preset.params(params.get_untracked().on).into())
                    >
                        {move || preset.title().get(lang.get())}
                    </button>
                }
            })
            .collect_view()
    };

    let number = move |key: &'static str, label: Signal<String>, value: fn(&QueueParams) -> u32| {
        view! {
            <NumberField
                key=key
                label=label
                value=Signal::derive(move || value(&params.get()))
                enabled=Signal::derive(move || !running.get())
                form=form
            />
        }
    };

    view! {
        <article class="experiment" data-testid="queue-experiment">
            <h2>{t!(i18n, queue.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, queue.idea)}</p>
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <div class="actions" role="group" aria-label=move || t_string!(i18n, queue.presets)>
                    <span>{t!(i18n, queue.presets)}</span>
                    {presets}
                </div>
                <ChoiceField
                    key=ON_KEY
                    label=Signal::derive(move || t_string!(i18n, queue.field_on).to_string())
                    options=options_of(QueueOn::title, lang)
                    value=Signal::derive(move || params.get().on.into())
                    note=Signal::derive(move || (params.get().on == QueueOn::Coroutines).then(|| t_string!(i18n, queue.work_note_coroutines).to_string()))
                    enabled=Signal::derive(move || !running.get())
                    form=form
                />
                {number(PRODUCERS_KEY, Signal::derive(move || t_string!(i18n, queue.field_producers).to_string()), |params| params.producers)}
                {number(CONSUMERS_KEY, Signal::derive(move || t_string!(i18n, queue.field_consumers).to_string()), |params| params.consumers)}
                {number(CAPACITY_KEY, Signal::derive(move || t_string!(i18n, queue.field_capacity).to_string()), |params| params.capacity)}
                {number(ITEMS_KEY, Signal::derive(move || t_string!(i18n, queue.field_items).to_string()), |params| params.items)}
                {number(PRODUCE_MS_KEY, Signal::derive(move || t_string!(i18n, queue.field_produce_ms).to_string()), |params| params.produce_ms)}
                {number(CONSUME_MS_KEY, Signal::derive(move || t_string!(i18n, queue.field_consume_ms).to_string()), |params| params.consume_ms)}
                <ChoiceField
                    key=STOP_KEY
                    label=Signal::derive(move || t_string!(i18n, queue.field_stop).to_string())
                    options=options_of(StopMode::title, lang)
                    value=Signal::derive(move || params.get().stop.into())
                    enabled=Signal::derive(move || !running.get())
                    form=form
                />
                <RunActions
                    control=control
                    blocked=Signal::derive(blocked_reason)
                    compare_blocked=Signal::derive(compare_blocked)
                    on_run=move || run_now()
                    on_compare=move || compare()
                    compare_label=Signal::derive(move || t_string!(i18n, queue.compare).to_string())
                    experiment=QueueParams::KEY
                    state=state
                    results=results_runs
                    has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
                />
                <p class="hint" data-testid="compare-note">
                    {move || threads_short().filter(|_| compare_blocked().is_none()).map(|reason| t_string!(i18n, queue.compare_without_threads, reason).to_string())}
                </p>
            </form>
            <PredictionPanel prediction=prediction />
            {move || {
                runs.with(|runs| runs.last().cloned())
                    .filter(|run| matches!(run.outcome, QueueOutcome::InProgress))
                    .map(|run| view! { <RunProgress title=run.title(lang.get()) done=control.progress.get() total=run.params.total_items() as usize unit=ProgressUnit::Items /> })
            }}
            <RunsPanel
                class="queue-results"
                runs=runs
                header=move || view! {
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, queue.column_run)}</th>
                    <th scope="col">{t!(i18n, queue.column_consumed)}</th>
                    <th scope="col">{t!(i18n, queue.column_throughput)}</th>
                    <th scope="col">{t!(i18n, queue.column_wait)}</th>
                    <th scope="col">{t!(i18n, queue.column_depth)}</th>
                    <th scope="col">{t!(i18n, queue.column_little)}</th>
                    <th scope="col">{t!(i18n, queue.column_blocked)}</th>
                }
                hint=move || t!(i18n, queue.runs_hint)
            >
                {rows}
            </RunsPanel>
            {reading}
            <Timeline
                runs=Memo::new(move |_| {
                    let lang = lang.get();
                    runs.with(|runs| {
                        runs.iter()
                            .map(|run| TimelineRun {
                                title: run.title(lang),
                                spans: run.spans(),
                                lane_names: run.lane_names(lang),
                                in_progress: matches!(run.outcome, QueueOutcome::InProgress),
                                complete: matches!(run.outcome, QueueOutcome::Complete { .. }),
                                work: run.params.work(),
                            })
                            .collect()
                    })
                }).into()
                counters=Memo::new(move |_| {
                    lang.track();
                    runs.with(|runs| {
                        runs.iter()
                            .filter(|run| run.log().is_some())
                            .map(|run| {
                                let samples = run.depth();
                                let max = samples.iter().map(|sample| sample.count).max().unwrap_or(0);
                                let capacity = run.params.capacity;
                                CounterTrack {
                                    title: t_string!(i18n, queue.depth_title, run = run.id).to_string(),
                                    end_ms: run.end_ms(),
                                    samples,
                                    limit: run.params.bounded().then(|| (capacity, t_string!(i18n, queue.capacity_line, capacity).to_string())),
                                    top_words: t_string!(i18n, queue.depth_max, max).to_string(),
                                }
                            })
                            .collect()
                    })
                }).into()
            />
            <CodePanel
                python=Signal::derive(move || python_program(&params.get(), lang.get()))
                rust_hint=Signal::derive(move || match params.get().on {
                    QueueOn::Threads => t_string!(i18n, queue.code_hint_threads).to_string(),
                    QueueOn::Coroutines => t_string!(i18n, queue.code_hint_coroutines).to_string(),
                    QueueOn::Workers => t_string!(i18n, queue.code_hint_workers).to_string(),
                })
                rust=Signal::derive(move || rust_shown(params.get().on))
            />
        </article>
    }
}
