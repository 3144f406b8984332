//! The load test's page: choose the load (closed users or an open rate),
//! when it stops, the server and what each request asks of it; run it and
//! watch requests per second, in flight and the latency histogram fill in;
//! read the report as load testers print it; sweep the load for the knee,
//! or Compare the closed and the open model on the same server.

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::load::prediction::{Facts as PredictionFacts, measured, question};
use overlap_core::experiments::load::{
    BODY_KEY, BYTES_KEY, CPU_KEY, Chart, DURATION_KEY, ErrorKind, FAIL_KEY, LATENCY_KEY, LoadMethod,
    LoadModel, LoadParams, LoadTarget, METHOD_KEY, MODEL_KEY, ModelRun, PERCENTILES, RATE_KEY, REQUESTS_KEY,
    SEED_KEY, Series, SweepPoint, TARGET_KEY, TIMEOUT_KEY, URL_KEY, USERS_KEY, fail_text, first_second,
    histogram_chart, histogram_csv, per_second, per_second_csv, python_program, read_compare, read_sweep,
    results_figures, run_progress, share_text, sweep_chart, sweep_steps, time_chart,
};
use overlap_core::lang::Lang;
use overlap_core::prediction::Measured;
use overlap_core::records::results::ResultsRun;
use overlap_core::records::span::{Span, SpanState};
use overlap_core::records::units::format_ms;
use overlap_core::shown_source;
use overlap_core::typed_urls::check_url_lines;
use strum::VariantArray;

use crate::browser::download::download_text;
use crate::browser::request::{page_origin, watch_service_worker_control};
use crate::experiments::load::run::{LoadOutcome, LoadRunRecord, LoadSnapshot, RunRole, run_load};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chart_frame::ChartFrame;
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, TextField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::results_download::DownloadResults;
use crate::widgets::run_control::RunControl;

const CHART_WIDTH_PX: f64 = 640.0;
const TIME_CHART_HEIGHT_PX: f64 = 140.0;
const HISTOGRAM_HEIGHT_PX: f64 = 200.0;
const SWEEP_HEIGHT_PX: f64 = 240.0;

/// What one press of a button runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    Single,
    /// The same server under the closed model, then the open one.
    Compare,
    /// The load from an eighth of the chosen one to twice it.
    Sweep,
}

/// The CSV files a run saves.
#[derive(Clone, Copy)]
enum Csv {
    PerSecond,
    Histogram,
}

/// A chart drawn as SVG from core's geometry, in the shared frame;
/// `testid` names it for tests.
#[component]
fn LoadChart(chart: Chart, testid: &'static str, label: String) -> impl IntoView {
    let lines = chart
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let points = line.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            view! { <polyline class=format!("load-line load-line-{index}") points=points></polyline> }
        })
        .collect_view();
    let bars = chart
        .bars
        .iter()
        .map(|bar| {
            view! {
                <rect class="load-bar" data-testid="histogram-bar" data-count=bar.count data-from=bar.from_ms data-to=bar.to_ms
                    x=bar.x_px y=bar.y_px width=bar.width_px height=bar.height_px>
                    <title>{format!("{} – {}: {}", format_ms(bar.from_ms), format_ms(bar.to_ms), bar.count)}</title>
                </rect>
            }
        })
        .collect_view();
    let dots = chart
        .dots
        .iter()
        .map(|(x, y, label)| {
            view! {
                <circle class="load-dot" data-testid="sweep-point" cx=*x cy=*y r="4"></circle>
                <text class="chart-tick" x=*x + 6.0 y=*y - 6.0>{label.clone()}</text>
            }
        })
        .collect_view();
    view! {
        <ChartFrame
            frame=chart.frame.clone()
            testid=testid
            label=label
        >
            {bars}
            {lines}
            {dots}
        </ChartFrame>
    }
}

/// A completed run of a Compare or a sweep, as its panel shows it.
struct GroupMember {
    id: u32,
    params: LoadParams,
    point: SweepPoint,
}

