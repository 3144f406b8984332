//! The thread-local experiment's parameters and their codec.

use std::ops::RangeInclusive;

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, Used, number_in, used_number};
use crate::browser::pool_state::MAX_POOL_THREADS;
use crate::lang::Words;

pub const THREADS_KEY: &str = "threads";
pub const TASKS_KEY: &str = "tasks";
pub const THREADS_RANGE: RangeInclusive<u32> = 1..=MAX_POOL_THREADS as u32;
pub const TASKS_RANGE: RangeInclusive<u32> = 1..=1000;
const DEFAULT_TASKS: u32 = 48;

const EVERY_POOL_THREAD: Words = Words::new("every pool thread", "使用线程池的全部线程");

/// The students the threads keep, one a thread, as the notes' Alice and Bob.
const STUDENTS: [&str; MAX_POOL_THREADS] = [
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj",
    "Olivia", "Peggy", "Rupert", "Sybil",
];

/// The student pool thread `thread` (from 0) keeps in its thread-local slot.
pub fn student_of(thread: u32) -> &'static str {
    STUDENTS[thread as usize % STUDENTS.len()]
}

/// `None` threads means every thread of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadLocalParams {
    pub threads: Option<u32>,
    pub tasks: u32,
}

impl Default for ThreadLocalParams {
    fn default() -> Self {
        ThreadLocalParams { threads: None, tasks: DEFAULT_TASKS }
    }
}

impl ExperimentParams for ThreadLocalParams {
    const KEY: &'static str = "thread-local";
    const KEYS: &'static [&'static str] = &[THREADS_KEY, TASKS_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        match key {
            THREADS_KEY => {
                self.threads = Some(number_in(key, value, THREADS_RANGE, Used::Described(EVERY_POOL_THREAD))?)
            }
            TASKS_KEY => self.tasks = number_in(key, value, TASKS_RANGE, used_number(DEFAULT_TASKS))?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        if let Some(threads) = self.threads {
            pairs.push((THREADS_KEY, threads.to_string()));
        }
        if self.tasks != DEFAULT_TASKS {
            pairs.push((TASKS_KEY, self.tasks.to_string()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Thread-local data", "线程局部数据"),
            summary: Words::new(
                "Tasks on the pool add to their own thread's counter and to one shared counter; each thread keeps \
                 its own student, as in the notes.",
                "线程池上的任务既给自己所在线程的计数器加数，也给一个共享计数器加数；每个线程保存自己的学生，就像笔记里那样。",
            ),
            lesson: Words::new(
                "threading.local() gives every thread its own copy: no lock is needed for it, and no other \
                 thread ever sees it.",
                "threading.local() 让每个线程拥有自己的一份：它不需要锁，别的线程也永远看不到它。",
            ),
            idea: Words::new("Thread-local data (ThreadLocal)", "线程局部数据（ThreadLocal）"),
            step: 45,
            ready: ThreadLocalParams::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::address::page_state::{decode, encode};
    use crate::lang::Lang;

    #[test]
    fn addresses_decode_to_parameters_or_problems() {
        let mut said = Vec::new();
        for query in [
            "?exp=thread-local",
            "?exp=thread-local&threads=2&tasks=10",
            "?exp=thread-local&tasks=0&threads=x",
        ] {
            let decoded = decode(query);
            said.push(format!("{query} -> {}", encode(&decoded.state)));
            for problem in decoded.problems {
                said.push(format!("  ! {} | {}", problem.message(Lang::En), problem.message(Lang::ZhCn)));
            }
        }
        expect![[r#"
            ?exp=thread-local -> ?exp=thread-local
            ?exp=thread-local&threads=2&tasks=10 -> ?exp=thread-local&threads=2&tasks=10
            ?exp=thread-local&tasks=0&threads=x -> ?exp=thread-local
              ! `tasks=0` is not valid: tasks must be a whole number from 1 to 1000. Using `tasks=48` instead. | `tasks=0` 无效：`tasks` 应为 1 到 1000 之间的整数。改用 `tasks=48`。
              ! `threads=x` is not valid: threads must be a whole number from 1 to 16. Using every pool thread instead. | `threads=x` 无效：`threads` 应为 1 到 16 之间的整数。改为使用线程池的全部线程。"#]].assert_eq(&said.join("\n"));
    }
}
