//! The I/O experiment page: many real requests, sequentially, all at once,
//! or through a bounded pool, with every outcome counted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::fetch_model::{FetchMode, FetchTarget, StatusClass};
use overlap_core::page_state::{
    CAPACITY_KEY, FetchParams, LATENCY_KEY, MODE_KEY, N_KEY, ORDER_KEY, PageState, QueryProblem, ResultOrder,
    SERVED_BY_KEY, STATUS_KEY, ServedBy, TARGET_KEY, TIMEOUT_KEY, WORKERS_KEY,
};
use overlap_core::page_state::{Experiment, URLS_KEY};
use overlap_core::source_excerpt::shown_region;
use overlap_core::timeline::lanes_of;
use overlap_core::units::{format_ms, format_ratio};
use overlap_core::url_lines::check_url_lines;

use crate::fetch_run::{CancelHandle, FetchRunRecord, RequestRecord, run_fetch};
use crate::fetch_stats::fetch_stats;
use crate::form_fields::{ChoiceField, FieldMessage, NumberField};
use crate::param_form::ParamForm;
use crate::run_views::{RunProgress, RunsPanel};
use crate::timeline_view::{Timeline, TimelineRun};

/// `http://127.0.0.1:8080`: typed addresses on this origin are allowed.
fn page_origin() -> String {
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default()
}

/// Whether the service worker answers this page's requests now.
fn service_worker_controls_page() -> bool {
    web_sys::window()
        .map(|window| window.navigator())
        .filter(|navigator| js_sys::Reflect::has(navigator, &"serviceWorker".into()).unwrap_or(false))
        .is_some_and(|navigator| navigator.service_worker().controller().is_some())
}

fn uses_service_worker(params: &FetchParams) -> bool {
    params.target == FetchTarget::ServiceWorker
        || (params.target == FetchTarget::Preset && params.served_by == ServedBy::ServiceWorker)
}

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

