//! The sweep's page and runners: a timed CPU run on k pool threads
//! (`cpu_runs`), a timed run of requests k at a time (`request_runs`), the
//! sweep's record and driver (`run`), its charts drawn from core's geometry
//! (`charts`).

mod charts;
mod cpu_runs;
mod page;
mod request_runs;
mod run;

pub use page::SweepPage;
