//! "Download results": one JSON file with every run of the page and its
//! figures, in the shape the README documents (core writes it). Every page
//! hands over its runs; the file's address, experiment and language are the
//! same for all, and made here.

use leptos::prelude::*;
use overlap_core::address::page_state::PageState;
use overlap_core::lang::Lang;
use overlap_core::records::results::{ResultsFile, ResultsRun, results_json};

use crate::browser::download::download_text;
use crate::i18n::{t, use_i18n};
use crate::language::use_lang;

/// The button; `runs` gives the page's runs, in the page's language, when pressed.
#[component]
pub fn DownloadResults(
    /// The experiment's `exp=` key.
    experiment: &'static str,
    /// The page's state, for the file's address.
    state: RwSignal<PageState>,
    runs: Callback<Lang, Vec<ResultsRun>>,
    has_runs: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let page_lang = use_lang();
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let lang = page_lang.now.get_untracked();
        let file = ResultsFile {
            address: page_lang.address_of(state.get_untracked()),
            experiment,
            lang,
            runs: runs.run(lang),
        };
        let name = format!("overlap-{experiment}-results.json");
        error.set(download_text(&name, "application/json", &results_json(&file)).err());
    };
    view! {
        <button type="button" data-testid="download-results" prop:disabled=move || !has_runs.get() on:click=save>
            {t!(i18n, common.download_results)}
        </button>
        {move || error.get().map(|error| view! { <p class="field-message" role="alert">{error}</p> })}
    }
}
