//! The thread pool's life as the page shows it: how many threads it gets,
//! and whether it is starting, ready or off (and why).

use std::ops::RangeInclusive;

use crate::browser::isolation::ThreadsOff;
use crate::lang::Lang;

/// The most threads the page ever starts. The global rayon pool cannot be
/// resized once built, so it is built once at this size or the machine's,
/// whichever is smaller, unless the address asks for another size up to
/// this; more threads than this only add start-up time and memory on the
/// machines learners use.
pub const MAX_POOL_THREADS: usize = 16;

/// How many threads to start, from `navigator.hardwareConcurrency` (which
/// browsers may leave out or round).
pub fn pool_threads(hardware_concurrency: Option<u32>) -> usize {
    match hardware_concurrency {
        Some(count) if count > 0 => (count as usize).min(MAX_POOL_THREADS),
        // Unknown: two threads still show parallelism on any multi-core machine.
        _ => 2,
    }
}

/// The values `pool=` may take: the pool's size when the page loads.
pub const POOL_THREADS_RANGE: RangeInclusive<u32> = 1..=MAX_POOL_THREADS as u32;

/// Why the pool has the size it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolSizeReason {
    /// `pool=<n>` in the address; the machine's count is kept to say beside it,
    /// since a sweep past it is the point of asking.
    Address { logical_processors: Option<u32> },
    /// One thread per logical processor, at most `MAX_POOL_THREADS`.
    LogicalProcessors(u32),
    /// The browser does not report `navigator.hardwareConcurrency`.
    Unknown,
}

/// The pool's size and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSize {
    pub threads: usize,
    pub reason: PoolSizeReason,
}

/// The pool's size from `pool=` in the address (`asked`, if any) and
/// `navigator.hardwareConcurrency`. A value outside `POOL_THREADS_RANGE`
/// (which the address's decoder already refuses) counts as not asked.
pub fn pool_size(asked: Option<u32>, hardware_concurrency: Option<u32>) -> PoolSize {
    let logical_processors = hardware_concurrency.filter(|count| *count > 0);
    let threads = pool_threads(logical_processors);
    match (asked.filter(|asked| POOL_THREADS_RANGE.contains(asked)), logical_processors) {
        (Some(asked), _) => {
            PoolSize { threads: asked as usize, reason: PoolSizeReason::Address { logical_processors } }
        }
        (None, Some(count)) => PoolSize { threads, reason: PoolSizeReason::LogicalProcessors(count) },
        (None, None) => PoolSize { threads, reason: PoolSizeReason::Unknown },
    }
}

impl PoolSize {
    /// `pool=<n>` as the address wrote it, when that is where the size came
    /// from: what links to other pages carry so the size survives them.
    pub fn from_address(&self) -> Option<u32> {
        matches!(self.reason, PoolSizeReason::Address { .. }).then_some(self.threads as u32)
    }

