//! "Copy link to these runs": the runs on the timeline, packed into the
//! address's fragment (`#run=…`), so that the link shows exactly them as
//! recorded instead of running anew; runs too big for a link say so and
//! point to the trace file instead.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::address::page_state::{PageState, decode, encode};
use overlap_core::records::recorded_runs::{LINK_LIMIT_BYTES, RecordedRun, pack_runs};

use crate::address::page_address::{page_url, query_now};
use crate::browser::clipboard::{CopyRefused, copy_text};
use crate::i18n::{t, t_string, use_i18n};
use crate::timeline::recorded::RUN_FRAGMENT;

#[derive(Clone)]
enum Shared {
    Copied,
    TooBig { kb: String },
    Refused(String),
}

/// The page's address as it stands, without `run=1` (the link shows the
/// runs it carries, it does not start one) and without `trace=`.
fn link_to(query: &str, packed: &str) -> String {
    let state = decode(query).state;
    let state = PageState { run_on_load: false, trace: None, ..state };
    format!("{}{}{RUN_FRAGMENT}{packed}", page_url(), encode(&state))
}

#[component]
pub fn CopyRunsLink(runs: Callback<(), Vec<RecordedRun>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = query_now();
    let shared = RwSignal::new(None::<Shared>);
    let copy = move |_| {
        let packed = pack_runs(&runs.run(()));
        if packed.len() > LINK_LIMIT_BYTES {
            shared.set(Some(Shared::TooBig { kb: format!("{:.1}", packed.len() as f64 / 1024.0) }));
            return;
        }
        let link = link_to(&query.get_untracked(), &packed);
        spawn_local(async move {
            let copied = copy_text(&link).await;
            shared.set(Some(match copied {
                Ok(()) => Shared::Copied,
                Err(CopyRefused::NoClipboard) => {
                    Shared::Refused(t_string!(i18n, common.embed.no_clipboard).to_string())
                }
                Err(CopyRefused::Browser(words)) => Shared::Refused(format!("`{words}`")),
            }));
        });
    };
    let said = move || match shared.get() {
        None => String::new(),
        Some(Shared::Copied) => t_string!(i18n, common.timeline.link_copied).to_string(),
        Some(Shared::TooBig { kb }) => {
            let limit_kb = LINK_LIMIT_BYTES / 1024;
            t_string!(i18n, common.timeline.link_too_big, kb, limit_kb).to_string()
        }
        Some(Shared::Refused(reason)) => t_string!(i18n, common.timeline.link_refused, reason).to_string(),
    };
    view! {
        <button type="button" data-testid="copy-runs-link" on:click=copy>{t!(i18n, common.timeline.copy_link)}</button>
        <span role="status" data-testid="copy-runs-link-status">{said}</span>
    }
}
