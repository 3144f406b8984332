//! The I/O experiment page: many real requests, sequentially, all at once,
//! or through a bounded pool, with every outcome counted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::fetch::prediction::{Facts as PredictionFacts, measured, question};
use overlap_core::experiments::fetch::{
    CAPACITY_KEY, FetchFigures, FetchMode, FetchParams, FetchTarget, LATENCY_KEY, MODE_KEY, N_KEY, ORDER_KEY,
    ResultOrder, SERVED_BY_KEY, STATUS_KEY, ServedBy, StatusClass, TARGET_KEY, TIMEOUT_KEY, URLS_KEY,
    WORKERS_KEY, fetch_figures,
};
use overlap_core::lang::Lang;
use overlap_core::prediction::Measured;
use overlap_core::records::results::ResultsRun;
use overlap_core::records::run_stats::run_stats;
use overlap_core::records::units::{format_ms, format_ratio};
use overlap_core::shown_source;
use overlap_core::timeline::scale::lanes_of;
use overlap_core::typed_urls::check_url_lines;

use crate::browser::request::{page_origin, watch_service_worker_control};
use crate::experiments::fetch::run::{CancelHandle, FetchRunRecord, RequestRecord, run_fetch};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chosen_idea::ChosenIdea;
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, FieldMessage, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::results_download::DownloadResults;
use crate::widgets::run_views::{ProgressUnit, RunProgress, RunsPanel, keyed_rows};

/// The results of a run in the order the page lists them: as each arrived,
/// or in submission order, where result i shows once 0..=i are all in.
pub fn listed_in_order(run: &FetchRunRecord, order: ResultOrder) -> Vec<RequestRecord> {
    match order {
        ResultOrder::Completed => run.finished.clone(),
        ResultOrder::Submitted => {
            let mut by_index: Vec<Option<&RequestRecord>> = vec![None; run.total()];
            for request in &run.finished {
                if let Some(slot) = by_index.get_mut(request.index as usize) {
                    *slot = Some(request);
                }
            }
            by_index.into_iter().map_while(|request| request.cloned()).collect()
        }
    }
}

/// A run's figures against the latest complete sequential run of the same requests.
fn figures_of(run: &FetchRunRecord, runs: &[FetchRunRecord]) -> FetchFigures {
    let baseline_ms = run.baseline(runs).map(|other| run_stats(&other.spans).makespan_ms);
    fetch_figures(&run.facts(), baseline_ms)
}

/// The latest run that fetched every request, as the prediction reads it.
fn answering_run(runs: &[FetchRunRecord]) -> Option<(u32, Measured)> {
    let run = runs.iter().rev().find(|run| run.complete())?;
    let figures = figures_of(run, runs);
    let facts = PredictionFacts {
        requests: run.total(),
        makespan_ms: figures.makespan_ms,
        concurrency: figures.concurrency,
        ideal_ms: figures.ideal_ms,
        latency_sum_ms: figures.latency_sum_ms,
    };
    Some((run.id, measured(&facts)))
}

