//! Writing text to the clipboard (`navigator.clipboard.writeText`).

use wasm_bindgen_futures::JsFuture;

use crate::browser::js_error::describe;

/// Why the text was not copied.
pub enum CopyRefused {
    /// No `navigator.clipboard` (not a secure context, or an old browser).
    NoClipboard,
    /// The browser refused, in its own words (no permission, an embed
    /// whose host withholds `clipboard-write`).
    Browser(String),
}

pub async fn copy_text(text: &str) -> Result<(), CopyRefused> {
    let navigator = web_sys::window().ok_or(CopyRefused::NoClipboard)?.navigator();
    if !js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false) {
        return Err(CopyRefused::NoClipboard);
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(|error| CopyRefused::Browser(describe(&error)))
}
