//! One clock for the page and every worker: `performance.timeOrigin +
//! performance.now()`, in milliseconds. Each worker has its own
//! `performance` with its own origin; adding the origin puts them all on
//! the same time line.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static PERFORMANCE: Option<web_sys::Performance> =
        Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .and_then(|performance| performance.dyn_into::<web_sys::Performance>().ok());
}

/// Milliseconds since the Unix epoch, with sub-millisecond resolution where
/// the page is cross-origin isolated (browsers coarsen it elsewhere).
pub fn epoch_ms() -> f64 {
    PERFORMANCE.with(|performance| {
        performance
            .as_ref()
            .map_or_else(js_sys::Date::now, |performance| performance.time_origin() + performance.now())
    })
}

/// Computes for `ms` milliseconds, reading the clock until they have
/// passed: work of a chosen length that keeps its thread busy (pool threads
/// and isolated workers only; on the page it would freeze it).
pub fn compute_for_ms(ms: u32) {
    let until_ms = epoch_ms() + f64::from(ms);
    while epoch_ms() < until_ms {
        std::hint::spin_loop();
    }
}
