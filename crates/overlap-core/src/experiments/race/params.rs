//! The race experiment's parameters and their codec.

use std::ops::RangeInclusive;

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{Expected, QueryProblem, Used, choice, flag, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::browser::pool_state::MAX_POOL_THREADS;
use crate::experiments::race::steps::{Schedule, StepModel};
use crate::experiments::race::variant::Variant;
use crate::lang::{Lang, Said, Words};

pub const VARIANT_KEY: &str = "variant";
pub const THREADS_KEY: &str = "threads";
pub const INCREMENTS_KEY: &str = "increments";
pub const STEP_KEY: &str = "step";
pub const SCHEDULE_KEY: &str = "schedule";

pub const THREADS_RANGE: RangeInclusive<u32> = 1..=MAX_POOL_THREADS as u32;
pub const INCREMENTS_RANGE: RangeInclusive<u32> = 1..=10_000_000;
/// Enough for two threads to overlap many times on any machine, short
/// enough to take milliseconds.
pub const DEFAULT_INCREMENTS: u32 = 1_000_000;

const EVERY_POOL_THREAD: Words = Words::new("every pool thread", "使用线程池的全部线程");

/// `None` threads means every thread of the pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaceParams {
    pub variant: Variant,
    pub threads: Option<u32>,
    pub increments: u32,
    /// Step mode: the learner schedules two threads by hand.
    pub step: bool,
    /// In step mode, the steps taken so far (always playable).
    pub schedule: Schedule,
}

impl Default for RaceParams {
    fn default() -> Self {
        RaceParams {
            variant: Variant::default(),
            threads: None,
            increments: DEFAULT_INCREMENTS,
            step: false,
            schedule: Schedule::default(),
        }
    }
}

