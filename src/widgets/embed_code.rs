//! Embedding an experiment in another page: "Copy embed code" under every
//! experiment (the `<iframe>` of its parameters as they stand and the
//! page's language), and, inside an embed, "Open in Overlap" (the same
//! address as the whole page). Both follow the address as it changes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::address::embed::{iframe_code, open_state};
use overlap_core::address::page_state::{decode, encode};

use crate::address::page_address::{page_url, query_now};
use crate::browser::clipboard::{CopyRefused, copy_text};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;

#[derive(Clone)]
enum CopyOutcome {
    Copied,
    NoClipboard,
    /// The browser's own words, shown as code.
    Refused(String),
}

#[component]
pub fn EmbedCode() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let query = query_now();
    let page_url = page_url();
    let code = Memo::new(move |_| iframe_code(&page_url, &decode(&query.get()).state, lang.get()));
    let outcome = RwSignal::new(None::<CopyOutcome>);
    // A change of the code makes "Copied" untrue of what is shown.
    Effect::new(move |_| {
        code.track();
        outcome.set(None);
    });
    let copy = move |_| {
        let text = code.get_untracked();
        spawn_local(async move {
            let copied = copy_text(&text).await;
            outcome.set(Some(match copied {
                Ok(()) => CopyOutcome::Copied,
                Err(CopyRefused::NoClipboard) => CopyOutcome::NoClipboard,
                Err(CopyRefused::Browser(words)) => CopyOutcome::Refused(words),
            }));
        });
    };
    let outcome_text = move || match outcome.get() {
        None => String::new(),
        Some(CopyOutcome::Copied) => t_string!(i18n, common.embed.copied).to_string(),
        Some(CopyOutcome::NoClipboard) => t_string!(i18n, common.embed.no_clipboard).to_string(),
        Some(CopyOutcome::Refused(words)) => {
            let reason = format!("`{words}`");
            t_string!(i18n, common.embed.refused, reason).to_string()
        }
    };
    view! {
        <details class="panel embed-code" data-testid="embed-code">
            <summary>{t!(i18n, common.embed.heading)}</summary>
            <p>
                {t!(i18n, common.embed.explain)} " "
                <a href="embed-example.html" target="_blank" rel="noopener">{t!(i18n, common.embed.example)}</a>
            </p>
            <textarea
                readonly
                rows="4"
                data-testid="embed-code-text"
                aria-label=move || t_string!(i18n, common.embed.code_label)
                prop:value=move || code.get()
            ></textarea>
            <div class="embed-code-actions">
                <button type="button" data-testid="copy-embed-code" on:click=copy>
                    {t!(i18n, common.embed.copy)}
                </button>
                <span role="status" data-testid="embed-code-status">{outcome_text}</span>
            </div>
        </details>
    }
}

/// Inside an embed: the same experiment, parameters and language as the
/// whole page, in a new tab.
#[component]
pub fn OpenInOverlap() -> impl IntoView {
    let i18n = use_i18n();
    let query = query_now();
    let address = move || encode(&open_state(&decode(&query.get()).state));
    view! {
        <p class="open-in-overlap">
            <a href=address target="_blank" rel="noopener" data-testid="open-in-overlap">
                {t!(i18n, common.embed.open_in_overlap)}
            </a>
        </p>
    }
}
