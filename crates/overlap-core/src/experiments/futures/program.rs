//! A Python main thread's calls on an executor, as steps that can be
//! played on any clock: the page plays them on real time with tasks on
//! the pool, `simulate` on a virtual one. Each call prints what the
//! scenario's Python prints, so a run's lines can be held against
//! CPython's.

use crate::experiments::futures::executor::{
    Executor, FutureId, FutureRecord, FutureState, Outcome, Start, TaskSpec,
};
use crate::records::span::{Span, SpanState};

/// `wait(fs, return_when=…)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnWhen {
    FirstCompleted,
    FirstException,
    AllCompleted,
}

impl ReturnWhen {
    pub fn name(self) -> &'static str {
        match self {
            ReturnWhen::FirstCompleted => "FIRST_COMPLETED",
            ReturnWhen::FirstException => "FIRST_EXCEPTION",
            ReturnWhen::AllCompleted => "ALL_COMPLETED",
        }
    }
}

/// One call of the main thread. Futures are numbered by submission.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// `f = executor.submit(do_something, n, units)`.
    Submit(TaskSpec),
    /// `time.sleep(units * UNIT)`.
    Sleep(f64),
    /// Time the sandbox's learner took before the next call: a sleep in
    /// the Python written down, already passed when it is played.
    Idle(f64),
    /// `f.cancel()`.
    Cancel(FutureId),
    /// `f.done()`.
    Done(FutureId),
    /// `f.result(timeout)`.
    Result { future: FutureId, timeout_units: Option<f64> },
    /// `f.exception()`.
    Exception(FutureId),
    /// `f.add_done_callback(partial(report, n))`.
    AddDoneCallback(FutureId),
    /// `for result in executor.map(do_something, …)`.
    Map(Vec<TaskSpec>),
    /// `for f in as_completed(fs)` over every future so far.
    AsCompleted,
    /// `wait(fs, return_when)` over every future so far.
    Wait(ReturnWhen),
    /// `executor.shutdown(wait=True, cancel_futures=…)`.
    Shutdown { cancel_futures: bool },
    /// Every future's state, one line each.
    States,
}

/// Who printed a line: the main thread, or a worker running a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Main,
    Worker(usize),
}

/// What a line tells of the futures' states: a task starting (pending
/// from running) or a cancelled future notified (done for `wait`) at the
/// same instant makes it a race.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads {
    Nothing,
    /// Pending or running, of one future.
    Future(FutureId),
    /// Pending or running, of every one.
    Every,
    /// Which are done, as `wait` and `as_completed` count them.
    Done,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub at_ms: f64,
    pub by: Actor,
    pub text: String,
    pub reads: Reads,
}

/// What the main thread does after a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Blocked (in a sleep, a result, a wait…) until a task ends or, if
    /// given, until then.
    Waiting { until_ms: Option<f64> },
    /// Nothing left to call yet (the sandbox waits for the learner).
    Idle,
    /// The program has ended, and so has every task.
    Ended,
}

#[derive(Clone, Debug, PartialEq)]
enum Blocked {
    Sleep {
        until_ms: f64,
    },
    Result {
        future: FutureId,
        timeout_units: Option<f64>,
        until_ms: Option<f64>,
    },
    Exception {
        future: FutureId,
    },
    Map {
        futures: Vec<FutureId>,
        next: usize,
    },
    AsCompleted {
        futures: Vec<FutureId>,
        yielded: Vec<FutureId>,
    },
    Wait {
        futures: Vec<FutureId>,
        when: ReturnWhen,
    },
    Shutdown {
        cancel_futures: bool,
    },
    /// The `with` block's exit: `shutdown(wait=True)`, printing nothing.
    Exit,
}

/// The number a reader sees: `future 1` is the first submitted.
fn number(future: FutureId) -> usize {
    future + 1
}

fn python_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// Seconds as Python prints a float literal (`0.5`, `1.0`).
pub fn python_seconds(units: f64, unit_ms: u32) -> String {
    let seconds = (units * f64::from(unit_ms)).round() / 1000.0;
    if seconds.fract() == 0.0 { format!("{seconds:.1}") } else { format!("{seconds}") }
}

