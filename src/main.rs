//! Overlap's page: a leptos single-page app. Pure logic lives in
//! `overlap-core`; this crate reads facts from the browser, runs the work and
//! draws what core computed.

mod app;
mod browser_facts;
mod capability_panel;
mod home_page;
mod js_error;
mod next_paint;
mod pool_context;
mod query_problems;
mod thread_pool;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
