//! `concurrent.futures.ThreadPoolExecutor`'s rules as a state machine:
//! each future is PENDING, then RUNNING on one of `max_workers` workers,
//! then FINISHED (a result or an exception), or CANCELLED while it was
//! still pending. The page drives it with what really happens on the pool
//! (a task started, a task ended), the simulation with a virtual clock;
//! both ask it the same questions.

use std::collections::VecDeque;

use strum::IntoStaticStr;
use thiserror::Error;

/// A future, numbered from 0 in submission order (the page says `future 1`).
pub type FutureId = usize;

/// A future's state, named as `concurrent.futures` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum FutureState {
    Pending,
    Running,
    Cancelled,
    Finished,
}

impl FutureState {
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn is_done(self) -> bool {
        matches!(self, FutureState::Cancelled | FutureState::Finished)
    }
}

/// What a finished task left in its future: a return value, or the repr
/// of the exception it raised (`ValueError('task 3 failed')`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Returned(i64),
    Raised(String),
}

impl Outcome {
    /// As Python prints it: the value, or the exception's repr.
    pub fn text(&self) -> String {
        match self {
            Outcome::Returned(value) => value.to_string(),
            Outcome::Raised(repr) => repr.clone(),
        }
    }
}

/// `do_something(n, seconds, fails)`: sleeps `units` of the run's seconds,
/// then returns `n * 10` or raises `ValueError(f'task {n} failed')`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskSpec {
    pub units: f64,
    pub fails: bool,
}

impl TaskSpec {
    pub fn returning(units: f64) -> Self {
        TaskSpec { units, fails: false }
    }

    pub fn failing(units: f64) -> Self {
        TaskSpec { units, fails: true }
    }

    /// What the task leaves in future `future` once it has slept.
    pub fn outcome(self, future: FutureId) -> Outcome {
        let number = future + 1;
        if self.fails {
            Outcome::Raised(format!("ValueError('task {number} failed')"))
        } else {
            Outcome::Returned(number as i64 * 10)
        }
    }
}

#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
pub enum ExecutorError {
    /// Python's own words, raised as `RuntimeError` by `submit`.
    #[error("cannot schedule new futures after shutdown")]
    ShutDown,
}

/// One future's life, on the run's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct FutureRecord {
    pub task: TaskSpec,
    pub state: FutureState,
    pub outcome: Option<Outcome>,
    /// The worker that ran it, from 0.
    pub worker: Option<usize>,
    pub submitted_ms: f64,
    pub started_ms: Option<f64>,
    /// When it finished or was cancelled.
    pub ended_ms: Option<f64>,
    /// Done callbacks added while it was not done: they run when it ends.
    pub waiting_callbacks: u32,
    /// When a worker took it off the queue cancelled, which tells those
    /// waiting (`CANCELLED_AND_NOTIFIED`): only then do `wait` and
    /// `as_completed` count it done. One cancelled by `shutdown` never is.
    pub notified_ms: Option<f64>,
}

/// What `cancel()` answered, and the done callbacks it must run now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub cancelled: bool,
    pub callbacks: u32,
}

impl FutureRecord {
    /// `outcome(f)` in the Python: the result, the repr of what `result()`
    /// raised, or nothing while it is not done.
    pub fn outcome_text(&self) -> String {
        match (&self.outcome, self.state) {
            (_, FutureState::Cancelled) => "CancelledError()".to_string(),
            (Some(outcome), _) => outcome.text(),
            (None, _) => String::new(),
        }
    }

    /// `exception_of(f)` in the Python, once it is done: what it raised,
    /// `None` if it returned, what `exception()` raises if cancelled.
    pub fn exception_text(&self) -> String {
        match (&self.outcome, self.state) {
            (_, FutureState::Cancelled) => "CancelledError()".to_string(),
            (Some(Outcome::Raised(repr)), _) => repr.clone(),
            _ => "None".to_string(),
        }
    }
}

