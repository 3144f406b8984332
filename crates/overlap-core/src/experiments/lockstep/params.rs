//! The lock-step experiment's parameters and their codec.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, Used, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::browser::pool_state::MAX_POOL_THREADS;
use crate::lang::Words;

pub const VARIANT_KEY: &str = "variant";
pub const THREADS_KEY: &str = "threads";
pub const ROUNDS_KEY: &str = "rounds";
/// Taking turns needs two threads at least; each needs a pool thread.
pub const THREADS_RANGE: RangeInclusive<u32> = 2..=MAX_POOL_THREADS as u32;
pub const ROUNDS_RANGE: RangeInclusive<u32> = 1..=10_000;
pub const DEFAULT_ROUNDS: u32 = 100;

/// How the threads take turns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Coordination {
    /// Each prints as fast as it can: the order is whatever happened.
    None,
    /// The notes' chained locks: each thread waits on its own lock and
    /// releases the next thread's.
    #[default]
    Locks,
    /// One condition variable and a turn counter.
    Condvar,
    /// Wait and notify on one turn word in shared memory.
    Atomics,
}

impl Coordination {
    pub fn title(self) -> Words {
        match self {
            Coordination::None => Words::new("No coordination", "不做协调"),
            Coordination::Locks => Words::new("Chained locks", "链式的锁"),
            Coordination::Condvar => Words::new("Condition variable", "条件变量"),
            Coordination::Atomics => Words::new("Wait/notify on a turn word", "在轮次字上等待/通知"),
        }
    }

    pub fn teaches(self) -> Words {
        match self {
            Coordination::None => Words::new(
                "Nothing makes the threads wait for each other: each prints its letters as soon as it runs, and \
                 the sequence is whatever the machine did.",
                "没有任何东西让线程互相等待：每个线程一运行就打印自己的字母，顺序完全取决于机器当时的执行情况。",
            ),
            Coordination::Locks => Words::new(
                "Each thread waits on its own lock, prints, and releases the next thread's lock: the turn passes \
                 along the chain A → B → C → A.",
                "每个线程等待自己的锁，打印，然后释放下一个线程的锁：轮次沿着 A → B → C → A 的链条传递。",
            ),
            Coordination::Condvar => Words::new(
                "One lock guards a turn counter; a thread waits on the condition variable until the counter names \
                 it, prints, advances the counter and wakes the others.",
                "一把锁保护一个轮次计数器；线程在条件变量上等待，直到计数器轮到自己，打印，推进计数器并唤醒其他线程。",
            ),
            Coordination::Atomics => Words::new(
                "No lock at all: the turn is one word in shared memory; a thread sleeps on it (memory.atomic.wait) \
                 until it is its turn, and whoever advances it wakes the sleepers (memory.atomic.notify).",
                "完全不用锁：轮次是共享内存中的一个字；线程在它上面睡眠（memory.atomic.wait），直到轮到自己，\
                 推进轮次的线程会唤醒睡眠者（memory.atomic.notify）。",
            ),
        }
    }
}

/// `None` threads means three, as in the notes, or fewer if the pool is smaller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockstepParams {
    pub coordination: Coordination,
    pub threads: Option<u32>,
    pub rounds: u32,
}

impl Default for LockstepParams {
    fn default() -> Self {
        LockstepParams { coordination: Coordination::default(), threads: None, rounds: DEFAULT_ROUNDS }
    }
}

impl LockstepParams {
    /// The threads a run takes: as asked, or the notes' three where the pool
    /// has them.
    pub fn threads_for(&self, pool_threads: u32) -> u32 {
        self.threads.unwrap_or(3.min(pool_threads).max(*THREADS_RANGE.start()))
    }
}

impl ExperimentParams for LockstepParams {
    const KEY: &'static str = "lockstep";
    const KEYS: &'static [&'static str] = &[VARIANT_KEY, THREADS_KEY, ROUNDS_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        match key {
            VARIANT_KEY => self.coordination = choice(key, value, Coordination::default())?,
            THREADS_KEY => {
                self.threads = Some(number_in(
                    key,
                    value,
                    THREADS_RANGE,
                    Used::Described(Words::new(
                        "three, or as many as the pool has",
                        "三个（线程池不够时取线程池的线程数）",
                    )),
                )?)
            }
            ROUNDS_KEY => self.rounds = number_in(key, value, ROUNDS_RANGE, used_number(DEFAULT_ROUNDS))?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((VARIANT_KEY, self.coordination.text().to_string()));
        if let Some(threads) = self.threads {
            pairs.push((THREADS_KEY, threads.to_string()));
        }
        if self.rounds != DEFAULT_ROUNDS {
            pairs.push((ROUNDS_KEY, self.rounds.to_string()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Taking turns", "轮流执行"),
            summary: Words::new(
                "Threads print A B C A B C … in strict turn, with chained locks, a condition variable or \
                 wait/notify on one word, or with no coordination at all.",
                "多个线程严格轮流打印 A B C A B C ……：用链式的锁、条件变量、在一个字上等待/通知，或者完全不做协调。",
            ),
            lesson: Words::new(
                "Threads run in no order of their own: an order costs a hand-off each time, and the hand-off's \
                 latency is what taking turns costs.",
                "线程本身没有先后顺序：要有顺序，每次都要交接一次，而交接的延迟就是轮流执行的代价。",
            ),
            idea: Words::new("Locks and coordination between threads", "锁与线程间的协调"),
            step: 42,
            ready: LockstepParams::default(),
        })
    }
}
