//! Runs shown as they were recorded, not run again: from a link's fragment
//! (`#run=…`, written by "Copy link to these runs"), from a trace file
//! Overlap saved (opened or dropped here), or from `trace=` in the address.
//! Every timeline on the page shows them before the page's own runs.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::lang::Said;
use overlap_core::records::recorded_runs::{RecordedRun, unpack_runs};
use overlap_core::records::trace_event::runs_in_trace;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::address::page_address::forget_recorded;
use crate::browser::js_error::describe;
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;

/// The fragment that carries runs in a link.
pub const RUN_FRAGMENT: &str = "#run=";

/// Where the runs shown came from, and how that went.
#[derive(Clone, Debug, PartialEq)]
enum Opening {
    Nothing,
    Loading(String),
    Shown(String),
    Failed(String, Said),
}

#[derive(Clone, Copy)]
pub struct Recorded {
    pub runs: RwSignal<Vec<RecordedRun>>,
    loading: RwSignal<Opening>,
}

impl Recorded {
    /// The page's recorded runs: those a `#run=` link carries, else those
    /// of the trace `trace=` names.
    pub fn provide(trace_address: Option<String>) {
        let recorded = Recorded { runs: RwSignal::new(Vec::new()), loading: RwSignal::new(Opening::Nothing) };
        provide_context(recorded);
        let hash = web_sys::window().and_then(|window| window.location().hash().ok()).unwrap_or_default();
        if let Some(packed) = hash.strip_prefix(RUN_FRAGMENT) {
            recorded.show(String::new(), unpack_runs(packed).map_err(|error| error.said()));
        } else if let Some(address) = trace_address {
            recorded.loading.set(Opening::Loading(address.clone()));
            spawn_local(async move {
                let read = fetch_text(&address)
                    .await
                    .and_then(|text| runs_in_trace(&text).map_err(|error| error.said()));
                recorded.show(address, read);
            });
        }
    }

    /// `source` is a file's or an address's name; empty for the link.
    fn show(self, source: String, read: Result<Vec<RecordedRun>, Said>) {
        match read {
            Ok(runs) => {
                self.runs.set(runs);
                self.loading.set(Opening::Shown(source));
            }
            Err(reason) => self.loading.set(Opening::Failed(source, reason)),
        }
    }
}

/// The text at `address`, from the page's own origin or a server that
/// allows it (CORS).
async fn fetch_text(address: &str) -> Result<String, Said> {
    let window = web_sys::window().ok_or_else(|| Said::new("no window", "没有窗口"))?;
    let response = JsFuture::from(window.fetch_with_str(address)).await.map_err(not_read)?;
    let response: web_sys::Response = response.dyn_into().map_err(not_read)?;
    if !response.ok() {
        let status = response.status();
        return Err(Said::new(format!("the server answered {status}"), format!("服务器返回了 {status}")));
    }
    let text = JsFuture::from(response.text().map_err(not_read)?).await.map_err(not_read)?;
    text.as_string().ok_or_else(|| Said::new("it is not text", "它不是文本"))
}

async fn file_text(file: &web_sys::File) -> Result<String, Said> {
    let text = JsFuture::from(file.text()).await.map_err(not_read)?;
    text.as_string().ok_or_else(|| Said::new("it is not text", "它不是文本"))
}

/// Why a file or an answer could not be read, in the browser's words.
fn not_read(error: wasm_bindgen::JsValue) -> Said {
    let reason = describe(&error);
    Said::new(format!("it could not be read (`{reason}`)"), format!("无法读取（`{reason}`）"))
}

/// "Open a trace…" and a place to drop one; what is shown, and why not.
#[component]
pub fn TraceOpener() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let Some(recorded) = use_context::<Recorded>() else { return ().into_any() };
    let open_file = move |file: web_sys::File| {
        let name = file.name();
        recorded.loading.set(Opening::Loading(name.clone()));
        spawn_local(async move {
            let read =
                file_text(&file).await.and_then(|text| runs_in_trace(&text).map_err(|error| error.said()));
            recorded.show(name, read);
        });
    };
    let on_pick = move |event: web_sys::Event| {
        let Some(input) =
            event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            open_file(file);
        }
        // The same file picked again is a new pick.
        input.set_value("");
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = event.data_transfer().and_then(|data| data.files()).and_then(|files| files.get(0))
        {
            open_file(file);
        }
    };
    let status = move || {
        let lang = lang.get();
        let source_name = |source: &str| {
            if source.is_empty() {
                t_string!(i18n, common.recorded.from_link).to_string()
            } else {
                source.to_string()
            }
        };
        match recorded.loading.get() {
            Opening::Nothing => None,
            Opening::Loading(source) => Some((
                "loading",
                t_string!(i18n, common.recorded.loading, source = source_name(&source)).to_string(),
            )),
            Opening::Shown(source) => {
                let (count, source) = (recorded.runs.with(Vec::len), source_name(&source));
                let said = if count == 1 {
                    t_string!(i18n, common.recorded.showing_one, source).to_string()
                } else {
                    t_string!(i18n, common.recorded.showing, count, source).to_string()
                };
                Some(("shown", said))
            }
            Opening::Failed(source, reason) => Some((
                "failed",
                t_string!(
                    i18n,
                    common.recorded.problem,
                    source = source_name(&source),
                    reason = reason.get(lang).to_string()
                )
                .to_string(),
            )),
        }
    };
    let clear = move |_| {
        recorded.runs.set(Vec::new());
        recorded.loading.set(Opening::Nothing);
        forget_recorded();
    };
    view! {
        <section
            class="panel trace-opener"
            class:dragging=move || dragging.get()
            data-testid="trace-opener"
            aria-labelledby="trace-opener-heading"
            on:dragover=move |event: web_sys::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h3 id="trace-opener-heading">{t!(i18n, common.recorded.heading)}</h3>
            <p class="hint">{t!(i18n, common.recorded.explain)}</p>
            <div class="trace-opener-actions">
                <label class="file-button">
                    {t!(i18n, common.recorded.open)}
                    <input type="file" accept=".json,application/json" data-testid="open-trace" on:change=on_pick />
                </label>
                <span class="hint">{t!(i18n, common.recorded.drop)}</span>
                <Show when=move || recorded.runs.with(|runs| !runs.is_empty())>
                    <button type="button" data-testid="clear-recorded" on:click=clear>{t!(i18n, common.recorded.clear)}</button>
                </Show>
            </div>
            {move || status().map(|(state, text)| {
                let role = if state == "failed" { "alert" } else { "status" };
                view! { <p data-testid="recorded-status" data-state=state role=role>{text}</p> }
            })}
        </section>
    }
    .into_any()
}
