//! The deadlock experiment's parameters and their codec.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, Used, choice, flag, number_in};
use crate::address::query_value::QueryValue;
use crate::browser::pool_state::MAX_POOL_THREADS;
use crate::lang::Words;

pub const SCENARIO_KEY: &str = "scenario";
pub const FIXED_KEY: &str = "fixed";
pub const PHILOSOPHERS_KEY: &str = "philosophers";
/// Each philosopher is a pool thread.
pub const PHILOSOPHERS_RANGE: RangeInclusive<u32> = 2..=MAX_POOL_THREADS as u32;

/// One of the notes' deadlocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Scenario {
    /// Two locks taken in opposite orders by two threads.
    #[default]
    Locks,
    /// Task a waits on b's future while b waits on a's, on a pool of 2.
    Mutual,
    /// A one-worker pool whose task waits on a future it submitted.
    #[strum(serialize = "self")]
    SelfWait,
    /// n philosophers, n forks: each takes the left fork, then the right.
    Philosophers,
}

impl Scenario {
    pub fn title(self) -> Words {
        match self {
            Scenario::Locks => Words::new("Two locks, opposite orders", "两把锁，相反的顺序"),
            Scenario::Mutual => Words::new("Two futures waiting on each other", "两个互相等待的 Future"),
            Scenario::SelfWait => {
                Words::new("A one-worker pool waiting on itself", "只有一个工作线程的池等待自己")
            }
            Scenario::Philosophers => Words::new("Dining philosophers", "哲学家就餐"),
        }
    }

    pub fn teaches(self) -> Words {
        match self {
            Scenario::Locks => Words::new(
                "Thread 1 takes lock A, then wants B; thread 2 takes B, then wants A. Each holds what the other \
                 waits for, and neither lets go.",
                "线程 1 先拿锁 A，再要锁 B；线程 2 先拿锁 B，再要锁 A。各自拿着对方等待的锁，谁也不放手。",
            ),
            Scenario::Mutual => Words::new(
                "The Python documentation's first executor deadlock: on a pool of 2, task a calls b.result() \
                 while task b calls a.result(). Neither future can finish before the other.",
                "Python 文档中的第一个执行器死锁：在 2 个工作线程的池上，任务 a 调用 b.result()，任务 b 调用 \
                 a.result()。两个 Future 都要等对方先完成。",
            ),
            Scenario::SelfWait => Words::new(
                "The documentation's second: a pool of one worker runs a task that submits another and waits \
                 for its result. The new task needs a worker, and the only one is busy waiting for it.",
                "文档中的第二个：只有一个工作线程的池运行一个任务，它提交另一个任务并等待其结果。\
                 新任务需要一个工作线程，而唯一的那个正忙着等它。",
            ),
            Scenario::Philosophers => Words::new(
                "Each philosopher takes the fork on the left, then reaches for the one on the right, which the \
                 next philosopher already holds: around the table, everyone waits.",
                "每位哲学家先拿左边的叉子，再去拿右边的，而右边那把已被下一位拿着：一圈下来，所有人都在等待。",
            ),
        }
    }

    /// How the fixed variant avoids the deadlock.
    pub fn fix(self) -> Words {
        match self {
            Scenario::Locks => Words::new(
                "One lock order: both threads take A before B, so whoever has A will get B.",
                "统一加锁顺序：两个线程都先拿 A 再拿 B，拿到 A 的一方一定能拿到 B。",
            ),
            Scenario::Mutual => Words::new(
                "result(timeout=…): task a gives up waiting after a timeout (TimeoutError), lets its future \
                 finish, and task b goes on.",
                "result(timeout=…)：任务 a 等待超时后放弃（TimeoutError），让自己的 Future 结束，任务 b 得以继续。",
            ),
            Scenario::SelfWait => Words::new(
                "More workers: with max_workers=2 a second worker runs the submitted task.",
                "更多工作线程：max_workers=2 时，由第二个工作线程运行提交的任务。",
            ),
            Scenario::Philosophers => Words::new(
                "An order on the forks: each takes the lower-numbered fork first, so the last philosopher \
                 reaches for fork 1 first and the circle of waits cannot close.",
                "给叉子排序：每位都先拿编号小的叉子，于是最后一位先去拿 1 号叉子，等待的圆圈无法闭合。",
            ),
        }
    }
}

/// `None` philosophers means as many as the pool has threads (at least 2,
/// at most 5, the classic table).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeadlockParams {
    pub scenario: Scenario,
    pub fixed: bool,
    pub philosophers: Option<u32>,
}

impl DeadlockParams {
    pub fn philosophers_for(&self, pool_threads: u32) -> u32 {
        self.philosophers.unwrap_or(pool_threads.clamp(*PHILOSOPHERS_RANGE.start(), 5))
    }
}

impl ExperimentParams for DeadlockParams {
    const KEY: &'static str = "deadlock";
    const KEYS: &'static [&'static str] = &[SCENARIO_KEY, FIXED_KEY, PHILOSOPHERS_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        match key {
            SCENARIO_KEY => self.scenario = choice(key, value, Scenario::default())?,
            FIXED_KEY => self.fixed = flag(key, value)?,
            PHILOSOPHERS_KEY => {
                self.philosophers = Some(number_in(
                    key,
                    value,
                    PHILOSOPHERS_RANGE,
                    Used::Described(Words::new(
                        "as many as the pool has threads, at most 5",
                        "与线程池的线程数相同，最多 5 位",
                    )),
                )?)
            }
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((SCENARIO_KEY, self.scenario.text().to_string()));
        if self.fixed {
            pairs.push((FIXED_KEY, "1".to_string()));
        }
        if let Some(philosophers) = self.philosophers {
            pairs.push((PHILOSOPHERS_KEY, philosophers.to_string()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Deadlocks", "死锁"),
            summary: Words::new(
                "Threads really block on locks and futures until a cycle of waits stands; it is found while it \
                 stands, drawn as a wait-for graph, broken with a timeout, and run again fixed.",
                "线程真的在锁和 Future 上阻塞，直到形成一个等待的环；环在存在时就被发现，画成等待图，\
                 用超时打破，再以修正后的方式重新运行。",
            ),
            lesson: Words::new(
                "A deadlock is a cycle of waits: each holds what the next waits for. Break any edge (an order, \
                 a timeout, one more worker) and it cannot form.",
                "死锁就是一个等待的环：每一方都拿着下一方等待的东西。打断任意一条边（规定顺序、超时、多一个工作线程），\
                 环就无法形成。",
            ),
            idea: Words::new("Deadlocks (locks and executors)", "死锁（锁与执行器）"),
            step: 44,
            ready: DeadlockParams::default(),
        })
    }
}