#[component]
pub fn FetchPage(initial: PageState, problems: Vec<QueryProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let service_worker_in_control = watch_service_worker_control();
    let lang = use_lang().now;
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let fetch = Memo::new(move |_| FetchParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<FetchRunRecord>::new());
    let running = RwSignal::new(false);
    let cancel = StoredValue::new_local(None::<CancelHandle>);
    let next_id = StoredValue::new(1u32);
    // Typed addresses, checked against this page's origin on every change.
    let checked_urls = move || {
        let fetch = fetch.get();
        (fetch.target == FetchTarget::Urls).then(|| check_url_lines(&fetch.urls, &page_origin()))
    };
    let url_problems = move || match checked_urls() {
        Some(Err(problems)) => {
            Some(problems.iter().map(|problem| problem.message(lang.get())).collect::<Vec<_>>().join("\n"))
        }
        _ => None,
    };
    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(&fetch.get())),
        move || runs.with(|runs| answering_run(runs)),
        running.into(),
    );
    let blocked_reason = move || -> Option<String> {
        if running.get() {
            return Some(t_string!(i18n, common.run_in_progress).to_string());
        }
        if let Some(reason) = prediction.blocked() {
            return Some(reason);
        }
        if url_problems().is_some() {
            return Some(t_string!(i18n, fetch.fix_addresses).to_string());
        }
        if let Some(message) = form.first_error(lang.get()) {
            return Some(t_string!(i18n, common.fix_parameters, message).to_string());
        }
        (fetch.get().uses_service_worker() && !service_worker_in_control.get())
            .then(|| t_string!(i18n, fetch.no_service_worker).to_string())
    };
    let start = move || {
        if blocked_reason().is_some() {
            return;
        }
        running.set(true);
        let params = fetch.get_untracked();
        let typed_urls = match check_url_lines(&params.urls, &page_origin()) {
            Ok(urls) if params.target == FetchTarget::Urls => urls,
            _ => Vec::new(),
        };
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        spawn_local(async move {
            run_fetch(params, typed_urls, id, runs, |handle| cancel.set_value(Some(handle))).await;
            cancel.set_value(None);
            running.set(false);
        });
    };
    // `run=1`: start once, when the page loads. On a first visit with
    // `target=sw` that waits until the service worker takes control, a
    // moment after the page loaded; the effect follows that signal. Any
    // other reason not to run is shown, and the learner presses Run. A
    // required prediction is waited for too.
    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let waits_for_worker =
            fetch.get_untracked().uses_service_worker() && !service_worker_in_control.get();
        if state.get_untracked().run_on_load
            && !started_on_load.get_value()
            && !waits_for_worker
            && prediction.ready()
        {
            started_on_load.set_value(true);
            start();
        }
    });
    let latest = move || runs.with(|runs| runs.last().cloned());
    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        let runs = runs.get_untracked();
        runs.iter()
            .map(|run| {
                let mut params = Vec::new();
                run.params.encode(&mut params);
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: run.complete(),
                    figures: figures_of(run, &runs).results(run.in_progress),
                }
            })
            .collect()
    });
    view! {
        <article class="experiment" data-testid="fetch-experiment">
            <h2>{t!(i18n, fetch.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, fetch.idea)}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = fetch.get().mode;
                    (chosen.title(), chosen.teaches())
                }) />
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=TARGET_KEY
                    label=Signal::derive(move || t_string!(i18n, fetch.field_target).to_string())
                    options=options_of(FetchTarget::title, lang)
                    value=Signal::derive(move || fetch.get().target.into())
                    form=form
                />
                <Show when=move || fetch.get().target == FetchTarget::Urls>
                    <div class="field wide">
                        <label for="urls">{t!(i18n, fetch.field_urls)}</label>
                        <textarea
                            id="urls"
                            rows="5"
                            spellcheck="false"
                            prop:value=move || fetch.get().urls
                            on:change=move |event| form.set_field(URLS_KEY, &event_target_value(&event))
                        ></textarea>
                        <small class="hint">{t!(i18n, fetch.urls_hint)}</small>
                        <FieldMessage message=Signal::derive(url_problems) />
                    </div>
                </Show>
                <Show when=move || fetch.get().target == FetchTarget::Preset>
                    <ChoiceField
                        key=SERVED_BY_KEY
                        label=Signal::derive(move || t_string!(i18n, fetch.field_served_by).to_string())
                        options=options_of(ServedBy::title, lang)
                        value=Signal::derive(move || fetch.get().served_by.into())
                        form=form
                    />
                </Show>
                <ChoiceField
                    key=MODE_KEY
                    label=Signal::derive(move || t_string!(i18n, fetch.field_mode).to_string())
                    options=options_of(FetchMode::title, lang)
                    value=Signal::derive(move || fetch.get().mode.into())
                    form=form
                />
                <NumberField
                    label=Signal::derive(move || t_string!(i18n, fetch.field_workers).to_string())
                    key=WORKERS_KEY
                    value=Signal::derive(move || fetch.get().workers_or_default())
                    enabled=Signal::derive(move || matches!(fetch.get().mode, FetchMode::Pool | FetchMode::Workers))
                    form=form
                />
                <NumberField
                    label=Signal::derive(move || t_string!(i18n, fetch.field_n).to_string())
                    key=N_KEY
                    value=Signal::derive(move || fetch.get().n_or_default())
                    form=form
                />
                <NumberField
                    label=Signal::derive(move || t_string!(i18n, fetch.field_latency).to_string())
                    key=LATENCY_KEY
                    value=Signal::derive(move || fetch.get().latency_or_default())
                    enabled=Signal::derive(move || fetch.get().target != FetchTarget::Preset)
                    form=form
                />
                <NumberField
                    label=Signal::derive(move || t_string!(i18n, fetch.field_status).to_string())
                    key=STATUS_KEY
                    value=Signal::derive(move || fetch.get().status_or_default())
                    form=form
                />
                <NumberField
                    label=Signal::derive(move || t_string!(i18n, fetch.field_timeout).to_string())
                    key=TIMEOUT_KEY
                    value=Signal::derive(move || fetch.get().timeout_or_default())
                    form=form
                />
                <NumberField
                    label=Signal::derive(move || t_string!(i18n, fetch.field_capacity).to_string())
                    key=CAPACITY_KEY
                    value=Signal::derive(move || fetch.get().capacity_or_default())
                    enabled=Signal::derive(move || fetch.get().uses_service_worker())
                    form=form
                />
                <ChoiceField
                    key=ORDER_KEY
                    label=Signal::derive(move || t_string!(i18n, fetch.field_order).to_string())
                    options=options_of(ResultOrder::title, lang)
                    value=Signal::derive(move || fetch.get().order.into())
                    form=form
                />
                <div class="actions">
                    <button type="button" data-testid="run" prop:disabled=move || blocked_reason().is_some() on:click=move |_| start()>
                        {t!(i18n, common.run)}
                    </button>
                    <button
                        type="button"
                        data-testid="cancel"
                        prop:disabled=move || !running.get()
                        on:click=move |_| {
                            cancel.with_value(|handle| {
                                if let Some(handle) = handle {
                                    handle.cancel();
                                }
                            })
                        }
                    >
                        {t!(i18n, fetch.cancel_all)}
                    </button>
                    <DownloadResults experiment=FetchParams::KEY state=state runs=results_runs has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty())) />
                </div>
                <p class="field-message" role="status">
                    {move || {
                        blocked_reason()
                            .filter(|_| !running.get())
                            .map(|reason| t_string!(i18n, common.run_unavailable, reason).to_string())
                    }}
                </p>
            </form>
            <PredictionPanel prediction=prediction />

            {move || {
                // Read at every draw of a run: its counts, not a copy of it.
                runs.with(|runs| {
                    runs.last()
                        .filter(|run| run.in_progress)
                        .map(|run| (run.title(lang.get()), run.finished.len(), run.total()))
                })
                .map(|(title, done, total)| view! { <RunProgress title=title done=done total=total unit=ProgressUnit::Requests /> })
            }}
            <FetchRunsTable runs=runs />
            <Timeline marker=prediction.marker(move |id| runs.with(|runs| runs.iter().position(|run| run.id == id))) runs=Memo::new(move |_| {
                let lang = lang.get();
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| {
                            let slots = lanes_of(&run.spans).last().map_or(0, |last| last + 1);
                            TimelineRun {
                                title: format!("{}. {}", run.id, run.title(lang)),
                                spans: run.spans.clone(),
                                lane_names: (0..slots).map(|slot| run.lane_name(slot, lang)).collect(),
                                in_progress: run.in_progress,
                                complete: run.complete(),
                                work: run.work(),
                            }
                        })
                        .collect()
                })
            }).into() />
            {move || latest().map(|run| view! { <ResultList run=run order=fetch.get().order lang=lang.get() /> })}
            <CodePanel
                python=Signal::derive(move || fetch.get().mode.python_idiom(lang.get()))
                rust_hint=Signal::derive(move || t_string!(i18n, fetch.code_hint).to_string())
                rust=Signal::stored(shown_source!(include_str!("run.rs")).to_string())
                rust_testid="rust-fetch"
            />
        </article>
    }
}

