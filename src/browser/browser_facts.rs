//! Facts the browser reports about this page, read once and handed to core as
//! plain data.

use js_sys::Reflect;
use overlap_core::browser::isolation::IsolationFacts;
use wasm_bindgen::JsValue;

/// What the capability panel shows besides the pool.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BrowserFacts {
    pub isolation: IsolationFacts,
    pub shared_array_buffer_available: bool,
    /// `navigator.hardwareConcurrency`, when the browser tells it.
    pub hardware_concurrency: Option<u32>,
}

pub fn read() -> BrowserFacts {
    let Some(window) = web_sys::window() else {
        // The app only mounts in a window; a worker never gets here.
        return BrowserFacts {
            isolation: IsolationFacts::default(),
            shared_array_buffer_available: false,
            hardware_concurrency: None,
        };
    };
    let navigator = window.navigator();
    let global = js_sys::global();
    let service_worker_supported = has_property(&navigator, "serviceWorker");
    let isolation = IsolationFacts {
        cross_origin_isolated: true_property(&global, "crossOriginIsolated"),
        secure_context: window.is_secure_context(),
        embedded_in_frame: is_embedded(&window),
        service_worker_supported,
        service_worker_controlling: service_worker_supported
            && navigator.service_worker().controller().is_some(),
    };
    let hardware_concurrency = navigator.hardware_concurrency();
    BrowserFacts {
        isolation,
        shared_array_buffer_available: has_property(&global, "SharedArrayBuffer"),
        hardware_concurrency: (hardware_concurrency.is_finite() && hardware_concurrency >= 1.0)
            .then_some(hardware_concurrency as u32),
    }
}

fn has_property(target: &JsValue, name: &str) -> bool {
    Reflect::has(target, &JsValue::from_str(name)).unwrap_or(false)
}

/// A boolean property read without web-sys bindings (web-sys has none for
/// `crossOriginIsolated`); anything but `true` counts as false.
fn true_property(target: &JsValue, name: &str) -> bool {
    Reflect::get(target, &JsValue::from_str(name)).ok().and_then(|value| value.as_bool()).unwrap_or(false)
}

fn is_embedded(window: &web_sys::Window) -> bool {
    match window.top() {
        // Comparing window proxies is allowed even across origins.
        Ok(Some(top)) => !js_sys::Object::is(&top, window),
        // A detached or sandboxed frame: certainly not a top-level page.
        Ok(None) | Err(_) => true,
    }
}
