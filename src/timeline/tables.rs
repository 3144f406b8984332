//! The timeline as data tables, one per run: what the canvas draws, for
//! screen readers and for reading exact figures. A table is built when its
//! run has ended: rebuilding a growing table at every draw would cost the
//! main thread more than the run.

use leptos::prelude::*;
use overlap_core::records::units::format_ms;

use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::TimelineRun;

/// Rows shown per run; the CSV and the trace hold every span.
const ROWS_SHOWN: usize = 2_000;

#[component]
pub fn SpanTables(runs: Signal<Vec<TimelineRun>>) -> impl IntoView {
    // Keyed by what changes a table: its run (the title holds its number and
    // the language) and, once it has ended, its span count. While one run
    // goes on, the tables of the others are not built again at every draw,
    // nor its own "pending" line.
    view! {
        <For
            each=move || runs.get().into_iter().enumerate()
            key=|(index, run)| {
                (*index, run.title.clone(), run.in_progress, (!run.in_progress).then_some(run.spans.len()))
            }
            children=|(index, run)| view! { <SpanTable run=run number=index + 1 /> }
        />
    }
}

#[component]
fn SpanTable(run: TimelineRun, number: usize) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let title = run.title.clone();
    if run.in_progress {
        return view! {
            <p class="hint" data-testid="span-table-pending">
                {t!(i18n, common.timeline.table_pending, title = move || title.clone())}
            </p>
        }
        .into_any();
    }
    let count = run.spans.len();
    let mut spans = run.spans.clone();
    spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms).then(a.lane.cmp(&b.lane)));
    let rows = spans
        .iter()
        .take(ROWS_SHOWN)
        .map(|span| {
            let lane = span.lane.map(|lane| run.lane_name(lane));
            let state = span.state;
            view! {
                <tr
                    data-testid="span-row"
                    data-task=span.task.map(|task| task.to_string()).unwrap_or_default()
                    data-lane=span.lane.map(|lane| lane.to_string()).unwrap_or_default()
                    data-state=span.state.name()
                    data-start=span.start_ms
                    data-end=span.end_ms
                >
                    <td>{span.task.map_or_else(|| "—".to_string(), |task| task.to_string())}</td>
                    <td>{move || lane.clone().unwrap_or_else(|| t_string!(i18n, common.timeline.queue).to_string())}</td>
                    <td>{move || state.label().get(lang.get())}</td>
                    <td>{format_ms(span.start_ms)}</td>
                    <td>{format_ms(span.end_ms)}</td>
                    <td>{format_ms(span.duration_ms())}</td>
                </tr>
            }
        })
        .collect_view();
    let title = run.title.clone();
    let caption = move || {
        let title = title.clone();
        if count > ROWS_SHOWN {
            t_string!(i18n, common.timeline.table_caption_first, title, shown = ROWS_SHOWN, count).to_string()
        } else {
            t_string!(i18n, common.timeline.table_caption, title, count).to_string()
        }
    };
    view! {
        <div class="table-scroll spans" data-testid="span-table" data-run=number>
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, common.timeline.column_task)}</th>
                        <th scope="col">{t!(i18n, common.timeline.column_lane)}</th>
                        <th scope="col">{t!(i18n, common.timeline.column_state)}</th>
                        <th scope="col">{t!(i18n, common.timeline.column_start)}</th>
                        <th scope="col">{t!(i18n, common.timeline.column_end)}</th>
                        <th scope="col">{t!(i18n, common.timeline.column_duration)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
