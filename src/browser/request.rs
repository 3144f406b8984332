//! What every request the page sends shares: how it is sent (no cache, no
//! cookies, CORS), the timer that aborts it, told apart from Cancel, and
//! whether the service worker is there to answer the simulated server's,
//! and the page's origin that typed addresses are checked against.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::browser::timer::{clear_timeout, set_timeout};

/// How every request is sent: no HTTP cache (and so no cache lock that
/// would serialise identical requests), no cookies, no referrer, CORS.
pub fn request_init(signal: &web_sys::AbortSignal) -> web_sys::RequestInit {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_signal(Some(signal));
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    init
}

/// An abort controller that a timer fires, remembering whether it did (a
/// timeout), so that an abort by the timer and by Cancel can be told apart.
/// It owns its timer and the timer's callback: dropped, it clears the timer
/// and frees the callback. (A `Closure::once_into_js` callback whose timer
/// was cleared is never called and so never freed: every request leaked one,
/// seen as the module's memory growing run after run in the fetch soak.)
pub struct Deadline {
    pub controller: web_sys::AbortController,
    /// Held, not read: the timer calls it until the deadline is dropped.
    _on_timeout: Closure<dyn FnMut()>,
    timer: Option<i32>,
    timed_out: Rc<Cell<bool>>,
}

impl Deadline {
    /// A controller whose timer aborts it after `timeout_ms`, on the
    /// window's timers or, in a worker, on the worker's.
    pub fn new(timeout_ms: u32) -> Result<Self, wasm_bindgen::JsValue> {
        let controller = web_sys::AbortController::new()?;
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let callback = on_timeout.as_ref().unchecked_ref();
        let timeout_ms = i32::try_from(timeout_ms).unwrap_or(i32::MAX);
        let timer = set_timeout(callback, timeout_ms)?;
        Ok(Deadline { controller, _on_timeout: on_timeout, timer: Some(timer), timed_out })
    }

    pub fn timed_out(&self) -> bool {
        self.timed_out.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        // Cleared before its callback is freed: a timer that fired after
        // would call a dropped closure.
        if let Some(timer) = self.timer.take() {
            clear_timeout(timer);
        }
    }
}

/// Whether the service worker answers this page's requests now.
pub fn service_worker_controls_page() -> bool {
    web_sys::window()
        .map(|window| window.navigator())
        .filter(|navigator| js_sys::Reflect::has(navigator, &"serviceWorker".into()).unwrap_or(false))
        .is_some_and(|navigator| navigator.service_worker().controller().is_some())
}

/// Whether isolate.js is reloading the page (`data-reloading` on `<html>`).
fn page_is_reloading() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .is_some_and(|root| root.has_attribute("data-reloading"))
}

/// `http://127.0.0.1:8080`: typed addresses on this origin are allowed.
pub fn page_origin() -> String {
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default()
}

/// Whether the service worker controls this page, kept up to date: on a
/// first visit it takes control a moment after the page has loaded
/// (`clients.claim()`), without a reload, and the page must see that.
pub fn watch_service_worker_control() -> Signal<bool> {
    let in_control = RwSignal::new(service_worker_controls_page());
    let container = web_sys::window()
        .map(|window| window.navigator())
        .filter(|navigator| js_sys::Reflect::has(navigator, &"serviceWorker".into()).unwrap_or(false))
        .map(|navigator| navigator.service_worker());
    if let Some(container) = container {
        // isolate.js's listener, added before this one, may be reloading
        // the page for the worker: nothing should start in a page that goes.
        let on_change = Closure::<dyn FnMut()>::new(move || {
            if !page_is_reloading() {
                in_control.set(service_worker_controls_page());
            }
        });
        let listening = container
            .add_event_listener_with_callback("controllerchange", on_change.as_ref().unchecked_ref())
            .is_ok();
        if listening {
            // The listener goes with the page that asked for it.
            let kept = StoredValue::new_local((container, on_change));
            on_cleanup(move || {
                kept.with_value(|(container, on_change)| {
                    let _ = container.remove_event_listener_with_callback(
                        "controllerchange",
                        on_change.as_ref().unchecked_ref(),
                    );
                });
                kept.dispose();
            });
        }
    }
    in_control.into()
}
