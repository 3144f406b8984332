//! Writing text to the clipboard (`navigator.clipboard.writeText`).

use wasm_bindgen_futures::JsFuture;

use crate::browser::js_error::describe;

/// Copies `text`, or says why the browser refused (no secure context, no
/// permission, an embed whose host withholds `clipboard-write`).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or_else(|| "no window".to_string())?;
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false) {
        return Err("navigator.clipboard is not available here".to_string());
    }
    JsFuture::from(navigator.clipboard().write_text(text)).await.map(|_| ()).map_err(|error| describe(&error))
}
