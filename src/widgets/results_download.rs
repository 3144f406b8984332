//! "Download results": one JSON file with every run of the page and its
//! figures, in the shape the README documents (core writes it).

use leptos::prelude::*;
use overlap_core::records::results::{ResultsFile, results_json};

use crate::browser::download::download_text;
use crate::i18n::{t, use_i18n};

/// The button; `file` builds the file from the page's runs when pressed.
#[component]
pub fn DownloadResults(file: Callback<(), ResultsFile>, has_runs: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let file = file.run(());
        let name = format!("overlap-{}-results.json", file.experiment);
        error.set(download_text(&name, "application/json", &results_json(&file)).err());
    };
    view! {
        <button type="button" data-testid="download-results" prop:disabled=move || !has_runs.get() on:click=save>
            {t!(i18n, common.download_results)}
        </button>
        {move || error.get().map(|error| view! { <p class="field-message" role="alert">{error}</p> })}
    }
}
