//! Pieces both experiment pages show around their runs: the progress of the
//! run in flight, and the panel that holds the runs' table.

use leptos::prelude::*;

/// `done` of `total` units (tasks, requests) of the run in flight.
#[component]
pub fn RunProgress(title: String, done: usize, total: usize, unit: &'static str) -> impl IntoView {
    view! {
        <div class="progress" data-testid="progress">
            <label for="run-progress">{format!("{title} running")}</label>
            <progress id="run-progress" max=total value=done></progress>
            <span>{format!("{done}/{total} {unit}")}</span>
        </div>
    }
}

/// The "Runs" panel: the table's columns and rows once there is a run,
/// a hint until then.
#[component]
pub fn RunsPanel(
    class: &'static str,
    columns: &'static [&'static str],
    has_runs: Signal<bool>,
    hint: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <section class=format!("panel results {class}") aria-label="Runs">
            <h3>"Runs"</h3>
            <Show
                when=move || has_runs.get()
                fallback=|| view! { <p class="hint">"No run yet: choose a mode and press Run."</p> }
            >
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>
                                {columns.iter().map(|column| view! { <th scope="col">{*column}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>{children.read_value()()}</tbody>
                    </table>
                </div>
                <p class="hint">{hint}</p>
            </Show>
        </section>
    }
}