    /// "4 threads: `pool=4` in the address (this machine has 2 logical
    /// processors)", as the capability panel says it (code in backticks, as
    /// the address's problems write it).
    pub fn describe(&self, lang: Lang) -> String {
        let threads = self.threads;
        let thread_unit = if threads == 1 { "thread" } else { "threads" };
        let processors_en = |count: u32| {
            let unit = if count == 1 { "logical processor" } else { "logical processors" };
            format!("this machine has {count} {unit}")
        };
        let not_said_en = "the browser does not say how many logical processors it has";
        let not_said_zh = "浏览器没有说明有多少个逻辑处理器";
        match (self.reason, lang) {
            (PoolSizeReason::Address { logical_processors }, Lang::En) => {
                let machine = logical_processors.map_or(not_said_en.to_string(), processors_en);
                format!("{threads} {thread_unit}: `pool={threads}` in the address ({machine})")
            }
            (PoolSizeReason::Address { logical_processors }, Lang::ZhCn) => {
                let machine = logical_processors
                    .map_or(not_said_zh.to_string(), |count| format!("这台机器有 {count} 个逻辑处理器"));
                format!("{threads} 个线程：地址中的 `pool={threads}`（{machine}）")
            }
            (PoolSizeReason::LogicalProcessors(count), Lang::En) if count as usize > threads => format!(
                "{threads} {thread_unit}: one per logical processor, at most {MAX_POOL_THREADS} ({})",
                processors_en(count)
            ),
            (PoolSizeReason::LogicalProcessors(count), Lang::ZhCn) if count as usize > threads => format!(
                "{threads} 个线程：每个逻辑处理器一个，最多 {MAX_POOL_THREADS} 个（这台机器有 {count} 个逻辑处理器）"
            ),
            (PoolSizeReason::LogicalProcessors(_), Lang::En) => {
                format!("{threads} {thread_unit}: one per logical processor")
            }
            (PoolSizeReason::LogicalProcessors(_), Lang::ZhCn) => {
                format!("{threads} 个线程：每个逻辑处理器一个")
            }
            (PoolSizeReason::Unknown, Lang::En) => format!("{threads} {thread_unit}: {not_said_en}"),
            (PoolSizeReason::Unknown, Lang::ZhCn) => format!("{threads} 个线程：{not_said_zh}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PoolState {
    Starting { threads: usize },
    Ready { threads: usize, start_ms: f64 },
    Off(ThreadsOff),
}

impl PoolState {
    /// The state as the capability panel says it.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (PoolState::Starting { threads }, Lang::En) => format!("starting {threads} threads"),
            (PoolState::Starting { threads }, Lang::ZhCn) => format!("正在启动 {threads} 个线程"),
            (PoolState::Ready { threads, start_ms }, Lang::En) => {
                let unit = if *threads == 1 { "thread" } else { "threads" };
                format!("ready: {threads} {unit} in {start_ms:.0} ms")
            }
            (PoolState::Ready { threads, start_ms }, Lang::ZhCn) => {
                format!("就绪：{threads} 个线程，用时 {start_ms:.0} ms")
            }
            (PoolState::Off(reason), Lang::En) => format!("off: {}", reason.message(lang)),
            (PoolState::Off(reason), Lang::ZhCn) => format!("关闭：{}", reason.message(lang)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn pool_threads_follows_the_machine_within_bounds() {
        let cases = [None, Some(0), Some(1), Some(2), Some(8), Some(16), Some(17), Some(128)];
        let rendered: Vec<String> =
            cases.iter().map(|case| format!("{case:?} -> {}", pool_threads(*case))).collect();
        expect![[r#"
            None -> 2
            Some(0) -> 2
            Some(1) -> 1
            Some(2) -> 2
            Some(8) -> 8
            Some(16) -> 16
            Some(17) -> 16
            Some(128) -> 16"#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn pool_size_follows_the_address_else_the_machine() {
        let cases = [
            (Some(4), Some(2)),
            (Some(1), Some(1)),
            (Some(16), Some(8)),
            (Some(3), None),
            (Some(0), Some(2)),
            (Some(17), Some(2)),
            (None, Some(1)),
            (None, Some(2)),
            (None, Some(32)),
            (None, Some(0)),
            (None, None),
        ];
        let rendered: Vec<String> = cases
            .iter()
            .map(|(asked, hardware)| {
                let size = pool_size(*asked, *hardware);
                format!(
                    "{asked:?}, {hardware:?} -> {size:?}, from the address {:?}\n    {}\n    {}",
                    size.from_address(),
                    size.describe(Lang::En),
                    size.describe(Lang::ZhCn)
                )
            })
            .collect();
        expect![[r#"
            Some(4), Some(2) -> PoolSize { threads: 4, reason: Address { logical_processors: Some(2) } }, from the address Some(4)
                4 threads: `pool=4` in the address (this machine has 2 logical processors)
                4 个线程：地址中的 `pool=4`（这台机器有 2 个逻辑处理器）
            Some(1), Some(1) -> PoolSize { threads: 1, reason: Address { logical_processors: Some(1) } }, from the address Some(1)
                1 thread: `pool=1` in the address (this machine has 1 logical processor)
                1 个线程：地址中的 `pool=1`（这台机器有 1 个逻辑处理器）
            Some(16), Some(8) -> PoolSize { threads: 16, reason: Address { logical_processors: Some(8) } }, from the address Some(16)
                16 threads: `pool=16` in the address (this machine has 8 logical processors)
                16 个线程：地址中的 `pool=16`（这台机器有 8 个逻辑处理器）
            Some(3), None -> PoolSize { threads: 3, reason: Address { logical_processors: None } }, from the address Some(3)
                3 threads: `pool=3` in the address (the browser does not say how many logical processors it has)
                3 个线程：地址中的 `pool=3`（浏览器没有说明有多少个逻辑处理器）
            Some(0), Some(2) -> PoolSize { threads: 2, reason: LogicalProcessors(2) }, from the address None
                2 threads: one per logical processor
                2 个线程：每个逻辑处理器一个
            Some(17), Some(2) -> PoolSize { threads: 2, reason: LogicalProcessors(2) }, from the address None
                2 threads: one per logical processor
                2 个线程：每个逻辑处理器一个
            None, Some(1) -> PoolSize { threads: 1, reason: LogicalProcessors(1) }, from the address None
                1 thread: one per logical processor
                1 个线程：每个逻辑处理器一个
            None, Some(2) -> PoolSize { threads: 2, reason: LogicalProcessors(2) }, from the address None
                2 threads: one per logical processor
                2 个线程：每个逻辑处理器一个
            None, Some(32) -> PoolSize { threads: 16, reason: LogicalProcessors(32) }, from the address None
                16 threads: one per logical processor, at most 16 (this machine has 32 logical processors)
                16 个线程：每个逻辑处理器一个，最多 16 个（这台机器有 32 个逻辑处理器）
            None, Some(0) -> PoolSize { threads: 2, reason: Unknown }, from the address None
                2 threads: the browser does not say how many logical processors it has
                2 个线程：浏览器没有说明有多少个逻辑处理器
            None, None -> PoolSize { threads: 2, reason: Unknown }, from the address None
                2 threads: the browser does not say how many logical processors it has
                2 个线程：浏览器没有说明有多少个逻辑处理器"#]].assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn states_read_as_the_panel_shows_them() {
        let states = [
            PoolState::Starting { threads: 4 },
            PoolState::Ready { threads: 1, start_ms: 12.4 },
            PoolState::Ready { threads: 2, start_ms: 74.6 },
            PoolState::Off(ThreadsOff::StartFailed {
                message: "DataCloneError: memory could not be cloned".into(),
            }),
        ];
        let rendered: Vec<String> = states.iter().map(|state| state.describe(Lang::En)).collect();
        expect![[r#"
            starting 4 threads
            ready: 1 thread in 12 ms
            ready: 2 threads in 75 ms
            off: the thread pool failed to start: DataCloneError: memory could not be cloned; the other modes still work"#]]
        .assert_eq(&rendered.join("\n"));
        let chinese: Vec<String> = states.iter().map(|state| state.describe(Lang::ZhCn)).collect();
        expect![[r#"
            正在启动 4 个线程
            就绪：1 个线程，用时 12 ms
            就绪：2 个线程，用时 75 ms
            关闭：线程池启动失败：DataCloneError: memory could not be cloned；其他模式仍然可用"#]]
        .assert_eq(&chinese.join("\n"));
    }
}
