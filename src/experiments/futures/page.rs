//! The futures page: a scenario's main-thread calls played on real time,
//! its tasks on pool threads; what each call printed as it came, whether
//! that is what CPython prints, and every future's life on the timeline.
//! Compare plays the scenario with one worker, then with the chosen
//! number. The sandbox takes the learner's calls instead of a script.

use futures::channel::mpsc::{UnboundedSender, unbounded};
use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::query_value::QueryValue;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::futures::prediction::{
    Facts as PredictionFacts, compared_workers, measured, question,
};
use overlap_core::experiments::futures::{
    FutureId, FutureRecord, FuturesFigures, FuturesParams, Op, Program, SCENARIO_KEY, Scenario, TaskSpec,
    UNIT_KEY, WORKERS_KEY, python_program, script, simulate,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::prediction::Measured;
use overlap_core::records::results::ResultsRun;
use overlap_core::records::units::format_ms;
use overlap_core::shown_source;

use crate::experiments::futures::player::{Played, play};
use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;
use crate::pool::thread_pool::Pool;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chosen_idea::ChosenIdea;
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::run_control::{RunActions, RunControl, RunTicket, push_run, update_run};
use crate::widgets::run_views::{PrintedLines, ProgressUnit, RunProgress, RunsPanel, printed_line};

/// The sandbox's task lengths and timeouts, in the notes' seconds (units).
const SANDBOX_UNITS: (f64, f64) = (0.1, 30.0);

#[derive(Clone, Debug, PartialEq)]
enum FuturesOutcome {
    InProgress,
    Complete,
    Cancelled,
    Failed(Said),
}

overlap_core::numbered_by_id!(FuturesRun);

#[derive(Clone, Debug, PartialEq)]
struct FuturesRun {
    id: u32,
    params: FuturesParams,
    /// The program as played so far: its executor, its lines.
    program: Program,
    now_ms: f64,
    /// What CPython prints for a scenario (none for the sandbox).
    expected: Option<Vec<String>>,
    outcome: FuturesOutcome,
}

impl FuturesRun {
    fn title(&self, lang: Lang) -> String {
        self.params.run_title(lang)
    }

    /// Its numbers; whether it printed as CPython does only once it ran
    /// to its end (a cancelled run printed less, not otherwise).
    fn figures(&self) -> FuturesFigures {
        let complete = self.outcome == FuturesOutcome::Complete;
        FuturesFigures::of(&self.program, self.expected.as_deref().filter(|_| complete), self.now_ms)
    }

    /// As the timeline draws it, its spans up to `now_ms`.
    fn timeline_run(&self, now_ms: f64, lang: Lang, i18n: leptos_i18n::I18nContext<Locale>) -> TimelineRun {
        TimelineRun {
            title: format!("{}. {}", self.id, self.title(lang)),
            spans: self.program.spans(now_ms),
            lane_names: self.lane_names(i18n),
            in_progress: self.outcome == FuturesOutcome::InProgress,
            complete: self.outcome == FuturesOutcome::Complete,
            // A scenario's calls with any number of workers are the same
            // work, which the timeline compares; a sandbox's calls are each
            // run's own.
            work: match self.params.scenario {
                Scenario::Sandbox => format!("scenario=sandbox run={}", self.id),
                scenario => format!("scenario={} unit_ms={}", scenario.text(), self.params.unit_ms),
            },
        }
    }

    fn lane_names(&self, i18n: leptos_i18n::I18nContext<Locale>) -> Vec<String> {
        let mut names = vec![t_string!(i18n, futures.lane_main).to_string()];
        for (future, record) in self.program.executor.futures().iter().enumerate() {
            let number = future + 1;
            names.push(match record.worker {
                Some(worker) => {
                    t_string!(i18n, futures.lane_future_on, number, worker = worker + 1).to_string()
                }
                None => t_string!(i18n, futures.lane_future, number).to_string(),
            });
        }
        names
    }
}

/// Where the sandbox run in flight takes the learner's calls.
type Current = StoredValue<Option<UnboundedSender<Op>>>;

async fn run_futures(
    pool: Pool,
    params: FuturesParams,
    runs: RwSignal<Vec<FuturesRun>>,
    current: Current,
    live_ms: RwSignal<f64>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    let workers = params.workers as usize;
    let (program, expected, calls) = if params.scenario == Scenario::Sandbox {
        let (sender, receiver) = unbounded();
        current.set_value(Some(sender));
        (Program::open(workers, params.unit_ms), None, Some(receiver))
    } else {
        let ops = script(params.scenario);
        let expected = simulate(ops.clone(), workers, params.unit_ms).lines();
        (Program::new(ops, workers, params.unit_ms), Some(expected), None)
    };
    live_ms.set(0.0);
    push_run(
        runs,
        FuturesRun {
            id,
            params,
            program: program.clone(),
            now_ms: 0.0,
            expected,
            outcome: FuturesOutcome::InProgress,
        },
    );
    // Drawn anew only when a line, a state or the main thread's freedom
    // changed; the timeline's growing spans read the clock each frame.
    let on_change = move |program: &Program, now_ms: f64| {
        progress.set(program.log.len());
        update_run(runs, id, |run| {
            run.program = program.clone();
            run.now_ms = now_ms;
        });
    };
    let on_frame = move |now_ms: f64| live_ms.set(now_ms);
    let (program, played) = play(pool, program, cancelled, calls, on_change, on_frame).await;
    current.set_value(None);
    update_run(runs, id, |run| {
        run.program = program;
        run.now_ms = live_ms.get_untracked().max(run.now_ms);
        run.outcome = match played {
            Played::Ended => FuturesOutcome::Complete,
            Played::Cancelled => FuturesOutcome::Cancelled,
            Played::Failed(said) => FuturesOutcome::Failed(said),
        };
    });
}

/// The latest complete run of `params`' scenario with the workers Compare
/// plays after one, against the latest complete run with one worker
/// before it, as the prediction reads them.
fn answering_run(runs: &[FuturesRun], params: FuturesParams) -> Option<(u32, Measured)> {
    let workers = compared_workers(params.workers);
    let time_of = |run: &FuturesRun, wanted: u32| {
        let answers = run.outcome == FuturesOutcome::Complete
            && run.params.workers == wanted
            && run.params.scenario == params.scenario
            && run.params.unit_ms == params.unit_ms;
        answers.then_some(run.now_ms)
    };
    runs.iter().rev().find_map(|run| {
        let workers_ms = time_of(run, workers)?;
        let one_worker_ms =
            runs.iter().rev().filter(|other| other.id < run.id).find_map(|other| time_of(other, 1))?;
        let facts = PredictionFacts { scenario: params.scenario, one_worker_ms, workers, workers_ms };
        Some((run.id, measured(&facts)))
    })
}

/// A number of the notes' seconds (units) typed in the sandbox, or `None`.
fn read_units(text: &str, lowest_units: f64) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|units| units.is_finite() && (lowest_units..=SANDBOX_UNITS.1).contains(units))
}

