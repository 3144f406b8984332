//! Overlap's page: a leptos single-page app. Pure logic lives in
//! `overlap-core`; this crate reads facts from the browser, runs the work and
//! draws what core computed, in the language the page speaks.
//!
//! Shared rooms, each with one job (`address`, `browser`, `pool`, `workers`,
//! `timeline`, `widgets`, `language`), and one folder per experiment under
//! `experiments/`, which never imports another experiment.

// `memory.atomic.wait32` and `notify` for the lock-step experiment's turn
// word (rust-lang/rust#77839); the toolchain is a pinned nightly already.
#![cfg_attr(target_arch = "wasm32", feature(stdarch_wasm_atomic_wait))]

mod address;
mod app;
mod browser;
mod experiments;
mod language;
mod nav;
mod pool;
mod timeline;
mod widgets;
mod workers;

// The view catalogue (`locales/<lang>/<namespace>.json`), checked at build
// time by leptos_i18n's code generation in build.rs: a key missing from
// either language does not build.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

fn main() {
    // An isolated worker instantiates this module with a memory of its own,
    // which runs `main` again: there is no page to mount there.
    if web_sys::window().is_none() {
        return;
    }
    // One hook for every thread (pool threads share this memory, and so
    // this hook): a pool thread's panic is noted before it dies, so that
    // the page can say the pool is broken rather than wait for it.
    std::panic::set_hook(Box::new(|info| {
        pool::thread_pool::note_panic(info);
        console_error_panic_hook::hook(info);
    }));
    leptos::mount::mount_to_body(app::App);
    browser::user_timing::mark(browser::user_timing::INTERACTIVE);
}