/// What a run's row shows besides its number and the language: the run as
/// it stands and the baseline it is compared with (`keyed_rows`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct RowKey {
    finished: usize,
    spans: usize,
    in_progress: bool,
    cancelled: bool,
    failed: bool,
    baseline: Option<u32>,
}

impl RowKey {
    fn of(run: &FetchRunRecord, runs: &[FetchRunRecord]) -> Self {
        RowKey {
            finished: run.finished.len(),
            spans: run.spans.len(),
            in_progress: run.in_progress,
            cancelled: run.cancelled,
            failed: run.failure.is_some(),
            baseline: run.baseline(runs).map(|baseline| baseline.id),
        }
    }
}

#[component]
fn FetchRunsTable(runs: RwSignal<Vec<FetchRunRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |run: &FetchRunRecord, all: &[FetchRunRecord], lang: Lang| {
        let figures = figures_of(run, all);
        let latency = figures.latency.as_ref().map(|summary| {
            t_string!(
                i18n,
                fetch.latency_summary,
                min = format_ms(summary.min_ms),
                p50 = format_ms(summary.p50_ms),
                p90 = format_ms(summary.p90_ms),
                p99 = format_ms(summary.p99_ms),
                max = format_ms(summary.max_ms),
                mean = format_ms(summary.mean_ms),
                spread = format_ms(summary.max_minus_mean_ms)
            )
            .to_string()
        });
        let classes: Vec<String> =
            figures.classes.iter().map(|(class, count)| format!("{}: {count}", class.label(lang))).collect();
        let class_data: Vec<String> =
            figures.classes.iter().map(|(class, count)| format!("{}={count}", class.name())).collect();
        let outcome = if run.in_progress {
            "in-progress"
        } else if run.cancelled {
            "cancelled"
        } else {
            "complete"
        };
        let speedup = figures.speedup.map(|ratio| {
            let ratio = format_ratio(ratio);
            if figures.speedup_measured_against_sequential {
                t_string!(i18n, fetch.speedup_over_sequential, ratio).to_string()
            } else {
                t_string!(i18n, fetch.speedup_over_wire, ratio).to_string()
            }
        });
        let ideal = figures.ideal_ms.map(|ideal| {
            let (ideal, at_once) = (format_ms(ideal), figures.concurrency);
            t_string!(i18n, fetch.ideal_at_once, ideal, at_once).to_string()
        });
        let failure = run.failure.as_ref().map(|said| {
            let failure = said.get(lang).to_string();
            t_string!(i18n, fetch.run_stopped, failure).to_string()
        });
        let row = view! {
            <tr
                data-testid="run-row"
                data-run=run.id
                data-mode=run.params.mode.text()
                data-outcome=outcome
                data-finished=run.finished.len()
                data-classes=class_data.join(";")
                data-makespan-ms=(!run.in_progress).then_some(figures.makespan_ms)
                data-ideal-ms=figures.ideal_ms
                data-speedup=figures.speedup
            >
                <td>{run.id}</td>
                <td>{run.params.target.title().get(lang)}</td>
                <td>{run.title(lang)}</td>
                <td>{format!("{}/{}", run.finished.len(), run.total())}</td>
                <td>{(!run.in_progress).then(|| format_ms(figures.makespan_ms))}</td>
                <td>{format_ms(figures.latency_sum_ms)}</td>
                <td>{speedup}</td>
                <td>{ideal}</td>
                <td>{figures.throughput_per_s.map(|rate| format!("{rate:.1}/s"))}</td>
                <td>{latency}</td>
                <td>{classes.join(", ")}{failure}</td>
            </tr>
        };
        row
    };
    let rows = move || keyed_rows(runs, RowKey::of, row);
    view! {
        <RunsPanel
            class="fetch-results"
            runs=runs
            header=move || view! {
                <th scope="col">"#"</th>
                <th scope="col">{t!(i18n, fetch.column_target)}</th>
                <th scope="col">{t!(i18n, fetch.column_mode)}</th>
                <th scope="col">{t!(i18n, fetch.column_done)}</th>
                <th scope="col">{t!(i18n, fetch.column_makespan)}</th>
                <th scope="col">{t!(i18n, fetch.column_latency_sum)}</th>
                <th scope="col">{t!(i18n, fetch.column_speedup)}</th>
                <th scope="col">{t!(i18n, fetch.column_ideal)}</th>
                <th scope="col">{t!(i18n, fetch.column_throughput)}</th>
                <th scope="col">{t!(i18n, fetch.column_latency)}</th>
                <th scope="col">{t!(i18n, fetch.column_outcomes)}</th>
            }
            hint=move || t!(i18n, fetch.runs_hint)
        >
            {rows}
        </RunsPanel>
    }
}

