//! The event-loop experiment's parameters and their codec.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::lang::Words;

pub const SCENARIO_KEY: &str = "scenario";
pub const UNIT_KEY: &str = "unit_ms";
/// One of the notes' seconds, scaled: 10 ms keeps the timer's own clamp
/// (a few ms) small beside it; 1 s is the notes' own scale.
pub const UNIT_RANGE: RangeInclusive<u32> = 10..=1000;
pub const DEFAULT_UNIT_MS: u32 = 100;

/// One of the notes' asyncio programs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Scenario {
    /// `await crawl_page(url)` for each url in turn.
    #[default]
    Sequential,
    /// `create_task` for each url, then `gather`.
    Tasks,
    /// The notes' three workers: one returns, one raises, one is cancelled;
    /// `gather(return_exceptions=True)` collects all three.
    Gather,
    /// `wait_for(crawl_page(url), timeout=2)`: a crawl that takes longer is
    /// cancelled at the timeout.
    WaitFor,
    /// A coroutine computes without awaiting while a ticker waits for its
    /// ticks: every tick due meanwhile arrives late.
    Blocking,
    /// The same computation in slices with `await asyncio.sleep(0)` between
    /// them: the ticks come on time.
    Cooperative,
}

impl Scenario {
    pub fn title(self) -> Words {
        match self {
            Scenario::Sequential => Words::new("await one after another", "逐个 await"),
            Scenario::Tasks => Words::new("create_task, then gather", "create_task 后 gather"),
            Scenario::Gather => {
                Words::new("gather with return_exceptions=True", "gather（return_exceptions=True）")
            }
            Scenario::WaitFor => Words::new("wait_for with a timeout", "带超时的 wait_for"),
            Scenario::Blocking => Words::new("A coroutine that never awaits", "从不 await 的协程"),
            Scenario::Cooperative => {
                Words::new("Computing in slices, awaiting between", "分片计算，片间 await")
            }
        }
    }

    pub fn teaches(self) -> Words {
        match self {
            Scenario::Sequential => Words::new(
                "await runs the coroutine to its end before the next line: the four crawls take turns, and the \
                 total is the sum of their waits.",
                "await 会把协程一直执行到结束才执行下一行：四个爬取依次进行，总耗时是它们等待时间之和。",
            ),
            Scenario::Tasks => Words::new(
                "create_task puts each crawl on the event loop at once; while one waits, the others run: the \
                 total is the longest wait, not the sum.",
                "create_task 立刻把每个爬取交给事件循环；一个在等待时，其他的在运行：总耗时等于最长的等待，而不是总和。",
            ),
            Scenario::Gather => Words::new(
                "The notes' three workers: worker_1 returns 1, worker_2 divides by zero, and main cancels \
                 worker_3 after 2 seconds; with return_exceptions=True, gather returns the exception and the \
                 cancellation as values instead of raising the first.",
                "笔记中的三个协程：worker_1 返回 1，worker_2 除以零，main 在 2 秒后取消 worker_3；\
                 有了 return_exceptions=True，gather 把异常和取消当作值返回，而不是抛出第一个异常。",
            ),
            Scenario::WaitFor => Words::new(
                "wait_for gives a coroutine 2 seconds: url_1 finishes in 1, url_4 would need 4 and is cancelled \
                 at the timeout (CancelledError inside it, TimeoutError for the caller).",
                "wait_for 给协程 2 秒：url_1 用 1 秒完成，url_4 需要 4 秒，在超时时被取消（协程内部收到 \
                 CancelledError，调用方收到 TimeoutError）。",
            ),
            Scenario::Blocking => Words::new(
                "One thread runs every coroutine, and it switches only at an await. A coroutine that computes \
                 for 5 seconds without awaiting holds the loop: every tick due meanwhile waits, ready, until it \
                 ends.",
                "一个线程运行所有协程，只在 await 处切换。一个计算 5 秒而不 await 的协程会占住事件循环：\
                 这期间到期的每个滴答都已就绪，却要等它结束。",
            ),
            Scenario::Cooperative => Words::new(
                "The same 5 seconds of computing, in slices of a tenth of a second with await asyncio.sleep(0) \
                 between them: at each await the loop runs what is due, so the ticks come nearly on time.",
                "同样 5 秒的计算，切成十分之一秒的片，片与片之间 await asyncio.sleep(0)：\
                 每次 await 事件循环都会运行已到期的回调，所以滴答几乎准时。",
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsyncioParams {
    pub scenario: Scenario,
    /// How long one of the notes' seconds lasts here.
    pub unit_ms: u32,
}

impl Default for AsyncioParams {
    fn default() -> Self {
        AsyncioParams { scenario: Scenario::default(), unit_ms: DEFAULT_UNIT_MS }
    }
}

impl ExperimentParams for AsyncioParams {
    const KEY: &'static str = "asyncio";
    const KEYS: &'static [&'static str] = &[SCENARIO_KEY, UNIT_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        match key {
            SCENARIO_KEY => self.scenario = choice(key, value, Scenario::default())?,
            UNIT_KEY => self.unit_ms = number_in(key, value, UNIT_RANGE, used_number(DEFAULT_UNIT_MS))?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((SCENARIO_KEY, self.scenario.text().to_string()));
        if self.unit_ms != DEFAULT_UNIT_MS {
            pairs.push((UNIT_KEY, self.unit_ms.to_string()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("The event loop", "事件循环"),
            summary: Words::new(
                "The notes' asyncio programs on one thread of their own: await in turn or create_task and \
                 gather, exceptions and cancellation, wait_for's timeout, and a coroutine that never awaits.",
                "在独立的一个线程上运行笔记中的 asyncio 程序：逐个 await 或 create_task 加 gather、异常与取消、\
                 wait_for 的超时，以及一个从不 await 的协程。",
            ),
            lesson: Words::new(
                "Coroutines overlap only where they await: one thread serves them all, so a wait costs nothing \
                 and a computation stops everyone.",
                "协程只在 await 处交替：一个线程服务所有协程，所以等待不占时间，而计算会让所有协程停下。",
            ),
            idea: Words::new("Coroutines and the event loop (asyncio)", "协程与事件循环（asyncio）"),
            step: 22,
            ready: AsyncioParams::default(),
        })
    }
}
