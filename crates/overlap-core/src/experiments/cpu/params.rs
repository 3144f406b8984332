//! The CPU experiment's parameters and their codec.

use std::ops::RangeInclusive;

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{Expected, QueryProblem, Used, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::browser::pool_state::MAX_POOL_THREADS;
use crate::experiments::cpu::{CpuFault, CpuMode, Workload};
use crate::lang::{Lang, Words};
use crate::workloads::cpu::Recording;

pub const WORKLOAD_KEY: &str = "workload";
pub const MODE_KEY: &str = "mode";
pub const WORKERS_KEY: &str = "workers";
pub const SIZE_KEY: &str = "size";
pub const TASKS_KEY: &str = "tasks";
pub const RECORD_KEY: &str = "record";
pub const FAULT_KEY: &str = "fault";

pub const WORKERS_RANGE: RangeInclusive<u32> = 1..=MAX_POOL_THREADS as u32;

/// The CPU experiment's parameters. `None` means the default (for workers:
/// every thread of the pool; for size and tasks: the workload's default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuParams {
    pub workload: Workload,
    pub mode: CpuMode,
    pub workers: Option<u32>,
    pub size: Option<u32>,
    pub tasks: Option<u32>,
    pub recording: Recording,
    /// The fault asked for; `fault_used` is the one the run suffers.
    pub fault: CpuFault,
}

const EVERY_POOL_THREAD: Words = Words::new("every pool thread", "使用线程池的全部线程");

impl CpuParams {
    /// What the run records: lanes only applies where a lane's one span
    /// still tells the truth. Under the global lock lanes wait for each
    /// other, and isolated workers report every copy: they record every task.
    pub fn recording_used(&self) -> Recording {
        match self.mode {
            CpuMode::Sequential | CpuMode::Threads => self.recording,
            CpuMode::Gil | CpuMode::Workers => Recording::EveryTask,
        }
    }

    /// Why the recording asked for is not the one used, if it is not.
    pub fn recording_note(&self, lang: Lang) -> Option<String> {
        (self.recording_used() != self.recording).then(|| match lang {
            Lang::En => format!(
                "with {}, every task is recorded: lanes only is for sequential and threads runs",
                self.mode.title().get(lang).to_lowercase()
            ),
            Lang::ZhCn => format!(
                "{}模式下会记录每个任务：“仅泳道”只适用于顺序执行和多线程",
                self.mode.title().get(lang)
            ),
        })
    }

    pub fn fault_used(&self) -> CpuFault {
        self.fault.used_in(self.mode)
    }

    pub fn size_or_default(&self) -> u32 {
        self.size.unwrap_or(self.workload.bounds().default_size)
    }

    pub fn tasks_or_default(&self) -> u32 {
        self.tasks.unwrap_or(self.workload.bounds().default_tasks)
    }
}

impl ExperimentParams for CpuParams {
    const KEY: &'static str = "cpu";
    const KEYS: &'static [&'static str] =
        &[WORKLOAD_KEY, MODE_KEY, WORKERS_KEY, SIZE_KEY, TASKS_KEY, RECORD_KEY, FAULT_KEY];
    const FIRST_KEYS: &'static [&'static str] = &[WORKLOAD_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        let bounds = self.workload.bounds();
        match key {
            WORKLOAD_KEY => {
                self.workload = choice(key, value, Workload::default())?;
                // Size and tasks mean something else for another workload.
                self.size = None;
                self.tasks = None;
            }
            MODE_KEY => self.mode = choice(key, value, CpuMode::default())?,
            WORKERS_KEY => {
                self.workers = Some(number_in(key, value, WORKERS_RANGE, Used::Described(EVERY_POOL_THREAD))?)
            }
            SIZE_KEY if bounds.size_meaning.is_none() => {
                return Err(QueryProblem::BadValue {
                    key,
                    value: value.to_string(),
                    expected: Expected::LeftOut { owner: self.workload.text() },
                    used: Used::Described(Words::new("no size", "不设 `size`")),
                });
            }
            SIZE_KEY => {
                self.size = Some(number_in(key, value, bounds.size, used_number(bounds.default_size))?)
            }
            TASKS_KEY => {
                self.tasks = Some(number_in(key, value, bounds.tasks, used_number(bounds.default_tasks))?)
            }
            RECORD_KEY => self.recording = choice(key, value, Recording::default())?,
            FAULT_KEY => self.fault = choice(key, value, CpuFault::default())?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((WORKLOAD_KEY, self.workload.text().to_string()));
        pairs.push((MODE_KEY, self.mode.text().to_string()));
        let optional = [(WORKERS_KEY, self.workers), (SIZE_KEY, self.size), (TASKS_KEY, self.tasks)];
        pairs.extend(
            optional.into_iter().filter_map(|(key, value)| value.map(|value| (key, value.to_string()))),
        );
        if self.recording != Recording::default() {
            pairs.push((RECORD_KEY, self.recording.text().to_string()));
        }
        if self.fault != CpuFault::default() {
            pairs.push((FAULT_KEY, self.fault.text().to_string()));
        }
    }

    fn fields_reset_by(key: &str) -> &'static [&'static str] {
        if key == WORKLOAD_KEY { &[SIZE_KEY, TASKS_KEY] } else { &[] }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("CPU-bound work", "CPU 密集型任务"),
            summary: Words::new(
                "Sums of squares, prime checks, a blur and Mandelbrot tiles, run one after another, on threads \
                 sharing memory, on isolated workers, and under one global lock.",
                "平方和、素数判断、图像模糊和曼德博集合分块，分别顺序执行、在共享内存的线程上执行、在隔离的工作者上执行，以及在一把全局锁下执行。",
            ),
            lesson: Words::new(
                "Computing is sped up only by running in parallel on several cores; a global lock like the GIL \
                 takes that away.",
                "计算只有在多个核心上并行执行才会变快；像 GIL 这样的全局锁会让这一点化为乌有。",
            ),
            idea: Words::new(
                "CPU-bound tasks, thread pools, process pools and the GIL",
                "CPU 密集型任务、线程池、进程池与 GIL",
            ),
            step: 30,
            ready: CpuParams { workload: Workload::Primes, mode: CpuMode::Threads, ..CpuParams::default() },
        })
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use expect_test::expect;

    #[test]
    fn lanes_only_is_used_where_a_lane_span_tells_the_truth() {
        let params = |mode| CpuParams { mode, recording: Recording::LanesOnly, ..CpuParams::default() };
        let used: Vec<String> = CpuMode::VARIANTS
            .iter()
            .map(|mode| {
                let params = params(*mode);
                format!(
                    "{:?} {:?} | {:?}",
                    params.recording_used(),
                    params.recording_note(Lang::En),
                    params.recording_note(Lang::ZhCn)
                )
            })
            .collect();
        expect![[r#"
            LanesOnly None | None
            LanesOnly None | None
            EveryTask Some("with isolated workers, every task is recorded: lanes only is for sequential and threads runs") | Some("隔离工作者模式下会记录每个任务：“仅泳道”只适用于顺序执行和多线程")
            EveryTask Some("with global lock, every task is recorded: lanes only is for sequential and threads runs") | Some("全局锁模式下会记录每个任务：“仅泳道”只适用于顺序执行和多线程")"#]]
        .assert_eq(&used.join("\n"));
    }
}
