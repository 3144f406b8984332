//! The lock-step page: threads print in turn, the chosen way; each run's
//! printed sequence, whether it is the strict turn, the hand-off latency,
//! and every print and wait on the timeline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::address::query_value::QueryValue;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::lockstep::prediction::{
    Facts as PredictionFacts, first_break, measured, question,
};
use overlap_core::experiments::lockstep::{
    Coordination, LockstepFigures, LockstepParams, ROUNDS_KEY, THREADS_KEY, VARIANT_KEY, hand_offs, letter,
    lockstep_figures, printed_sequence, python_program,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::prediction::Measured;
use overlap_core::records::results::{Figure, ResultsRun};
use overlap_core::records::span::{Span, SpanState};
use overlap_core::records::units::format_ms;
use overlap_core::shown_source;
use overlap_core::timeline::links::HandOff;
use strum::VariantArray;

use crate::experiments::lockstep::turns::{TurnsRun, turns_on_pool};
use crate::i18n::{t, t_string, use_i18n};
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
use crate::widgets::run_views::{ProgressUnit, RunProgress, RunsPanel};

/// How many letters of a sequence the table shows.
const SHOWN_LETTERS: usize = 60;

#[derive(Clone, Debug, PartialEq)]
enum TurnsOutcome {
    InProgress,
    Complete { figures: LockstepFigures, sequence: String },
    Cancelled,
    Failed(Said),
}

overlap_core::numbered_by_id!(TurnsRecord);

#[derive(Clone, Debug, PartialEq)]
struct TurnsRecord {
    id: u32,
    coordination: Coordination,
    threads: u32,
    rounds: u32,
    done: usize,
    spans: Vec<Span>,
    hand_offs: Vec<HandOff>,
    outcome: TurnsOutcome,
}

impl TurnsRecord {
    fn title(&self, lang: Lang) -> String {
        let title = self.coordination.title().get(lang);
        match lang {
            Lang::En => format!("{title}, {} threads × {} rounds", self.threads, self.rounds),
            Lang::ZhCn => format!("{title}，{} 个线程 × {} 轮", self.threads, self.rounds),
        }
    }
}

fn lane_name(thread: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("thread {} ({})", thread + 1, letter(thread)),
        Lang::ZhCn => format!("线程 {}（{}）", thread + 1, letter(thread)),
    }
}

async fn run_turns(
    pool: Pool,
    coordination: Coordination,
    threads: u32,
    rounds: u32,
    runs: RwSignal<Vec<TurnsRecord>>,
    RunTicket { id, progress, cancelled }: RunTicket,
) {
    push_run(
        runs,
        TurnsRecord {
            id,
            coordination,
            threads,
            rounds,
            done: 0,
            spans: Vec::new(),
            hand_offs: Vec::new(),
            outcome: TurnsOutcome::InProgress,
        },
    );
    let done = Arc::new(AtomicUsize::new(0));
    let run = TurnsRun { coordination, threads, rounds, cancelled: cancelled.clone(), done: done.clone() };
    let report =
        pool.run_counting(done.clone(), move || turns_on_pool(&run), |count| progress.set(count)).await;
    let (outcome, spans, links) = match report {
        Err(lost) => (TurnsOutcome::Failed(lost.said()), Vec::new(), Vec::new()),
        Ok(report) => {
            let mut spans: Vec<Span> = report
                .waits
                .iter()
                .filter(|(_, from_ms, to_ms)| to_ms > from_ms)
                .map(|(thread, from_ms, to_ms)| Span {
                    task: None,
                    lane: Some(*thread),
                    state: SpanState::WaitingForTurn,
                    start_ms: *from_ms,
                    end_ms: *to_ms,
                })
                .collect();
            spans.extend(report.prints.iter().enumerate().map(|(index, print)| Span {
                task: Some(index as u32),
                lane: Some(print.thread),
                state: SpanState::Running,
                start_ms: print.acquired_ms,
                end_ms: print.released_ms.max(print.acquired_ms),
            }));
            let outcome = if cancelled.load(Ordering::Relaxed) {
                TurnsOutcome::Cancelled
            } else if report.gave_up {
                TurnsOutcome::Failed(Said::new(
                    "a thread waited over 5 s for its turn: the thread before it never came (another job may hold a pool thread)",
                    "有线程等待轮次超过 5 秒：它前面的线程一直没有出现（可能有别的任务占着线程池的线程）",
                ))
            } else {
                TurnsOutcome::Complete {
                    figures: lockstep_figures(coordination, threads, rounds, &report.prints),
                    sequence: printed_sequence(&report.prints),
                }
            };
            (outcome, spans, hand_offs(coordination, &report.prints))
        }
    };
    let done = done.load(Ordering::Relaxed);
    update_run(runs, id, |record| {
        record.done = done;
        record.spans = spans;
        record.hand_offs = links;
        record.outcome = outcome;
    });
}