/// The first requests of a run as timeline spans: waiting to be sent
/// (the open model's lateness), then in flight, ending as answered.
fn traced_spans(snapshot: &LoadSnapshot) -> Vec<Span> {
    let mut spans = Vec::new();
    for request in &snapshot.traced {
        let task = Some(request.index);
        if request.sent_ms > request.due_ms + 0.5 {
            spans.push(Span {
                task,
                lane: None,
                state: SpanState::Queued,
                start_ms: request.due_ms,
                end_ms: request.sent_ms,
            });
        }
        let (end_ms, state) = match request.answer {
            Some((end_ms, ending)) if ending.is_ok() => (end_ms, SpanState::Waiting),
            Some((end_ms, _)) => (end_ms, SpanState::Failed),
            None => continue,
        };
        spans.push(Span { task, lane: Some(request.lane), state, start_ms: request.sent_ms, end_ms });
    }
    spans
}

/// The latest run of exactly these parameters (a Compare's run of this
/// model among them) whose first second is over, as the prediction reads it.
fn answering_run(runs: &[LoadRunRecord], params: &LoadParams) -> Option<(u32, Measured)> {
    runs.iter().rev().filter(|run| run.params == *params).find_map(|run| {
        let shot = run.snapshot.as_ref()?;
        // Answers are binned by when they came: past 1 s, or once the run
        // completed, the first second's count is final.
        let over = shot.elapsed_ms >= 1_000.0 || run.outcome == LoadOutcome::Complete;
        let first = first_second(&shot.bins).filter(|_| over)?;
        let facts = PredictionFacts { model: run.params.model, first, mean_latency_ms: shot.all.mean_ms };
        Some((run.id, measured(&facts)))
    })
}

fn optional_ms(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), format_ms)
}

