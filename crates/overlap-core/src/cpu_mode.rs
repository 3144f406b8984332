//! How a CPU experiment runs its tasks, and what each way teaches.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CpuMode {
    /// One task after another on one worker thread (never the main thread).
    #[default]
    Sequential,
    /// `k` workers over shared memory pulling from one queue.
    Threads,
    /// `k` plain Web Workers, each its own wasm instance and memory.
    Workers,
    /// Threads that must hold one global lock while they compute.
    Gil,
}

impl CpuMode {
    pub const ALL: &'static [CpuMode] =
        &[CpuMode::Sequential, CpuMode::Threads, CpuMode::Workers, CpuMode::Gil];

    pub fn query_value(self) -> &'static str {
        match self {
            CpuMode::Sequential => "sequential",
            CpuMode::Threads => "threads",
            CpuMode::Workers => "workers",
            CpuMode::Gil => "gil",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            CpuMode::Sequential => "Sequential",
            CpuMode::Threads => "Threads",
            CpuMode::Workers => "Isolated workers",
            CpuMode::Gil => "Global lock",
        }
    }

    /// Whether the mode runs on the shared-memory thread pool.
    pub fn needs_thread_pool(self) -> bool {
        !matches!(self, CpuMode::Workers)
    }

    /// Whether the worker count means anything for this mode.
    pub fn uses_workers(self) -> bool {
        !matches!(self, CpuMode::Sequential)
    }

    /// The Python idiom the mode mirrors, calling `function` on each input.
    pub fn python_idiom(self, function: &str) -> String {
        self.python_template().replace("{work}", function)
    }

    fn python_template(self) -> &'static str {
        match self {
            CpuMode::Sequential => "results = [{work}(x) for x in inputs]",
            CpuMode::Threads => {
                "with ThreadPoolExecutor(max_workers=k) as pool:\n    results = list(pool.map({work}, inputs))\n\
                 # (as if CPython had no GIL)"
            }
            CpuMode::Workers => {
                "with ProcessPoolExecutor(max_workers=k) as pool:\n    results = list(pool.map({work}, inputs))"
            }
            CpuMode::Gil => {
                "with ThreadPoolExecutor(max_workers=k) as pool:\n    results = list(pool.map({work}, inputs))\n\
                 # CPython: each thread must hold the GIL to run Python code"
            }
        }
    }

    /// What the mode shows, in two or three sentences.
    pub fn teaches(self) -> &'static str {
        match self {
            CpuMode::Sequential => {
                "One worker runs every task in turn: the makespan is the sum of the tasks. This is the baseline \
                 every other mode is compared with."
            }
            CpuMode::Threads => {
                "Workers share one memory and take tasks from one queue, so CPU work really runs in parallel: \
                 with k workers the makespan approaches the sum divided by k, limited by how unequal the tasks are."
            }
            CpuMode::Workers => {
                "Each worker is its own WebAssembly instance with its own memory, like a process. Tasks and \
                 results are copied in messages, and each worker must start first: real parallelism, paid for \
                 in start-up and copying."
            }
            CpuMode::Gil => {
                "Several threads, but a task must hold one global lock while it computes, as CPython threads hold \
                 the GIL. Only one computes at a time: no faster than sequential, and the others wait."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idioms_name_the_workload_function() {
        assert_eq!(CpuMode::Sequential.python_idiom("is_prime"), "results = [is_prime(x) for x in inputs]");
        let pool = CpuMode::Workers.python_idiom("is_prime");
        assert!(pool.starts_with("with ProcessPoolExecutor(max_workers=k) as pool:"), "{pool}");
        assert!(pool.contains("pool.map(is_prime, inputs)"), "{pool}");
    }
}
