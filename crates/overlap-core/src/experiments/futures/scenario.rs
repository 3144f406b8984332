//! The notes' uses of `concurrent.futures` as main-thread calls, and a
//! virtual clock that plays them: what CPython must print, and whether a
//! scenario has a race (two things at one instant, whose order no clock
//! decides), which none may have.

use crate::experiments::futures::executor::{FutureId, TaskSpec};
use crate::experiments::futures::params::Scenario;
use crate::experiments::futures::program::{Actor, LogLine, Op, Program, Reads, ReturnWhen, Step};

/// The notes' `secs` for `map` and `as_completed`, chosen so that with any
/// number of workers from 1 to 4 no two tasks end at the same instant.
pub const ORDER_UNITS: [f64; 4] = [6.0, 3.0, 4.0, 2.0];

/// The calls a scenario's main thread makes (the sandbox makes none until
/// the learner does).
pub fn script(scenario: Scenario) -> Vec<Op> {
    let submit = |units: f64| Op::Submit(TaskSpec::returning(units));
    let submit_failing = |units: f64| Op::Submit(TaskSpec::failing(units));
    let result = |future: FutureId| Op::Result { future, timeout_units: None };
    match scenario {
        Scenario::Map => vec![Op::Map(ORDER_UNITS.iter().copied().map(TaskSpec::returning).collect())],
        Scenario::AsCompleted => {
            let mut ops: Vec<Op> = ORDER_UNITS.iter().copied().map(submit).collect();
            ops.push(Op::AsCompleted);
            ops
        }
        Scenario::Cancel => vec![
            submit(3.0),
            submit(4.0),
            submit(2.0),
            Op::Sleep(1.0),
            Op::Cancel(0),
            Op::Cancel(2),
            result(2),
            result(0),
            Op::Sleep(0.5),
            Op::Cancel(0),
            Op::States,
        ],
        Scenario::Timeout => vec![
            submit(5.0),
            submit(2.0),
            Op::Result { future: 1, timeout_units: Some(3.0) },
            Op::Result { future: 0, timeout_units: Some(1.0) },
            Op::Done(0),
            result(0),
        ],
        Scenario::Callbacks => vec![
            submit(2.0),
            submit(4.0),
            submit_failing(1.0),
            Op::Sleep(0.5),
            Op::AddDoneCallback(0),
            Op::AddDoneCallback(1),
            Op::AddDoneCallback(2),
            Op::Sleep(5.0),
            Op::AddDoneCallback(0),
        ],
        Scenario::Exception => {
            vec![submit_failing(2.0), submit(3.0), result(0), Op::Exception(0), Op::Exception(1)]
        }
        Scenario::Wait => vec![
            submit(1.0),
            submit_failing(3.0),
            submit(5.0),
            Op::Wait(ReturnWhen::FirstCompleted),
            Op::Wait(ReturnWhen::FirstException),
            Op::Wait(ReturnWhen::AllCompleted),
        ],
        Scenario::Shutdown => vec![
            submit(3.0),
            submit(4.0),
            submit(2.0),
            submit(5.0),
            Op::Sleep(1.0),
            Op::Shutdown { cancel_futures: true },
            Op::States,
            submit(1.0),
        ],
        Scenario::Sandbox => Vec::new(),
    }
}

/// A scenario played on a virtual clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulated {
    pub program: Program,
    pub time_ms: f64,
    /// Instants where two things happen at once and their order decides
    /// what is printed.
    pub races_at_ms: Vec<f64>,
}

impl Simulated {
    pub fn lines(&self) -> Vec<String> {
        self.program.log.iter().map(|line| line.text.clone()).collect()
    }
}

fn same(first: f64, second: f64) -> bool {
    (first - second).abs() < 1e-6
}

