//! One isolated worker: its own WebAssembly instance and its own memory, as
//! a process has. Nothing is shared with the page: every argument and every
//! answer is copied through `postMessage`, and the worker must start
//! (instantiate the module) before its first call. Works without
//! cross-origin isolation.
//!
//! The page calls one of the module's exports named `isolated_worker_…` in
//! the worker and awaits its answer; what the arguments and answers mean is
//! the calling experiment's business.

use futures::StreamExt;
use futures::channel::mpsc;
use js_sys::{Array, Object, Reflect};
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
        let on_reply = sender.clone();
        let on_unreadable = sender.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let _ = on_reply.unbounded_send(read_reply(&event.data()));
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
        worker.post_message(&start).map_err(|error| Said::as_given(js_error::describe(&error)))?;
        Ok(IsolatedWorker {
            worker,
            replies,
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

    /// The worker's next reply; `Failed` once it has gone away.
    pub async fn reply(&mut self) -> Reply {
        self.replies
            .next()
            .await
            .unwrap_or_else(|| Reply::Failed(Said::new("the worker went away", "工作者已经不在了")))
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