/// The latest run's results, drawn anew at every draw of a run: its words
/// are text, in `lang` (which the closure that draws it reads, so a switch
/// draws it anew), not closures that read the language. A dropped closure
/// stays among the language's subscribers for the page's life (leptos drops
/// a subscriber only when it runs again): each draw left one behind, and
/// one more for every request finished so far.
#[component]
fn ResultList(run: FetchRunRecord, order: ResultOrder, lang: Lang) -> impl IntoView {
    let i18n = use_i18n();
    let listed = listed_in_order(&run, order);
    view! {
        <section class="panel" aria-labelledby="result-list-heading">
            <h3 id="result-list-heading">
                {match order {
                    ResultOrder::Completed => t_string!(i18n, fetch.results_as_completed),
                    ResultOrder::Submitted => t_string!(i18n, fetch.results_in_order),
                }}
            </h3>
            <ol class="result-list" data-testid="result-list">
                {listed
                    .into_iter()
                    .map(|request| {
                        let class = StatusClass::of(&request.outcome);
                        let label = if request.label.is_empty() { String::new() } else { format!(" {}", request.label) };
                        view! {
                            <li data-index=request.index data-class=class.name()>
                                {format!("#{}{label}: {}, {}", request.index, class.label(lang), format_ms(request.latency_ms))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