#[component]
pub fn FetchPage(initial: PageState, problems: Vec<QueryProblem>) -> impl IntoView {
    let form = ParamForm::new(initial, &problems, &Experiment::Fetch.form_keys());
    let state = form.state;
    let runs = RwSignal::new(Vec::<FetchRunRecord>::new());
    let running = RwSignal::new(false);
    let cancel = StoredValue::new_local(None::<CancelHandle>);
    let next_id = StoredValue::new(1u32);
    // Typed addresses, checked against this page's origin on every change.
    let checked_urls = move || {
        let fetch = state.get().fetch;
        (fetch.target == FetchTarget::Urls).then(|| check_url_lines(&fetch.urls, &page_origin()))
    };
    let url_problems = move || match checked_urls() {
        Some(Err(problems)) => Some(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
        _ => None,
    };
    let blocked_reason = move || -> Option<String> {
        if running.get() {
            return Some("a run is in progress".to_string());
        }
        if url_problems().is_some() {
            return Some("fix the addresses first".to_string());
        }
        if let Some(message) = form.first_error() {
            return Some(format!("fix the parameters first: {message}"));
        }
        (uses_service_worker(&state.get().fetch) && !service_worker_controls_page()).then(|| {
            "the service worker does not serve this page yet (first visit, or service workers are blocked): \
             reload the page to use this target"
                .to_string()
        })
    };
    let start = move || {
        if blocked_reason().is_some() {
            return;
        }
        running.set(true);
        let params = state.get_untracked().fetch;
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
    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        if state.get_untracked().run_on_load && !started_on_load.get_value() {
            started_on_load.set_value(true);
            start();
        }
    });
    let latest = move || runs.with(|runs| runs.last().cloned());
    let fetch = move || state.get().fetch;

    view! {
        <article class="experiment" data-testid="fetch-experiment">
            <h2>"Many requests — I/O-bound work"</h2>
            <section class="idea">
                <p>
                    "Real fetch() requests, driven by Rust futures on the page's one thread. They spend their \
                     time waiting, not computing, so one thread can keep many in flight: concurrency without \
                     parallelism."
                </p>
                <p>
                    <strong>{move || fetch().mode.title()}": "</strong>
                    {move || fetch().mode.teaches()}
                </p>
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=TARGET_KEY
                    label="Target"
                    options=FetchTarget::ALL.iter().map(|target| (target.query_value(), target.title())).collect()
                    value=Signal::derive(move || fetch().target.query_value())
                    form=form
                />
                <Show when=move || fetch().target == FetchTarget::Urls>
                    <div class="field wide">
                        <label for="urls">"Addresses, one per line (https:, or this site's own)"</label>
                        <textarea
                            id="urls"
                            rows="5"
                            spellcheck="false"
                            prop:value=move || fetch().urls
                            on:change=move |event| form.set_field(URLS_KEY, &event_target_value(&event))
                        ></textarea>
                        <small class="hint">
                            "Sent with CORS, without cookies or referrer; bodies are measured, never shown. A \
                             failure is reported as network error or CORS: the browser does not say which."
                        </small>
                        <FieldMessage message=Signal::derive(url_problems) />
                    </div>
                </Show>
                <Show when=move || fetch().target == FetchTarget::Preset>
                    <ChoiceField
                        key=SERVED_BY_KEY
                        label="Served by"
                        options=vec![("server", "Dev server"), ("sw", "Service worker")]
                        value=Signal::derive(move || fetch().served_by.query_value())
                        form=form
                    />
                </Show>
                <ChoiceField
                    key=MODE_KEY
                    label="Mode"
                    options=FetchMode::ALL.iter().map(|mode| (mode.query_value(), mode.title())).collect()
                    value=Signal::derive(move || fetch().mode.query_value())
                    form=form
                />
                <NumberField
                    label="Pool size (k)"
                    key=WORKERS_KEY
                    value=Signal::derive(move || fetch().workers_or_default())
                    enabled=Signal::derive(move || matches!(fetch().mode, FetchMode::Pool | FetchMode::Workers))
                    form=form
                />
                <NumberField
                    label="Requests (N)"
                    key=N_KEY
                    value=Signal::derive(move || fetch().n_or_default())
                    form=form
                />
                <NumberField
                    label="Latency (ms)"
                    key=LATENCY_KEY
                    value=Signal::derive(move || fetch().latency_or_default())
                    enabled=Signal::derive(move || fetch().target != FetchTarget::Preset)
                    form=form
                />
                <NumberField
                    label="Status answered"
                    key=STATUS_KEY
                    value=Signal::derive(move || fetch().status_or_default())
                    form=form
                />
                <NumberField
                    label="Timeout per request (ms)"
                    key=TIMEOUT_KEY
                    value=Signal::derive(move || fetch().timeout_or_default())
                    form=form
                />
                <NumberField
                    label="Server capacity"
                    key=CAPACITY_KEY
                    value=Signal::derive(move || fetch().capacity_or_default())
                    enabled=Signal::derive(move || uses_service_worker(&fetch()))
                    form=form
                />
                <ChoiceField
                    key=ORDER_KEY
                    label="Results"
                    options=vec![
                        ("completed", "As completed (as_completed)"),
                        ("submitted", "In submission order (map)"),
                    ]
                    value=Signal::derive(move || fetch().order.query_value())
                    form=form
                />
                <div class="actions">
                    <button type="button" data-testid="run" prop:disabled=move || blocked_reason().is_some() on:click=move |_| start()>
                        "Run"
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
                        "Cancel all"
                    </button>
                </div>
                <p class="field-message" role="status">
                    {move || blocked_reason().filter(|_| !running.get()).map(|reason| format!("Run is unavailable: {reason}."))}
                </p>
            </form>

            {move || {
                latest()
                    .filter(|run| run.in_progress)
                    .map(|run| {
                        view! {
                            <RunProgress title=run.title() done=run.finished.len() total=run.total() unit="requests" />
                        }
                    })
            }}
            <FetchRunsTable runs=runs />
            <Timeline runs=Memo::new(move |_| {
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| {
                            let slots = lanes_of(&run.spans).last().map_or(0, |last| last + 1);
                            let name = if run.params.mode == FetchMode::Workers { "worker" } else { "slot" };
                            TimelineRun {
                                title: format!("{}. {}", run.id, run.title()),
                                spans: run.spans.clone(),
                                lane_names: (0..slots).map(|slot| format!("{name} {}", slot + 1)).collect(),
                                in_progress: run.in_progress,
                                complete: !run.in_progress && !run.cancelled && run.failure.is_none(),
                                work: run.work(),
                            }
                        })
                        .collect()
                })
            }).into() />
            {move || latest().map(|run| view! { <ResultList run=run order=fetch().order /> })}
            <section class="panel code">
                <h3>"The Python it mirrors"</h3>
                <pre><code>{move || fetch().mode.python_idiom()}</code></pre>
                <h3>"The Rust that runs"</h3>
                <p class="hint">"Included from the source at build time."</p>
                <pre data-testid="rust-fetch"><code>{shown_region(include_str!("fetch_run.rs"))}</code></pre>
            </section>
        </article>
    }
}