fn numbers(futures: &[FutureId]) -> String {
    let shown: Vec<String> = futures.iter().map(|future| number(*future).to_string()).collect();
    format!("[{}]", shown.join(", "))
}

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    ops: Vec<Op>,
    next_op: usize,
    /// The sandbox: ops come as the learner calls them, and the program
    /// ends only after a shutdown.
    open: bool,
    pub executor: Executor,
    unit_ms: u32,
    blocked: Option<Blocked>,
    blocked_since_ms: f64,
    starts: Vec<Start>,
    /// Futures submitted on their own, which the Python names.
    named: Vec<FutureId>,
    pub log: Vec<LogLine>,
    /// The main thread's blocked waits on futures.
    main_spans: Vec<Span>,
    /// `as_completed` began with two or more futures already done: it
    /// yields those in a set's order, which no clock decides.
    pub unordered_at_ms: Vec<f64>,
}

impl Program {
    pub fn new(ops: Vec<Op>, max_workers: usize, unit_ms: u32) -> Self {
        Program {
            ops,
            next_op: 0,
            open: false,
            executor: Executor::new(max_workers),
            unit_ms,
            blocked: None,
            blocked_since_ms: 0.0,
            starts: Vec::new(),
            named: Vec::new(),
            log: Vec::new(),
            main_spans: Vec::new(),
            unordered_at_ms: Vec::new(),
        }
    }

    /// A sandbox: no calls yet, more come with `push`.
    pub fn open(max_workers: usize, unit_ms: u32) -> Self {
        Program { open: true, ..Program::new(Vec::new(), max_workers, unit_ms) }
    }

    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    pub fn unit_ms(&self) -> u32 {
        self.unit_ms
    }

    /// The learner's next call; played at the next `advance`.
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    /// The main thread is free to take a call now.
    pub fn is_free(&self) -> bool {
        self.blocked.is_none() && self.next_op >= self.ops.len()
    }

    /// When the main thread's wait ends by itself, if it does.
    pub fn deadline_ms(&self) -> Option<f64> {
        match self.blocked {
            Some(Blocked::Sleep { until_ms }) => Some(until_ms),
            Some(Blocked::Result { until_ms, .. }) => until_ms,
            _ => None,
        }
    }

    /// The main thread's wait on futures from when it began to `end_ms`
    /// (none for a sleep, whose start is infinitely late).
    fn main_wait(&self, end_ms: f64) -> Option<Span> {
        (self.blocked_since_ms < end_ms).then_some(Span {
            task: None,
            lane: Some(0),
            state: SpanState::WaitingForResult,
            start_ms: self.blocked_since_ms,
            end_ms,
        })
    }

    /// Tasks handed to workers since the last call: the caller starts them.
    pub fn take_starts(&mut self) -> Vec<Start> {
        std::mem::take(&mut self.starts)
    }

    fn ms(&self, units: f64) -> f64 {
        units * f64::from(self.unit_ms)
    }

    fn say(&mut self, at_ms: f64, by: Actor, text: String, reads: Reads) {
        self.log.push(LogLine { at_ms, by, text, reads });
    }

    fn start_ready(&mut self, now_ms: f64) {
        let starts = self.executor.start_ready(now_ms);
        self.starts.extend(starts);
    }

    fn state(&self, future: FutureId) -> FutureState {
        self.executor.state(future).unwrap_or(FutureState::Pending)
    }

    fn is_done(&self, future: FutureId) -> bool {
        self.state(future).is_done()
    }

    /// `outcome(f)` in the Python: the result, or the repr of what
    /// `result()` raised.
    fn outcome_text(&self, future: FutureId) -> String {
        self.executor.future(future).map(FutureRecord::outcome_text).unwrap_or_default()
    }