/// A pending future handed to an idle worker.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Start {
    pub future: FutureId,
    pub worker: usize,
    pub task: TaskSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Executor {
    max_workers: usize,
    futures: Vec<FutureRecord>,
    /// Submitted futures not yet taken by a worker, in submission order:
    /// the work queue. A future cancelled there stays until a worker
    /// takes it (and only notifies), as in Python.
    queue: VecDeque<FutureId>,
    /// What each worker runs now.
    workers: Vec<Option<FutureId>>,
    shut_down: bool,
    /// Futures in the order `wait` and `as_completed` saw them done:
    /// finished, or cancelled and notified.
    done_order: Vec<FutureId>,
}

impl Executor {
    pub fn new(max_workers: usize) -> Self {
        let max_workers = max_workers.max(1);
        Executor {
            max_workers,
            futures: Vec::new(),
            queue: VecDeque::new(),
            workers: vec![None; max_workers],
            shut_down: false,
            done_order: Vec::new(),
        }
    }

    pub fn futures(&self) -> &[FutureRecord] {
        &self.futures
    }

    pub fn future(&self, future: FutureId) -> Option<&FutureRecord> {
        self.futures.get(future)
    }

    pub fn state(&self, future: FutureId) -> Option<FutureState> {
        self.future(future).map(|record| record.state)
    }

    pub fn is_shut_down(&self) -> bool {
        self.shut_down
    }

    pub fn done_order(&self) -> &[FutureId] {
        &self.done_order
    }

    /// `executor.submit(...)`: a pending future, started by `start_ready`.
    pub fn submit(&mut self, task: TaskSpec, now_ms: f64) -> Result<FutureId, ExecutorError> {
        if self.shut_down {
            return Err(ExecutorError::ShutDown);
        }
        let future = self.futures.len();
        self.futures.push(FutureRecord {
            task,
            state: FutureState::Pending,
            outcome: None,
            worker: None,
            submitted_ms: now_ms,
            started_ms: None,
            ended_ms: None,
            waiting_callbacks: 0,
            notified_ms: None,
        });
        self.queue.push_back(future);
        Ok(future)
    }

    /// Idle workers take futures from the queue, oldest first (a worker's
    /// `set_running_or_notify_cancel`): a pending one starts, a cancelled
    /// one is only notified. What must start now.
    pub fn start_ready(&mut self, now_ms: f64) -> Vec<Start> {
        let mut starts = Vec::new();
        while let Some(worker) = self.workers.iter().position(Option::is_none) {
            let Some(future) = self.queue.pop_front() else { break };
            let record = &mut self.futures[future];
            if record.state == FutureState::Cancelled {
                record.notified_ms = Some(now_ms);
                self.done_order.push(future);
                continue;
            }
            record.state = FutureState::Running;
            record.worker = Some(worker);
            record.started_ms = Some(now_ms);
            self.workers[worker] = Some(future);
            starts.push(Start { future, worker, task: record.task });
        }
        starts
    }

    /// When its task really started on its thread, which comes a moment
    /// after the executor handed it over (and is what the timeline draws).
    pub fn started_at(&mut self, future: FutureId, started_ms: f64) {
        if let Some(record) = self.futures.get_mut(future).filter(|record| record.started_ms.is_some()) {
            record.started_ms = Some(started_ms);
        }
    }

    /// `future.cancel()`: true if it was pending (now cancelled) or already
    /// cancelled; false once it runs or has finished. A future cancelled
    /// now runs its waiting done callbacks, in the caller's thread.
    pub fn cancel(&mut self, future: FutureId, now_ms: f64) -> Cancelled {
        let refused = Cancelled { cancelled: false, callbacks: 0 };
        let Some(record) = self.futures.get_mut(future) else { return refused };
        match record.state {
            FutureState::Cancelled => Cancelled { cancelled: true, callbacks: 0 },
            FutureState::Running | FutureState::Finished => refused,
            FutureState::Pending => {
                record.state = FutureState::Cancelled;
                record.ended_ms = Some(now_ms);
                let callbacks = std::mem::take(&mut record.waiting_callbacks);
                Cancelled { cancelled: true, callbacks }
            }
        }
    }

