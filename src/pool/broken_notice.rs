//! What every page says once a pool thread has died: the pool is broken for
//! the rest of this page's life (rayon's global pool cannot be rebuilt), and
//! a reload starts a new one.

use leptos::prelude::*;
use overlap_core::browser::isolation::ThreadsOff;
use overlap_core::browser::pool_state::PoolState;

use crate::i18n::{t, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;

#[component]
pub fn PoolBrokenNotice() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let broken = move || match pool.state.get() {
        PoolState::Off(reason @ ThreadsOff::Broken { .. }) => Some(reason),
        _ => None,
    };
    let reload = |_| {
        if let Some(window) = web_sys::window() {
            // Nothing to say if it fails: the page stays as it is, notice and all.
            let _ = window.location().reload();
        }
    };
    move || {
        broken().map(|reason| {
            view! {
                <section class="panel notice broken-pool" role="alert" data-testid="pool-broken">
                    <h2>{t!(i18n, common.pool_broken_heading)}</h2>
                    <p>{move || reason.message(lang.get())}</p>
                    <button type="button" data-testid="reload" on:click=reload>
                        {t!(i18n, common.reload)}
                    </button>
                </section>
            }
        })
    }
}
