//! What every request the page sends shares: how it is sent (no cache, no
//! cookies, CORS), the timer that aborts it, told apart from Cancel, and
//! whether the service worker is there to answer the simulated server's,
//! and the page's origin that typed addresses are checked against.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

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
pub struct Deadline {
    pub controller: web_sys::AbortController,
    /// The callback to schedule, on a window or a worker's timer.
    pub on_timeout: wasm_bindgen::JsValue,
    timed_out: Rc<Cell<bool>>,
}

impl Deadline {
    pub fn new() -> Result<Self, wasm_bindgen::JsValue> {
        let controller = web_sys::AbortController::new()?;
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Closure::once_into_js(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        Ok(Deadline { controller, on_timeout, timed_out })
    }

    pub fn timed_out(&self) -> bool {
        self.timed_out.get()
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
