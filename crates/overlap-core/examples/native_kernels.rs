//! The CPU experiments' kernels run natively, for `cargo xtask bench`: the
//! same task lists and the page's scheduling (`k` lanes pulling tasks from
//! one queue) on native rayon pools. Built with `--release`, as the page's
//! wasm is, so the two compare.
//!
//! `native_kernels <workload> <k,k,...> <repetitions>` prints one line of
//! JSON: `{"sequential_ms":[...],"threads_ms":[[k,ms],...],
//! "sequential_busy_ms":[...],"threads_busy_ms":[[k,ms],...]}`, busy being
//! every task's running time summed, as the page's `busyMs`.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use overlap_core::address::query_value::QueryValue;
use overlap_core::experiments::cpu::{TaskInput, Workload, run_task, task_inputs};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match measure(&args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("native_kernels: {message}\nusage: native_kernels <workload> <k,k,...> <repetitions>");
            ExitCode::FAILURE
        }
    }
}

fn measure(args: &[String]) -> Result<String, String> {
    let [workload, ks, repetitions] = args else { return Err("three arguments expected".into()) };
    let workload = Workload::from_text(workload)
        .ok_or_else(|| format!("workload must be one of {}", Workload::texts().join(", ")))?;
    let ks: Vec<usize> = ks
        .split(',')
        .map(|k| k.parse().ok().filter(|k| *k > 0).ok_or_else(|| format!("`{k}` is not a thread count")))
        .collect::<Result<_, _>>()?;
    let repetitions: usize = repetitions.parse().map_err(|_| format!("`{repetitions}` is not a count"))?;
    let bounds = workload.bounds();
    let inputs = task_inputs(workload, bounds.default_size, bounds.default_tasks);
    let pools = ks
        .iter()
        .map(|k| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(*k)
                .build()
                .map(|pool| (*k, pool))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Warm up as the page does: the first calls are slower (caches, clocks).
    let _ = run_lanes(&inputs, 1);
    for (k, pool) in &pools {
        pool.install(|| run_lanes(&inputs, *k));
    }
    let (mut sequential_ms, mut sequential_busy_ms) = (Vec::new(), Vec::new());
    let (mut threads_ms, mut threads_busy_ms) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        let timed = run_lanes(&inputs, 1);
        sequential_ms.push(format!("{:.3}", timed.makespan_ms));
        sequential_busy_ms.push(format!("{:.3}", timed.busy_ms));
        for (k, pool) in &pools {
            let timed = pool.install(|| run_lanes(&inputs, *k));
            threads_ms.push(format!("[{k},{:.3}]", timed.makespan_ms));
            threads_busy_ms.push(format!("[{k},{:.3}]", timed.busy_ms));
        }
    }
    Ok(format!(
        r#"{{"sequential_ms":[{}],"threads_ms":[{}],"sequential_busy_ms":[{}],"threads_busy_ms":[{}]}}"#,
        sequential_ms.join(","),
        threads_ms.join(","),
        sequential_busy_ms.join(","),
        threads_busy_ms.join(",")
    ))
}

/// A run's makespan and its tasks' running times summed.
struct Timed {
    makespan_ms: f64,
    busy_ms: f64,
}

/// Runs every task on `lanes` lanes of the current pool (one lane: on this
/// thread), timing each task as the page's lanes do.
fn run_lanes(inputs: &[TaskInput], lanes: usize) -> Timed {
    let next_task = AtomicUsize::new(0);
    let busy_ns = AtomicU64::new(0);
    let lane = || {
        while let Some(input) = inputs.get(next_task.fetch_add(1, Ordering::Relaxed)) {
            let task_start = Instant::now();
            std::hint::black_box(run_task(std::hint::black_box(input)));
            busy_ns.fetch_add(task_start.elapsed().as_nanos() as u64, Ordering::Relaxed);
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
    let makespan_ms = start.elapsed().as_secs_f64() * 1000.0;
    Timed { makespan_ms, busy_ms: busy_ns.into_inner() as f64 / 1e6 }
}
