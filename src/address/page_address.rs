//! Writing the page state back into the address bar, through the one codec.

use overlap_core::address::page_state::{PageState, decode, encode};
use overlap_core::lang::Lang;
use wasm_bindgen::JsValue;

fn current_query() -> Option<String> {
    web_sys::window()?.location().search().ok()
}

fn replace_query(query: &str) {
    let Some(history) = web_sys::window().and_then(|window| window.history().ok()) else { return };
    // No new history entry: a parameter change is not a navigation.
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(query));
}

/// Replaces the address's query string with `state`, keeping the language
/// the address names now (the switch may have changed it since `state` was
/// read).
pub fn write(state: &PageState) {
    let lang = current_query().and_then(|query| decode(&query).state.lang);
    replace_query(&encode(&PageState { lang, ..state.clone() }));
}

/// Names `lang` in the address, keeping everything else it says.
pub fn set_lang(lang: Lang) {
    let state = decode(&current_query().unwrap_or_default()).state;
    replace_query(&encode(&state.in_lang(lang)));
}