/// Plays `ops` with `max_workers` workers: each task takes exactly its
/// units, each call no time at all.
pub fn simulate(ops: Vec<Op>, max_workers: usize, unit_ms: u32) -> Simulated {
    let mut program = Program::new(ops, max_workers, unit_ms);
    let mut now_ms = 0.0;
    // (end, future, task) of every task running.
    let mut running: Vec<(f64, FutureId, TaskSpec)> = Vec::new();
    let mut starts: Vec<(f64, FutureId)> = Vec::new();
    let mut races_at_ms = Vec::new();
    loop {
        let step = program.advance(now_ms);
        for start in program.take_starts() {
            starts.push((now_ms, start.future));
            running.push((now_ms + start.task.units * f64::from(unit_ms), start.future, start.task));
        }
        let deadline_ms = match step {
            Step::Waiting { until_ms } => until_ms.unwrap_or(f64::INFINITY),
            Step::Idle | Step::Ended => break,
        };
        let next_end_ms = running.iter().map(|(end_ms, ..)| *end_ms).fold(f64::INFINITY, f64::min);
        if deadline_ms.is_infinite() && next_end_ms.is_infinite() {
            // Waits for what never comes: no scenario does.
            races_at_ms.push(now_ms);
            break;
        }
        if deadline_ms < next_end_ms && !same(deadline_ms, next_end_ms) {
            now_ms = deadline_ms;
            continue;
        }
        if same(deadline_ms, next_end_ms) {
            races_at_ms.push(next_end_ms);
        }
        now_ms = next_end_ms;
        let (ending, still): (Vec<_>, Vec<_>) =
            running.into_iter().partition(|(end_ms, ..)| same(*end_ms, now_ms));
        running = still;
        if ending.len() > 1 {
            races_at_ms.push(now_ms);
        }
        for (_, future, task) in ending {
            program.finished(future, task.outcome(future), now_ms);
        }
    }
    // A worker taking a cancelled future off the queue notifies those who
    // wait: a race with a line counting done futures at that instant.
    let notified: Vec<f64> =
        program.executor.futures().iter().filter_map(|record| record.notified_ms).collect();
    races_at_ms.extend(line_races(&program.log, &starts, &notified));
    races_at_ms.extend(program.unordered_at_ms.iter().copied());
    Simulated { program, time_ms: now_ms, races_at_ms }
}

/// A line telling pending from running while its future starts, one
/// counting done futures while a cancelled one is notified, and a
/// callback's line beside one of the main thread's, are races.
fn line_races(log: &[LogLine], starts: &[(f64, FutureId)], notified: &[f64]) -> Vec<f64> {
    let mut races = Vec::new();
    for line in log {
        let started_then = starts.iter().any(|(at_ms, future)| {
            same(*at_ms, line.at_ms)
                && match line.reads {
                    Reads::Nothing | Reads::Done => false,
                    Reads::Future(read) => read == *future,
                    Reads::Every => true,
                }
        }) || (line.reads == Reads::Done
            && notified.iter().any(|at_ms| same(*at_ms, line.at_ms)));
        let beside_other_thread = log.iter().any(|other| {
            same(other.at_ms, line.at_ms) && other.by != line.by && matches!(line.by, Actor::Worker(_))
        });
        if started_then || beside_other_thread {
            races.push(line.at_ms);
        }
    }
    races
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    #[test]
    fn no_scenario_has_a_race_with_one_to_four_workers() {
        for scenario in Scenario::VARIANTS {
            for workers in 1..=4 {
                let simulated = simulate(script(*scenario), workers, 100);
                assert!(
                    simulated.races_at_ms.is_empty(),
                    "{scenario:?} with {workers} workers races at {:?}: {:#?}",
                    simulated.races_at_ms,
                    simulated.program.log
                );
            }
        }
    }

    #[test]
    fn map_keeps_submission_order_and_as_completed_finishing_order() {
        let map = simulate(script(Scenario::Map), 2, 100);
        assert_eq!(map.lines(), ["map -> 10", "map -> 20", "map -> 30", "map -> 40"]);
        let as_completed = simulate(script(Scenario::AsCompleted), 2, 100);
        assert_eq!(
            as_completed.lines(),
            [
                "as_completed -> future 2: 20",
                "as_completed -> future 1: 10",
                "as_completed -> future 3: 30",
                "as_completed -> future 4: 40",
            ]
        );
        // One worker runs them in turn: both orders are the submission's.
        let one = simulate(script(Scenario::AsCompleted), 1, 100);
        assert_eq!(one.lines()[0], "as_completed -> future 1: 10");
        assert_eq!(one.time_ms, 1500.0);
    }

    #[test]
    fn a_timeout_ends_the_wait_not_the_task() {
        let simulated = simulate(script(Scenario::Timeout), 2, 100);
        // Called at 0.2 s, when future 2's result came, it gives up 0.1 s
        // later, while future 1 runs on until 0.5 s.
        let timed_out = simulated.program.log.iter().find(|line| line.text.ends_with("TimeoutError()"));
        assert_eq!(timed_out.map(|line| line.at_ms), Some(300.0));
        assert_eq!(simulated.program.log.last().map(|line| line.at_ms), Some(500.0));
        assert_eq!(
            simulated.lines(),
            [
                "future 2: result(timeout=0.3) -> 20",
                "future 1: result(timeout=0.1) -> TimeoutError()",
                "future 1: done() -> False (running)",
                "future 1: result() -> 10",
            ]
        );
        let cancel = simulate(script(Scenario::Cancel), 2, 100);
        assert_eq!(
            cancel.lines()[..2],
            ["future 1: cancel() -> False (running)", "future 3: cancel() -> True (cancelled)"]
        );
    }
}