#[component]
pub fn LoadPage(initial: PageState, problems: Vec<QueryProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let service_worker_in_control = watch_service_worker_control();
    let lang = use_lang().now;
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| LoadParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<LoadRunRecord>::new());
    let control = RunControl::new();
    let running = control.running;
    let ok_only = RwSignal::new(false);
    let next_group = StoredValue::new(1u32);

    // The typed address, checked against this page's origin once per change:
    // `Some(Ok(url))` to send, `Some(Err(message))` to show next to the field.
    let checked_url = Memo::new(move |_| {
        let params = params.get();
        (params.target == LoadTarget::Urls).then(|| match check_url_lines(&params.url, &page_origin()) {
            Ok(urls) => match <[String; 1]>::try_from(urls) {
                Ok([url]) => Ok(url),
                Err(_) => Err(t_string!(i18n, load.one_address).to_string()),
            },
            Err(problems) => {
                Err(problems.iter().map(|problem| problem.message(lang.get())).collect::<Vec<_>>().join("\n"))
            }
        })
    });
    let url_problems = move || checked_url.get().and_then(Result::err);
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
    // `run=1` waits on this too: a required prediction first.
    let blocked_reason = move || {
        let lang = lang.get();
        control.blocked_on_page(form, i18n, lang).or_else(|| {
            if url_problems().is_some() {
                return Some(t_string!(i18n, load.fix_address).to_string());
            }
            (params.get().target == LoadTarget::Sw && !service_worker_in_control.get())
                .then(|| t_string!(i18n, load.no_service_worker).to_string())
        })
    };
    let start = move |plan: Plan| {
        if untrack(blocked_reason).is_some() {
            return;
        }
        let params = params.get_untracked();
        let typed_url = checked_url.get_untracked().and_then(Result::ok);
        let group = next_group.get_value();
        next_group.set_value(group + 1);
        let steps: Vec<(LoadParams, RunRole)> = match plan {
            Plan::Single => vec![(params, RunRole::Single)],
            Plan::Compare => [LoadModel::Closed, LoadModel::Open]
                .into_iter()
                .map(|model| (LoadParams { model, ..params.clone() }, RunRole::Compared { group }))
                .collect(),
            Plan::Sweep => {
                sweep_steps(&params).into_iter().map(|step| (step, RunRole::SweepStep { group })).collect()
            }
        };
        control.start(steps, move |(params, role), ticket| {
            let typed_url = typed_url.clone();
            async move {
                run_load(params, typed_url, role, ticket, runs).await;
            }
        });
    };

    let started_on_load = StoredValue::new(false);
    // `run=1` runs as soon as nothing blocks it: on a first visit the
    // service worker takes control a moment after load.
    Effect::new(move |_| {
        if state.get_untracked().run_on_load && !started_on_load.get_value() && blocked_reason().is_none() {
            started_on_load.set_value(true);
            start(Plan::Single);
        }
    });

    let latest = Memo::new(move |_| runs.with(|runs| runs.last().cloned()));

    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut pairs = Vec::new();
                run.params.encode(&mut pairs);
                ResultsRun {
                    title: format!("{}. {}", run.id, run.params.title(lang)),
                    params: pairs,
                    complete: run.outcome == LoadOutcome::Complete,
                    figures: run.snapshot.as_ref().map(|shot| results_figures(&shot.all)).unwrap_or_default(),
                }
            })
            .collect()
    });
    let download_error = RwSignal::new(None::<String>);
    let download = move |what: Csv| {
        let Some(run) = latest.get_untracked() else { return };
        let Some(shot) = run.snapshot.as_ref() else { return };
        let (name, text) = match what {
            Csv::PerSecond => {
                (format!("overlap-load-{}-per-second.csv", run.id), per_second_csv(&per_second(&shot.bins)))
            }
            Csv::Histogram => (
                format!("overlap-load-{}-histogram.csv", run.id),
                histogram_csv(shot.buckets(ok_only.get_untracked())),
            ),
        };
        download_error.set(download_text(&name, "text/csv", &text).err());
    };

    let progress = move || {
        let run = latest.get()?;
        let shot = run.snapshot.as_ref()?;
        (run.outcome == LoadOutcome::Running).then(|| {
            let params = &run.params;
            let progress = run_progress(params, shot.elapsed_ms, shot.all.sent);
            // A progress element's value is a share of its max: thousandths.
            let done_per_mille = (progress.done_share * 1_000.0).round();
            view! {
                <div class="progress" data-testid="progress">
                    <label for="load-progress">{t!(i18n, load.progress_label, title = params.title(lang.get()))}</label>
                    <progress id="load-progress" max=1_000 value=done_per_mille></progress>
                    <span data-testid="progress-text">
                        {t!(i18n, load.progress_text, sent = progress.sent, total = progress.planned, in_flight = shot.in_flight, time = format_ms(progress.left_ms))}
                    </span>
                </div>
            }
        })
    };

    let status = move || {
        let run = latest.get()?;
        let lang = lang.get();
        match &run.outcome {
            LoadOutcome::Stopped => {
                let answered = run.snapshot.as_ref().map_or(0, |shot| shot.all.answered);
                let stopped = run.snapshot.as_ref().map_or(0, |shot| shot.all.stopped);
                Some(t_string!(i18n, load.stopped, answered, stopped).to_string())
            }
            LoadOutcome::Failed(said) => {
                Some(t_string!(i18n, load.failed, message = said.get(lang).to_string()).to_string())
            }
            LoadOutcome::Running | LoadOutcome::Complete => None,
        }
        .map(|text| view! { <p class="field-message" role="alert" data-testid="load-status">{text}</p> })
    };

    let charts = move || {
        let run = latest.get()?;
        let shot = run.snapshot.as_ref()?;
        let only = ok_only.get();
        let window_ms = shot.elapsed_ms.max(shot.all.total_ms);
        Some(view! {
            <section class="panel" aria-labelledby="load-live-heading">
                <h3 id="load-live-heading">{t!(i18n, load.live_heading)}</h3>
                <p class="hint">{t!(i18n, load.rps_chart)}</p>
                <LoadChart chart=time_chart(&shot.bins, Series::RequestsPerSecond, window_ms, CHART_WIDTH_PX, TIME_CHART_HEIGHT_PX) testid="rps-chart" label=t_string!(i18n, load.rps_chart).to_string() />
                <p class="hint">{t!(i18n, load.in_flight_chart)}</p>
                <LoadChart chart=time_chart(&shot.bins, Series::InFlight, window_ms, CHART_WIDTH_PX, TIME_CHART_HEIGHT_PX) testid="in-flight-chart" label=t_string!(i18n, load.in_flight_chart).to_string() />
                <p class="hint">{t!(i18n, load.histogram_chart)}</p>
                <LoadChart chart=histogram_chart(shot.buckets(only), CHART_WIDTH_PX, HISTOGRAM_HEIGHT_PX) testid="histogram-chart" label=t_string!(i18n, load.histogram_chart).to_string() />
            </section>
        })
    };

    let report = move || {
        let run = latest.get()?;
        let shot = run.snapshot.as_ref()?;
        let lang = lang.get();
        let only = ok_only.get();
        let summary = shot.summary(only).clone();
        let all = shot.all.clone();
        let outcome = match run.outcome {
            LoadOutcome::Running => "running",
            LoadOutcome::Complete => "complete",
            LoadOutcome::Stopped => "stopped",
            LoadOutcome::Failed(_) => "failed",
        };
        let percentiles = PERCENTILES
            .iter()
            .map(|(_, label)| {
                let value = summary.percentile_ms(label);
                view! { <tr data-testid="percentile" data-name=*label data-ms=value><th scope="row">{*label}</th><td>{optional_ms(value)}</td></tr> }
            })
            .collect_view();
        let statuses = all
            .statuses
            .iter()
            .map(|(status, count)| {
                view! { <tr data-testid="status-row" data-status=*status data-count=*count><th scope="row">{*status}</th><td>{share_text(*count, all.answered, lang)}</td></tr> }
            })
            .collect_view();
        let errors = ErrorKind::VARIANTS
            .iter()
            .filter_map(|kind| all.errors.get(kind).map(|count| (*kind, *count)))
            .map(|(kind, count)| {
                let name: &'static str = kind.into();
                view! { <tr data-testid="error-row" data-kind=name data-count=count><th scope="row">{kind.title().get(lang).to_string()}</th><td>{share_text(count, all.answered, lang)}</td></tr> }
            })
            .collect_view();
        let rate = |value: Option<f64>| value.map_or_else(|| "—".to_string(), |value| format!("{value:.1}"));
        let little = match (all.in_flight_mean, all.rate_times_time, all.littles_law_ratio()) {
            (Some(l), Some(rate_times_time), Some(ratio)) => t_string!(
                i18n,
                load.littles_law_value,
                l = format!("{l:.2}"),
                rate_times_time = format!("{rate_times_time:.2}"),
                ratio = format!("{ratio:.3}")
            )
            .to_string(),
            _ => "—".to_string(),
        };
        let split = match (all.at_server_mean, all.elsewhere_mean) {
            (Some(at_server), Some(elsewhere)) => Some(view! {
                <dt>{t!(i18n, load.where_in_flight)}</dt>
                <dd data-testid="where-in-flight" data-at-server=at_server data-elsewhere=elsewhere>
                    {t!(i18n, load.where_in_flight_value, at_server = format!("{at_server:.2}"), elsewhere = format!("{elsewhere:.2}"))}
                </dd>
            }),
            _ => None,
        };
        let lag = (run.params.model == LoadModel::Open).then(|| {
            let (mean_ms, max_ms) = all.send_lag_ms.unwrap_or((0.0, 0.0));
            view! {
                <dt>{t!(i18n, load.send_lag)}</dt>
                <dd data-testid="send-lag">{t!(i18n, load.send_lag_value, mean = format_ms(mean_ms), max = format_ms(max_ms))}</dd>
            }
        });
        Some(view! {
            <section class="panel" data-testid="load-report" data-outcome=outcome data-sent=all.sent data-answered=all.answered data-ok=all.ok data-stopped=all.stopped aria-labelledby="load-report-heading">
                <h3 id="load-report-heading">{format!("{}. {}", run.id, run.params.title(lang))}</h3>
                <label class="switch">
                    <input type="checkbox" data-testid="ok-only" prop:checked=move || ok_only.get() on:change=move |_| ok_only.update(|only| *only = !*only) />
                    {t!(i18n, load.ok_only)}
                </label>
                <dl class="figures">
                    <dt>{t!(i18n, load.success_rate)}</dt>
                    <dd data-testid="success-rate">{all.success_rate.map_or_else(|| "—".to_string(), |rate| format!("{:.2}%", rate * 100.0))}</dd>
                    <dt>{t!(i18n, load.total)}</dt>
                    <dd data-testid="total">{t!(i18n, load.total_value, answered = all.answered, time = format_ms(all.total_ms))}</dd>
                    <dt>{t!(i18n, load.slowest)}</dt>
                    <dd data-testid="slowest">{optional_ms(summary.slowest_ms)}</dd>
                    <dt>{t!(i18n, load.fastest)}</dt>
                    <dd data-testid="fastest">{optional_ms(summary.fastest_ms)}</dd>
                    <dt>{t!(i18n, load.average)}</dt>
                    <dd data-testid="average" data-ms=summary.mean_ms>{optional_ms(summary.mean_ms)}</dd>
                    <dt>{t!(i18n, load.max_minus_mean)}</dt>
                    <dd data-testid="max-minus-mean">{optional_ms(summary.max_minus_mean_ms)}</dd>
                    <dt>{t!(i18n, load.requests_per_s)}</dt>
                    <dd data-testid="rps" data-value=summary.requests_per_s>{rate(summary.requests_per_s)}</dd>
                    <dt>{t!(i18n, load.bytes)}</dt>
                    <dd data-testid="bytes">{summary.bytes}</dd>
                    <dt>{t!(i18n, load.littles_law)}</dt>
                    <dd data-testid="littles-law" data-ratio=all.littles_law_ratio()>{little}</dd>
                    <dt>{t!(i18n, load.max_in_flight)}</dt>
                    <dd data-testid="max-in-flight">{all.max_in_flight}</dd>
                    {split}
                    {lag}
                </dl>
                <div class="load-tables">
                    <table class="runs" data-testid="percentiles">
                        <caption>{t!(i18n, load.percentiles)}</caption>
                        <tbody>{percentiles}</tbody>
                    </table>
                    <table class="runs" data-testid="statuses">
                        <caption>{t!(i18n, load.statuses)}</caption>
                        <tbody>{statuses}</tbody>
                    </table>
                    <table class="runs" data-testid="errors">
                        <caption>{t!(i18n, load.errors)}</caption>
                        <tbody>
                            {errors}
                            {all.errors.is_empty().then(|| view! { <tr data-testid="no-errors"><td>{t!(i18n, load.no_errors)}</td></tr> })}
                        </tbody>
                    </table>
                </div>
                <p class="hint">{t!(i18n, load.report_hint)}</p>
            </section>
        })
    };

    // The runs of the latest Compare or sweep, with their reading: each
    // completed run's point, read from the runs without copying them.
    let group_panel = move || {
        let lang = lang.get();
        let (sweep, members) = runs.with(|runs| {
            let (group, sweep) = match runs.last()?.role {
                RunRole::Compared { group } => (group, false),
                RunRole::SweepStep { group } => (group, true),
                RunRole::Single => return None,
            };
            let members: Vec<GroupMember> = runs
                .iter()
                .filter(|run| matches!(run.role, RunRole::Compared { group: g } | RunRole::SweepStep { group: g } if g == group))
                .filter(|run| run.outcome == LoadOutcome::Complete)
                .filter_map(|run| {
                    let all = &run.snapshot.as_ref()?.all;
                    let point = SweepPoint {
                        load: run.params.load_text(lang),
                        requests_per_s: all.requests_per_s?,
                        p50_ms: all.percentile_ms("p50")?,
                        p99_ms: all.percentile_ms("p99")?,
                    };
                    Some(GroupMember { id: run.id, params: run.params.clone(), point })
                })
                .collect();
            Some((sweep, members))
        })?;
        let rows = members
            .iter()
            .map(|member| {
                let point = &member.point;
                view! {
                    <tr data-testid="group-row" data-rps=point.requests_per_s data-p50=point.p50_ms data-p99=point.p99_ms>
                        <td>{member.id}</td><td>{point.load.clone()}</td><td>{format!("{:.1}", point.requests_per_s)}</td>
                        <td>{format_ms(point.p50_ms)}</td><td>{format_ms(point.p99_ms)}</td>
                    </tr>
                }
            })
            .collect_view();
        let points: Vec<SweepPoint> = members.iter().map(|member| member.point.clone()).collect();
        let reading = if sweep {
            read_sweep(&points).said().get(lang).to_string()
        } else {
            let model_run = |model: LoadModel| {
                let member = members.iter().find(|member| member.params.model == model)?;
                Some((
                    ModelRun { requests_per_s: member.point.requests_per_s, p99_ms: member.point.p99_ms },
                    &member.params,
                ))
            };
            match (model_run(LoadModel::Closed), model_run(LoadModel::Open)) {
                (Some((closed, closed_params)), Some((open, open_params))) => {
                    read_compare(closed, closed_params.users, open, open_params.rate, lang)
                }
                _ => t_string!(i18n, load.compare_pending).to_string(),
            }
        };
        let chart = sweep.then(|| {
            view! { <LoadChart chart=sweep_chart(&points, CHART_WIDTH_PX, SWEEP_HEIGHT_PX) testid="sweep-chart" label=t_string!(i18n, load.sweep_chart).to_string() /> }
        });
        Some(view! {
            <section class="panel" data-testid=if sweep { "load-sweep" } else { "load-compare" } aria-labelledby="load-group-heading">
                <h3 id="load-group-heading">{if sweep { t_string!(i18n, load.sweep_heading) } else { t_string!(i18n, load.compare_heading) }}</h3>
                <p data-testid="group-reading">{reading}</p>
                {chart}
                <table class="runs">
                    <thead><tr>
                        <th scope="col">"#"</th><th scope="col">{t!(i18n, load.column_load)}</th><th scope="col">{t!(i18n, load.requests_per_s)}</th>
                        <th scope="col">"p50"</th><th scope="col">"p99"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })
    };

    let timeline_runs = Memo::new(move |_| {
        let lang = lang.get();
        latest.with(|run| {
            let Some(run) = run else { return Vec::new() };
            let Some(shot) = run.snapshot.as_ref() else { return Vec::new() };
            if run.outcome == LoadOutcome::Running {
                return Vec::new();
            }
            let spans = traced_spans(shot);
            let lanes = spans.iter().filter_map(|span| span.lane).max().map_or(0, |lane| lane + 1);
            vec![TimelineRun {
                title: t_string!(
                    i18n,
                    load.timeline_title,
                    title = run.params.title(lang),
                    count = shot.traced.len()
                )
                .to_string(),
                spans,
                lane_names: (0..lanes)
                    .map(|lane| format!("{} {}", t_string!(i18n, load.lane), lane + 1))
                    .collect(),
                in_progress: false,
                complete: run.outcome == LoadOutcome::Complete,
                work: run.params.work(),
            }]
        })
    });

    let enabled = Signal::derive(move || !running.get());
    let number = move |key: &'static str, label: Signal<String>, value: fn(&LoadParams) -> u32| {
        view! { <NumberField key=key label=label value=Signal::derive(move || value(&params.get())) enabled=enabled form=form /> }
    };
    // Both loads are set: the model runs one, Compare runs both.
    let load_field = move || {
        view! {
            {number(USERS_KEY, Signal::derive(move || t_string!(i18n, load.field_users).to_string()), |params| params.users)}
            {number(RATE_KEY, Signal::derive(move || t_string!(i18n, load.field_rate).to_string()), |params| params.rate)}
        }
    };
    let target_fields = move || {
        match params.get().target {
        LoadTarget::Work | LoadTarget::Sw => view! {
            {number(CPU_KEY, Signal::derive(move || t_string!(i18n, load.field_cpu).to_string()), |params| params.cpu_ms)}
            {number(BYTES_KEY, Signal::derive(move || t_string!(i18n, load.field_bytes).to_string()), |params| params.bytes)}
            <TextField key=FAIL_KEY label=Signal::derive(move || t_string!(i18n, load.field_fail).to_string()) value=Signal::derive(move || fail_text(params.get().fail_thousandths)) enabled=enabled form=form />
            {number(SEED_KEY, Signal::derive(move || t_string!(i18n, load.field_seed).to_string()), |params| params.seed)}
        }
        .into_any(),
        LoadTarget::Delay => number(LATENCY_KEY, Signal::derive(move || t_string!(i18n, load.field_latency).to_string()), |params| params.latency_ms).into_any(),
        LoadTarget::Urls => view! {
            <TextField key=URL_KEY label=Signal::derive(move || t_string!(i18n, load.field_url).to_string()) value=Signal::derive(move || params.get().url) enabled=enabled form=form />
            {move || url_problems().map(|message| view! { <p class="field-message" role="alert" data-testid="url-problems">{message}</p> })}
        }
        .into_any(),
    }
    };

    view! {
        <article class="experiment" data-testid="load-experiment">
            <h2>{t!(i18n, load.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, load.idea)}</p>
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField key=MODEL_KEY label=Signal::derive(move || t_string!(i18n, load.field_model).to_string()) options=options_of(LoadModel::title, lang) value=Signal::derive(move || params.get().model.text()) enabled=enabled form=form />
                {load_field}
                {number(REQUESTS_KEY, Signal::derive(move || t_string!(i18n, load.field_requests).to_string()), |params| params.requests)}
                {number(DURATION_KEY, Signal::derive(move || t_string!(i18n, load.field_duration).to_string()), |params| params.duration_s)}
                <ChoiceField key=TARGET_KEY label=Signal::derive(move || t_string!(i18n, load.field_target).to_string()) options=options_of(LoadTarget::title, lang) value=Signal::derive(move || params.get().target.text()) enabled=enabled form=form />
                {target_fields}
                <ChoiceField key=METHOD_KEY label=Signal::derive(move || t_string!(i18n, load.field_method).to_string()) options=options_of(LoadMethod::title, lang) value=Signal::derive(move || params.get().method.text()) enabled=enabled form=form />
                {move || (params.get().method == LoadMethod::Post).then(|| number(BODY_KEY, Signal::derive(move || t_string!(i18n, load.field_body).to_string()), |params| params.body_bytes))}
                {number(TIMEOUT_KEY, Signal::derive(move || t_string!(i18n, load.field_timeout).to_string()), |params| params.timeout_ms)}
                <div class="actions">
                    <button type="button" data-testid="run" prop:disabled=move || blocked_reason().is_some() on:click=move |_| start(Plan::Single)>
                        {t!(i18n, common.run)}
                    </button>
                    <button type="button" data-testid="compare" prop:disabled=move || blocked_reason().is_some() on:click=move |_| start(Plan::Compare)>
                        {t!(i18n, load.compare)}
                    </button>
                    <button type="button" data-testid="sweep" prop:disabled=move || blocked_reason().is_some() on:click=move |_| start(Plan::Sweep)>
                        {t!(i18n, load.sweep)}
                    </button>
                    <button type="button" data-testid="cancel" prop:disabled=move || !running.get() on:click=move |_| control.cancel()>
                        {t!(i18n, load.stop)}
                    </button>
                    <DownloadResults experiment=LoadParams::KEY state=state runs=results_runs has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty())) />
                    <button type="button" data-testid="download-rps" prop:disabled=move || latest.with(|run| run.as_ref().is_none_or(|run| run.snapshot.is_none())) on:click=move |_| download(Csv::PerSecond)>
                        {t!(i18n, load.download_rps)}
                    </button>
                    <button type="button" data-testid="download-histogram" prop:disabled=move || latest.with(|run| run.as_ref().is_none_or(|run| run.snapshot.is_none())) on:click=move |_| download(Csv::Histogram)>
                        {t!(i18n, load.download_histogram)}
                    </button>
                </div>
                {move || download_error.get().map(|error| view! { <p class="field-message" role="alert">{error}</p> })}
                <p class="field-message" role="status">
                    {move || blocked_reason().filter(|_| !running.get()).map(|reason| t_string!(i18n, common.run_unavailable, reason).to_string())}
                </p>
            </form>
            <p class="hint">{t!(i18n, load.buttons_hint)}</p>
            <PredictionPanel prediction=prediction />
            {progress}
            {status}
            {report}
            {charts}
            {group_panel}
            <Timeline runs=timeline_runs.into() />
            <CodePanel
                python=Signal::derive(move || python_program(&params.get(), lang.get()))
                rust_hint=Signal::derive(move || t_string!(i18n, load.code_hint).to_string())
                rust=Signal::derive(move || shown_source!(include_str!("run.rs")).to_string())
            />
        </article>
    }
}
