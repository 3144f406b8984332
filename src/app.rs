//! The page: reads its state from the query string, chooses its language,
//! starts the thread pool, and shows the experiment the address asks for:
//! with the site's header, navigation and embed code, or alone and compact
//! inside another page's frame (`embed=1`), telling that page its height.

use leptos::prelude::*;
use overlap_core::address::page_state;

use crate::address::query_problems::QueryProblems;
use crate::browser::{browser_facts, color_scheme, frame_height};
use crate::experiments::page_for;
use crate::i18n::{t, use_i18n};
use crate::language::{self, LanguageSwitch};
use crate::nav::ExperimentNav;
use crate::pool::broken_notice::PoolBrokenNotice;
use crate::pool::pool_context::PoolContext;
use crate::timeline::recorded::{Recorded, TraceOpener};
use crate::widgets::embed_code::{EmbedCode, OpenInOverlap};

#[component]
pub fn App() -> impl IntoView {
    let search = web_sys::window().and_then(|window| window.location().search().ok()).unwrap_or_default();
    let decoded = page_state::decode(&search);
    language::provide(decoded.state.lang);
    let i18n = use_i18n();
    let facts = browser_facts::read();
    provide_context(PoolContext::start(&facts, decoded.state.pool_threads));
    provide_context(color_scheme::watch());
    Recorded::provide(decoded.state.trace.clone());

    let current = decoded.state.experiment.key();
    let (embedded, embeds) = (decoded.state.embedded, decoded.state.embeds());
    let page = page_for(decoded.state, decoded.problems.clone(), facts);
    if embedded {
        frame_height::report_to_host();
        return view! {
            <main class="embedded">
                <QueryProblems problems=decoded.problems />
                <PoolBrokenNotice />
                {page}
                <OpenInOverlap />
            </main>
        }
        .into_any();
    }
    view! {
        <header class="site-header">
            <h1>"Overlap"</h1>
            <p class="tagline">{t!(i18n, common.tagline)}</p>
            <LanguageSwitch />
        </header>
        <ExperimentNav current=current />
        <main>
            <QueryProblems problems=decoded.problems />
            <PoolBrokenNotice />
            {page}
            {embeds.then(|| view! { <TraceOpener /> <EmbedCode /> })}
        </main>
    }
    .into_any()
}
