//! Turning a thrown JavaScript value into the one line the page shows.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// "DataCloneError: ..." for an exception, the text for a thrown string, and
/// a debug rendering for anything else; never throws itself.
pub fn describe(error: &JsValue) -> String {
    if let Some(text) = error.as_string() {
        return text;
    }
    let text_property =
        |name: &str| Reflect::get(error, &JsValue::from_str(name)).ok().and_then(|value| value.as_string());
    match (text_property("name"), text_property("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (None, Some(message)) => message,
        _ => format!("{error:?}"),
    }
}