/// The latest complete run of `coordination` with these threads and rounds,
/// as the prediction reads it.
fn answering_run(
    runs: &[TurnsRecord],
    coordination: Coordination,
    threads: u32,
    rounds: u32,
) -> Option<(u32, Measured)> {
    runs.iter().rev().find_map(|run| match &run.outcome {
        TurnsOutcome::Complete { figures, sequence }
            if run.coordination == coordination && run.threads == threads && run.rounds == rounds =>
        {
            let facts = PredictionFacts {
                coordination,
                prints: figures.prints,
                first_break: first_break(sequence, threads, rounds),
            };
            Some((run.id, measured(&facts)))
        }
        _ => None,
    })
}

#[component]
pub fn LockstepPage(initial: PageState, problems: Vec<QueryProblem>, pool_threads: u32) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let params = Memo::new(move |_| LockstepParams::try_from(state.get().experiment).unwrap_or_default());
    let runs = RwSignal::new(Vec::<TurnsRecord>::new());
    let control = RunControl::new();
    let threads = move || params.get().threads_for(pool_threads);

    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || Some(question(params.get().coordination, threads(), params.get().rounds)),
        move || {
            let (coordination, threads, rounds) = (params.get().coordination, threads(), params.get().rounds);
            runs.with(|runs| answering_run(runs, coordination, threads, rounds))
        },
        control.running.into(),
    );
    control.predicting(prediction);
    // Every thread waiting for its turn holds a pool thread.
    let blocked_reason = move || control.blocked(form, pool, threads(), i18n, lang.get());

    let start = move |ways: Vec<Coordination>| {
        let Some(pool_handle) = pool.pool.get_untracked() else { return };
        if untrack(blocked_reason).is_some() {
            return;
        }
        let (thread_count, rounds) = (untrack(threads), params.get_untracked().rounds);
        control
            .start(ways, move |way, ticket| run_turns(pool_handle, way, thread_count, rounds, runs, ticket));
    };

    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let ready = matches!(pool.state.get(), PoolState::Ready { .. });
        if state.get_untracked().run_on_load && !started_on_load.get_value() && ready && prediction.ready() {
            started_on_load.set_value(true);
            start(vec![params.get_untracked().coordination]);
        }
    });

    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        runs.get_untracked()
            .iter()
            .map(|run| {
                let mut params = Vec::new();
                LockstepParams {
                    coordination: run.coordination,
                    threads: Some(run.threads),
                    rounds: run.rounds,
                }
                .encode(&mut params);
                let figures = match &run.outcome {
                    TurnsOutcome::Complete { figures, sequence } => {
                        let mut all = figures.results();
                        all.push(("sequence", Figure::Text(sequence.clone())));
                        all
                    }
                    _ => vec![("done", Figure::from(run.done))],
                };
                ResultsRun {
                    title: format!("{}. {}", run.id, run.title(lang)),
                    params,
                    complete: matches!(run.outcome, TurnsOutcome::Complete { .. }),
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
                    let (outcome, sequence, verdict, figures) = match &run.outcome {
                        TurnsOutcome::InProgress => (
                            "in-progress",
                            String::new(),
                            t_string!(i18n, lockstep.result_running).to_string(),
                            None,
                        ),
                        TurnsOutcome::Cancelled => (
                            "cancelled",
                            String::new(),
                            t_string!(i18n, lockstep.result_cancelled).to_string(),
                            None,
                        ),
                        TurnsOutcome::Failed(said) => (
                            "failed",
                            String::new(),
                            t_string!(i18n, lockstep.result_failed, message = said.get(lang).to_string())
                                .to_string(),
                            None,
                        ),
                        TurnsOutcome::Complete { figures, sequence } => {
                            let verdict = if figures.sequence_ok {
                                t_string!(i18n, lockstep.verdict_in_turn).to_string()
                            } else {
                                t_string!(i18n, lockstep.verdict_out_of_turn).to_string()
                            };
                            ("complete", sequence.clone(), verdict, Some(figures.clone()))
                        }
                    };
                    let shown: String = sequence.chars().take(SHOWN_LETTERS).collect();
                    let more = sequence.chars().count() > SHOWN_LETTERS;
                    let us =
                        |value: Option<f64>| value.map(|value| format!("{value:.0} µs")).unwrap_or_default();
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-variant=run.coordination.text()
                            data-threads=run.threads
                            data-outcome=outcome
                            data-sequence=sequence.clone()
                            data-sequence-ok=figures.as_ref().map(|figures| figures.sequence_ok.to_string())
                            data-handoff-p50-us=figures.as_ref().and_then(|figures| figures.handoff_p50_us)
                        >
                            <td>{run.id}</td>
                            <td>{run.title(lang)}</td>
                            <td><code>{shown}{more.then_some("…")}</code></td>
                            <td>{verdict}</td>
                            <td>{us(figures.as_ref().and_then(|figures| figures.handoff_p50_us))}</td>
                            <td>{us(figures.as_ref().and_then(|figures| figures.handoff_p99_us))}</td>
                            <td>{figures.as_ref().map(|figures| format_ms(figures.time_ms))}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <article class="experiment" data-testid="lockstep-experiment">
            <h2>{t!(i18n, lockstep.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, lockstep.idea)}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = params.get().coordination;
                    (chosen.title(), chosen.teaches())
                }) />
                {move || {
                    (pool_threads < 3 && params.get().threads.is_none())
                        .then(|| view! { <p class="hint" data-testid="fewer-threads">{t!(i18n, lockstep.fewer_threads, pool_threads)}</p> })
                }}
            </section>
            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=VARIANT_KEY
                    label=Signal::derive(move || t_string!(i18n, lockstep.field_variant).to_string())
                    options=options_of(Coordination::title, lang)
                    value=Signal::derive(move || params.get().coordination.into())
                    form=form
                />
                <NumberField
                    key=THREADS_KEY
                    label=Signal::derive(move || t_string!(i18n, lockstep.field_threads).to_string())
                    value=Signal::derive(threads)
                    form=form
                />
                <NumberField
                    key=ROUNDS_KEY
                    label=Signal::derive(move || t_string!(i18n, lockstep.field_rounds).to_string())
                    value=Signal::derive(move || params.get().rounds)
                    form=form
                />
                <RunActions
                    control=control
                    blocked=Signal::derive(blocked_reason)
                    on_run=move || start(vec![params.get_untracked().coordination])
                    on_compare=move || start(Coordination::VARIANTS.to_vec())
                    compare_label=Signal::derive(move || t_string!(i18n, lockstep.compare_all).to_string())
                    experiment=LockstepParams::KEY
                    state=state
                    results=results_runs
                    has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty()))
                />
            </form>
            <PredictionPanel prediction=prediction />
            {move || {
                runs.with(|runs| runs.last().cloned())
                    .filter(|run| matches!(run.outcome, TurnsOutcome::InProgress))
                    .map(|run| view! { <RunProgress title=run.title(lang.get()) done=control.progress.get() total=(run.threads * run.rounds) as usize unit=ProgressUnit::Prints /> })
            }}
            <RunsPanel
                class="lockstep-results"
                runs=runs
                header=move || view! {
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, lockstep.column_run)}</th>
                    <th scope="col">{t!(i18n, lockstep.column_printed)}</th>
                    <th scope="col">{t!(i18n, lockstep.column_check)}</th>
                    <th scope="col">{t!(i18n, lockstep.column_p50)}</th>
                    <th scope="col">{t!(i18n, lockstep.column_p99)}</th>
                    <th scope="col">{t!(i18n, lockstep.column_time)}</th>
                }
                hint=move || t!(i18n, lockstep.runs_hint)
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
                            lane_names: (0..run.threads).map(|lane| lane_name(lane, lang)).collect(),
                            in_progress: matches!(run.outcome, TurnsOutcome::InProgress),
                            complete: matches!(run.outcome, TurnsOutcome::Complete { .. }),
                            work: format!("threads={} rounds={}", run.threads, run.rounds),
                        })
                        .collect()
                })
            }).into()
            hand_offs=Memo::new(move |_| runs.with(|runs| runs.iter().map(|run| run.hand_offs.clone()).collect::<Vec<_>>())).into() />
            <CodePanel
                python=Signal::derive(move || python_program(params.get().coordination, lang.get()))
                rust_hint=Signal::derive(move || t_string!(i18n, lockstep.code_hint).to_string())
                rust=Signal::stored(shown_source!(include_str!("turns.rs")).to_string())
            />
        </article>
    }
}