    /// `report(n, f)`, the done callback.
    fn report(&mut self, future: FutureId, at_ms: f64, by: Actor) {
        let text = if self.state(future) == FutureState::Cancelled {
            format!("callback: future {} cancelled", number(future))
        } else {
            format!("callback: future {} -> {}", number(future), self.outcome_text(future))
        };
        self.say(at_ms, by, text, Reads::Nothing);
    }

    /// A task's real start on its thread, as its thread timed it.
    pub fn started_at(&mut self, future: FutureId, started_ms: f64) {
        self.executor.started_at(future, started_ms);
    }

    /// A task ended on its worker at `now_ms` with `outcome`.
    pub fn finished(&mut self, future: FutureId, outcome: Outcome, now_ms: f64) {
        let worker = self.executor.future(future).and_then(|record| record.worker).unwrap_or(0);
        if let Some(callbacks) = self.executor.finish(future, outcome, now_ms) {
            for _ in 0..callbacks {
                self.report(future, now_ms, Actor::Worker(worker));
            }
        }
        self.start_ready(now_ms);
    }

    /// Runs the main thread at `now_ms` as far as it goes without waiting.
    pub fn advance(&mut self, now_ms: f64) -> Step {
        loop {
            if let Some(blocked) = self.blocked.take() {
                match self.try_unblock(blocked, now_ms) {
                    Ok(()) => self.main_spans.extend(self.main_wait(now_ms)),
                    Err(blocked) => {
                        self.blocked = Some(blocked);
                        return Step::Waiting { until_ms: self.deadline_ms() };
                    }
                }
            }
            let Some(op) = self.ops.get(self.next_op).cloned() else {
                if self.open && !self.executor.is_shut_down() {
                    return Step::Idle;
                }
                if self.executor.is_idle() {
                    return Step::Ended;
                }
                self.block(Blocked::Exit, now_ms);
                continue;
            };
            self.next_op += 1;
            self.call(op, now_ms);
        }
    }

    fn block(&mut self, blocked: Blocked, now_ms: f64) {
        // A sleep is not a wait on futures: the main lane shows only those.
        self.blocked_since_ms = if matches!(blocked, Blocked::Sleep { .. }) { f64::INFINITY } else { now_ms };
        self.blocked = Some(blocked);
    }

    fn call(&mut self, op: Op, now_ms: f64) {
        match op {
            Op::Submit(task) => match self.executor.submit(task, now_ms) {
                Ok(future) => {
                    self.named.push(future);
                    self.start_ready(now_ms);
                }
                Err(error) => self.say(
                    now_ms,
                    Actor::Main,
                    format!("submit() -> RuntimeError('{error}')"),
                    Reads::Nothing,
                ),
            },
            Op::Idle(_) => {}
            Op::Sleep(units) => {
                let until_ms = now_ms + self.ms(units);
                self.block(Blocked::Sleep { until_ms }, now_ms);
            }
            Op::Cancel(future) => {
                let answer = self.executor.cancel(future, now_ms);
                // `cancel()` runs the callbacks before it returns, so they
                // print before the line that shows what it returned.
                for _ in 0..answer.callbacks {
                    self.report(future, now_ms, Actor::Main);
                }
                let text = format!(
                    "future {}: cancel() -> {} ({})",
                    number(future),
                    python_bool(answer.cancelled),
                    self.state(future).name()
                );
                self.say(now_ms, Actor::Main, text, Reads::Future(future));
            }
            Op::Done(future) => {
                let text = format!(
                    "future {}: done() -> {} ({})",
                    number(future),
                    python_bool(self.is_done(future)),
                    self.state(future).name()
                );
                self.say(now_ms, Actor::Main, text, Reads::Future(future));
            }
            Op::Result { future, timeout_units } => {
                let until_ms = timeout_units.map(|units| now_ms + self.ms(units));
                self.block(Blocked::Result { future, timeout_units, until_ms }, now_ms);
            }
            Op::Exception(future) => self.block(Blocked::Exception { future }, now_ms),
            Op::AddDoneCallback(future) => {
                let text =
                    format!("future {}: add_done_callback() ({})", number(future), self.state(future).name());
                self.say(now_ms, Actor::Main, text, Reads::Future(future));
                if self.executor.add_done_callback(future) {
                    self.report(future, now_ms, Actor::Main);
                }
            }
            Op::Map(tasks) => {
                let mut futures = Vec::new();
                for task in tasks {
                    match self.executor.submit(task, now_ms) {
                        Ok(future) => futures.push(future),
                        Err(error) => self.say(
                            now_ms,
                            Actor::Main,
                            format!("map() -> RuntimeError('{error}')"),
                            Reads::Nothing,
                        ),
                    }
                }
                self.start_ready(now_ms);
                self.block(Blocked::Map { futures, next: 0 }, now_ms);
            }
            Op::AsCompleted => {
                let futures = self.named.clone();
                if futures.iter().filter(|future| self.executor.is_counted_done(**future)).count() > 1 {
                    self.unordered_at_ms.push(now_ms);
                }
                self.block(Blocked::AsCompleted { futures, yielded: Vec::new() }, now_ms);
            }
            Op::Wait(when) => {
                let futures = self.named.clone();
                self.block(Blocked::Wait { futures, when }, now_ms);
            }
            Op::Shutdown { cancel_futures } => {
                for (future, callbacks) in self.executor.shutdown(cancel_futures, now_ms) {
                    for _ in 0..callbacks {
                        self.report(future, now_ms, Actor::Main);
                    }
                }
                self.block(Blocked::Shutdown { cancel_futures }, now_ms);
            }
            Op::States => {
                for future in self.named.clone() {
                    let text = format!("future {}: {}", number(future), self.state(future).name());
                    self.say(now_ms, Actor::Main, text, Reads::Every);
                }
            }
        }
    }

