//! The numbers of every race run, as a table; the evidence of one lost
//! update, as a sentence, a timeline of the increments around it and their
//! values; and the runs as "Download results" writes them.

use leptos::prelude::*;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::race::RaceParams;
use overlap_core::lang::Lang;
use overlap_core::records::results::{Figure, ResultsRun};
use overlap_core::records::span::{Span, SpanState};
use overlap_core::records::units::{format_count, format_ms, format_percent, format_ratio};

use crate::experiments::race::run::{RaceOutcome, RaceRecord};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::{Timeline, TimelineRun};
use crate::widgets::run_views::RunsPanel;
use overlap_core::timeline::text::thread_label;

/// A run as "Download results" writes it.
pub fn race_results_run(run: &RaceRecord, runs: &[RaceRecord], lang: Lang) -> ResultsRun {
    let mut params = Vec::new();
    RaceParams {
        variant: run.variant,
        threads: Some(run.threads),
        increments: run.increments,
        ..RaceParams::default()
    }
    .encode(&mut params);
    let mut figures = match run.figures(runs) {
        Some(figures) => figures.results(),
        None => vec![("done", Figure::from(run.done))],
    };
    if let Some(lost) = run.evidence.as_ref().and_then(|evidence| evidence.lost) {
        figures.push(("lost_update_seen", Figure::Text(lost.sentence(lang))));
    }
    ResultsRun {
        title: format!("{}. {}", run.id, run.title(lang)),
        params,
        complete: matches!(run.outcome, RaceOutcome::Complete { .. }),
        figures,
    }
}

