//! Writing the page state back into the address bar, through the one codec.

use overlap_core::page_state::{PageState, encode};
use wasm_bindgen::JsValue;

/// Replaces the address's query string (no new history entry: a parameter
/// change is not a navigation).
pub fn write(state: &PageState) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let query = encode(state);
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&query));
}
