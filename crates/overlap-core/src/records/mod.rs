//! What runs record and how they are judged: spans, run statistics,
//! percentiles, units, lanes for requests (`slots`), the trace export,
//! the results file, what a server says it spent (`server_timing`), how
//! many runs a page keeps (`kept_runs`) and runs carried whole in a link
//! or a trace (`recorded_runs`), and what a run's threads report while it
//! goes on (`run_log`).

pub mod json;
pub mod kept_runs;
pub mod percentile;
pub mod recorded_runs;
pub mod results;
pub mod run_log;
pub mod run_stats;
pub mod server_timing;
pub mod slots;
pub mod span;
pub mod trace_event;
pub mod units;
