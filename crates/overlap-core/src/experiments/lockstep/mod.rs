//! The lock-step experiment (`?exp=lockstep`): the notes' threads printing
//! in strict turn (A B C A B C …), with no coordination, with chained
//! locks, with one condition variable, or with wait/notify on a turn word;
//! the printed sequence, each hand-off, and what taking turns costs.

mod figures;
mod params;
pub mod prediction;
mod python;

pub use figures::{
    LockstepFigures, Print, expected_sequence, hand_offs, letter, lockstep_figures, printed_sequence,
};
pub use params::{
    Coordination, DEFAULT_ROUNDS, LockstepParams, ROUNDS_KEY, ROUNDS_RANGE, THREADS_KEY, THREADS_RANGE,
    VARIANT_KEY,
};
pub use python::python_program;
