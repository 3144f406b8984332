//! Pieces every experiment page shows around its runs: the progress of the
//! run in flight, and the panel that holds the runs' table.

use std::hash::Hash;

use leptos::prelude::*;
use overlap_core::lang::Lang;
use overlap_core::records::kept_runs::{KEPT_RUNS, NumberedRun, oldest_kept_after_letting_go};

use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;

/// What a run's progress counts.
#[derive(Clone, Copy)]
pub enum ProgressUnit {
    Tasks,
    Requests,
    Increments,
    /// A deposit and a withdrawal each.
    Rounds,
    /// One letter each.
    Prints,
    /// Items taken off a queue and handled.
    Items,
    /// Lines a program printed.
    Lines,
}

/// `done` of `total` units (tasks, requests) of the run in flight.
///
/// Pages draw it anew at every count, so its words are text, not `t!`'s
/// closures: a closure that read the language stays among the language's
/// subscribers after its view is dropped (leptos drops a subscriber only
/// when it runs again), so every draw of a run left two behind for the
/// page's life. The page's closure that draws it reads the language (for
/// `title`), so a switch draws it anew in the new language.
#[component]
pub fn RunProgress(title: String, done: usize, total: usize, unit: ProgressUnit) -> impl IntoView {
    let i18n = use_i18n();
    let count = match unit {
        ProgressUnit::Tasks => t_string!(i18n, common.progress_tasks, done, total).to_string(),
        ProgressUnit::Requests => t_string!(i18n, common.progress_requests, done, total).to_string(),
        ProgressUnit::Increments => t_string!(i18n, common.progress_increments, done, total).to_string(),
        ProgressUnit::Rounds => t_string!(i18n, common.progress_rounds, done, total).to_string(),
        ProgressUnit::Prints => t_string!(i18n, common.progress_prints, done, total).to_string(),
        ProgressUnit::Items => t_string!(i18n, common.progress_items, done, total).to_string(),
        ProgressUnit::Lines => t_string!(i18n, common.progress_lines, done, total).to_string(),
    };
    view! {
        <div class="progress" data-testid="progress">
            <label for="run-progress">{t_string!(i18n, common.progress_running, title).to_string()}</label>
            <progress id="run-progress" max=total value=done></progress>
            <span>{count}</span>
        </div>
    }
}

/// The "Runs" panel: the table's header row and rows once there is a run,
/// a hint until then, and a note once older runs were let go.
#[component]
pub fn RunsPanel<R: NumberedRun + Send + Sync + 'static>(
    class: &'static str,
    /// The runs the rows show; the panel reads whether there are any and
    /// which was let go.
    runs: RwSignal<Vec<R>>,
    /// The `<th>` cells of the header row.
    #[prop(into)]
    header: ViewFn,
    /// What the figures mean, under the table.
    #[prop(into)]
    hint: ViewFn,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let children = StoredValue::new(children);
    let (header, hint) = (StoredValue::new(header), StoredValue::new(hint));
    let has_runs = move || runs.with(|runs| !runs.is_empty());
    let oldest_kept = move || runs.with(|runs| oldest_kept_after_letting_go(runs));
    let kept = KEPT_RUNS;
    view! {
        <section class=format!("panel results {class}") aria-labelledby=format!("{class}-heading")>
            <h3 id=format!("{class}-heading")>{t!(i18n, common.runs)}</h3>
            <Show
                when=has_runs
                fallback=move || view! { <p class="hint">{t!(i18n, common.no_run_yet)}</p> }
            >
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>{header.with_value(|header| header.run())}</tr>
                        </thead>
                        <tbody>{children.read_value()()}</tbody>
                    </table>
                </div>
                <p class="hint">{hint.with_value(|hint| hint.run())}</p>
                // Text, not `t!`'s closure: this runs again whenever the runs
                // change (each draw of a fetch run), and a closure made here
                // would stay subscribed to the language after it was dropped.
                {move || {
                    oldest_kept().map(|oldest| {
                        view! { <p class="hint" data-testid="runs-let-go">{t_string!(i18n, common.runs_let_go, kept, oldest).to_string()}</p> }
                    })
                }}
            </Show>
        </section>
    }
}

/// A printed line as a terminal shows it: when (seconds from the run's
/// start), then what.
pub fn printed_line(at_ms: f64, text: &str) -> String {
    format!("{:>8.3} s  {text}", at_ms / 1000.0)
}

/// The latest run's output, line by line as printed. Pages draw it anew at
/// every line, so its heading comes as text (see `RunProgress`).
#[component]
pub fn PrintedLines(heading: String, lines: Vec<String>) -> impl IntoView {
    view! {
        <section class="panel printed" aria-labelledby="printed-heading">
            <h3 id="printed-heading">{heading}</h3>
            <pre data-testid="printed" aria-live="polite"><code>{lines.join("\n")}</code></pre>
        </section>
    }
}

/// A runs table's rows, each built again only when its key changes: the
/// run's number, the language and `key_of` (what else the row shows: the
/// run's progress and end, the baseline it is compared with). While a run
/// goes on, its row alone is built again at each draw; every row of the
/// table was, with every attribute set again (issue 17).
pub fn keyed_rows<R, K, V>(
    runs: RwSignal<Vec<R>>,
    key_of: impl Fn(&R, &[R]) -> K + Send + Sync + 'static,
    row_of: impl Fn(&R, &[R], Lang) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    R: NumberedRun + Send + Sync + 'static,
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang().now;
    let keys = move || {
        let lang = lang.get();
        runs.with(|all| all.iter().map(|run| (run.run_id(), lang, key_of(run, all))).collect::<Vec<_>>())
    };
    let row = move |(id, lang, _): (u32, Lang, K)| {
        runs.with_untracked(|all| all.iter().find(|run| run.run_id() == id).map(|run| row_of(run, all, lang)))
    };
    view! { <For each=keys key=|key| key.clone() children=row /> }
}
