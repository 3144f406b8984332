//! The language the page speaks: `lang=` in the address, else the browser's
//! preference (`navigator.languages`), else English. The view catalogue
//! (leptos_i18n) and core's words both follow it; `<html lang>`, the page's
//! title and description follow it too, and the switch in the header changes
//! it without a reload, keeping the page's state and runs.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use overlap_core::address::page_state::{self, PageState};
use overlap_core::lang::Lang;
use strum::VariantArray;

use leptos_i18n::context::init_i18n_subcontext;

use crate::address::page_address;
use crate::i18n::{Locale, t_string, use_i18n};

/// The language now, for core's words; and the language the address names,
/// for links that keep it.
#[derive(Clone, Copy)]
pub struct PageLang {
    pub now: Signal<Lang>,
    /// Set once the address names a language or the switch chose one: links
    /// and embeds then carry it.
    pub chosen: RwSignal<Option<Lang>>,
}

impl PageLang {
    /// A page state's address in the language chosen, if one was.
    pub fn address_of(self, state: PageState) -> String {
        page_state::encode(&PageState { lang: self.chosen.get(), ..state })
    }
}

pub fn use_lang() -> PageLang {
    expect_context::<PageLang>()
}

fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => Locale::en,
        Lang::ZhCn => Locale::zh_CN,
    }
}

fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::en => Lang::En,
        Locale::zh_CN => Lang::ZhCn,
    }
}

/// The browser's preferred languages, in order.
fn preferred_languages() -> Vec<String> {
    web_sys::window()
        .map(|window| window.navigator().languages().iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default()
}

/// Provides the catalogue's context in the language the page starts in, and
/// keeps the document's language, title and description in step.
pub fn provide(asked: Option<Lang>) -> PageLang {
    let lang =
        asked.unwrap_or_else(|| Lang::from_preferences(preferred_languages().iter().map(String::as_str)));
    // A subcontext with an initial locale: leptos_i18n's main context picks
    // its own from the browser in an effect after mount, which would undo
    // `lang=` in the address.
    provide_context(init_i18n_subcontext::<Locale>(Some(Signal::stored(locale_of(lang)))));
    let i18n = use_i18n();
    let now = Signal::derive(move || lang_of(i18n.get_locale()));
    let page_lang = PageLang { now, chosen: RwSignal::new(asked) };
    provide_context(page_lang);
    Effect::new(move |_| {
        let lang = now.get();
        let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        document.set_title(t_string!(i18n, common.page_title));
        if let Ok(Some(meta)) = document.query_selector("meta[name=description]") {
            let _ = meta.set_attribute("content", t_string!(i18n, common.page_description));
        }
    });
    page_lang
}

/// The switch in the header: each language by its own name.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let page_lang = use_lang();
    let choose = move |lang: Lang| {
        i18n.set_locale(locale_of(lang));
        page_lang.chosen.set(Some(lang));
        page_address::set_lang(lang);
    };
    view! {
        <nav class="language-switch" aria-label=move || t_string!(i18n, common.language)>
            {Lang::VARIANTS
                .iter()
                .map(|&lang| {
                    view! {
                        <button
                            type="button"
                            lang=lang.tag()
                            data-lang=lang.tag()
                            aria-pressed=move || (page_lang.now.get() == lang).to_string()
                            on:click=move |_| choose(lang)
                        >
                            {lang.own_name()}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// "Threads: " or "多线程：": a label before what it names, with the colon
/// each language writes.
pub fn label_of(i18n: I18nContext<Locale>, text: &str) -> String {
    t_string!(i18n, common.label, text = text.to_string()).to_string()
}
