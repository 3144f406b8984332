//! The race experiment's page and runners: threads racing on one counter
//! in shared memory (`counter`), one run's record and driver (`run`), the
//! runs table and the evidence of a lost update (`results`); step mode's
//! real threads (`stepper`) and its board (`step_board`).

mod counter;
mod page;
mod results;
mod run;
mod step_board;
mod stepper;

pub use page::RacePage;
