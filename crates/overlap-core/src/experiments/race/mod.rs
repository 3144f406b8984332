//! The race experiment (`?exp=race`): threads on the page's shared memory
//! adding to one counter, with and without a lock or an atomic, counting
//! the updates that were lost; and step mode, where the learner schedules
//! two real threads one step at a time.

mod evidence;
mod figures;
mod params;
pub mod prediction;
mod python;
mod steps;
mod variant;

pub use evidence::{EVIDENCE_WINDOW, IncrementRecord, LostUpdate, find_lost_update};
pub use figures::{RaceFacts, RaceFigures, race_figures};
pub use params::{
    DEFAULT_INCREMENTS, INCREMENTS_KEY, INCREMENTS_RANGE, RaceParams, SCHEDULE_KEY, STEP_KEY, THREADS_KEY,
    THREADS_RANGE, VARIANT_KEY,
};
pub use python::{dis_listing, python_program};
pub use steps::{Blocked, STEP_THREADS, Schedule, ScheduleProblem, StepModel, StepOp, program};
pub use variant::{Variant, bank_amount};
