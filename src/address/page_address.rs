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

/// `keep_hash`: a `#run=` link's runs are still shown after a change of
/// parameters or language, and after a reload, until they are removed.
fn replace_query(query: &str, keep_hash: bool) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let hash = if keep_hash { window.location().hash().unwrap_or_default() } else { String::new() };
    // No new history entry: a parameter change is not a navigation.
    if history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{query}{hash}"))).is_ok() {
        QUERY_NOW.with(|now| now.set(query.to_string()));
    }
}

/// `https://example.org/overlap/`: the page's address without its query.
pub fn page_url() -> String {
    let Some(location) = web_sys::window().map(|window| window.location()) else { return String::new() };
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// The address's query string, following every change the page makes.
pub fn query_now() -> Signal<String> {
    QUERY_NOW.with(|now| (*now).into())
}

/// Replaces the address's query string with `state`, keeping the language
/// and the trace the address names now (the switch may have changed the
/// one, "Remove them" the other, since `state` was read).
pub fn write(state: &PageState) {
    let now = decode(&current_query().unwrap_or_default()).state;
    replace_query(&encode(&PageState { lang: now.lang, trace: now.trace, ..state.clone() }), true);
}

/// Takes the recorded runs out of the address (`#run=` and `trace=`), so
/// that a reload no longer shows the runs the learner removed.
pub fn forget_recorded() {
    let state = decode(&current_query().unwrap_or_default()).state;
    replace_query(&encode(&PageState { trace: None, ..state }), false);
}

/// Names `lang` in the address, keeping everything else it says.
pub fn set_lang(lang: Lang) {
    let state = decode(&current_query().unwrap_or_default()).state;
    replace_query(&encode(&state.in_lang(lang)), true);
}
