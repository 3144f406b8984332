//! Waiting on the page's event loop: a timeout as a future, and a future
//! raced against one. Nothing here blocks a thread.

use std::future::Future;
use std::pin::pin;

use futures::future::{Either, select};
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls `callback` after `ms` milliseconds, on the page's timers or, in a
/// worker, on the worker's; the handle clears it (`clear_timeout`).
pub fn set_timeout(callback: &Function, ms: i32) -> Result<i32, JsValue> {
    match web_sys::window() {
        Some(window) => window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms),
        None => js_sys::global()
            .unchecked_into::<web_sys::WorkerGlobalScope>()
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms),
    }
}

/// Clears a timer `set_timeout` set, where it was set.
pub fn clear_timeout(handle: i32) {
    match web_sys::window() {
        Some(window) => window.clear_timeout_with_handle(handle),
        None => {
            js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().clear_timeout_with_handle(handle)
        }
    }
}

/// Resolves after `ms` milliseconds (at once where there is no timer).
pub async fn sleep_ms(ms: i32) {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        if set_timeout(&resolve, ms).is_err() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves on a later turn of the event loop, as `await asyncio.sleep(0)`
/// gives the loop a turn: a message the page posts to itself, which (unlike
/// a zero timeout, stretched to 4 ms once timeouts nest) comes at once.
pub async fn next_turn() {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let (receiver, sender) = (channel.port1(), channel.port2());
        let resolve_now = resolve.clone();
        // The handler holds the channel, so it lives until the message comes.
        let on_message = Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            drop(channel);
        });
        receiver.set_onmessage(Some(on_message.unchecked_ref()));
        if sender.post_message(&wasm_bindgen::JsValue::NULL).is_err() {
            receiver.set_onmessage(None);
            let _ = resolve_now.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// What `future` gives, or `None` if `ms` milliseconds pass first.
pub async fn within_ms<T>(ms: i32, future: impl Future<Output = T>) -> Option<T> {
    match select(pin!(future), pin!(sleep_ms(ms))).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}
