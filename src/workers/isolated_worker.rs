//! One isolated worker: its own WebAssembly instance and its own memory, as
//! a process has. Nothing is shared with the page: every argument and every
//! answer is copied through `postMessage`, and the worker must start
//! (instantiate the module) before its first call. Works without
//! cross-origin isolation.
//!
//! The page calls one of the module's exports named `isolated_worker_…` in
//! the worker and awaits its answer; what the arguments and answers mean is
//! the calling experiment's business.
//!
//! A worker that is terminated or crashes sends nothing, and no event tells
//! its page (whatwg/html#5869, "Event for worker termination"), so each
//! worker holds a Web Lock of its own for its whole life, and the page asks
//! for the same lock: the browser grants it to the page the moment the
//! worker ends, however it ends, as an operating system tells a parent its
//! child exited. Where the worker could not take its lock, its end goes
//! unseen unless the page ended it (`terminate`).

use futures::StreamExt;
use futures::channel::mpsc;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use overlap_core::lang::Said;

use crate::browser::clock::epoch_ms;
use crate::browser::js_error;

#[wasm_bindgen]
extern "C" {
    /// The URL of this module's JavaScript glue, which each worker imports.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS_URL: js_sys::JsString;
}

/// What a worker said.
pub enum Reply {
    /// The module is instantiated: the worker takes calls.
    Ready,
    /// A call's answer, as the export returned it, and when it reached the
    /// page (on the page's clock): what happens after is the page's time.
    Answer {
        value: JsValue,
        received_at_ms: f64,
    },
    Failed(Said),
}

/// A started worker and its replies; dropping it terminates the worker.
pub struct IsolatedWorker {
    worker: web_sys::Worker,
    replies: mpsc::UnboundedReceiver<Reply>,
    /// What a call posts while it runs (`post_progress`), before its answer.
    progress: mpsc::UnboundedReceiver<JsValue>,
    /// The page's own way in, for what the page did to the worker.
    said_by_page: mpsc::UnboundedSender<Reply>,
    // Kept alive as long as the worker: the browser calls them.
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
    _on_message_error: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for IsolatedWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl IsolatedWorker {
    /// Starts a worker; `reply` says `Ready` once it can take calls.
    pub fn spawn() -> Result<Self, Said> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("./isolated-worker.js", &options)
            .map_err(|error| Said::as_given(js_error::describe(&error)))?;
        let (sender, replies) = mpsc::unbounded();
        let (progress_sender, progress) = mpsc::unbounded();
        let said_by_page = sender.clone();
        let on_reply = sender.clone();
        let on_unreadable = sender.clone();
        let life_lock = life_lock_name();
        let watched_lock = life_lock.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if Reflect::get(&event.data(), &"type".into())
                    .ok()
                    .and_then(|kind| kind.as_string())
                    .as_deref()
                    == Some("progress")
                {
                    let _ = progress_sender.unbounded_send(answer_field(&event.data(), "value"));
                    return;
                }
                let reply = read_reply(&event.data());
                // Ready and locked: the worker holds its lock now, so asking
                // for it waits for its end (unlocked, it would be granted at once).
                let locked =
                    Reflect::get(&event.data(), &"locked".into()).is_ok_and(|locked| locked.is_truthy());
                if matches!(reply, Reply::Ready) && locked {
                    watch_for_end(&watched_lock, on_reply.clone());
                }
                let _ = on_reply.unbounded_send(reply);
            });
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            let said = Said::new(format!("the worker failed: {message}"), format!("工作者出错：{message}"));
            let _ = sender.unbounded_send(Reply::Failed(said));
        });
        // An answer the structured clone could not rebuild on this side.
        let on_message_error =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
                let said = Said::new("a worker's answer could not be read", "工作者的回答无法读取");
                let _ = on_unreadable.unbounded_send(Reply::Failed(said));
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let start = Object::new();
        let _ = Reflect::set(&start, &"type".into(), &"start".into());
        let _ = Reflect::set(&start, &"module".into(), &wasm_bindgen::module());
        let _ = Reflect::set(&start, &"mainJs".into(), &MAIN_JS_URL.with(Clone::clone));
        let _ = Reflect::set(&start, &"lifeLock".into(), &life_lock.into());
        worker.post_message(&start).map_err(|error| Said::as_given(js_error::describe(&error)))?;
        Ok(IsolatedWorker {
            worker,
            replies,
            progress,
            said_by_page,
            _on_message: on_message,
            _on_error: on_error,
            _on_message_error: on_message_error,
        })
    }

    /// Asks the worker to call `export` (one of this module's
    /// `isolated_worker_…` functions) with `args`, copied by the structured
    /// clone; its answer comes as `Reply::Answer`.
    pub fn call(&self, export: &str, args: &[JsValue]) -> Result<(), Said> {
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"call".into());
        let _ = Reflect::set(&message, &"export".into(), &export.into());
        let _ = Reflect::set(&message, &"args".into(), &args.iter().collect::<Array>());
        self.worker.post_message(&message).map_err(|error| Said::as_given(js_error::describe(&error)))
    }

    /// Ends the worker at once, whatever it is doing, as a process is
    /// killed: the fault `fault=terminate` injects. The page knows it did
    /// it, so it says so at once, lock or no lock.
    pub fn terminate(&self) {
        self.worker.terminate();
        let said = Said::new("the worker was terminated before answering", "工作者在回答之前被终止了");
        let _ = self.said_by_page.unbounded_send(Reply::Failed(said));
    }

    /// The worker's next reply; `Failed` once it has gone away.
    pub async fn reply(&mut self) -> Reply {
        next_reply(&mut self.replies).await
    }

    /// The next reply, and the progress the call in flight posts before
    /// it: both to await at once.
    pub fn reply_or_progress(
        &mut self,
    ) -> (impl Future<Output = Reply> + '_, &mut mpsc::UnboundedReceiver<JsValue>) {
        let IsolatedWorker { replies, progress, .. } = self;
        (next_reply(replies), progress)
    }
}

