//! Overlap's page: a leptos single-page app. Pure logic lives in
//! `overlap-core`; this crate reads facts from the browser, runs the work and
//! draws what core computed.

mod app;
mod browser_facts;
mod capability_panel;
mod clock;
mod color_scheme;
mod cpu_page;
mod cpu_results;
mod cpu_run;
mod cpu_threads;
mod download;
mod element_width;
mod experiment_nav;
mod fetch_page;
mod fetch_run;
mod fetch_stats;
mod form_fields;
mod home_page;
mod isolated_fetch;
mod isolated_workers;
mod js_error;
mod next_paint;
mod page_address;
mod param_form;
mod picture_canvas;
mod pool_context;
mod query_problems;
mod run_views;
mod span_tables;
mod thread_pool;
mod timeline_demo_page;
mod timeline_paint;
mod timeline_view;
mod user_timing;

fn main() {
    // An isolated worker instantiates this module with a memory of its own,
    // which runs `main` again: there is no page to mount there.
    if web_sys::window().is_none() {
        return;
    }
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    user_timing::mark(user_timing::INTERACTIVE);
}
