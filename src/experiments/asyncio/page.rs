//! The event-loop page: the notes' asyncio programs, each run on an
//! isolated worker's own loop; the lines it printed as they come, whether
//! they are CPython's, its total against the sum of its coroutines, how
//! late the ticks were, and every coroutine's life on the timeline.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use futures::future::{Either, select};
use js_sys::Float64Array;
use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::asyncio::prediction::{measured, question};
use overlap_core::experiments::asyncio::{
    AsyncioFigures, AsyncioParams, LoopEvent, LoopRecord, Printed, SCENARIO_KEY, Scenario, UNIT_KEY,
    asyncio_figures, coroutines, decode_events, expected_lines, python_program,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::prediction::Measured;
use overlap_core::records::results::{Figure, ResultsRun};
use overlap_core::records::units::format_ms;
use overlap_core::shown_source;
use strum::VariantArray;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::timer::sleep_ms;
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chosen_idea::ChosenIdea;
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::run_control::{RunActions, RunControl, RunTicket, push_run, update_run};
use crate::widgets::run_views::{PrintedLines, ProgressUnit, RunProgress, RunsPanel, printed_line};
use crate::workers::isolated_worker::{IsolatedWorker, Reply};

/// How often a run in flight looks at Cancel.
const CANCEL_POLL_MS: i32 = 50;

#[derive(Clone, Debug, PartialEq)]
enum LoopOutcome {
    InProgress,
    Complete(AsyncioFigures),
    Cancelled,
    Failed(Said),
}

overlap_core::numbered_by_id!(LoopRun);

#[derive(Clone, Debug, PartialEq)]
struct LoopRun {
    id: u32,
    scenario: Scenario,
    unit_ms: u32,
    /// The lines printed so far as they came, then the whole record.
    record: LoopRecord,
    outcome: LoopOutcome,
}

impl LoopRun {
    fn title(&self, lang: Lang) -> String {
        let title = self.scenario.title().get(lang);
        match lang {
            Lang::En => format!("{title}, a second = {} ms", self.unit_ms),
            Lang::ZhCn => format!("{title}，一秒 = {} 毫秒", self.unit_ms),
        }
    }
}

/// Why the run failed, from a worker's words.
fn worker_failed(message: &Said) -> Said {
    Said::new(
        format!("the event loop's worker failed: {}", message.en),
        format!("事件循环所在的工作者出错：{}", message.zh),
    )
}

/// A printed line as it crossed from the worker, timed from the start.
fn read_printed(value: &JsValue) -> Option<Printed> {
    let numbers = value.dyn_ref::<Float64Array>()?.to_vec();
    match decode_events(&numbers).ok()?.first()? {
        LoopEvent::Print { lane, at_ms, line } => Some(Printed { at_ms: *at_ms, lane: *lane, line: *line }),
        LoopEvent::Span { .. } => None,
    }
}

/// Starts a worker and runs `scenario` on its loop; lines printed reach
/// `on_print` as they come. `None` once Cancel was pressed (the worker,
/// dropped, is terminated).
async fn run_on_worker(
    scenario: Scenario,
    unit_ms: u32,
    cancelled: &AtomicBool,
    mut on_print: impl FnMut(Printed),
) -> Option<Result<LoopRecord, Said>> {
    let mut worker = match IsolatedWorker::spawn() {
        Ok(worker) => worker,
        Err(message) => return Some(Err(worker_failed(&message))),
    };
    let mut called = false;
    loop {
        if cancelled.load(Ordering::Relaxed) {
            return None;
        }
        let next = {
            let (reply, progress) = worker.reply_or_progress();
            let (reply, progress) = (pin!(reply), pin!(progress.next()));
            match select(select(reply, progress), pin!(sleep_ms(CANCEL_POLL_MS))).await {
                Either::Left((Either::Left((reply, _)), _)) => Some(Either::Left(reply)),
                Either::Left((Either::Right((progress, _)), _)) => progress.map(Either::Right),
                Either::Right(_) => None,
            }
        };
        match next {
            None => {}
            Some(Either::Right(value)) => match read_printed(&value) {
                Some(printed) => on_print(printed),
                None => {
                    return Some(Err(Said::new(
                        "the event loop's worker posted a line this page cannot read",
                        "事件循环所在的工作者发来了本页无法读取的一行",
                    )));
                }
            },
            Some(Either::Left(Reply::Ready)) if !called => {
                if let Err(message) =
                    worker.call("isolated_worker_asyncio_run", &[scenario.text().into(), unit_ms.into()])
                {
                    return Some(Err(worker_failed(&message)));
                }
                called = true;
            }
            Some(Either::Left(Reply::Ready)) => {
                return Some(Err(Said::new(
                    "the event loop's worker started again instead of answering",
                    "事件循环所在的工作者没有回答，而是重新启动了",
                )));
            }
            Some(Either::Left(Reply::Failed(message))) => return Some(Err(worker_failed(&message))),
            Some(Either::Left(Reply::Answer { value, .. })) => {
                let Some(numbers) = value.dyn_ref::<Float64Array>().map(Float64Array::to_vec) else {
                    return Some(Err(Said::new(
                        "the event loop's worker answered without its record",
                        "事件循环所在的工作者回答了，却没有给出它的记录",
                    )));
                };
                return Some(
                    decode_events(&numbers)
                        .map(|events| LoopRecord::from_events(&events))
                        .map_err(|error| error.said()),
                );
            }
        }
    }
}

async fn run_loop(
    scenario: Scenario,
    unit_ms: u32,
    runs: RwSignal<Vec<LoopRun>>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    push_run(
        runs,
        LoopRun { id, scenario, unit_ms, record: LoopRecord::default(), outcome: LoopOutcome::InProgress },
    );
    let flag: Arc<AtomicBool> = cancelled;
    let on_print = move |printed: Printed| {
        update_run(runs, id, |run| run.record.printed.push(printed));
        progress.update(|count| *count += 1);
    };
    let finished = run_on_worker(scenario, unit_ms, &flag, on_print).await;
    update_run(runs, id, |run| match finished {
        None => run.outcome = LoopOutcome::Cancelled,
        Some(Err(message)) => run.outcome = LoopOutcome::Failed(message),
        Some(Ok(record)) => {
            let lanes = coroutines(scenario).len() as u32;
            run.outcome = LoopOutcome::Complete(asyncio_figures(scenario, lanes, &record));
            run.record = record;
        }
    });
}

/// The latest complete run of `params`' program, as the prediction reads it.
fn answering_run(runs: &[LoopRun], params: AsyncioParams) -> Option<(u32, Measured)> {
    runs.iter().rev().find_map(|run| match &run.outcome {
        LoopOutcome::Complete(figures)
            if run.scenario == params.scenario && run.unit_ms == params.unit_ms =>
        {
            measured(run.scenario, run.unit_ms, figures).map(|measured| (run.id, measured))
        }
        _ => None,
    })
}

#[component]
pub fn AsyncioPage(initial: PageState, problems: Vec<QueryProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| AsyncioParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<LoopRun>::new());
    let control = RunControl::new();

    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(&params.get())),
        move || {
            let params = params.get();
            runs.with(|runs| answering_run(runs, params))
        },
        control.running.into(),
    );
    control.predicting(prediction);
    // No pool: the loop has a worker of its own, isolated or not.
    let blocked_reason = move || control.blocked_on_page(form, i18n, lang.get());

    let start = move |scenarios: Vec<Scenario>| {
        if untrack(blocked_reason).is_some() {
            return;
        }
        let unit_ms = params.get_untracked().unit_ms;
        control.start(scenarios, move |scenario, ticket| run_loop(scenario, unit_ms, runs, ticket));
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        if state.get_untracked().run_on_load && !started_on_load.get_value() && prediction.ready() {
            started_on_load.set_value(true);
            start(vec![params.get_untracked().scenario]);
        }
    });

    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut params = Vec::new();
                AsyncioParams { scenario: run.scenario, unit_ms: run.unit_ms }.encode(&mut params);
                let figures = match &run.outcome {
                    LoopOutcome::Complete(figures) => figures.results(),
                    _ => vec![(
                        "printed",
                        Figure::List(
                            run.record
                                .printed
                                .iter()
                                .map(|printed| Figure::Text(printed.line.text()))
                                .collect(),
                        ),
                    )],
                };
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: matches!(run.outcome, LoopOutcome::Complete(_)),
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
                    let (outcome, verdict, figures) = match &run.outcome {
                        LoopOutcome::InProgress => {
                            ("in-progress", t_string!(i18n, asyncio.result_running).to_string(), None)
                        }
                        LoopOutcome::Cancelled => {
                            ("cancelled", t_string!(i18n, asyncio.result_cancelled).to_string(), None)
                        }
                        LoopOutcome::Failed(said) => (
                            "failed",
                            t_string!(i18n, asyncio.result_failed, message = said.get(lang).to_string()).to_string(),
                            None,
                        ),
                        LoopOutcome::Complete(figures) => {
                            let verdict = if figures.printed_as_python {
                                t_string!(i18n, asyncio.verdict_as_python).to_string()
                            } else {
                                t_string!(i18n, asyncio.verdict_other_order).to_string()
                            };
                            ("complete", verdict, Some(figures.clone()))
                        }
                    };
                    let figure = |read: fn(&AsyncioFigures) -> Option<f64>| {
                        figures.as_ref().and_then(read).map(format_ms).unwrap_or_default()
                    };
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-scenario=run.scenario.text()
                            data-outcome=outcome
                            data-printed-as-python=figures.as_ref().map(|figures| figures.printed_as_python.to_string())
                            data-total-ms=figures.as_ref().map(|figures| figures.total_ms)
                            data-sum-ms=figures.as_ref().map(|figures| figures.sum_ms)
                            data-late-tick-max-ms=figures.as_ref().and_then(|figures| figures.late_tick_max_ms)
                        >
                            <td>{run.id}</td>
                            <td>{run.title(lang)}</td>
                            <td>{figure(|figures| Some(figures.total_ms))}</td>
                            <td>{figure(|figures| Some(figures.sum_ms))}</td>
                            <td>{figure(|figures| Some(figures.longest_ms))}</td>
                            <td>{figure(|figures| figures.late_tick_max_ms)}</td>
                            <td>{verdict}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    // The latest run's output, as a terminal shows it: line by line as
    // printed. Drawn anew at every line, so its words are text, not `t!`'s
    // closures, which would stay subscribed to the language once dropped
    // (see `RunProgress`).
    let output = move || {
        runs.with(|runs| {
            runs.last().map(|run| {
                (
                    run.title(lang.get()),
                    run.record
                        .printed
                        .iter()
                        .map(|printed| printed_line(printed.at_ms, &printed.line.text()))
                        .collect::<Vec<_>>(),
                )
            })
        })
    };

    view! {
        <article class="experiment" data-testid="asyncio-experiment">
            <h2>{t!(i18n, asyncio.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, asyncio.idea)}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = params.get().scenario;
                    (chosen.title(), chosen.teaches())
                }) />
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=SCENARIO_KEY
                    label=Signal::derive(move || t_string!(i18n, asyncio.field_scenario).to_string())
                    options=options_of(Scenario::title, lang)
                    value=Signal::derive(move || params.get().scenario.into())
                    form=form
                />
                <NumberField
                    key=UNIT_KEY
                    label=Signal::derive(move || t_string!(i18n, asyncio.field_unit).to_string())
                    value=Signal::derive(move || params.get().unit_ms)
                    form=form
                />
                <RunActions
                    control=control
                    blocked=Signal::derive(blocked_reason)
                    on_run=move || start(vec![params.get_untracked().scenario])
                    on_compare=move || start(Scenario::VARIANTS.to_vec())
                    compare_label=Signal::derive(move || t_string!(i18n, asyncio.compare_all).to_string())
                    experiment=AsyncioParams::KEY
                    state=state
                    results=results_runs
                    has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
                />
            </form>
            <PredictionPanel prediction=prediction />
            {move || {
                runs.with(|runs| runs.last().cloned())
                    .filter(|run| matches!(run.outcome, LoopOutcome::InProgress))
                    .map(|run| view! { <RunProgress title=run.title(lang.get()) done=control.progress.get() total=expected_lines(run.scenario).len() unit=ProgressUnit::Lines /> })
            }}
            {move || {
                output().map(|(title, lines)| view! {
                    <PrintedLines heading=t_string!(i18n, asyncio.printed_heading, title).to_string() lines=lines />
                })
            }}
            <RunsPanel
                class="asyncio-results"
                runs=runs
                header=move || view! {
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, asyncio.column_run)}</th>
                    <th scope="col">{t!(i18n, asyncio.column_total)}</th>
                    <th scope="col">{t!(i18n, asyncio.column_sum)}</th>
                    <th scope="col">{t!(i18n, asyncio.column_longest)}</th>
                    <th scope="col">{t!(i18n, asyncio.column_late)}</th>
                    <th scope="col">{t!(i18n, asyncio.column_check)}</th>
                }
                hint=move || t!(i18n, asyncio.runs_hint)
            >
                {rows}
            </RunsPanel>
            <Timeline marker=prediction.marker(move |id| runs.with(|runs| runs.iter().position(|run| run.id == id))) runs=Memo::new(move |_| {
                let lang = lang.get();
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| TimelineRun {
                            title: format!("{}. {}", run.id, run.title(lang)),
                            spans: run.record.spans.clone(),
                            lane_names: coroutines(run.scenario),
                            in_progress: matches!(run.outcome, LoopOutcome::InProgress),
                            complete: matches!(run.outcome, LoopOutcome::Complete(_)),
                            work: format!("scenario={} unit_ms={}", run.scenario.text(), run.unit_ms),
                        })
                        .collect()
                })
            }).into() />
            <CodePanel
                python=Signal::derive(move || python_program(params.get().scenario, params.get().unit_ms, lang.get()))
                rust_hint=Signal::derive(move || t_string!(i18n, asyncio.code_hint).to_string())
                rust=Signal::stored(shown_source!(include_str!("event_loop.rs")).to_string())
            />
        </article>
    }
}
