//! What runs record and how they are judged: spans, run statistics,
//! percentiles, units, lanes for requests (`slots`), the trace export and
//! the results file.

pub mod json;
pub mod percentile;
pub mod results;
pub mod run_stats;
pub mod slots;
pub mod span;
pub mod trace_event;
pub mod units;
