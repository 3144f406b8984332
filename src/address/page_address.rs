//! Writing the page state back into the address bar, through the one codec,
//! and the address as it stands, for what shows it (the embed code, "Open
//! in Overlap").

use leptos::prelude::*;
use overlap_core::address::page_state::{PageState, decode, encode};
use overlap_core::lang::Lang;
use wasm_bindgen::JsValue;

thread_local! {
    /// The query string as it stands: the page's thread alone writes it,
    /// and it lives as long as the page.
    static QUERY_NOW: RwSignal<String> = RwSignal::new(current_query().unwrap_or_default());
}

fn current_query() -> Option<String> {
    web_sys::window()?.location().search().ok()
}

fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    // The fragment stays: a `#run=` link's runs are still shown after a
    // change of parameters or language, and after a reload.
    let hash = window.location().hash().unwrap_or_default();
    // No new history entry: a parameter change is not a navigation.
    if history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{query}{hash}"))).is_ok() {
        QUERY_NOW.with(|now| now.set(query.to_string()));
    }
}

/// The address's query string, following every change the page makes.
pub fn query_now() -> Signal<String> {
    QUERY_NOW.with(|now| (*now).into())
}

/// Replaces the address's query string with `state`, keeping the language
/// the address names now (the switch may have changed it since `state` was
/// read).
pub fn write(state: &PageState) {
    let lang = current_query().and_then(|query| decode(&query).state.lang);
    replace_query(&encode(&PageState { lang, ..state.clone() }));
}

/// Takes the recorded runs out of the address (`#run=` and `trace=`), so
/// that a reload no longer shows the runs the learner removed.
pub fn forget_recorded() {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let state = decode(&current_query().unwrap_or_default()).state;
    let query = encode(&PageState { trace: None, ..state });
    if history.replace_state_with_url(&JsValue::NULL, "", Some(&query)).is_ok() {
        QUERY_NOW.with(|now| now.set(query));
    }
}

/// Names `lang` in the address, keeping everything else it says.
pub fn set_lang(lang: Lang) {
    let state = decode(&current_query().unwrap_or_default()).state;
    replace_query(&encode(&state.in_lang(lang)));
}
