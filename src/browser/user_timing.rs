//! Marks on the page's performance timeline (User Timing), named
//! `overlap-…`: DevTools shows them, and `cargo xtask bench` reads them to
//! time the first load.

/// The app has mounted: its controls are drawn and answer input.
pub const INTERACTIVE: &str = "overlap-interactive";
/// The thread pool is ready to take work.
pub const POOL_READY: &str = "overlap-pool-ready";

/// Marks `name` now. A page without User Timing only loses the mark.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}
