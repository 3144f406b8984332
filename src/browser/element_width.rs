//! An element's CSS width, kept in a signal by a `ResizeObserver`. Reading
//! `clientWidth` while the page changes forces a synchronous layout of the
//! whole page; during a run that cost the main thread more than drawing
//! (measured with a CPU profile: 16 ms of 150 when 60 requests started).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

type OnResize = Closure<dyn Fn(js_sys::Array)>;

/// Keeps `width_px` at `element`'s content width until the calling
/// component is cleaned up; the first value is read at once.
pub fn watch_width(element: &web_sys::Element, width_px: RwSignal<Option<f64>>) {
    width_px.set(Some(f64::from(element.client_width())));
    let on_resize: OnResize = Closure::new(move |entries: js_sys::Array| {
        let width = entries
            .get(0)
            .dyn_into::<web_sys::ResizeObserverEntry>()
            .ok()
            .map(|entry| entry.content_rect().width());
        if let Some(width) = width.filter(|width| *width > 0.0) {
            width_px.set(Some(width));
        }
    });
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        // No ResizeObserver: the width read above stays, as when the page loaded.
        return;
    };
    observer.observe(element);
    let kept = StoredValue::new_local(Some((observer, on_resize)));
    on_cleanup(move || {
        if let Some((observer, _)) = kept.try_update_value(Option::take).flatten() {
            observer.disconnect();
        }
    });
}
