//! The futures lab's parameters and their codec.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::lang::{Lang, Words};

pub const SCENARIO_KEY: &str = "scenario";
pub const WORKERS_KEY: &str = "workers";
pub const UNIT_KEY: &str = "unit_ms";
/// `max_workers`: each worker is a pool thread; every scenario is free of
/// races from 1 to 4 (checked in `scenario.rs`).
pub const WORKERS_RANGE: RangeInclusive<u32> = 1..=4;
pub const DEFAULT_WORKERS: u32 = 2;
/// One of the notes' seconds, scaled: at 50 ms the page's timers and the
/// workers' sleeps still keep half a unit between any two events.
pub const UNIT_RANGE: RangeInclusive<u32> = 50..=1000;
pub const DEFAULT_UNIT_MS: u32 = 100;

/// One of the notes' uses of `concurrent.futures`, or the sandbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Scenario {
    /// `executor.map`: results in submission order.
    #[default]
    Map,
    /// `as_completed`: futures in the order they finish.
    AsCompleted,
    /// `cancel()` on a running, a pending and a finished future.
    Cancel,
    /// `result(timeout)`: the wait ends, the task does not.
    Timeout,
    /// `add_done_callback` before and after a future ends.
    Callbacks,
    /// An exception raised in a task, re-raised by `result()`.
    Exception,
    /// `wait` with `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`.
    Wait,
    /// `shutdown(cancel_futures=True)`, then a submit refused.
    Shutdown,
    /// The learner submits, cancels, waits and shuts down.
    Sandbox,
}

impl Scenario {
    pub fn title(self) -> Words {
        match self {
            Scenario::Map => Words::new("executor.map", "executor.map"),
            Scenario::AsCompleted => Words::new("as_completed", "as_completed"),
            Scenario::Cancel => Words::new("cancel()", "cancel()"),
            Scenario::Timeout => Words::new("result(timeout)", "result(timeout)"),
            Scenario::Callbacks => Words::new("add_done_callback", "add_done_callback"),
            Scenario::Exception => Words::new("An exception in a task", "任务中的异常"),
            Scenario::Wait => Words::new("wait(return_when)", "wait(return_when)"),
            Scenario::Shutdown => {
                Words::new("shutdown(cancel_futures=True)", "shutdown(cancel_futures=True)")
            }
            Scenario::Sandbox => Words::new("Sandbox: call them yourself", "沙盒：自己来调用"),
        }
    }