/// The sandbox's calls: submit, cancel, result(timeout), shutdown. Its
/// fields stay as they are while the run changes (typing goes on); the
/// futures' rows are drawn anew when a state changes, so their words are
/// text (`t_string!`).
#[component]
fn SandboxPanel(runs: RwSignal<Vec<FuturesRun>>, current: Current) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let units = RwSignal::new("3".to_string());
    let fails = RwSignal::new(false);
    let timeout = RwSignal::new("1".to_string());
    let call = move |op: Op| {
        current.with_value(|current| {
            if let Some(calls) = current {
                // The run reads its calls until it ends; after, nothing to do.
                let _ = calls.unbounded_send(op);
            }
        });
    };
    let live = move |run: &FuturesRun| {
        run.params.scenario == Scenario::Sandbox && run.outcome == FuturesOutcome::InProgress
    };
    let is_live = Memo::new(move |_| runs.with(|runs| runs.last().is_some_and(live)));
    // The main thread is free and the executor takes calls.
    let can_call = Memo::new(move |_| {
        runs.with(|runs| {
            runs.last()
                .filter(|run| live(run))
                .is_some_and(|run| run.program.is_free() && !run.program.executor.is_shut_down())
        })
    });
    let main_free = Memo::new(move |_| {
        runs.with(|runs| runs.last().filter(|run| live(run)).is_some_and(|run| run.program.is_free()))
    });
    let units_problem = move || {
        read_units(&units.get(), SANDBOX_UNITS.0).is_none().then(|| {
            t_string!(i18n, futures.seconds_problem, low = SANDBOX_UNITS.0, high = SANDBOX_UNITS.1)
                .to_string()
        })
    };
    let timeout_problem = move || {
        read_units(&timeout.get(), 0.0)
            .is_none()
            .then(|| t_string!(i18n, futures.seconds_problem, low = 0, high = SANDBOX_UNITS.1).to_string())
    };
    let rows = move || {
        let futures: Vec<(FutureId, FutureRecord)> = runs.with(|runs| {
            runs.last()
                .filter(|run| live(run))
                .map(|run| run.program.executor.futures().iter().cloned().enumerate().collect())
                .unwrap_or_default()
        });
        if futures.is_empty() {
            return view! { <p class="hint">{t_string!(i18n, futures.sandbox_no_futures).to_string()}</p> }
                .into_any();
        }
        let rows = futures
            .into_iter()
            .map(|(future, record)| {
                let state = record.state;
                let outcome = record.outcome_text();
                let number = future + 1;
                let fails = if record.task.fails { ", fails=True" } else { "" };
                let spec = format!("do_something({number}, {}{fails})", record.task.units);
                view! {
                    <tr data-testid="sandbox-future" data-future=number data-state=state.name()>
                        <td><code>{format!("f{number}")}</code>" "<code class="hint">{spec}</code></td>
                        <td><code>{state.name()}</code></td>
                        <td><code>{outcome}</code></td>
                        <td>
                            <button type="button" data-testid="sandbox-cancel" prop:disabled=move || !can_call.get() on:click=move |_| call(Op::Cancel(future))>
                                {format!("f{number}.cancel()")}
                            </button>
                            " "
                            <button type="button" data-testid="sandbox-result" prop:disabled=move || !can_call.get() || timeout_problem().is_some() on:click=move |_| {
                                let timeout_units = read_units(&timeout.get_untracked(), 0.0);
                                call(Op::Result { future, timeout_units });
                            }>
                                {format!("f{number}.result(timeout=…)")}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="sandbox-futures">
                <thead><tr>
                    <th scope="col">{t_string!(i18n, futures.sandbox_future).to_string()}</th>
                    <th scope="col">{t_string!(i18n, futures.sandbox_state).to_string()}</th>
                    <th scope="col">{t_string!(i18n, futures.sandbox_outcome).to_string()}</th>
                    <th scope="col">{t_string!(i18n, futures.sandbox_calls).to_string()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel sandbox" aria-labelledby="sandbox-heading" data-testid="sandbox">
            <h3 id="sandbox-heading">{move || Scenario::Sandbox.title().get(lang.get())}</h3>
            <Show when=move || is_live.get() fallback=move || view! { <p class="hint">{t!(i18n, futures.sandbox_start)}</p> }>
                <p data-testid="sandbox-main" data-free=move || main_free.get().to_string() role="status">
                    {move || if main_free.get() { t!(i18n, futures.sandbox_main_free).into_any() } else { t!(i18n, futures.sandbox_main_waits).into_any() }}
                </p>
                <div class="sandbox-calls">
                    <label>
                        {t!(i18n, futures.sandbox_seconds)}
                        " "
                        <input type="number" data-testid="sandbox-seconds" min=SANDBOX_UNITS.0 max=SANDBOX_UNITS.1 step="0.1"
                            prop:value=move || units.get() on:input=move |event| units.set(event_target_value(&event)) />
                    </label>
                    <span class="field-message" role="alert">{units_problem}</span>
                    <label>
                        <input type="checkbox" data-testid="sandbox-fails" prop:checked=move || fails.get()
                            on:change=move |event| fails.set(event_target_checked(&event)) />
                        " "{t!(i18n, futures.sandbox_fails)}
                    </label>
                    <button type="button" data-testid="sandbox-submit" prop:disabled=move || !can_call.get() || units_problem().is_some() on:click=move |_| {
                        if let Some(task_units) = read_units(&units.get_untracked(), SANDBOX_UNITS.0) {
                            call(Op::Submit(TaskSpec { units: task_units, fails: fails.get_untracked() }));
                        }
                    }>
                        {t!(i18n, futures.sandbox_submit)}
                    </button>
                </div>
                <div class="sandbox-calls">
                    <label>
                        {t!(i18n, futures.sandbox_timeout)}
                        " "
                        <input type="number" data-testid="sandbox-timeout" min="0" max=SANDBOX_UNITS.1 step="0.1"
                            prop:value=move || timeout.get() on:input=move |event| timeout.set(event_target_value(&event)) />
                    </label>
                    <span class="field-message" role="alert">{timeout_problem}</span>
                    <button type="button" data-testid="sandbox-shutdown" prop:disabled=move || !can_call.get() on:click=move |_| call(Op::Shutdown { cancel_futures: false })>
                        {t!(i18n, futures.sandbox_shutdown)}
                    </button>
                    <button type="button" data-testid="sandbox-shutdown-cancel" prop:disabled=move || !can_call.get() on:click=move |_| call(Op::Shutdown { cancel_futures: true })>
                        {t!(i18n, futures.sandbox_shutdown_cancel)}
                    </button>
                </div>
                {rows}
            </Show>
        </section>
    }
}

#[component]
pub fn FuturesPage(initial: PageState, problems: Vec<QueryProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| FuturesParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<FuturesRun>::new());
    let control = RunControl::new();
    let current: Current = StoredValue::new(None);
    // The run in flight's clock, set each frame: its spans grow with it.
    let live_ms = RwSignal::new(0.0);

    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || question(&params.get()),
        move || {
            let params = params.get();
            runs.with(|runs| answering_run(runs, params))
        },
        control.running.into(),
    );
    control.predicting(prediction);
    // Each worker's task holds a pool thread while it runs.
    let blocked_reason = move || control.blocked(form, pool, params.get().workers, i18n, lang.get());
    let compare_blocked = move || {
        let params = params.get();
        if params.scenario == Scenario::Sandbox {
            return Some(t_string!(i18n, futures.compare_sandbox).to_string());
        }
        prediction
            .blocked()
            .or_else(|| control.blocked(form, pool, compared_workers(params.workers), i18n, lang.get()))
    };

    let start = move |worker_counts: Vec<u32>| {
        let Some(pool_handle) = pool.pool.get_untracked() else { return };
        let most = worker_counts.iter().copied().max().unwrap_or(1);
        if untrack(|| control.blocked(form, pool, most, i18n, lang.get())).is_some() {
            return;
        }
        let params = params.get_untracked();
        control.start(worker_counts, move |workers, ticket| {
            run_futures(pool_handle, FuturesParams { workers, ..params }, runs, current, live_ms, ticket)
        });
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        if state.get_untracked().run_on_load
            && !started_on_load.get_value()
            && matches!(pool.state.get(), PoolState::Ready { .. })
            && prediction.ready()
        {
            started_on_load.set_value(true);
            start(vec![params.get_untracked().workers]);
        }
    });
    // A sandbox left for a scenario ends: its controls are gone, and Run
    // must not wait on it.
    Effect::new(move |_| {
        if params.get().scenario != Scenario::Sandbox && current.with_value(Option::is_some) {
            control.cancel();
        }
    });
    // Leaving the page stops every task: the pool must come back.
    on_cleanup(move || control.try_cancel());

    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut params = Vec::new();
                run.params.encode(&mut params);
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: run.outcome == FuturesOutcome::Complete,
                    figures: run.figures().results(),
                }
            })
            .collect()
    });

    let rows = move || {
        let lang = lang.get();
        runs.with(|runs| {
            runs.iter()
                .map(|run| {
                    let figures = run.figures();
                    let (outcome, verdict) = match &run.outcome {
                        FuturesOutcome::InProgress => {
                            ("in-progress", t_string!(i18n, futures.result_running).to_string())
                        }
                        FuturesOutcome::Cancelled => {
                            ("cancelled", t_string!(i18n, futures.result_cancelled).to_string())
                        }
                        FuturesOutcome::Failed(said) => (
                            "failed",
                            t_string!(i18n, futures.result_failed, message = said.get(lang).to_string())
                                .to_string(),
                        ),
                        FuturesOutcome::Complete => (
                            "complete",
                            match figures.printed_as_python {
                                Some(true) => t_string!(i18n, futures.verdict_as_python).to_string(),
                                Some(false) => t_string!(i18n, futures.verdict_other_order).to_string(),
                                None => t_string!(i18n, futures.verdict_sandbox).to_string(),
                            },
                        ),
                    };
                    let as_python = figures.printed_as_python.map(|same| same.to_string());
                    let states: Vec<String> = figures
                        .states
                        .iter()
                        .enumerate()
                        .map(|(future, state)| format!("{}: {state}", future + 1))
                        .collect();
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-scenario=run.params.scenario.text()
                            data-workers=run.params.workers
                            data-outcome=outcome
                            data-printed-as-python=as_python
                            data-time-ms=figures.time_ms
                        >
                            <td>{run.id}</td>
                            <td>{run.title(lang)}</td>
                            <td>{format_ms(figures.time_ms)}</td>
                            <td><code>{states.join(", ")}</code></td>
                            <td>{verdict}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    // The latest run's output, line by line as printed. Drawn anew at every
    // step, so its words are text, not `t!`'s closures (see `RunProgress`).
    let output = move || {
        runs.with(|runs| {
            runs.last().map(|run| {
                (
                    run.title(lang.get()),
                    run.program
                        .log
                        .iter()
                        .map(|line| printed_line(line.at_ms, &line.text))
                        .collect::<Vec<_>>(),
                )
            })
        })
    };

    // The sandbox's Python is what the learner called in its latest run.
    let python = move || {
        let params = params.get();
        let lang = lang.get();
        if params.scenario == Scenario::Sandbox {
            let ops = runs.with(|runs| {
                runs.iter()
                    .rev()
                    .find(|run| run.params.scenario == Scenario::Sandbox)
                    .map(|run| (run.program.ops().to_vec(), run.params))
            });
            match ops {
                Some((ops, params)) => python_program(&ops, params.workers, params.unit_ms, lang),
                None => python_program(&[], params.workers, params.unit_ms, lang),
            }
        } else {
            python_program(&script(params.scenario), params.workers, params.unit_ms, lang)
        }
    };

    let finished_runs = Memo::new(move |_| {
        let lang = lang.get();
        runs.with(|runs| {
            runs.iter()
                .filter(|run| run.outcome != FuturesOutcome::InProgress)
                .map(|run| run.timeline_run(run.now_ms, lang, i18n))
                .collect::<Vec<_>>()
        })
    });

    view! {
        <article class="experiment" data-testid="futures-experiment">
            <h2>{t!(i18n, futures.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, futures.idea)}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = params.get().scenario;
                    (chosen.title(), chosen.teaches())
                }) />
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=SCENARIO_KEY
                    label=Signal::derive(move || t_string!(i18n, futures.field_scenario).to_string())
                    options=options_of(Scenario::title, lang)
                    value=Signal::derive(move || params.get().scenario.into())
                    form=form
                />
                <NumberField
                    key=WORKERS_KEY
                    label=Signal::derive(move || t_string!(i18n, futures.field_workers).to_string())
                    value=Signal::derive(move || params.get().workers)
                    form=form
                />
                <NumberField
                    key=UNIT_KEY
                    label=Signal::derive(move || t_string!(i18n, futures.field_unit).to_string())
                    value=Signal::derive(move || params.get().unit_ms)
                    form=form
                />
                <RunActions
                    control=control
                    blocked=Signal::derive(blocked_reason)
                    compare_blocked=Signal::derive(compare_blocked)
                    on_run=move || start(vec![params.get_untracked().workers])
                    on_compare=move || start(vec![1, compared_workers(params.get_untracked().workers)])
                    compare_label=Signal::derive(move || {
                        t_string!(i18n, futures.compare, workers = compared_workers(params.get().workers)).to_string()
                    })
                    experiment=FuturesParams::KEY
                    state=state
                    results=results_runs
                    has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
                />
            </form>
            <PredictionPanel prediction=prediction />
            <Show when=move || params.get().scenario == Scenario::Sandbox>
                <SandboxPanel runs=runs current=current />
            </Show>
            {move || {
                runs.with(|runs| {
                    let run = runs.last().filter(|run| run.outcome == FuturesOutcome::InProgress)?;
                    run.expected.as_ref().map(|expected| (run.title(lang.get()), expected.len()))
                })
                    .map(|(title, total)| view! { <RunProgress title=title done=control.progress.get() total=total unit=ProgressUnit::Lines /> })
            }}
            {move || {
                output().map(|(title, lines)| view! {
                    <PrintedLines heading=t_string!(i18n, futures.printed_heading, title).to_string() lines=lines />
                })
            }}
            <RunsPanel
                class="futures-results"
                runs=runs
                header=move || view! {
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, futures.column_run)}</th>
                    <th scope="col">{t!(i18n, futures.column_time)}</th>
                    <th scope="col">{t!(i18n, futures.column_futures)}</th>
                    <th scope="col">{t!(i18n, futures.column_check)}</th>
                }
                hint=move || t!(i18n, futures.runs_hint)
            >
                {rows}
            </RunsPanel>
            <Timeline runs=Memo::new(move |_| {
                // Finished runs come from their own memo; only the run in
                // flight reads the clock, which moves every frame.
                let mut drawn = finished_runs.get();
                let live = runs.with(|runs| {
                    runs.last()
                        .filter(|run| run.outcome == FuturesOutcome::InProgress)
                        .map(|run| run.timeline_run(live_ms.get().max(run.now_ms), lang.get(), i18n))
                });
                drawn.extend(live);
                drawn
            }).into() />
            <CodePanel
                python=Signal::derive(python)
                rust_hint=Signal::derive(move || t_string!(i18n, futures.code_hint).to_string())
                rust=Signal::stored(shown_source!(include_str!("player.rs")).to_string())
            />
        </article>
    }
}
