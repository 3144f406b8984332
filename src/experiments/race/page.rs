//! The race page: run the threads freely and count what was lost, or step
//! two of them by hand.

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::page_state::PageState;
use overlap_core::address::problem::QueryProblem;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::race::prediction::{Facts as PredictionFacts, measured, question};
use overlap_core::experiments::race::{
    INCREMENTS_KEY, RaceParams, STEP_KEY, THREADS_KEY, VARIANT_KEY, Variant, dis_listing, python_program,
};
use overlap_core::lang::Lang;
use overlap_core::prediction::Measured;
use overlap_core::records::results::ResultsRun;
use overlap_core::shown_source;
use overlap_core::timeline::text::thread_label;
use strum::VariantArray;

use crate::experiments::race::results::{EvidencePanel, RaceRunsTable, race_results_run};
use crate::experiments::race::run::{RaceOutcome, RaceRecord, run_race};
use crate::experiments::race::step_board::StepBoard;
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::chosen_idea::ChosenIdea;
use crate::widgets::code_panel::CodePanel;
use crate::widgets::form_fields::{ChoiceField, NumberField, options_of};
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::{Prediction, PredictionPanel};
use crate::widgets::results_download::DownloadResults;
use crate::widgets::run_control::RunControl;
use crate::widgets::run_views::{ProgressUnit, RunProgress};

/// The latest complete run of `variant` with these threads and increments,
/// as the prediction reads it.
fn answering_run(
    runs: &[RaceRecord],
    variant: Variant,
    threads: u32,
    increments: u32,
) -> Option<(u32, Measured)> {
    runs.iter().rev().find_map(|run| match run.outcome {
        RaceOutcome::Complete { final_value, .. }
            if run.variant == variant && run.threads == threads && run.increments == increments =>
        {
            let facts = PredictionFacts { variant, threads, increments, final_value };
            Some((run.id, measured(&facts)))
        }
        _ => None,
    })
}