    /// A running task ended: its future finishes and its worker is free.
    /// Returns how many done callbacks must run now (in the worker, as
    /// Python runs them); `None` if the future was not running.
    pub fn finish(&mut self, future: FutureId, outcome: Outcome, now_ms: f64) -> Option<u32> {
        let record = self.futures.get_mut(future).filter(|record| record.state == FutureState::Running)?;
        record.state = FutureState::Finished;
        record.outcome = Some(outcome);
        record.ended_ms = Some(now_ms);
        let callbacks = std::mem::take(&mut record.waiting_callbacks);
        if let Some(worker) = record.worker {
            self.workers[worker] = None;
        }
        self.done_order.push(future);
        Some(callbacks)
    }

    /// `future.add_done_callback(fn)`: true if it runs at once (the future
    /// is done), false if it waits for the future to end.
    pub fn add_done_callback(&mut self, future: FutureId) -> bool {
        let Some(record) = self.futures.get_mut(future) else { return false };
        if record.state.is_done() {
            return true;
        }
        record.waiting_callbacks += 1;
        false
    }

    /// `executor.shutdown(cancel_futures=…)`: no new submissions; with
    /// `cancel_futures`, every pending future is cancelled (returned), and
    /// running ones go on to their end. Returns each future cancelled
    /// with the callbacks it must run.
    pub fn shutdown(&mut self, cancel_futures: bool, now_ms: f64) -> Vec<(FutureId, u32)> {
        self.shut_down = true;
        if !cancel_futures {
            return Vec::new();
        }
        // The queue is emptied: what was in it is never taken, so never
        // notified, pending or already cancelled.
        let queued: Vec<FutureId> = self.queue.drain(..).collect();
        let pending: Vec<FutureId> =
            queued.into_iter().filter(|future| self.state(*future) == Some(FutureState::Pending)).collect();
        pending.into_iter().map(|future| (future, self.cancel(future, now_ms).callbacks)).collect()
    }

    /// Done as `wait` and `as_completed` see it: finished, or cancelled
    /// and notified.
    pub fn is_counted_done(&self, future: FutureId) -> bool {
        self.future(future).is_some_and(|record| {
            record.state == FutureState::Finished
                || (record.state == FutureState::Cancelled && record.notified_ms.is_some())
        })
    }

