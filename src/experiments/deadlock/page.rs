//! The deadlock page: a scenario's threads really block on the pool; the
//! page reads their shared state every `READ_MS`, draws the wait-for graph
//! and the growing waits, finds the cycle while it stands, and can break it
//! by making one wait time out. Compare runs the broken variant, then the
//! fixed one.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use futures::future::{Either, select};
use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::query_value::QueryValue;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::deadlock::prediction::{Facts as PredictionFacts, measured, question};
use overlap_core::experiments::deadlock::{
    DeadlockFigures, DeadlockParams, FIXED_KEY, GraphPicture, Lab, NODE_RADIUS_PX, Node, PHILOSOPHERS_KEY,
    SCENARIO_KEY, Scenario, cycle_text, graph_picture, node_name, python_program, wait_cycle, wait_edges,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::prediction::Measured;
use overlap_core::records::results::ResultsRun;
use overlap_core::records::span::Span;
use overlap_core::records::units::format_ms;
use overlap_core::shown_source;

use crate::browser::timer::sleep_ms;
use crate::experiments::deadlock::lab::{LabState, Reading, gave_up_said, run_lab};
use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::language::{label_of, use_lang};
use crate::pool::pool_context::PoolContext;
use crate::pool::thread_pool::Pool;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chosen_idea::ChosenIdea;
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::run_control::{RunActions, RunControl, RunTicket, push_run, update_run};
use crate::widgets::run_views::RunsPanel;
use leptos_i18n::I18nContext;

/// How often the page reads the threads' shared state.
const READ_MS: i32 = 50;

#[derive(Clone, Debug, PartialEq)]
enum DeadlockOutcome {
    InProgress,
    Complete,
    Cancelled,
    Failed(Said),
}

overlap_core::numbered_by_id!(DeadlockRun);

#[derive(Clone, Debug, PartialEq)]
struct DeadlockRun {
    id: u32,
    params: DeadlockParams,
    lab: Lab,
    spans: Vec<Span>,
    /// The graph at the latest reading, and the cycle standing in it.
    /// The first cycle found, and how long after it closed.
    cycle: Option<Vec<Node>>,
    detected_after_ms: Option<f64>,
    broken: bool,
    finished_threads: usize,
    timed_out: u32,
    outcome: DeadlockOutcome,
    /// The graph at each reading that changed it, for the replay's cursor.
    graphs: Vec<GraphAt>,
}

/// The wait-for graph as one reading found it, on the run's clock.
#[derive(Clone, Debug, PartialEq)]
struct GraphAt {
    at_ms: f64,
    edges: Vec<(Node, Node)>,
    cycle: Vec<Node>,
}

impl DeadlockRun {
    fn title(&self, lang: Lang) -> String {
        let title = self.params.scenario.title().get(lang);
        let variant = match (self.params.fixed, lang) {
            (false, Lang::En) => "as it deadlocks",
            (false, Lang::ZhCn) => "会死锁的写法",
            (true, Lang::En) => "fixed",
            (true, Lang::ZhCn) => "修正后",
        };
        let threads = self.lab.threads.len();
        match lang {
            Lang::En if threads == 1 => format!("{title}, {variant}, 1 thread"),
            Lang::En => format!("{title}, {variant}, {threads} threads"),
            Lang::ZhCn => format!("{title}，{variant}，{threads} 个线程"),
        }
    }

    fn figures(&self, lang: Lang) -> DeadlockFigures {
        let scenario = self.params.scenario;
        DeadlockFigures {
            deadlocked: self.cycle.is_some(),
            cycle: self
                .cycle
                .iter()
                .flat_map(|cycle| {
                    let mut names: Vec<String> =
                        cycle.iter().map(|node| node_name(&self.lab, scenario, *node, lang)).collect();
                    names.extend(names.first().cloned());
                    names
                })
                .collect(),
            detected_after_ms: self.detected_after_ms,
            broken: self.broken,
            completed: self.outcome == DeadlockOutcome::Complete,
            timed_out_waits: self.timed_out,
            fixed: self.params.fixed,
            time_ms: self.spans.iter().map(|span| span.end_ms).fold(0.0, f64::max),
        }
    }

    /// The cycle standing at the latest reading (none once the run ended).
    fn cycle_now(&self) -> &[Node] {
        self.graphs.last().map_or(&[], |graph| &graph.cycle)
    }

    /// Takes in one reading of the shared state.
    fn read(&mut self, reading: &Reading) {
        let cycle =
            wait_cycle(&self.lab, &reading.words, &reading.waits_for, &reading.timed).unwrap_or_default();
        if !cycle.is_empty() && self.cycle.is_none() {
            // Closed by the latest of its threads' waits.
            let closed_ms = cycle
                .iter()
                .filter_map(|node| match node {
                    Node::Thread(thread) => reading.waiting_since_ms.get(*thread).copied().flatten(),
                    Node::Resource(_) => None,
                })
                .fold(f64::NEG_INFINITY, f64::max);
            self.detected_after_ms = closed_ms.is_finite().then(|| (reading.now_ms - closed_ms).max(0.0));
            self.cycle = Some(cycle.clone());
        }
        let edges = wait_edges(&self.lab, &reading.words, &reading.waits_for);
        if self.graphs.last().is_none_or(|last| last.edges != edges || last.cycle != cycle) {
            self.graphs.push(GraphAt { at_ms: reading.now_ms, edges, cycle });
        }
        self.spans = reading.spans.clone();
        self.finished_threads = reading.finished;
        self.timed_out = reading.timed_out;
    }
}

/// The run in flight's shared state, for Break, Cancel and leaving.
type Current = StoredValue<Option<Arc<LabState>>>;

async fn run_deadlock(
    pool: Pool,
    params: DeadlockParams,
    lab: Lab,
    runs: RwSignal<Vec<DeadlockRun>>,
    current: Current,
    RunTicket { id, cancelled, .. }: RunTicket,
) {
    push_run(
        runs,
        DeadlockRun {
            id,
            params,
            lab: lab.clone(),
            spans: Vec::new(),
            cycle: None,
            detected_after_ms: None,
            broken: false,
            finished_threads: 0,
            timed_out: 0,
            outcome: DeadlockOutcome::InProgress,
            graphs: Vec::new(),
        },
    );
    let threads = lab.threads.len();
    let state = Arc::new(LabState::new(lab));
    current.set_value(Some(state.clone()));
    let job_state = state.clone();
    let mut job = pin!(pool.run(move || run_lab(&job_state)));
    let ended = loop {
        match select(job.as_mut(), pin!(sleep_ms(READ_MS))).await {
            Either::Left((ended, _)) => break ended,
            Either::Right(_) => {
                if cancelled.load(Ordering::Relaxed) {
                    state.stop();
                }
                let reading = state.read();
                update_run(runs, id, |run| run.read(&reading));
            }
        }
    };
    current.set_value(None);
    let reading = state.read();
    update_run(runs, id, |run| {
        run.read(&reading);
        // Where its record ends (the last thread's end, which this reading
        // came after) no one waits: the graph is empty from there on.
        let end_ms = run.spans.iter().map(|span| span.end_ms).fold(0.0, f64::max);
        match run.graphs.last_mut() {
            Some(last) if last.edges.is_empty() => last.at_ms = last.at_ms.min(end_ms),
            Some(_) => run.graphs.push(GraphAt { at_ms: end_ms, edges: Vec::new(), cycle: Vec::new() }),
            None => {}
        }
        run.outcome = match ended {
            Err(lost) => DeadlockOutcome::Failed(lost.said()),
            Ok(()) if reading.gave_up > 0 => DeadlockOutcome::Failed(gave_up_said()),
            Ok(()) if reading.finished == threads => DeadlockOutcome::Complete,
            Ok(()) => DeadlockOutcome::Cancelled,
        };
    });
}

/// The latest run of `scenario`, fixed or not, that showed whether it
/// deadlocks: a cycle found (while it goes on), or every thread finished.
fn answering_run(runs: &[DeadlockRun], scenario: Scenario, fixed: bool) -> Option<(u32, Measured)> {
    runs.iter().rev().filter(|run| run.params.scenario == scenario && run.params.fixed == fixed).find_map(
        |run| {
            let cycle = run.cycle.as_ref().map(|cycle| {
                let text = |lang| cycle_text(&run.lab, scenario, cycle, lang);
                Said::new(text(Lang::En), text(Lang::ZhCn))
            });
            let shown = cycle.is_some() || run.outcome == DeadlockOutcome::Complete;
            shown.then(|| (run.id, measured(&PredictionFacts { scenario, fixed, cycle })))
        },
    )
}

/// A graph as the page draws it: core's picture, its nodes' names, and
/// the cycle in words (or that there is none). Drawn anew at every reading
/// or move of the cursor, so its words are text, not `t!`'s closures.
fn graph_parts(
    run: &DeadlockRun,
    graph: &GraphAt,
    lang: Lang,
    i18n: I18nContext<Locale>,
) -> (GraphPicture, Vec<String>, String) {
    let picture = graph_picture(run.lab.threads.len(), run.lab.resources.len(), &graph.edges, &graph.cycle);
    let names =
        picture.nodes.iter().map(|mark| node_name(&run.lab, run.params.scenario, mark.node, lang)).collect();
    let said = if graph.cycle.is_empty() {
        t_string!(i18n, deadlock.graph_no_cycle).to_string()
    } else {
        cycle_text(&run.lab, run.params.scenario, &graph.cycle, lang)
    };
    (picture, names, said)
}

/// The wait-for graph as core placed it.
#[component]
fn WaitGraph(picture: GraphPicture, names: Vec<String>, label: String) -> impl IntoView {
    let view_box = format!("0 0 {size} {size}", size = picture.size_px);
    let half = NODE_RADIUS_PX;
    view! {
        <svg class="wait-graph" viewBox=view_box role="img" aria-label=label data-testid="wait-graph">
            <defs>
                <marker id="wait-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="wait-arrow-head"></path>
                </marker>
                <marker id="wait-arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="wait-arrow-head in-cycle"></path>
                </marker>
            </defs>
            {picture.edges.iter().map(|edge| {
                let (class, marker) = if edge.in_cycle { ("wait-edge in-cycle", "url(#wait-arrow-cycle)") } else { ("wait-edge", "url(#wait-arrow)") };
                view! { <line class=class marker-end=marker x1=edge.x1_px y1=edge.y1_px x2=edge.x2_px y2=edge.y2_px></line> }
            }).collect_view()}
            {picture.nodes.iter().zip(names).map(|(mark, name)| {
                let class = match (mark.node, mark.in_cycle) {
                    (Node::Thread(_), true) => "wait-node thread in-cycle",
                    (Node::Thread(_), false) => "wait-node thread",
                    (Node::Resource(_), true) => "wait-node resource in-cycle",
                    (Node::Resource(_), false) => "wait-node resource",
                };
                let shape = match mark.node {
                    Node::Thread(_) => view! { <circle class=class cx=mark.x_px cy=mark.y_px r=half></circle> }.into_any(),
                    Node::Resource(_) => view! { <rect class=class x=mark.x_px - half y=mark.y_px - half width=2.0 * half height=2.0 * half rx="4"></rect> }.into_any(),
                };
                view! {
                    <g>
                        {shape}
                        <text class="wait-label" x=mark.x_px y=mark.y_px + half + 12.0 text-anchor="middle">{name}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
pub fn DeadlockPage(initial: PageState, problems: Vec<QueryProblem>, pool_threads: u32) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| DeadlockParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<DeadlockRun>::new());
    let control = RunControl::new();
    let current: Current = StoredValue::new(None);
    let lab_of = move |params: DeadlockParams, fixed: bool| {
        Lab::of(params.scenario, fixed, params.philosophers_for(pool_threads))
    };
    // Every lab thread holds a pool thread; the fixed variant may need one
    // more, which only Compare runs besides the variant chosen.
    let threads = move |variants: &[bool]| {
        let params = params.get();
        variants.iter().map(|fixed| lab_of(params, *fixed).threads.len()).max().unwrap_or(0) as u32
    };
    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(params.get().scenario, params.get().fixed)),
        move || {
            let DeadlockParams { scenario, fixed, .. } = params.get();
            runs.with(|runs| answering_run(runs, scenario, fixed))
        },
        control.running.into(),
    );
    control.predicting(prediction);
    let blocked_reason = move || {
        prediction
            .blocked()
            .or_else(|| control.blocked(form, pool, threads(&[params.get().fixed]), i18n, lang.get()))
    };
    let compare_blocked = move || {
        prediction
            .blocked()
            .or_else(|| control.blocked(form, pool, threads(&[false, true]), i18n, lang.get()))
    };

    let start = move |variants: Vec<bool>| {
        let Some(pool_handle) = pool.pool.get_untracked() else { return };
        if untrack(|| control.blocked(form, pool, threads(&variants), i18n, lang.get())).is_some() {
            return;
        }
        let params = params.get_untracked();
        control.start(variants, move |fixed, ticket| {
            // The run's own parameters: philosophers only where they sit.
            let philosophers =
                (params.scenario == Scenario::Philosophers).then(|| params.philosophers_for(pool_threads));
            let params = DeadlockParams { fixed, philosophers, ..params };
            run_deadlock(pool_handle, params, lab_of(params, fixed), runs, current, ticket)
        });
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let ready = matches!(pool.state.get(), PoolState::Ready { .. });
        if state.get_untracked().run_on_load && !started_on_load.get_value() && ready && prediction.ready() {
            started_on_load.set_value(true);
            start(vec![params.get_untracked().fixed]);
        }
    });
    // Leaving the page lets every blocked thread go: the pool must come back.
    on_cleanup(move || {
        let _ = current.try_with_value(|current| {
            if let Some(lab) = current {
                lab.stop();
            }
        });
    });

    let standing = move || {
        runs.with(|runs| {
            runs.last().filter(|run| !run.cycle_now().is_empty()).map(|run| run.cycle_now().to_vec())
        })
    };
    let break_deadlock = move |_| {
        let Some(cycle) = standing() else { return };
        let Some(thread) = cycle.iter().find_map(|node| match node {
            Node::Thread(thread) => Some(*thread),
            Node::Resource(_) => None,
        }) else {
            return;
        };
        current.with_value(|current| {
            if let Some(lab) = current {
                lab.break_wait(thread);
            }
        });
        runs.update(|runs| {
            if let Some(run) = runs.last_mut() {
                run.broken = true;
            }
        });
    };

    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut params = Vec::new();
                run.params.encode(&mut params);
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: run.outcome == DeadlockOutcome::Complete,
                    figures: run.figures(lang).results(),
                }
            })
            .collect()
    });

    let rows = move || {
        let lang = lang.get();
        runs.with(|runs| {
            runs.iter()
                .map(|run| {
                    let figures = run.figures(lang);
                    let (outcome, verdict) = match &run.outcome {
                        DeadlockOutcome::InProgress if run.cycle_now().is_empty() => {
                            ("in-progress", t_string!(i18n, deadlock.result_running).to_string())
                        }
                        DeadlockOutcome::InProgress => {
                            ("in-progress", t_string!(i18n, deadlock.result_deadlocked).to_string())
                        }
                        DeadlockOutcome::Cancelled => {
                            ("cancelled", t_string!(i18n, deadlock.result_cancelled).to_string())
                        }
                        DeadlockOutcome::Failed(said) => (
                            "failed",
                            t_string!(i18n, deadlock.result_failed, message = said.get(lang).to_string())
                                .to_string(),
                        ),
                        DeadlockOutcome::Complete if run.broken => {
                            ("complete", t_string!(i18n, deadlock.result_completed_broken).to_string())
                        }
                        DeadlockOutcome::Complete => {
                            ("complete", t_string!(i18n, deadlock.result_completed).to_string())
                        }
                    };
                    let cycle = run
                        .cycle
                        .as_ref()
                        .map(|cycle| cycle_text(&run.lab, run.params.scenario, cycle, lang))
                        .unwrap_or_else(|| t_string!(i18n, deadlock.no_cycle).to_string());
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-scenario=run.params.scenario.text()
                            data-fixed=run.params.fixed.to_string()
                            data-outcome=outcome
                            data-deadlocked=figures.deadlocked.to_string()
                            data-deadlocked-now=(!run.cycle_now().is_empty()).to_string()
                            data-broken=run.broken.to_string()
                            data-detected-after-ms=figures.detected_after_ms
                        >
                            <td>{run.id}</td>
                            <td>{run.title(lang)}</td>
                            <td>{cycle}</td>
                            <td>{figures.detected_after_ms.map(format_ms)}</td>
                            <td>{format!("{} / {}", run.finished_threads, run.lab.threads.len())}</td>
                            <td>{verdict}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    // The latest run's graph, as it stands: drawn anew at every reading, so
    // its words are text, not `t!`'s closures, which would stay subscribed
    // to the language once dropped (see `RunProgress`).
    let graph = move || {
        let lang = lang.get();
        runs.with(|runs| {
            let run = runs.last().filter(|run| run.outcome == DeadlockOutcome::InProgress)?;
            let (picture, names, said) = graph_parts(run, run.graphs.last()?, lang, i18n);
            let label = t_string!(i18n, deadlock.graph_label, said = said.clone()).to_string();
            let detected = run.detected_after_ms;
            Some(view! {
                <section class="panel wait-for" aria-labelledby="wait-for-heading">
                    <h3 id="wait-for-heading">{t_string!(i18n, deadlock.graph_heading).to_string()}</h3>
                    <WaitGraph picture=picture names=names label=label />
                    <p data-testid="cycle-text"><code>{said}</code></p>
                    {detected.map(|ms| view! { <p class="hint">{t_string!(i18n, deadlock.detected_after, ms = format_ms(ms)).to_string()}</p> })}
                </section>
            })
        })
    };

    // The replay's cursor: each run's wait-for graph as the reading before
    // it found it. Drawn anew as the cursor moves, so its words are text.
    let cursor = RwSignal::new(None::<f64>);
    let graphs_at_cursor = move || {
        let at_ms = cursor.get()?;
        let lang = lang.get();
        let shown: Vec<_> = runs.with(|runs| {
            runs.iter()
                .filter_map(|run| {
                    let graph = run.graphs.iter().rev().find(|graph| graph.at_ms <= at_ms)?;
                    let (picture, names, said) = graph_parts(run, graph, lang, i18n);
                    Some((run.id, run.title(lang), picture, names, said, !graph.cycle.is_empty()))
                })
                .collect()
        });
        (!shown.is_empty()).then(|| view! {
            <section class="panel wait-for" aria-labelledby="graph-at-cursor-heading" data-testid="graphs-at-cursor">
                <h3 id="graph-at-cursor-heading">
                    {t_string!(i18n, deadlock.graph_at_cursor, at = format_ms(at_ms)).to_string()}
                </h3>
                {shown.into_iter().map(|(id, title, picture, names, said, deadlocked)| {
                    let label = t_string!(i18n, deadlock.graph_label, said = said.clone()).to_string();
                    view! {
                        <figure data-run=id data-deadlocked=deadlocked.to_string()>
                            <figcaption>{title}</figcaption>
                            <WaitGraph picture=picture names=names label=label />
                            <p><code>{said}</code></p>
                        </figure>
                    }
                }).collect_view()}
            </section>
        })
    };

    view! {
        <article class="experiment" data-testid="deadlock-experiment">
            <h2>{t!(i18n, deadlock.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, deadlock.idea)}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = params.get().scenario;
                    (chosen.title(), chosen.teaches())
                }) />
                <p>
                    <strong>{move || label_of(i18n, t_string!(i18n, deadlock.the_fix))}</strong>
                    {move || params.get().scenario.fix().get(lang.get())}
                </p>
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=SCENARIO_KEY
                    label=Signal::derive(move || t_string!(i18n, deadlock.field_scenario).to_string())
                    options=options_of(Scenario::title, lang)
                    value=Signal::derive(move || params.get().scenario.into())
                    form=form
                />
                <ChoiceField
                    key=FIXED_KEY
                    label=Signal::derive(move || t_string!(i18n, deadlock.field_fixed).to_string())
                    options=Signal::derive(move || vec![
                        ("0", t_string!(i18n, deadlock.variant_broken).to_string()),
                        ("1", t_string!(i18n, deadlock.variant_fixed).to_string()),
                    ])
                    value=Signal::derive(move || if params.get().fixed { "1" } else { "0" })
                    form=form
                />
                <Show when=move || params.get().scenario == Scenario::Philosophers>
                    <NumberField
                        key=PHILOSOPHERS_KEY
                        label=Signal::derive(move || t_string!(i18n, deadlock.field_philosophers).to_string())
                        value=Signal::derive(move || params.get().philosophers_for(pool_threads))
                        form=form
                    />
                </Show>
                <RunActions
                    control=control
                    blocked=Signal::derive(blocked_reason)
                    compare_blocked=Signal::derive(compare_blocked)
                    on_run=move || start(vec![params.get_untracked().fixed])
                    on_compare=move || start(vec![false, true])
                    compare_label=Signal::derive(move || t_string!(i18n, deadlock.compare).to_string())
                    experiment=DeadlockParams::KEY
                    state=state
                    results=results_runs
                    has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
                >
                    <button type="button" data-testid="break" prop:disabled=move || standing().is_none() on:click=break_deadlock>
                        {t!(i18n, deadlock.break_it)}
                    </button>
                </RunActions>
            </form>
            <PredictionPanel prediction=prediction />
            {graph}
            <RunsPanel
                class="deadlock-results"
                runs=runs
                header=move || view! {
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, deadlock.column_run)}</th>
                    <th scope="col">{t!(i18n, deadlock.column_cycle)}</th>
                    <th scope="col">{t!(i18n, deadlock.column_detected)}</th>
                    <th scope="col">{t!(i18n, deadlock.column_finished)}</th>
                    <th scope="col">{t!(i18n, deadlock.column_outcome)}</th>
                }
                hint=move || t!(i18n, deadlock.runs_hint)
            >
                {rows}
            </RunsPanel>
            <Timeline runs=Memo::new(move |_| {
                let lang = lang.get();
                runs.with(|runs| {
                    runs.iter()
                        .map(|run| TimelineRun {
                            title: format!("{}. {}", run.id, run.title(lang)),
                            spans: run.spans.clone(),
                            lane_names: (0..run.lab.threads.len()).map(|thread| run.lab.thread_name(run.params.scenario, thread, lang)).collect(),
                            in_progress: run.outcome == DeadlockOutcome::InProgress,
                            complete: run.outcome == DeadlockOutcome::Complete,
                            work: format!("scenario={} fixed={}", run.params.scenario.text(), u8::from(run.params.fixed)),
                        })
                        .collect()
                })
            }).into() cursor=cursor />
            {graphs_at_cursor}
            <CodePanel
                python=Signal::derive(move || {
                    let params = params.get();
                    python_program(params.scenario, params.fixed, params.philosophers_for(pool_threads), lang.get())
                })
                rust_hint=Signal::derive(move || t_string!(i18n, deadlock.code_hint).to_string())
                rust=Signal::stored(shown_source!(include_str!("lab.rs")).to_string())
            />
        </article>
    }
}
