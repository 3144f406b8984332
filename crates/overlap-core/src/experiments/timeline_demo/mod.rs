//! `?exp=timeline-demo&fixture=<name>`: the timeline drawing a fixed trace,
//! for tests and screenshots that must not depend on this machine's speed,
//! and for learners reading a timeline before they run anything.

mod fixtures;

pub use fixtures::{Fixture, FixtureRun};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, choice};
use crate::address::query_value::QueryValue;
use crate::lang::Words;

pub const FIXTURE_KEY: &str = "fixture";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimelineDemoParams {
    pub fixture: Fixture,
}

impl ExperimentParams for TimelineDemoParams {
    const KEY: &'static str = "timeline-demo";
    const KEYS: &'static [&'static str] = &[FIXTURE_KEY];
    const RUNS: bool = false;

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        if key == FIXTURE_KEY {
            self.fixture = choice(key, value, Fixture::default())?;
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((FIXTURE_KEY, self.fixture.text().to_string()));
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Reading a timeline", "读懂时间线"),
            summary: Words::new(
                "A fixed trace: the same eight tasks run one after another, then on four threads, drawn on one \
                 time axis.",
                "一条固定的追踪：同样的八个任务先顺序执行，再在四个线程上执行，画在同一条时间轴上。",
            ),
            lesson: Words::new(
                "Concurrency is tasks in progress at once; parallelism is tasks running at the same instant: one \
                 long lane against several short ones.",
                "并发是多个任务同时处于进行中；并行是多个任务在同一时刻运行：一条长泳道对比几条短泳道。",
            ),
            idea: Words::new("Concurrency and parallelism", "并发与并行"),
            step: 10,
            ready: TimelineDemoParams::default(),
        })
    }
}
