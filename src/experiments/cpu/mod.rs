//! The CPU experiment's page and runners: sequential, threads and the
//! global lock on the shared-memory pool (`pool::task_lanes`), isolated workers
//! (`isolated`); one run's record and driver (`run`); the runs table
//! (`results`); the picture a run computed (`picture`).

mod isolated;
mod page;
mod picture;
mod results;
mod run;

pub use page::CpuPage;