#[component]
pub fn RacePage(initial: PageState, problems: Vec<QueryProblem>, default_threads: u32) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let form = ParamForm::new(initial, &problems);
    let state = form.state;
    let race = Memo::new(move |_| RaceParams::try_from(state.get().experiment).unwrap_or_default());
    let variant = Memo::new(move |_| race.get().variant);
    let step_mode = Memo::new(move |_| race.get().step);
    let runs = RwSignal::new(Vec::<RaceRecord>::new());
    let control = RunControl::new();
    let running = control.running;
    let threads = move || race.get().threads.unwrap_or(default_threads);

    // Step mode has no Run to predict before: the learner is the scheduler.
    let prediction = Prediction::new(
        state.get_untracked().predict_first,
        move || (!step_mode.get()).then(|| question(variant.get(), threads(), race.get().increments)),
        move || {
            let (variant, threads, increments) = (variant.get(), threads(), race.get().increments);
            runs.with(|runs| answering_run(runs, variant, threads, increments))
        },
        running.into(),
    );
    control.predicting(prediction);

    // Every thread waits at the start line for the others: each needs a pool
    // thread of its own.
    let blocked_reason = move || control.blocked(form, pool, threads(), i18n, lang.get());

    let start = move |variants: Vec<Variant>| {
        let Some(pool_handle) = pool.pool.get_untracked() else { return };
        if untrack(blocked_reason).is_some() {
            return;
        }
        let (thread_count, increments) = (untrack(threads), race.get_untracked().increments);
        control.start(variants, move |variant, ticket| {
            run_race(pool_handle, variant, thread_count, increments, runs, ticket)
        });
    };

    // `run=1`: start as soon as the pool is ready (step mode plays its
    // schedule by itself).
    let started_on_load = StoredValue::new(false);
    Effect::new(move |_| {
        let ready = matches!(pool.state.get(), PoolState::Ready { .. });
        let params = race.get_untracked();
        if state.get_untracked().run_on_load
            && !params.step
            && !started_on_load.get_value()
            && ready
            && prediction.ready()
        {
            started_on_load.set_value(true);
            start(vec![params.variant]);
        }
    });

    // Every run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        let all = runs.get_untracked();
        all.iter().map(|run| race_results_run(run, &all, lang)).collect::<Vec<ResultsRun>>()
    });

    let how_options = Signal::derive(move || {
        vec![
            ("0", t_string!(i18n, race.how_free).to_string()),
            ("1", t_string!(i18n, race.how_step).to_string()),
        ]
    });

    view! {
        <article class="experiment" data-testid="race-experiment">
            <h2>{t!(i18n, race.heading)}</h2>
            <section class="idea">
                <p>{t!(i18n, race.idea)}</p>
                <ChosenIdea chosen=Signal::derive(move || {
                    let chosen = variant.get();
                    (chosen.title(), chosen.teaches())
                }) />
            </section>

            <form class="panel controls" on:submit=move |event| event.prevent_default()>
                <ChoiceField
                    key=VARIANT_KEY
                    label=Signal::derive(move || t_string!(i18n, race.field_variant).to_string())
                    options=options_of(Variant::title, lang)
                    value=Signal::derive(move || variant.get().into())
                    enabled=Signal::derive(move || !running.get())
                    form=form
                />
                <ChoiceField
                    key=STEP_KEY
                    label=Signal::derive(move || t_string!(i18n, race.field_how).to_string())
                    options=how_options
                    value=Signal::derive(move || if step_mode.get() { "1" } else { "0" })
                    // A run in flight holds the pool threads step mode needs.
                    enabled=Signal::derive(move || !running.get())
                    form=form
                />
                <NumberField
                    key=THREADS_KEY
                    label=Signal::derive(move || t_string!(i18n, race.field_threads).to_string())
                    value=Signal::derive(threads)
                    enabled=Signal::derive(move || !step_mode.get())
                    form=form
                />
                <NumberField
                    key=INCREMENTS_KEY
                    label=Signal::derive(move || t_string!(i18n, race.field_increments).to_string())
                    value=Signal::derive(move || race.get().increments)
                    enabled=Signal::derive(move || !step_mode.get())
                    form=form
                />
                <Show when=move || !step_mode.get()>
                    <div class="actions">
                        <button
                            type="button"
                            data-testid="run"
                            prop:disabled=move || blocked_reason().is_some()
                            on:click=move |_| start(vec![variant.get_untracked()])
                        >
                            {t!(i18n, common.run)}
                        </button>
                        <button
                            type="button"
                            data-testid="compare"
                            prop:disabled=move || blocked_reason().is_some()
                            on:click=move |_| start(Variant::VARIANTS.to_vec())
                        >
                            {t!(i18n, race.compare_all)}
                        </button>
                        <button
                            type="button"
                            data-testid="cancel"
                            prop:disabled=move || !running.get()
                            on:click=move |_| control.cancel()
                        >
                            {t!(i18n, common.cancel)}
                        </button>
                        <DownloadResults experiment=RaceParams::KEY state=state runs=results_runs has_runs=Signal::derive(move || runs.with(|runs| !runs.is_empty())) />
                    </div>
                    <p class="field-message" role="status">
                        {move || {
                            blocked_reason()
                                .filter(|_| !running.get())
                                .map(|reason| t_string!(i18n, common.run_unavailable, reason).to_string())
                        }}
                    </p>
                </Show>
            </form>
            <PredictionPanel prediction=prediction />

            <Show
                when=move || step_mode.get()
                fallback=move || {
                    view! {
                        {move || {
                            runs.with(|runs| runs.last().cloned())
                                .filter(|run| matches!(run.outcome, RaceOutcome::InProgress))
                                .map(|run| {
                                    let unit = if run.variant.counts() { ProgressUnit::Increments } else { ProgressUnit::Rounds };
                                    view! { <RunProgress title=run.title(lang.get()) done=control.progress.get() total=run.total() unit=unit /> }
                                })
                        }}
                        <RaceRunsTable runs=runs />
                        <Timeline runs=Memo::new(move |_| {
                            let lang = lang.get();
                            runs.with(|runs| {
                                runs.iter()
                                    .map(|run| TimelineRun {
                                        title: format!("{}. {}", run.id, run.title(lang)),
                                        spans: run.spans.clone(),
                                        lane_names: (0..run.threads).map(|lane| thread_label(lane, lang)).collect(),
                                        in_progress: matches!(run.outcome, RaceOutcome::InProgress),
                                        complete: matches!(run.outcome, RaceOutcome::Complete { .. }),
                                        work: run.work(),
                                    })
                                    .collect()
                            })
                        }).into() />
                        <EvidencePanel runs=runs />
                    }
                }
            >
                {move || {
                    // A new variant is a new session: the old threads leave.
                    let variant = variant.get();
                    view! { <StepBoard variant=variant form=form /> }
                }}
            </Show>

            <CodePanel
                python=Signal::derive(move || python_program(variant.get(), lang.get()))
                rust_hint=Signal::derive(move || t_string!(i18n, race.code_hint).to_string())
                rust=Signal::derive(move || {
                    let source = if step_mode.get() {
                        shown_source!(include_str!("stepper.rs"))
                    } else {
                        shown_source!(include_str!("counter.rs"))
                    };
                    source.to_string()
                })
            >
                <p class="hint"><code>"dis.dis(add)"</code>" "{t!(i18n, race.dis_hint)}</p>
                <pre data-testid="dis">
                    <code>{move || dis_listing(lang.get())}</code>
                </pre>
            </CodePanel>
        </article>
    }
}
