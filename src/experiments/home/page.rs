//! The front page is the map: what concurrency and parallelism are, every
//! experiment of the registry as a card (its lesson, the notes' idea it
//! comes from, one link that opens it ready to run), in the order of the
//! suggested path, and the capability panel below.

use leptos::prelude::*;
use overlap_core::address::page_state::PageState;
use overlap_core::address::registry::Experiment;

use crate::browser::browser_facts::BrowserFacts;
use crate::i18n::{t, use_i18n};
use crate::language::use_lang;
use crate::pool::capability_panel::CapabilityPanel;
use crate::pool::pool_context::PoolContext;

#[component]
pub fn HomePage(facts: BrowserFacts) -> impl IntoView {
    let i18n = use_i18n();
    let page_lang = use_lang();
    let lang = page_lang.now;
    let cards = Experiment::cards();
    // Each card loads its page, which starts a pool of its own: `pool=` goes with it.
    let pool_threads = expect_context::<PoolContext>().size.from_address();
    view! {
        <section class="intro">
            <p>{t!(i18n, home.intro)}</p>
        </section>
        <section class="map" aria-labelledby="map-heading">
            <h2 id="map-heading">{t!(i18n, home.path_heading)}</h2>
            <p class="hint">{t!(i18n, home.path_hint)}</p>
            <ol class="cards" data-testid="experiment-cards">
                {cards
                    .into_iter()
                    .enumerate()
                    .map(|(index, card)| {
                        let key = card.ready.key();
                        let ready = PageState { experiment: card.ready.clone(), pool_threads, ..PageState::default() };
                        let href = move || page_lang.address_of(ready.clone());
                        view! {
                            <li class="card" data-testid="experiment-card" data-exp=key>
                                <h3>
                                    <span class="step">{index + 1}". "</span>
                                    {move || card.title.get(lang.get())}
                                </h3>
                                <p class="idea-from">
                                    <span class="label">{t!(i18n, home.from_the_notes)}</span>
                                    " "
                                    {move || card.idea.get(lang.get())}
                                </p>
                                <p>{move || card.summary.get(lang.get())}</p>
                                <p class="lesson">
                                    <strong>{t!(i18n, home.lesson)}</strong>
                                    " "
                                    {move || card.lesson.get(lang.get())}
                                </p>
                                <a class="open" href=href data-testid="open-experiment">
                                    {t!(i18n, home.open)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="hint">{t!(i18n, home.coming)}</p>
        </section>
        <CapabilityPanel facts=facts />
    }
}
