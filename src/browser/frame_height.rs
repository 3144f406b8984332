//! Telling the page around an embed how tall the embed's content is, so
//! that it can size the frame: a `ResizeObserver` on the document's root
//! posts `{type: "overlap:resize", height}` to the parent, and Embedly's
//! message as JSON text for hosts that speak that protocol. The height is
//! not a secret, so any host may read it (target origin `*`).

use overlap_core::address::embed::{RESIZE_MESSAGE_TYPE, embedly_resize_message};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::js_error::describe;

/// Posts the height now and whenever it changes, for the page's life
/// (the document's root lives as long as the page, and so does this).
pub fn report_to_host() {
    let Some(window) = web_sys::window() else { return };
    let Some(root) = window.document().and_then(|document| document.document_element()) else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if js_sys::Object::is(&parent, &window) {
        // Not in a frame: nobody to tell.
        return;
    }
    // The address the frame was loaded with, read once: Embedly's hosts
    // match `src` against the iframe's `src`, which a change of parameters
    // in the frame (written into its address) does not change.
    let src = window.location().href().unwrap_or_default();
    let measured = root.clone();
    let mut last_height_px = 0;
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        // The root's own box, not `scrollHeight`, which never falls below
        // the frame's height and so would never let a frame shrink.
        let height_px = measured.get_bounding_client_rect().height().ceil() as u32;
        if height_px == 0 || height_px == last_height_px {
            return;
        }
        last_height_px = height_px;
        let messages =
            [resize_message(height_px), JsValue::from_str(&embedly_resize_message(&src, height_px))];
        for message in messages {
            if let Err(error) = parent.post_message(&message, "*") {
                // The host keeps the frame's height; the page works on.
                web_sys::console::warn_1(
                    &format!("Overlap: the height could not be posted: {}", describe(&error)).into(),
                );
            }
        }
    });
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        // No ResizeObserver: the host keeps the height its code gave the frame.
        return;
    };
    // Observing calls back once at once, with the first height.
    observer.observe(&root);
    // The observer and its callback serve until the page goes.
    on_resize.forget();
    std::mem::forget(observer);
}

fn resize_message(height_px: u32) -> JsValue {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &RESIZE_MESSAGE_TYPE.into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height_px.into());
    message.into()
}