impl ExperimentParams for RaceParams {
    const KEY: &'static str = "race";
    const KEYS: &'static [&'static str] = &[VARIANT_KEY, THREADS_KEY, INCREMENTS_KEY, STEP_KEY, SCHEDULE_KEY];
    /// A schedule is played by the variant's programs, in step mode.
    const FIRST_KEYS: &'static [&'static str] = &[VARIANT_KEY, STEP_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        match key {
            VARIANT_KEY => {
                self.variant = choice(key, value, Variant::default())?;
                // Another variant's programs play a schedule differently.
                self.schedule = Schedule::default();
            }
            THREADS_KEY => {
                self.threads = Some(number_in(key, value, THREADS_RANGE, Used::Described(EVERY_POOL_THREAD))?)
            }
            INCREMENTS_KEY => {
                self.increments = number_in(key, value, INCREMENTS_RANGE, used_number(DEFAULT_INCREMENTS))?
            }
            STEP_KEY => {
                self.step = flag(key, value)?;
                if !self.step {
                    self.schedule = Schedule::default();
                }
            }
            SCHEDULE_KEY if !self.step => {
                return Err(QueryProblem::BadValue {
                    key,
                    value: value.to_string(),
                    expected: Expected::Rule(Said::new(
                        "schedule must be left out unless step=1: only step mode has a schedule",
                        "`schedule` 只在单步模式（`step=1`）下有意义，应省略",
                    )),
                    used: Used::Described(Words::new("no schedule", "不设 `schedule`")),
                });
            }
            SCHEDULE_KEY => {
                let (model, problem) = StepModel::parse(self.variant, value);
                self.schedule = model.schedule().clone();
                if let Some(problem) = problem {
                    return Err(QueryProblem::BadValue {
                        key,
                        value: value.to_string(),
                        expected: Expected::Rule(Said::new(problem.text(Lang::En), problem.text(Lang::ZhCn))),
                        used: Used::Value(self.schedule.text()),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((VARIANT_KEY, self.variant.text().to_string()));
        // Kept in step mode too, for when the threads run freely again.
        if let Some(threads) = self.threads {
            pairs.push((THREADS_KEY, threads.to_string()));
        }
        if self.increments != DEFAULT_INCREMENTS {
            pairs.push((INCREMENTS_KEY, self.increments.to_string()));
        }
        if self.step {
            pairs.push((STEP_KEY, "1".to_string()));
            if !self.schedule.is_empty() {
                pairs.push((SCHEDULE_KEY, self.schedule.text()));
            }
        }
    }

    fn fields_reset_by(key: &str) -> &'static [&'static str] {
        if key == VARIANT_KEY || key == STEP_KEY { &[SCHEDULE_KEY] } else { &[] }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Races, locks and atomics", "竞态条件、锁与原子操作"),
            summary: Words::new(
                "Threads add to one counter in shared memory, unprotected, under a lock and atomically; then \
                 you schedule two real threads step by step until an update is lost.",
                "多个线程在共享内存中给同一个计数器加一：不加保护、加锁、用原子操作；然后由你一步一步调度两个真实的线程，直到丢失一次更新。",
            ),
            lesson: Words::new(
                "n += 1 is a read, an add and a write: threads that share n lose updates unless a lock or an \
                 atomic operation makes it one step.",
                "n += 1 是读取、加一、写回三步：共享 n 的线程会丢失更新，除非用锁或原子操作把它变成一步。",
            ),
            idea: Words::new("Race conditions, locks and thread safety", "竞态条件、锁与线程安全"),
            step: 40,
            ready: RaceParams { threads: Some(2), ..RaceParams::default() },
        })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::address::page_state::{decode, encode};

    /// Addresses and what the page makes of them, in both languages.
    #[test]
    fn addresses_decode_to_parameters_or_problems() {
        let cases = [
            "?exp=race",
            "?exp=race&variant=lock&threads=2&increments=500",
            "?exp=race&step=1&schedule=112221",
            "?exp=race&step=1&threads=4&increments=500",
            "?exp=race&schedule=112221&step=1&variant=lock",
            "?exp=race&step=1&variant=lock&schedule=1211",
            "?exp=race&schedule=12",
            "?exp=race&increments=0&threads=99&variant=fast",
        ];
        let mut said = Vec::new();
        for query in cases {
            let decoded = decode(query);
            said.push(format!("{query}\n  -> {}", encode(&decoded.state)));
            for problem in decoded.problems {
                said.push(format!("  ! {}\n  ! {}", problem.message(Lang::En), problem.message(Lang::ZhCn)));
            }
        }
        expect![[r#"
            ?exp=race
              -> ?exp=race&variant=unsafe
            ?exp=race&variant=lock&threads=2&increments=500
              -> ?exp=race&variant=lock&threads=2&increments=500
            ?exp=race&step=1&schedule=112221
              -> ?exp=race&variant=unsafe&step=1&schedule=112221
            ?exp=race&step=1&threads=4&increments=500
              -> ?exp=race&variant=unsafe&threads=4&increments=500&step=1
            ?exp=race&schedule=112221&step=1&variant=lock
              -> ?exp=race&variant=lock&step=1&schedule=11
              ! `schedule=112221` is not valid: each step of schedule must name a thread that can move; step 3 names thread 2, which is blocked: thread 1 holds the lock. Using `schedule=11` instead.
              ! `schedule=112221` 无效：`schedule` 的每一步都应指向一个能前进的线程；第 3 步指向线程 2，它阻塞：线程 1 持有锁。改用 `schedule=11`。
            ?exp=race&step=1&variant=lock&schedule=1211
              -> ?exp=race&variant=lock&step=1&schedule=1
              ! `schedule=1211` is not valid: each step of schedule must name a thread that can move; step 2 names thread 2, which is blocked: thread 1 holds the lock. Using `schedule=1` instead.
              ! `schedule=1211` 无效：`schedule` 的每一步都应指向一个能前进的线程；第 2 步指向线程 2，它阻塞：线程 1 持有锁。改用 `schedule=1`。
            ?exp=race&schedule=12
              -> ?exp=race&variant=unsafe
              ! `schedule=12` is not valid: schedule must be left out unless step=1: only step mode has a schedule. Using no schedule instead.
              ! `schedule=12` 无效：`schedule` 只在单步模式（`step=1`）下有意义，应省略。改为不设 `schedule`。
            ?exp=race&increments=0&threads=99&variant=fast
              -> ?exp=race&variant=unsafe
              ! `variant=fast` is not valid: variant must be one of `unsafe`, `lock`, `atomic`, `bank`. Using `variant=unsafe` instead.
              ! `variant=fast` 无效：`variant` 应为以下之一：`unsafe`、`lock`、`atomic`、`bank`。改用 `variant=unsafe`。
              ! `increments=0` is not valid: increments must be a whole number from 1 to 10000000. Using `increments=1000000` instead.
              ! `increments=0` 无效：`increments` 应为 1 到 10000000 之间的整数。改用 `increments=1000000`。
              ! `threads=99` is not valid: threads must be a whole number from 1 to 16. Using every pool thread instead.
              ! `threads=99` 无效：`threads` 应为 1 到 16 之间的整数。改为使用线程池的全部线程。"#]].assert_eq(&said.join("\n"));
    }
}
