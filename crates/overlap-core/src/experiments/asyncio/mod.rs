//! The event-loop experiment (`?exp=asyncio`): the notes' asyncio programs
//! on one thread of their own: `await` in turn against `create_task` and
//! `gather`, an exception and a cancellation gathered as values,
//! `wait_for`'s timeout, and a coroutine that computes without awaiting,
//! measured by how late a ticker's ticks come.

mod events;
mod params;
pub mod prediction;
mod python;
mod script;

pub use events::{
    AsyncioFigures, LoopEvent, LoopRecord, Printed, WireError, asyncio_figures, decode_events, encode_events,
};
pub use params::{AsyncioParams, DEFAULT_UNIT_MS, SCENARIO_KEY, Scenario, UNIT_KEY, UNIT_RANGE};
pub use python::python_program;
pub use script::{
    CANCEL_AT_UNITS, COMPUTE_FROM_UNITS, COMPUTE_UNITS, Ending, Line, SLICE_UNITS, TICKS, TIMEOUT_UNITS,
    coroutines, expected_lines, urls,
};
