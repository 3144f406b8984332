//! The thread pool's life as the page shows it: how many threads it gets,
//! and whether it is starting, ready or off (and why).

use std::fmt;

use crate::isolation::ThreadsOff;

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

impl fmt::Display for PoolState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolState::Starting { threads } => write!(f, "starting {threads} threads"),
            PoolState::Ready { threads, start_ms } => {
                let unit = if *threads == 1 { "thread" } else { "threads" };
                write!(f, "ready: {threads} {unit} in {start_ms:.0} ms")
            }
            PoolState::Off(reason) => write!(f, "off: {reason}"),
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
        let rendered: Vec<String> = states.iter().map(ToString::to_string).collect();
        expect![[r#"
            starting 4 threads
            ready: 1 thread in 12 ms
            ready: 2 threads in 75 ms
            off: the thread pool failed to start: DataCloneError: memory could not be cloned; the other modes still work"#]]
        .assert_eq(&rendered.join("\n"));
    }
}
