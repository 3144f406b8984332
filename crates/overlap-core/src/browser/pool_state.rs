//! The thread pool's life as the page shows it: how many threads it gets,
//! and whether it is starting, ready or off (and why).

use crate::browser::isolation::ThreadsOff;
use crate::lang::Lang;

/// The most threads the page ever starts. The global rayon pool cannot be
/// resized once built, so it is built once at this size or the machine's,
/// whichever is smaller; more threads than this only add start-up time and
/// memory on the machines learners use.
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
