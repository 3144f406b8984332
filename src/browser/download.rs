//! Saving text the page made (a trace) as a file.

use wasm_bindgen::{JsCast, JsValue};

use crate::browser::js_error;

/// Offers `text` as a download named `file_name`.
pub fn download_text(file_name: &str, mime_type: &str, text: &str) -> Result<(), String> {
    let describe = |error: JsValue| js_error::describe(&error);
    let window = web_sys::window().ok_or("no window")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    download_url(file_name, &url)?;
    // Revoked a moment later: revoking at once can cancel the download.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)
        .map(|_| ())
        .map_err(describe)
}

/// Offers what `url` holds (a blob or data URL) as a download named `file_name`.
pub fn download_url(file_name: &str, url: &str) -> Result<(), String> {
    let describe = |error: JsValue| js_error::describe(&error);
    let document = web_sys::window().and_then(|window| window.document()).ok_or("no document")?;
    let anchor =
        document.create_element("a").map_err(describe)?.unchecked_into::<web_sys::HtmlAnchorElement>();
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}