#[component]
fn FetchRunsTable(runs: RwSignal<Vec<FetchRunRecord>>) -> impl IntoView {
    let rows = move || {
        runs.with(|runs| {
            runs.iter()
                .map(|run| {
                    let baseline = runs.iter().rev().find(|other| {
                        other.params.mode == FetchMode::Sequential
                            && !other.in_progress
                            && !other.cancelled
                            && other.same_requests(run)
                    });
                    let baseline_ms = baseline.map(|other| overlap_core::run_stats::run_stats(&other.spans).makespan_ms);
                    let stats = fetch_stats(run, baseline_ms);
                    let latency = stats.latency.as_ref().map(|summary| {
                        format!(
                            "min {}, p50 {}, p90 {}, p99 {}, max {}, mean {}, max − mean {}",
                            format_ms(summary.min_ms),
                            format_ms(summary.p50_ms),
                            format_ms(summary.p90_ms),
                            format_ms(summary.p99_ms),
                            format_ms(summary.max_ms),
                            format_ms(summary.mean_ms),
                            format_ms(summary.max_minus_mean_ms)
                        )
                    });
                    let classes: Vec<String> =
                        stats.classes.iter().map(|(class, count)| format!("{}: {count}", class.name())).collect();
                    let class_data: Vec<String> = stats
                        .classes
                        .iter()
                        .map(|(class, count)| format!("{}={count}", class.name()))
                        .collect();
                    let outcome = if run.in_progress {
                        "in-progress"
                    } else if run.cancelled {
                        "cancelled"
                    } else {
                        "complete"
                    };
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-mode=run.params.mode.query_value()
                            data-outcome=outcome
                            data-finished=run.finished.len()
                            data-classes=class_data.join(";")
                            data-makespan-ms=(!run.in_progress).then_some(stats.makespan_ms)
                            data-ideal-ms=stats.ideal_ms
                        >
                            <td>{run.id}</td>
                            <td>{run.params.target.title()}</td>
                            <td>{run.title()}</td>
                            <td>{format!("{}/{}", run.finished.len(), run.total())}</td>
                            <td>{(!run.in_progress).then(|| format_ms(stats.makespan_ms))}</td>
                            <td>{format_ms(stats.latency_sum_ms)}</td>
                            <td>
                                {stats
                                    .speedup
                                    .map(|ratio| {
                                        let against = if stats.speedup_measured_against_sequential {
                                            "over the sequential run"
                                        } else {
                                            "over the sum of times on the wire"
                                        };
                                        format!("{} {against}", format_ratio(ratio))
                                    })}
                            </td>
                            <td>
                                {stats
                                    .ideal_ms
                                    .map(|ideal| format!("{} (at most {} at once)", format_ms(ideal), stats.concurrency))}
                            </td>
                            <td>{stats.throughput_per_s.map(|rate| format!("{rate:.1}/s"))}</td>
                            <td>{latency}</td>
                            <td>
                                {classes.join(", ")}
                                {run.failure.clone().map(|failure| format!(" (the run could not go on: {failure})"))}
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <RunsPanel
            class="fetch-results"
            columns=&[
                "#",
                "Target",
                "Mode",
                "Done",
                "Makespan",
                "Sum of latencies",
                "Speedup",
                "Ideal",
                "Throughput",
                "Latency",
                "Outcomes",
            ]
            has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
            hint="A request's latency runs from fetch() to the end of its body, including any time it waited \
                  inside the browser for a connection. Ideal: the asked-for delays scheduled in order on as many \
                  connections as this mode, the browser (six per host over HTTP/1.1) and the server's capacity \
                  allow, with no overhead."
        >
            {rows}
        </RunsPanel>
    }
}

#[component]
fn ResultList(run: FetchRunRecord, order: ResultOrder) -> impl IntoView {
    let listed = listed_in_order(&run, order);
    let heading = match order {
        ResultOrder::Completed => "Results as they completed",
        ResultOrder::Submitted => "Results in submission order",
    };
    view! {
        <section class="panel" aria-labelledby="result-list-heading">
            <h3 id="result-list-heading">{heading}</h3>
            <ol class="result-list" data-testid="result-list">
                {listed
                    .into_iter()
                    .map(|request| {
                        let class = StatusClass::of(&request.outcome).name();
                        view! {
                            <li data-index=request.index data-class=class.clone()>
                                {format!("#{} {}: {class}, {}", request.index, request.label, format_ms(request.latency_ms))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
