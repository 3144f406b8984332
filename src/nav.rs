//! Links to the front page and every experiment of the registry; each is a
//! plain address the codec wrote (in the language chosen, if one was, and
//! with the pool's size if the address named it: each link loads a page,
//! which starts its own pool), so a link can be copied into a tutorial as it is.

use leptos::prelude::*;
use overlap_core::address::page_state::PageState;
use overlap_core::address::registry::Experiment;

use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;

#[component]
pub fn ExperimentNav(current: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let page_lang = use_lang();
    let lang = page_lang.now;
    let pool_threads = expect_context::<PoolContext>().size.from_address();
    let home = PageState { pool_threads, ..PageState::default() };
    let home_key = home.experiment.key();
    let cards = Experiment::cards();
    view! {
        <nav class="experiments" aria-label=move || t_string!(i18n, common.experiments)>
            <ul>
                <li>
                    <a href=move || page_lang.address_of(home.clone()) aria-current=(current == home_key).then_some("page")>
                        {t!(i18n, common.home)}
                    </a>
                </li>
                {cards
                    .into_iter()
                    .map(|card| {
                        let key = card.ready.key();
                        let state = PageState { experiment: Experiment::named(key).unwrap_or_default(), pool_threads, ..PageState::default() };
                        view! {
                            <li>
                                <a href=move || page_lang.address_of(state.clone()) aria-current=(current == key).then_some("page")>
                                    {move || card.title.get(lang.get())}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
