//! Waiting until the browser has painted, so that start-up work (the thread
//! pool) never delays the first frame; drawing a run going on at a rate
//! that costs the work little.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::{Either, select};

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::browser::timer::{set_timeout, sleep_ms};

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

/// How long a run going on waits between draws (then a painted frame:
/// about four draws a second). Each draw re-renders the timeline and the
/// page's lists, and on this machine (two cores, no GPU) costs about 11 ms
/// of CPU across the page's main thread, the compositor, the GPU process
/// and the browser: drawn every 100 ms, a two-second CPU run's tasks took
/// 5% longer than undrawn (busy time 7,496 against 7,144 ms, A/B of one
/// build with and without live drawing), and a draw in a 120 ms run 8%;
/// drawn every 200 ms, the 120 ms runs' tasks took 2% longer (busy ratio
/// 1.02 against 1.00).
/// Drawn at every frame, a run took most of the main thread during a fetch
/// run, which delays the responses it measures, and 0.3 of a core beside
/// two workers on two cores (issue 17; README "Where the time goes"). This
/// rate still reads as live.
const LIVE_DRAW_INTERVAL_MS: i32 = 200;

/// How long a run's reports come before it is first drawn: a run that
/// ends sooner is drawn once, whole, when it ends. Half-drawn for a frame,
/// it shows nothing a learner can read, and the draw still takes the cores
/// from the work: drawn every 200 ms from the start of its warm-up, blur
/// on two threads (about 175 ms of tasks) read a busy ratio of 1.05-1.14
/// in the bench; with this wait, 1.01 against 1.02 for the same code never
/// drawing live (A/B, 3x3 compares, alternating; issue 17).
const FIRST_LIVE_DRAW_MS: i32 = 250;

/// How often a run not drawn yet is looked at for its first report.
const FIRST_REPORT_POLL_MS: i32 = 50;

/// Awaits `work`, and meanwhile, once `has_reports` has said yes and
/// `FIRST_LIVE_DRAW_MS` more have passed, calls `draw` after a painted
/// frame every `LIVE_DRAW_INTERVAL_MS`: a run's reports are drawn at that
/// rate however fast they come. Returns as soon as `work` ends, without
/// drawing: the caller draws the end.
pub async fn drawing_while<T>(
    work: impl Future<Output = T>,
    mut has_reports: impl FnMut() -> bool,
    mut draw: impl FnMut(),
) -> T {
    let drawing = async {
        while !has_reports() {
            sleep_ms(FIRST_REPORT_POLL_MS).await;
        }
        sleep_ms(FIRST_LIVE_DRAW_MS).await;
        loop {
            after_next_paint().await;
            draw();
            sleep_ms(LIVE_DRAW_INTERVAL_MS).await;
        }
    };
    match select(pin!(work), pin!(drawing)).await {
        Either::Left((result, _)) => result,
        // The drawing loop never ends; were it to, the work goes on alone.
        Either::Right(((), work)) => work.await,
    }
}

/// Awaits `work`, and meanwhile, as `drawing_while` draws, hands
/// `on_progress` what it has counted in `done` so far (the last count too,
/// at the end): a run's progress, whatever runs it.
pub async fn counting_while<T>(
    done: &AtomicUsize,
    on_progress: impl Fn(usize),
    work: impl Future<Output = T>,
) -> T {
    let counted = || done.load(Ordering::Relaxed);
    let result = drawing_while(work, || counted() > 0, || on_progress(counted())).await;
    on_progress(counted());
    result
}
