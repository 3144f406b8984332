//! The timeline as data tables, one per run: what the canvas draws, for
//! screen readers and for reading exact figures. A table is built when its
//! run has ended: rebuilding a growing table every frame would cost the
//! main thread more than the run.

use leptos::prelude::*;
use overlap_core::units::format_ms;

use crate::timeline_view::TimelineRun;

/// Rows shown per run; the CSV and the trace hold every span.
const ROWS_SHOWN: usize = 2_000;

#[component]
pub fn SpanTables(runs: Signal<Vec<TimelineRun>>) -> impl IntoView {
    // Keyed by what changes a table: while one run goes on, the tables of
    // the others are not built again every frame.
    view! {
        <For
            each=move || runs.get().into_iter().enumerate()
            key=|(index, run)| (*index, run.in_progress, run.spans.len())
            children=|(index, run)| view! { <SpanTable run=run number=index + 1 /> }
        />
    }
}

#[component]
fn SpanTable(run: TimelineRun, number: usize) -> impl IntoView {
    if run.in_progress {
        return view! {
            <p class="hint" data-testid="span-table-pending">
                {format!("{}: its table shows when the run ends.", run.title)}
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
            let lane = span.lane.map_or_else(|| "queue".to_string(), |lane| run.lane_name(lane));
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
                    <td>{lane}</td>
                    <td>{span.state.name()}</td>
                    <td>{format_ms(span.start_ms)}</td>
                    <td>{format_ms(span.end_ms)}</td>
                    <td>{format_ms(span.duration_ms())}</td>
                </tr>
            }
        })
        .collect_view();
    let caption = if count > ROWS_SHOWN {
        format!("{}: the first {ROWS_SHOWN} of {count} spans (Download CSV has them all)", run.title)
    } else {
        format!("{}: {count} spans", run.title)
    };
    view! {
        <div class="table-scroll spans" data-testid="span-table" data-run=number>
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Task"</th>
                        <th scope="col">"Lane"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Start"</th>
                        <th scope="col">"End"</th>
                        <th scope="col">"Duration"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