    /// `Ok` once the wait is over (having printed what it prints), else
    /// the wait as it stands.
    fn try_unblock(&mut self, blocked: Blocked, now_ms: f64) -> Result<(), Blocked> {
        match blocked {
            Blocked::Sleep { until_ms } if now_ms >= until_ms => Ok(()),
            Blocked::Result { future, timeout_units, until_ms } => {
                let call = match timeout_units {
                    Some(units) => format!("result(timeout={})", python_seconds(units, self.unit_ms)),
                    None => "result()".to_string(),
                };
                if self.is_done(future) {
                    let text = format!("future {}: {call} -> {}", number(future), self.outcome_text(future));
                    self.say(now_ms, Actor::Main, text, Reads::Nothing);
                    Ok(())
                } else if until_ms.is_some_and(|until_ms| now_ms >= until_ms) {
                    // The task goes on running: only the wait ended.
                    self.say(
                        now_ms,
                        Actor::Main,
                        format!("future {}: {call} -> TimeoutError()", number(future)),
                        Reads::Nothing,
                    );
                    Ok(())
                } else {
                    Err(Blocked::Result { future, timeout_units, until_ms })
                }
            }
            Blocked::Exception { future } if self.is_done(future) => {
                let said = self
                    .executor
                    .future(future)
                    .map_or_else(|| "None".to_string(), FutureRecord::exception_text);
                self.say(
                    now_ms,
                    Actor::Main,
                    format!("future {}: exception() -> {said}", number(future)),
                    Reads::Nothing,
                );
                Ok(())
            }
            Blocked::Map { futures, mut next } => {
                while let Some(future) = futures.get(next).copied().filter(|future| self.is_done(*future)) {
                    if let Some(Outcome::Raised(repr)) =
                        self.executor.future(future).and_then(|record| record.outcome.clone())
                    {
                        // The exception leaves the loop, and the generator
                        // cancels what it had not yet yielded.
                        for rest in &futures[next + 1..] {
                            let callbacks = self.executor.cancel(*rest, now_ms).callbacks;
                            for _ in 0..callbacks {
                                self.report(*rest, now_ms, Actor::Main);
                            }
                        }
                        self.say(now_ms, Actor::Main, format!("map raised {repr}"), Reads::Nothing);
                        return Ok(());
                    }
                    let text = format!("map -> {}", self.outcome_text(future));
                    self.say(now_ms, Actor::Main, text, Reads::Nothing);
                    next += 1;
                }
                if next >= futures.len() { Ok(()) } else { Err(Blocked::Map { futures, next }) }
            }
            Blocked::AsCompleted { futures, mut yielded } => {
                // In the order `as_completed` sees them done.
                let ready: Vec<FutureId> = self
                    .executor
                    .done_order()
                    .iter()
                    .copied()
                    .filter(|future| futures.contains(future) && !yielded.contains(future))
                    .collect();
                for future in ready {
                    let text =
                        format!("as_completed -> future {}: {}", number(future), self.outcome_text(future));
                    self.say(now_ms, Actor::Main, text, Reads::Nothing);
                    yielded.push(future);
                }
                if yielded.len() >= futures.len() {
                    Ok(())
                } else {
                    Err(Blocked::AsCompleted { futures, yielded })
                }
            }
            Blocked::Wait { futures, when } => {
                let (done, not_done): (Vec<FutureId>, Vec<FutureId>) =
                    futures.iter().partition(|future| self.executor.is_counted_done(**future));
                let raised = done.iter().any(|future| {
                    matches!(
                        self.executor.future(*future).and_then(|record| record.outcome.as_ref()),
                        Some(Outcome::Raised(_))
                    )
                });
                let over = match when {
                    ReturnWhen::FirstCompleted => !done.is_empty() || futures.is_empty(),
                    ReturnWhen::FirstException => raised || not_done.is_empty(),
                    ReturnWhen::AllCompleted => not_done.is_empty(),
                };
                if over {
                    let text = format!(
                        "wait({}) -> done {}, not done {}",
                        when.name(),
                        numbers(&done),
                        numbers(&not_done)
                    );
                    self.say(now_ms, Actor::Main, text, Reads::Done);
                    Ok(())
                } else {
                    Err(Blocked::Wait { futures, when })
                }
            }
            Blocked::Shutdown { cancel_futures } if self.executor.is_idle() => {
                let call = if cancel_futures { "shutdown(cancel_futures=True)" } else { "shutdown()" };
                self.say(now_ms, Actor::Main, format!("{call} returned"), Reads::Nothing);
                Ok(())
            }
            Blocked::Exit if self.executor.is_idle() => Ok(()),
            blocked => Err(blocked),
        }
    }

