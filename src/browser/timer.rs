//! Waiting on the page's event loop: a timeout as a future, and a future
//! raced against one. Nothing here blocks a thread.

use std::future::Future;
use std::pin::pin;

use futures::future::{Either, select};
use js_sys::{Function, Promise};
use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds (at once where there is no timer).
pub async fn sleep_ms(ms: i32) {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let scheduled = web_sys::window()
            .map(|window| window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).is_ok());
        if scheduled != Some(true) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
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
