//! The faults a CPU run can be asked to suffer (`fault=`), to show what the
//! page does when a worker dies mid-run, as Python's `ProcessPoolExecutor`
//! raises `BrokenProcessPool` when one of its processes is killed.

use strum::{IntoStaticStr, VariantArray};

use crate::experiments::cpu::CpuMode;
use crate::lang::{Lang, Words};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum CpuFault {
    #[default]
    #[strum(serialize = "none")]
    None,
    /// The middle task panics on its pool thread. A wasm build aborts on
    /// panic (std is built with `panic_abort`), so the thread dies with it: the pool, which cannot be
    /// rebuilt, is broken until the page reloads.
    #[strum(serialize = "panic")]
    Panic,
    /// The isolated worker that takes the second task is terminated with
    /// it in flight, as a process killed from outside.
    #[strum(serialize = "terminate")]
    Terminate,
}

impl CpuFault {
    pub fn title(self) -> Words {
        match self {
            CpuFault::None => Words::new("None", "无"),
            CpuFault::Panic => Words::new("A task panics on its thread", "一个任务在其线程上崩溃"),
            CpuFault::Terminate => Words::new("A worker is terminated mid-run", "运行中途终止一个工作者"),
        }
    }

    /// The fault a run in `mode` suffers: a panic needs a pool thread
    /// (every mode but isolated workers runs there), termination an
    /// isolated worker.
    pub fn used_in(self, mode: CpuMode) -> CpuFault {
        match (self, mode == CpuMode::Workers) {
            (CpuFault::Panic, true) | (CpuFault::Terminate, false) => CpuFault::None,
            (fault, _) => fault,
        }
    }

    /// Why the fault asked for is not the one a run in `mode` suffers.
    pub fn note(self, mode: CpuMode, lang: Lang) -> Option<String> {
        (self.used_in(mode) != self).then(|| {
            let (needs_en, needs_zh) = match self {
                CpuFault::Terminate => ("isolated workers", "隔离工作者"),
                CpuFault::Panic | CpuFault::None => {
                    ("a mode that runs on the thread pool", "在线程池上运行的模式")
                }
            };
            match lang {
                Lang::En => format!("{} needs {needs_en}: this run suffers no fault", self.title().en),
                Lang::ZhCn => format!("“{}”需要{needs_zh}：这次运行不注入故障", self.title().zh),
            }
        })
    }

    /// The task that panics, of `tasks`: the middle one, so that some tasks
    /// have finished and some have not yet started.
    pub fn panicking_task(tasks: usize) -> usize {
        tasks / 2
    }

    /// The task whose worker is terminated, of `tasks`: the second, so that
    /// one task has been taken before it, whichever worker started first.
    pub fn terminated_task(tasks: usize) -> usize {
        tasks.saturating_sub(1).min(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::query_value::QueryValue;
    use expect_test::expect;

    #[test]
    fn each_fault_needs_its_kind_of_worker() {
        let rendered: Vec<String> = CpuFault::VARIANTS
            .iter()
            .flat_map(|fault| {
                CpuMode::VARIANTS.iter().map(move |mode| {
                    let note =
                        fault.note(*mode, Lang::En).map(|note| format!(" ({note})")).unwrap_or_default();
                    format!("{} in {}: {}{note}", fault.text(), mode.text(), fault.used_in(*mode).text())
                })
            })
            .collect();
        expect![[r#"
            none in sequential: none
            none in threads: none
            none in workers: none
            none in gil: none
            panic in sequential: panic
            panic in threads: panic
            panic in workers: none (A task panics on its thread needs a mode that runs on the thread pool: this run suffers no fault)
            panic in gil: panic
            terminate in sequential: none (A worker is terminated mid-run needs isolated workers: this run suffers no fault)
            terminate in threads: none (A worker is terminated mid-run needs isolated workers: this run suffers no fault)
            terminate in workers: terminate
            terminate in gil: none (A worker is terminated mid-run needs isolated workers: this run suffers no fault)"#]]
        .assert_eq(&rendered.join("\n"));
        assert_eq!(CpuFault::panicking_task(8), 4);
        assert_eq!(CpuFault::panicking_task(1), 0);
        assert_eq!(CpuFault::terminated_task(8), 1);
        assert_eq!(CpuFault::terminated_task(1), 0);
    }
}
