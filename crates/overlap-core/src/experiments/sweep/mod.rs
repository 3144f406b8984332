//! The sweep (`?exp=sweep`): the same work timed with 1, 2, 4 … workers,
//! each several times, interleaved; speedup against k with its spread, the
//! ideal and the work's ceiling, an Amdahl fit and the Karp–Flatt metric,
//! for CPU tasks on pool threads and for requests k at a time.

mod chart;
mod figures;
mod fit;
mod params;
pub mod prediction;
mod python;

pub use chart::{Chart, Ink, Line, Mark, Point, efficiency_chart, karp_flatt_chart, speedup_chart};
pub use figures::{
    KFigures, Measurement, Reading, SweepFacts, SweepFigures, measurement_text, measurements_csv,
    sweep_figures,
};
pub use fit::{amdahl_ceiling, amdahl_serial_fraction, amdahl_speedup, karp_flatt};
pub use params::{
    DEFAULT_REQUEST_KS, KS_KEY, LATENCY_KEY, LATENCY_RANGE, MAX_KS, N_KEY, N_RANGE, OF_KEY, REPEAT_KEY,
    REPEAT_RANGE, REQUEST_WORKERS_RANGE, SIZE_KEY, SweepOf, SweepParams, SweepTarget, TARGET_KEY, TASKS_KEY,
    WORKLOAD_KEY, ks_text, parse_ks, schedule,
};
pub use python::python_program;
