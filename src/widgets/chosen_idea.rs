//! The choice a page's form made, as its idea section says it: its title
//! as a label, then what it teaches (a mode, a scenario, a variant).

use leptos::prelude::*;
use overlap_core::lang::Words;

use crate::i18n::use_i18n;
use crate::language::{label_of, use_lang};

#[component]
pub fn ChosenIdea(
    /// The choice's title and what it teaches, as core says them.
    chosen: Signal<(Words, Words)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    view! {
        <p>
            <strong>{move || label_of(i18n, chosen.get().0.get(lang.get()))}</strong>
            {move || chosen.get().1.get(lang.get())}
        </p>
    }
}
