//! How a CPU experiment runs its tasks, and what each way teaches.

use strum::{IntoStaticStr, VariantArray};

use crate::lang::{Lang, Words};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
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
    pub fn title(self) -> Words {
        match self {
            CpuMode::Sequential => Words::new("Sequential", "顺序执行"),
            CpuMode::Threads => Words::new("Threads", "多线程"),
            CpuMode::Workers => Words::new("Isolated workers", "隔离工作者"),
            CpuMode::Gil => Words::new("Global lock", "全局锁"),
        }
    }

    /// A run's title: "Threads, 2 workers".
    pub fn run_title(self, workers: u32, lang: Lang) -> String {
        let mode = self.title().get(lang);
        match (lang, self) {
            (Lang::En, _) => format!("{mode}, {workers} {}", if workers == 1 { "worker" } else { "workers" }),
            (Lang::ZhCn, CpuMode::Workers) => format!("{mode}，{workers} 个工作者"),
            (Lang::ZhCn, _) => format!("{mode}，{workers} 个工作线程"),
        }
    }

    /// Lane `lane`'s name (from 0): a pool thread, or an isolated worker.
    pub fn lane_name(self, lane: u32, lang: Lang) -> String {
        let name = match self {
            CpuMode::Workers => Words::new("worker", "工作者"),
            CpuMode::Sequential | CpuMode::Threads | CpuMode::Gil => Words::new("thread", "线程"),
        };
        format!("{} {}", name.get(lang), lane + 1)
    }

    /// Whether the mode runs on the shared-memory thread pool.
    pub fn needs_thread_pool(self) -> bool {
        !matches!(self, CpuMode::Workers)
    }

    /// Whether the worker count means anything for this mode.
    pub fn uses_workers(self) -> bool {
        !matches!(self, CpuMode::Sequential)
    }

    /// The Python idiom the mode mirrors, calling `function` on each input;
    /// its comments in the page's language, the code itself Python.
    pub fn python_idiom(self, function: &str, lang: Lang) -> String {
        let pool = |executor: &str| {
            format!(
                "with {executor}(max_workers=k) as pool:\n    results = list(pool.map({function}, inputs))"
            )
        };
        match self {
            CpuMode::Sequential => format!("results = [{function}(x) for x in inputs]"),
            CpuMode::Threads => format!(
                "{}\n{}",
                pool("ThreadPoolExecutor"),
                Words::new("# (as if CPython had no GIL)", "# （假设 CPython 没有 GIL）").get(lang)
            ),
            CpuMode::Workers => pool("ProcessPoolExecutor"),
            CpuMode::Gil => format!(
                "{}\n{}",
                pool("ThreadPoolExecutor"),
                Words::new(
                    "# CPython: each thread must hold the GIL to run Python code",
                    "# CPython：每个线程必须持有 GIL 才能执行 Python 代码"
                )
                .get(lang)
            ),
        }
    }

    /// What the mode shows, in two or three sentences.
    pub fn teaches(self) -> Words {
        match self {
            CpuMode::Sequential => Words::new(
                "One worker runs every task in turn: the makespan is the sum of the tasks. This is the baseline \
                 every other mode is compared with.",
                "一个工作线程依次执行每个任务：总耗时就是所有任务耗时之和。其他模式都与它比较。",
            ),
            CpuMode::Threads => Words::new(
                "Workers share one memory and take tasks from one queue, so CPU work really runs in parallel: \
                 with k workers the makespan approaches the sum divided by k, limited by how unequal the tasks are.",
                "工作线程共享同一块内存，从同一个队列取任务，CPU 计算真正并行执行：k 个工作线程时，总耗时接近总和除以 k，受限于任务大小是否均匀。",
            ),
            CpuMode::Workers => Words::new(
                "Each worker is its own WebAssembly instance with its own memory, like a process. Tasks and \
                 results are copied in messages, and each worker must start first: real parallelism, paid for \
                 in start-up and copying.",
                "每个工作者都是独立的 WebAssembly 实例，有自己的内存，就像一个进程。任务和结果通过消息复制传递，每个工作者还要先启动：真正的并行，代价是启动和复制。",
            ),
            CpuMode::Gil => Words::new(
                "Several threads, but a task must hold one global lock while it computes, as CPython threads hold \
                 the GIL. Only one computes at a time: no faster than sequential, and the others wait.",
                "有多个线程，但任务计算时必须持有一把全局锁，就像 CPython 线程持有 GIL。同一时刻只有一个在计算：不比顺序执行快，其余的都在等待。",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_lanes_in_both_languages() {
        assert_eq!(CpuMode::Threads.run_title(2, Lang::En), "Threads, 2 workers");
        assert_eq!(CpuMode::Sequential.run_title(1, Lang::En), "Sequential, 1 worker");
        assert_eq!(CpuMode::Workers.run_title(2, Lang::ZhCn), "隔离工作者，2 个工作者");
        assert_eq!(CpuMode::Gil.lane_name(0, Lang::ZhCn), "线程 1");
        assert_eq!(CpuMode::Workers.lane_name(1, Lang::En), "worker 2");
    }

    #[test]
    fn idioms_name_the_workload_function() {
        assert_eq!(
            CpuMode::Sequential.python_idiom("is_prime", Lang::En),
            "results = [is_prime(x) for x in inputs]"
        );
        let pool = CpuMode::Workers.python_idiom("is_prime", Lang::ZhCn);
        assert!(pool.starts_with("with ProcessPoolExecutor(max_workers=k) as pool:"), "{pool}");
        assert!(pool.contains("pool.map(is_prime, inputs)"), "{pool}");
        assert!(
            CpuMode::Gil
                .python_idiom("f", Lang::ZhCn)
                .ends_with("# CPython：每个线程必须持有 GIL 才能执行 Python 代码")
        );
    }
}