async fn next_reply(replies: &mut mpsc::UnboundedReceiver<Reply>) -> Reply {
    replies
        .next()
        .await
        .unwrap_or_else(|| Reply::Failed(Said::new("the worker went away", "工作者已经不在了")))
}

/// Inside a worker, during a call: posts `value` to the page, which reads
/// it from `reply_or_progress` before the call's answer.
pub fn post_progress(value: &JsValue) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &"progress".into());
    let _ = Reflect::set(&message, &"value".into(), value);
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Posting fails only for a value the structured clone cannot copy: a
    // number array always can.
    if let Err(error) = scope.post_message(&message) {
        web_sys::console::warn_1(&format!("progress not posted: {}", js_error::describe(&error)).into());
    }
}

/// A lock name no other worker, in this page or another tab, holds.
fn life_lock_name() -> String {
    thread_local! {
        static SPAWNED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    let count = SPAWNED.with(|spawned| {
        spawned.set(spawned.get() + 1);
        spawned.get()
    });
    format!("overlap-isolated-worker-{count}-{}", js_sys::Math::random())
}

/// Asks for the worker's lock (`navigator.locks.request`); once granted, the
/// worker has ended, and `replies` hears it. Where the browser has no Web
/// Locks, a worker's end goes unseen, as before there were locks.
fn watch_for_end(lock: &str, replies: mpsc::UnboundedSender<Reply>) {
    let locks = web_sys::window()
        .and_then(|window| Reflect::get(&window.navigator(), &"locks".into()).ok())
        .filter(|locks| locks.is_object());
    let Some(locks) = locks else { return };
    let Ok(request) =
        Reflect::get(&locks, &"request".into()).and_then(|request| request.dyn_into::<Function>())
    else {
        return;
    };
    let on_granted = Closure::once_into_js(move |_lock: JsValue| {
        let said = Said::new(
            "the worker ended before answering (it was terminated or crashed)",
            "工作者在回答之前就结束了（被终止或崩溃）",
        );
        // Gone only when the page dropped the worker itself: nothing to tell.
        let _ = replies.unbounded_send(Reply::Failed(said));
    });
    let Ok(pending) = request.call2(&locks, &lock.into(), &on_granted) else { return };
    // The request is refused where the page may not use storage: then, as
    // without Web Locks, only an end the page caused is seen.
    let on_refused = Closure::once_into_js(|error: JsValue| {
        web_sys::console::warn_1(
            &format!("a worker's end cannot be watched: {}", js_error::describe(&error)).into(),
        );
    });
    if let Ok(catch) = Reflect::get(&pending, &"catch".into()).and_then(|catch| catch.dyn_into::<Function>())
    {
        let _ = catch.call1(&pending, &on_refused);
    }
}

fn read_reply(data: &JsValue) -> Reply {
    let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    match field("type").as_string().as_deref() {
        Some("ready") => Reply::Ready,
        Some("answer") => Reply::Answer { value: field("value"), received_at_ms: epoch_ms() },
        Some("failed") => Reply::Failed(
            field("message")
                .as_string()
                .map_or_else(|| Said::new("an unknown error", "未知错误"), Said::as_given),
        ),
        _ => Reply::Failed(Said::new(
            "the worker sent a message this page does not know",
            "工作者发来了本页不认识的消息",
        )),
    }
}

/// A field of an answer object, or `undefined`.
pub fn answer_field(answer: &JsValue, name: &str) -> JsValue {
    Reflect::get(answer, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}
