//! Waiting until the browser has painted, so that start-up work (the thread
//! pool) never delays the first frame.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::browser::timer::set_timeout;

/// Resolves after the next frame has been painted: a `requestAnimationFrame`
/// callback runs before the paint, and a zero timeout queued from it runs
/// after.
pub async fn after_next_paint() {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let resolve_now = resolve.clone();
        let after_frame = Closure::once_into_js(move || {
            // Without a timer, going on at once beats waiting for ever.
            if set_timeout(&resolve, 0).is_err() {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        });
        if window.request_animation_frame(after_frame.unchecked_ref()).is_err() {
            // No frame will come to wait for: go on at once.
            let _ = resolve_now.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Calls `draw` after each painted frame until `ended` is set: a run's
/// reports are drawn at most once a frame, however fast they come.
pub async fn each_frame_until(ended: Rc<Cell<bool>>, mut draw: impl FnMut()) {
    while !ended.get() {
        after_next_paint().await;
        draw();
    }
}

/// Awaits `work`, and meanwhile, once a frame, hands `on_progress` what it
/// has counted in `done` so far (the last count too, at the end): a run's
/// progress drawn at most once a frame, whatever runs it.
pub async fn counting_each_frame<T>(
    done: &AtomicUsize,
    on_progress: impl Fn(usize),
    work: impl Future<Output = T>,
) -> T {
    let ended = Rc::new(Cell::new(false));
    let frames = each_frame_until(ended.clone(), || on_progress(done.load(Ordering::Relaxed)));
    let work = async {
        let result = work.await;
        ended.set(true);
        result
    };
    let (result, ()) = futures::join!(work, frames);
    on_progress(done.load(Ordering::Relaxed));
    result
}
