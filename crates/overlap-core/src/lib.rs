//! Overlap's pure logic: everything the page computes that does not need a
//! browser. The app crate reads facts from the browser, hands them here as
//! plain data, and draws what comes back.

pub mod cpu_mode;
pub mod cpu_workload;
pub mod fetch_model;
pub mod isolation;
pub mod kernels;
pub mod page_state;
pub mod percentile;
pub mod pool_state;
pub mod query_text;
pub mod query_value;
pub mod run_stats;
pub mod source_excerpt;
pub mod span;
pub mod timeline;
pub mod timeline_fixtures;
pub mod timeline_focus;
pub mod timeline_layout;
pub mod timeline_text;
pub mod trace_event;
pub mod units;
pub mod url_lines;
pub mod wire;
