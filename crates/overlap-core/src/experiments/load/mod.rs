//! The load test (`?exp=load`): closed or open load against a server whose
//! capacity is real, recorded in constant space (HDR histograms, counts per
//! status, error and time bin) and reported as load testers report it;
//! a sweep over the load for the knee, and Compare for what the closed and
//! the open model each say of the same server.

mod chart;
mod params;
pub mod prediction;
mod python;
mod reading;
mod recorder;
mod report;
mod schedule;

pub use chart::{Bar, Chart, Series, SweepPoint, histogram_chart, sweep_chart, time_chart};
pub use params::*;
pub use python::{PYTHON_BASE, python_program};
pub use reading::{ModelRun, SweepReading, read_compare, read_sweep};
pub use recorder::{
    Answer, BIN_MS, Bin, Ending, ErrorKind, LoadRecorder, RecorderError, TRACED_REQUESTS, TracedRequest,
};
pub use report::{
    Bucket, LoadSummary, PERCENTILES, Second, first_second, histogram_buckets, histogram_csv, per_second,
    per_second_csv, results_figures, share_text, summarize,
};
pub use schedule::{OpenSchedule, RunProgress, run_progress};