    /// Lane 0 is the main thread, lane `n` future `n`: pending, then
    /// running (failed if it raised), or cancelled while pending; what is
    /// not over yet drawn up to `now_ms`.
    pub fn spans(&self, now_ms: f64) -> Vec<Span> {
        let mut spans = self.main_spans.clone();
        if self.blocked.is_some() {
            spans.extend(self.main_wait(now_ms));
        }
        for (future, record) in self.executor.futures().iter().enumerate() {
            let lane = Some(number(future) as u32);
            let task = Some(number(future) as u32);
            let pending_end_ms = record.started_ms.or(record.ended_ms).unwrap_or(now_ms);
            let pending_state =
                if record.state == FutureState::Cancelled { SpanState::Cancelled } else { SpanState::Queued };
            spans.push(Span {
                task,
                lane,
                state: pending_state,
                start_ms: record.submitted_ms,
                end_ms: pending_end_ms,
            });
            if let Some(started_ms) = record.started_ms {
                let state = match record.outcome {
                    Some(Outcome::Raised(_)) => SpanState::Failed,
                    _ => SpanState::Running,
                };
                spans.push(Span {
                    task,
                    lane,
                    state,
                    start_ms: started_ms,
                    end_ms: record.ended_ms.unwrap_or(now_ms),
                });
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_prints_seconds_as_it_would() {
        assert_eq!(python_seconds(5.0, 100), "0.5");
        assert_eq!(python_seconds(10.0, 100), "1.0");
        assert_eq!(python_seconds(3.0, 100), "0.3");
        assert_eq!(python_seconds(1.5, 1000), "1.5");
        assert_eq!(python_seconds(0.5, 50), "0.025");
    }
}