    pub fn teaches(self) -> Words {
        match self {
            Scenario::Map => Words::new(
                "map submits every call at once and yields the results in the order submitted: a quick task \
                 submitted late waits, in the loop, behind a slow one submitted early.",
                "map 立刻提交所有调用，并按提交的顺序给出结果：晚提交的快任务要在循环里排在早提交的慢任务后面。",
            ),
            Scenario::AsCompleted => Words::new(
                "as_completed yields each future as it finishes: the same four tasks come out in the order they \
                 end, and the loop can use the first result while the others still run.",
                "as_completed 在每个 Future 完成时就把它交出来：同样四个任务按结束的顺序出现，\
                 循环可以在其他任务还在运行时就使用第一个结果。",
            ),
            Scenario::Cancel => Words::new(
                "cancel() succeeds only while a future is pending, still in the queue: a running or finished one \
                 says False and goes on; result() on a cancelled one raises CancelledError.",
                "cancel() 只在 Future 还在等待（仍在队列中）时成功：正在运行或已完成的返回 False 并继续；\
                 对已取消的调用 result() 会抛出 CancelledError。",
            ),
            Scenario::Timeout => Words::new(
                "result(timeout) stops waiting after the timeout and raises TimeoutError, but the task keeps \
                 running: a later result() gets its value.",
                "result(timeout) 在超时后停止等待并抛出 TimeoutError，但任务仍在运行：之后再调用 result() 就能拿到它的值。",
            ),
            Scenario::Callbacks => Words::new(
                "A done callback added before the future ends runs when it ends, in the worker that ran it; one \
                 added to a finished future runs at once, in the thread that adds it.",
                "在 Future 结束前添加的完成回调会在它结束时、在运行它的工作线程中执行；\
                 添加到已完成 Future 上的回调会立即在添加它的线程中执行。",
            ),
            Scenario::Exception => Words::new(
                "An exception raised in a task is kept in its future: result() raises it again in the caller, \
                 exception() returns it, and a task that returns has exception() None.",
                "任务中抛出的异常保存在它的 Future 里：result() 在调用方再次抛出它，exception() 返回它，\
                 正常返回的任务的 exception() 是 None。",
            ),
            Scenario::Wait => Words::new(
                "wait returns two sets, done and not done, as soon as its condition holds: the first future \
                 done, the first exception, or all of them.",
                "wait 在条件满足时立即返回两个集合：已完成的和未完成的。条件可以是第一个完成、第一个异常，或者全部完成。",
            ),
            Scenario::Shutdown => Words::new(
                "shutdown(cancel_futures=True) cancels what is still pending and waits for what runs; after it, \
                 submit raises RuntimeError.",
                "shutdown(cancel_futures=True) 取消仍在等待的任务，并等待正在运行的任务完成；之后 submit 会抛出 RuntimeError。",
            ),
            Scenario::Sandbox => Words::new(
                "Submit tasks of your own length and outcome, cancel a pending future, wait for one with a \
                 timeout, shut down with or without cancel_futures: every call is printed as Python prints it, \
                 and the Python of what you did is written beside.",
                "提交你自定长度和结果的任务，取消等待中的 Future，带超时地等待某个 Future，用或不用 cancel_futures 关闭：\
                 每次调用都按 Python 的方式打印，你做过的操作也会写成旁边的 Python 程序。",
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuturesParams {
    pub scenario: Scenario,
    /// `max_workers`.
    pub workers: u32,
    /// How long one of the notes' seconds lasts here.
    pub unit_ms: u32,
}

impl Default for FuturesParams {
    fn default() -> Self {
        FuturesParams { scenario: Scenario::default(), workers: DEFAULT_WORKERS, unit_ms: DEFAULT_UNIT_MS }
    }
}

impl FuturesParams {
    /// A run's title: "as_completed, 2 workers".
    pub fn run_title(&self, lang: Lang) -> String {
        let (title, workers) = (self.scenario.title().get(lang), self.workers);
        match lang {
            Lang::En if workers == 1 => format!("{title}, 1 worker"),
            Lang::En => format!("{title}, {workers} workers"),
            Lang::ZhCn => format!("{title}，{workers} 个工作线程"),
        }
    }
}

impl ExperimentParams for FuturesParams {
    const KEY: &'static str = "futures";
    const KEYS: &'static [&'static str] = &[SCENARIO_KEY, WORKERS_KEY, UNIT_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        match key {
            SCENARIO_KEY => self.scenario = choice(key, value, Scenario::default())?,
            WORKERS_KEY => self.workers = number_in(key, value, WORKERS_RANGE, used_number(DEFAULT_WORKERS))?,
            UNIT_KEY => self.unit_ms = number_in(key, value, UNIT_RANGE, used_number(DEFAULT_UNIT_MS))?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((SCENARIO_KEY, self.scenario.text().to_string()));
        if self.workers != DEFAULT_WORKERS {
            pairs.push((WORKERS_KEY, self.workers.to_string()));
        }
        if self.unit_ms != DEFAULT_UNIT_MS {
            pairs.push((UNIT_KEY, self.unit_ms.to_string()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Futures", "Future 对象"),
            summary: Words::new(
                "An executor with Python's rules on pool threads: map against as_completed, cancel, \
                 result(timeout), callbacks, exceptions, wait and shutdown, each printed as CPython prints it, \
                 and a sandbox to call them yourself.",
                "在线程池的线程上按 Python 规则运行的执行器：map 与 as_completed、cancel、result(timeout)、回调、\
                 异常、wait 和 shutdown，每一步都按 CPython 的方式打印，还有一个自己动手调用的沙盒。",
            ),
            lesson: Words::new(
                "A future is a promise of a result: pending, running, then finished or cancelled. The caller \
                 chooses when to wait for it, how long, and in which order.",
                "Future 是对一个结果的承诺：等待中、运行中，然后完成或被取消。调用方决定何时等待它、等多久、按什么顺序。",
            ),
            idea: Words::new("Futures (concurrent.futures)", "Future（concurrent.futures）"),
            step: 21,
            ready: FuturesParams::default(),
        })
    }
}