    /// Nothing runs and nothing waits to run.
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.workers.iter().all(Option::is_none)
    }

    #[cfg(test)]
    pub fn running(&self) -> usize {
        self.workers.iter().filter(|worker| worker.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(Clone, Debug)]
    enum Action {
        Submit(bool),
        Start,
        Cancel(usize),
        Finish(usize),
        Callback(usize),
        Shutdown(bool),
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            any::<bool>().prop_map(Action::Submit),
            Just(Action::Start),
            (0usize..12).prop_map(Action::Cancel),
            (0usize..12).prop_map(Action::Finish),
            (0usize..12).prop_map(Action::Callback),
            any::<bool>().prop_map(Action::Shutdown),
        ]
    }

    proptest! {
        /// Whatever is done to it, the executor keeps Python's rules.
        #[test]
        fn keeps_pythons_rules(workers in 1usize..4, actions in prop::collection::vec(action(), 0..60)) {
            let mut executor = Executor::new(workers);
            let mut callbacks_added = vec![0u32; 0];
            let mut callbacks_run = vec![0u32; 0];
            for (step, action) in actions.into_iter().enumerate() {
                let now_ms = step as f64;
                let before: Vec<FutureState> = executor.futures().iter().map(|record| record.state).collect();
                match action {
                    Action::Submit(fails) => {
                        let submitted = executor.submit(TaskSpec { units: 1.0, fails }, now_ms);
                        prop_assert_eq!(submitted.is_err(), executor.is_shut_down());
                        if submitted.is_ok() {
                            callbacks_added.push(0);
                            callbacks_run.push(0);
                        }
                    }
                    Action::Start => {
                        for start in executor.start_ready(now_ms) {
                            prop_assert_eq!(before[start.future], FutureState::Pending);
                        }
                    }
                    Action::Cancel(future) => {
                        let answer = executor.cancel(future, now_ms);
                        let cancelled = answer.cancelled;
                        if future < callbacks_run.len() {
                            callbacks_run[future] += answer.callbacks;
                        }
                        if let Some(state) = before.get(future) {
                            // cancel() succeeds only while pending (or once cancelled).
                            prop_assert_eq!(
                                cancelled,
                                matches!(state, FutureState::Pending | FutureState::Cancelled)
                            );
                        }
                    }
                    Action::Finish(future) => {
                        let task = executor.future(future).map(|record| record.task);
                        let finished = task.and_then(|task| executor.finish(future, task.outcome(future), now_ms));
                        prop_assert_eq!(finished.is_some(), before.get(future) == Some(&FutureState::Running));
                        if let Some(callbacks) = finished {
                            callbacks_run[future] += callbacks;
                        }
                    }
                    Action::Callback(future) => {
                        if future < callbacks_added.len() {
                            callbacks_added[future] += 1;
                            if executor.add_done_callback(future) {
                                // A callback added to a done future runs at once.
                                prop_assert!(before[future].is_done());
                                callbacks_run[future] += 1;
                            }
                        }
                    }
                    Action::Shutdown(cancel_futures) => {
                        for (future, callbacks) in executor.shutdown(cancel_futures, now_ms) {
                            callbacks_run[future] += callbacks;
                            prop_assert!(cancel_futures);
                            prop_assert_eq!(before[future], FutureState::Pending);
                        }
                    }
                }
                prop_assert!(executor.running() <= workers);
                // A state only moves forward: pending, running, finished; or
                // pending, cancelled. Done never changes.
                for (future, record) in executor.futures().iter().enumerate() {
                    if let Some(old) = before.get(future) {
                        let allowed = match old {
                            FutureState::Pending => true,
                            FutureState::Running => {
                                matches!(record.state, FutureState::Running | FutureState::Finished)
                            }
                            FutureState::Cancelled | FutureState::Finished => record.state == *old,
                        };
                        prop_assert!(allowed, "{:?} -> {:?}", old, record.state);
                    }
                    prop_assert_eq!(record.outcome.is_some(), record.state == FutureState::Finished);
                }
            }
            // Every callback added to a done future ran exactly once.
            for (future, record) in executor.futures().iter().enumerate() {
                if record.state.is_done() {
                    prop_assert_eq!(callbacks_run[future], callbacks_added[future]);
                }
            }
            // Done futures appear once each, in the order they ended.
            let mut seen = executor.done_order().to_vec();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), executor.done_order().len());
        }
    }

    #[test]
    fn workers_take_the_queue_in_submission_order() {
        let mut executor = Executor::new(2);
        for units in [3.0, 1.0, 2.0] {
            executor.submit(TaskSpec::returning(units), 0.0).ok();
        }
        let started: Vec<(FutureId, usize)> =
            executor.start_ready(0.0).iter().map(|start| (start.future, start.worker)).collect();
        assert_eq!(started, vec![(0, 0), (1, 1)]);
        assert_eq!(executor.finish(1, Outcome::Returned(20), 1.0), Some(0));
        let next = executor.start_ready(1.0);
        assert_eq!(next.iter().map(|start| (start.future, start.worker)).collect::<Vec<_>>(), vec![(2, 1)]);
        assert_eq!(TaskSpec::failing(1.0).outcome(2).text(), "ValueError('task 3 failed')");
        executor.shutdown(false, 2.0);
        assert_eq!(executor.submit(TaskSpec::returning(1.0), 2.0), Err(ExecutorError::ShutDown));
    }
}