#[component]
pub fn RaceRunsTable(runs: RwSignal<Vec<RaceRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let rows = move || {
        let lang = lang.get();
        runs.with(|all| {
            all.iter()
                .map(|run| {
                    let figures = run.figures(all);
                    let outcome = match &run.outcome {
                        RaceOutcome::InProgress => "in-progress",
                        RaceOutcome::Complete { .. } => "complete",
                        RaceOutcome::Cancelled => "cancelled",
                        RaceOutcome::Failed(_) => "failed",
                    };
                    let note = match &run.outcome {
                        RaceOutcome::InProgress => t_string!(i18n, race.result_running).to_string(),
                        RaceOutcome::Cancelled => {
                            let (done, total) = (format_count(run.done), format_count(run.total()));
                            t_string!(i18n, race.result_cancelled, done, total).to_string()
                        }
                        RaceOutcome::Failed(said) => {
                            t_string!(i18n, race.result_failed, message = said.get(lang).to_string())
                                .to_string()
                        }
                        RaceOutcome::Complete { .. } => String::new(),
                    };
                    let lost = figures.map(|figures| match (figures.lost_updates, figures.balance_error) {
                        (Some(lost), _) => {
                            let share = figures.lost_share.map(format_percent).unwrap_or_default();
                            format!("{} ({share})", format_count(lost.max(0) as usize))
                        }
                        (None, Some(error)) => t_string!(i18n, race.balance_off, error).to_string(),
                        (None, None) => String::new(),
                    });
                    view! {
                        <tr
                            data-testid="run-row"
                            data-run=run.id
                            data-variant=run.variant.text()
                            data-threads=run.threads
                            data-increments=run.increments
                            data-outcome=outcome
                            data-expected=figures.map(|figures| figures.expected)
                            data-final=figures.map(|figures| figures.final_value)
                            data-lost=figures.and_then(|figures| figures.lost_updates)
                            data-time-ms=figures.map(|figures| figures.time_ms)
                        >
                            <td>{run.id}</td>
                            <td>{run.title(lang)}</td>
                            <td>{figures.map(|figures| figures.expected.to_string())}</td>
                            <td>{figures.map(|figures| figures.final_value.to_string())}</td>
                            <td>{lost}</td>
                            <td>{figures.map(|figures| format_ms(figures.time_ms))}</td>
                            <td>{figures.map(|figures| format!("{:.1} ns", figures.ns_per_update))}</td>
                            <td>{figures.and_then(|figures| figures.cost_vs_unsafe).map(format_ratio)}</td>
                            <td>{note}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <RunsPanel
            class="race-results"
            runs=runs
            header=move || view! {
                <th scope="col">"#"</th>
                <th scope="col">{t!(i18n, race.column_run)}</th>
                <th scope="col">{t!(i18n, race.column_expected)}</th>
                <th scope="col">{t!(i18n, race.column_final)}</th>
                <th scope="col">{t!(i18n, race.column_lost)}</th>
                <th scope="col">{t!(i18n, race.column_time)}</th>
                <th scope="col">{t!(i18n, race.column_per_update)}</th>
                <th scope="col">{t!(i18n, race.column_cost)}</th>
                <th scope="col">{t!(i18n, race.column_note)}</th>
            }
            hint=move || t!(i18n, race.runs_hint)
        >
            {rows}
        </RunsPanel>
    }
}

/// The latest unprotected run's evidence.
#[component]
pub fn EvidencePanel(runs: RwSignal<Vec<RaceRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let latest = Memo::new(move |_| {
        runs.with(|runs| {
            runs.iter().rev().find_map(|run| run.evidence.clone().map(|evidence| (run.id, evidence)))
        })
    });
    let timeline = Memo::new(move |_| {
        let lang = lang.get();
        latest.get().and_then(|(id, evidence)| {
            let lost = evidence.lost?;
            let pair = [lost.first, lost.second];
            let origin_ms = pair.iter().map(|record| record.read_ms).fold(f64::INFINITY, f64::min);
            let spans = pair
                .iter()
                .map(|record| Span {
                    task: Some(record.index),
                    lane: Some(record.thread),
                    state: SpanState::Running,
                    start_ms: record.read_ms - origin_ms,
                    end_ms: record.wrote_ms - origin_ms,
                })
                .collect();
            let lanes = lost.first.thread.max(lost.second.thread) + 1;
            Some(vec![TimelineRun {
                title: t_string!(i18n, race.evidence_title, run = id).to_string(),
                spans,
                lane_names: (0..lanes).map(|lane| thread_label(lane, lang)).collect(),
                in_progress: false,
                complete: true,
                work: String::new(),
            }])
        })
    });
    move || {
        latest.get().map(|(id, evidence)| {
            let lang = lang.get();
            let window = format_count(evidence.window);
            let body = match evidence.lost {
                None => view! { <p data-testid="no-lost-update">{t!(i18n, race.evidence_none, window, run = id)}</p> }
                    .into_any(),
                Some(lost) => {
                    let rows = evidence
                        .shown
                        .iter()
                        .map(|record| {
                            let is_lost = [lost.first, lost.second].contains(record);
                            view! {
                                <tr class:lost=is_lost data-testid="evidence-row" data-lost=is_lost.to_string()>
                                    <td>{thread_label(record.thread, lang)}</td>
                                    <td>{record.index + 1}</td>
                                    <td>{record.read}</td>
                                    <td>{record.wrote}</td>
                                    <td>{format!("{:.3}", record.read_ms)}</td>
                                    <td>{format!("{:.3}", record.wrote_ms)}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <p data-testid="lost-update">{lost.sentence(lang)}</p>
                        <p class="hint">{t!(i18n, race.evidence_hint, window)}</p>
                        <div class="table-scroll">
                            <table>
                                <caption>{t!(i18n, race.evidence_caption)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, race.column_thread)}</th>
                                        <th scope="col">{t!(i18n, race.column_increment)}</th>
                                        <th scope="col">{t!(i18n, race.column_read)}</th>
                                        <th scope="col">{t!(i18n, race.column_wrote)}</th>
                                        <th scope="col">{t!(i18n, race.column_read_at)}</th>
                                        <th scope="col">{t!(i18n, race.column_wrote_at)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <div data-testid="evidence-timeline">
                            <Timeline runs=Signal::derive(move || timeline.get().unwrap_or_default()) own_runs_only=true />
                        </div>
                    }
                    .into_any()
                }
            };
            view! {
                <section class="panel evidence" data-testid="evidence" aria-labelledby="evidence-heading">
                    <h3 id="evidence-heading">{t!(i18n, race.evidence_heading)}</h3>
                    {body}
                </section>
            }
        })
    }
}
