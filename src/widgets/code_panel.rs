//! "The Python it mirrors" beside "The Rust that runs": every experiment's
//! code, the Python in the page's language (its comments translated), the
//! Rust as included from the source that runs.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

#[component]
pub fn CodePanel(
    python: Signal<String>,
    /// What the Rust shown is and where it comes from.
    rust_hint: Signal<String>,
    rust: Signal<String>,
    #[prop(default = "rust-source")] rust_testid: &'static str,
    /// Shown between the two (the race's bytecode listing).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel code">
            <h3>{t!(i18n, common.python_it_mirrors)}</h3>
            <pre data-testid="python"><code>{python}</code></pre>
            {children.map(|children| children())}
            <h3>{t!(i18n, common.rust_that_runs)}</h3>
            <p class="hint">{rust_hint}</p>
            <pre data-testid=rust_testid><code>{rust}</code></pre>
        </section>
    }
}
