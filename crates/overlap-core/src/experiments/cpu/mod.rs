//! The CPU experiment (`?exp=cpu`): CPU-bound tasks run one after another,
//! on threads sharing memory, on isolated workers, or under one global lock.

mod fault;
mod figures;
mod mode;
mod params;
pub mod prediction;
pub mod wire;

pub use crate::workloads::cpu::{
    Recording, ResultCheck, ResultSummary, TaskInput, TaskOutput, WARM_UP_MAX_MS, WARM_UP_MIN_MS, Workload,
    WorkloadBounds, check_results, run_task, task_inputs, warm_up_input, warm_up_settled,
};
pub use crate::workloads::kernels;
pub use fault::CpuFault;
pub use figures::{RunFacts, RunFigures, run_figures};
pub use mode::CpuMode;
pub use params::{
    CpuParams, FAULT_KEY, MODE_KEY, RECORD_KEY, SIZE_KEY, TASKS_KEY, WORKERS_KEY, WORKERS_RANGE, WORKLOAD_KEY,
};
