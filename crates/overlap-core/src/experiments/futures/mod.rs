//! The futures lab (`?exp=futures`): an executor with Python's rules on
//! pool threads. A scenario's main-thread calls (map, as_completed,
//! cancel, result with a timeout, callbacks, exceptions, wait, shutdown)
//! print what CPython prints for the same program; the sandbox takes the
//! learner's calls and writes their Python.

mod executor;
mod figures;
mod params;
pub mod prediction;
mod program;
mod python;
mod scenario;

pub use executor::{Executor, ExecutorError, FutureId, FutureRecord, FutureState, Outcome, Start, TaskSpec};
pub use figures::FuturesFigures;
pub use params::{
    DEFAULT_UNIT_MS, DEFAULT_WORKERS, FuturesParams, SCENARIO_KEY, Scenario, UNIT_KEY, UNIT_RANGE,
    WORKERS_KEY, WORKERS_RANGE,
};
pub use program::{Actor, LogLine, Op, Program, Reads, ReturnWhen, Step, python_seconds};
pub use python::python_program;
pub use scenario::{Simulated, script, simulate};
