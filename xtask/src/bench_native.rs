//! The CPU experiments' kernels built natively (this crate links the same
//! `overlap-core`) and run on native rayon pools with the page's scheduling:
//! `k` lanes pulling tasks from one queue. The wasm figures are compared with
//! these, measured in the same command on the same machine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use overlap_core::cpu_workload::{TaskInput, Workload, run_task, task_inputs};

use crate::process::{Result, XtaskError};

/// One workload's native makespans: sequential, and on `k` threads for
/// each `k` asked, repetition by repetition.
#[derive(Debug, Default)]
pub struct NativeRuns {
    pub sequential_ms: Vec<f64>,
    /// `(k, makespan_ms)`, one per repetition and `k`.
    pub threads_ms: Vec<(u32, f64)>,
}

/// The workload at its page defaults (size and tasks), as the page runs it.
pub fn measure(workload: Workload, ks: &[u32], repetitions: usize) -> Result<NativeRuns> {
    let bounds = workload.bounds();
    let inputs = task_inputs(workload, bounds.default_size, bounds.default_tasks);
    let pools = ks
        .iter()
        .map(|k| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(*k as usize)
                .build()
                .map(|pool| (*k, pool))
                .map_err(|error| XtaskError::Setup(format!("a native pool of {k} threads: {error}")))
        })
        .collect::<Result<Vec<_>>>()?;
    // Warm up as the page does: the first calls are slower (caches, clocks).
    let _ = run_lanes(&inputs, 1);
    for (_, pool) in &pools {
        pool.install(|| run_lanes(&inputs, pool.current_num_threads()));
    }
    let mut runs = NativeRuns::default();
    for _ in 0..repetitions {
        runs.sequential_ms.push(run_lanes(&inputs, 1));
        for (k, pool) in &pools {
            runs.threads_ms.push((*k, pool.install(|| run_lanes(&inputs, *k as usize))));
        }
    }
    Ok(runs)
}

/// Runs every task on `lanes` lanes of the current pool (one lane: on this
/// thread) and returns the makespan in ms.
fn run_lanes(inputs: &[TaskInput], lanes: usize) -> f64 {
    let next_task = AtomicUsize::new(0);
    let lane = || {
        while let Some(input) = inputs.get(next_task.fetch_add(1, Ordering::Relaxed)) {
            std::hint::black_box(run_task(std::hint::black_box(input)));
        }
    };
    let start = Instant::now();
    if lanes <= 1 {
        lane();
    } else {
        rayon::scope(|scope| {
            for _ in 0..lanes {
                scope.spawn(|_| lane());
            }
        });
    }
    start.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_k_is_measured_each_repetition() {
        let runs = measure(Workload::Primes, &[1, 2], 2).expect("native pools start");
        assert_eq!(runs.sequential_ms.len(), 2);
        let ks: Vec<u32> = runs.threads_ms.iter().map(|(k, _)| *k).collect();
        assert_eq!(ks, [1, 2, 1, 2]);
        assert!(
            runs.sequential_ms.iter().chain(runs.threads_ms.iter().map(|(_, ms)| ms)).all(|ms| *ms > 0.0)
        );
    }
}
