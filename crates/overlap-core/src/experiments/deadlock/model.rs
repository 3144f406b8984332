//! What each scenario's threads do, as plain steps a pool thread carries
//! out on shared resources (locks, forks, futures, worker places), and
//! how the resources' state is written in one word each.

use crate::experiments::deadlock::params::Scenario;
use crate::lang::Lang;

/// How long a thread holds its first resource before it reaches for the
/// second: long enough that every thread has its first before any asks
/// for its second, so the broken variants always deadlock.
pub const HOLD_MS: f64 = 100.0;
/// The work done once a thread has everything (a philosopher eats).
pub const WORK_MS: f64 = 30.0;
/// `result(timeout=…)` in the fixed `mutual` variant.
pub const FIXED_TIMEOUT_MS: f64 = 300.0;

/// A resource's word: free (a lock) or done (a future), pending (a
/// submitted task's future, no worker on it yet), not yet submitted, or
/// held by thread `t` (`HELD_BY_FIRST + t`).
pub const FREE: u32 = 0;
pub const PENDING: u32 = 1;
pub const UNSUBMITTED: u32 = 2;
pub const HELD_BY_FIRST: u32 = 3;

/// A thread's "waits for nothing".
pub const WAITS_FOR_NOTHING: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// `threading.Lock()`, named by a letter.
    Lock(char),
    /// A philosopher's fork, from 1.
    Fork(u32),
    /// A task's `Future`, named as the Python names it.
    Future(&'static str),
    /// One of a pool's worker places, from 1: a pending task needs one.
    Worker(u32),
}

impl ResourceKind {
    pub fn name(self, lang: Lang) -> String {
        match (self, lang) {
            (ResourceKind::Lock(letter), Lang::En) => format!("lock {letter}"),
            (ResourceKind::Lock(letter), Lang::ZhCn) => format!("锁 {letter}"),
            (ResourceKind::Fork(fork), Lang::En) => format!("fork {fork}"),
            (ResourceKind::Fork(fork), Lang::ZhCn) => format!("叉子 {fork}"),
            (ResourceKind::Future(name), Lang::En) => format!("future {name}"),
            (ResourceKind::Future(name), Lang::ZhCn) => format!("Future {name}"),
            (ResourceKind::Worker(worker), Lang::En) => format!("worker slot {worker}"),
            (ResourceKind::Worker(worker), Lang::ZhCn) => format!("工作线程位 {worker}"),
        }
    }

    /// Its word before the run starts.
    pub fn initial(self) -> u32 {
        match self {
            ResourceKind::Lock(_) | ResourceKind::Fork(_) | ResourceKind::Worker(_) => FREE,
            ResourceKind::Future(_) => PENDING,
        }
    }
}

/// One step of a thread; resources are indices into `Lab::resources`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Takes a resource no one else can want now (its own future, its
    /// worker place).
    Hold(usize),
    /// Waits until the resource is free, then holds it (`with lock:`).
    Acquire { resource: usize, timeout_ms: Option<f64> },
    /// Waits until a future is done (`future.result()`).
    AwaitDone { resource: usize, timeout_ms: Option<f64> },
    /// Frees a lock, or finishes a future.
    Release(usize),
    /// Puts a task's future in the pool's queue.
    Submit(usize),
    /// A worker waits for a task to be submitted, then runs it.
    TakeWhenSubmitted(usize),
    /// Computes (or sleeps, for the Python) for a while.
    Work(f64),
}

/// One task a thread runs: if a wait in it times out, the task ends there
/// (TimeoutError) and what it held is let go, as `with` blocks and a
/// finished future let go; the thread goes on with its next task.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadScript {
    /// Its worker place, held for its whole life, if it is a pool's worker.
    pub worker: Option<usize>,
    pub tasks: Vec<Task>,
}

/// `with first: … with second: …`: take one, hold it a while, take the
/// other, work, let both go (a thread with two locks, a philosopher).
fn both_in_turn(first: usize, second: usize) -> Task {
    Task {
        steps: vec![
            Step::Acquire { resource: first, timeout_ms: None },
            Step::Work(HOLD_MS),
            Step::Acquire { resource: second, timeout_ms: None },
            Step::Work(WORK_MS),
            Step::Release(second),
            Step::Release(first),
        ],
    }
}

/// A scenario's resources and threads.
#[derive(Clone, Debug, PartialEq)]
pub struct Lab {
    pub resources: Vec<ResourceKind>,
    pub threads: Vec<ThreadScript>,
}

impl Lab {
    pub fn of(scenario: Scenario, fixed: bool, philosophers: u32) -> Lab {
        let task = |steps: Vec<Step>| Task { steps };
        match scenario {
            Scenario::Locks => {
                let (a, b) = (0, 1);
                let both = |first: usize, second: usize| vec![both_in_turn(first, second)];
                let second_thread = if fixed { both(a, b) } else { both(b, a) };
                Lab {
                    resources: vec![ResourceKind::Lock('A'), ResourceKind::Lock('B')],
                    threads: vec![
                        ThreadScript { worker: None, tasks: both(a, b) },
                        ThreadScript { worker: None, tasks: second_thread },
                    ],
                }
            }
            Scenario::Philosophers => {
                let threads = (0..philosophers as usize)
                    .map(|index| {
                        let (left, right) = (index, (index + 1) % philosophers as usize);
                        let (first, second) =
                            if fixed { (left.min(right), left.max(right)) } else { (left, right) };
                        ThreadScript { worker: None, tasks: vec![both_in_turn(first, second)] }
                    })
                    .collect();
                Lab { resources: (1..=philosophers).map(ResourceKind::Fork).collect(), threads }
            }
            Scenario::Mutual => {
                let (future_a, future_b, worker_1, worker_2) = (0, 1, 2, 3);
                let waits_on = |own: usize, other: usize, timeout_ms: Option<f64>| {
                    vec![task(vec![
                        Step::Hold(own),
                        Step::Work(HOLD_MS),
                        Step::AwaitDone { resource: other, timeout_ms },
                        Step::Release(own),
                    ])]
                };
                Lab {
                    resources: vec![
                        ResourceKind::Future("a"),
                        ResourceKind::Future("b"),
                        ResourceKind::Worker(1),
                        ResourceKind::Worker(2),
                    ],
                    threads: vec![
                        ThreadScript {
                            worker: Some(worker_1),
                            tasks: waits_on(future_a, future_b, fixed.then_some(FIXED_TIMEOUT_MS)),
                        },
                        ThreadScript { worker: Some(worker_2), tasks: waits_on(future_b, future_a, None) },
                    ],
                }
            }
            Scenario::SelfWait => {
                let (future_waiting, future_pow, worker_1, worker_2) = (0, 1, 2, 3);
                let waiting = task(vec![
                    Step::Hold(future_waiting),
                    Step::Work(WORK_MS),
                    Step::Submit(future_pow),
                    Step::AwaitDone { resource: future_pow, timeout_ms: None },
                    Step::Release(future_waiting),
                ]);
                let pow = task(vec![
                    Step::TakeWhenSubmitted(future_pow),
                    Step::Work(WORK_MS),
                    Step::Release(future_pow),
                ]);
                let mut resources = vec![
                    ResourceKind::Future("wait_on_future()"),
                    ResourceKind::Future("pow(5, 2)"),
                    ResourceKind::Worker(1),
                ];
                let threads = if fixed {
                    resources.push(ResourceKind::Worker(2));
                    vec![
                        ThreadScript { worker: Some(worker_1), tasks: vec![waiting] },
                        ThreadScript { worker: Some(worker_2), tasks: vec![pow] },
                    ]
                } else {
                    // One worker: pow waits in the queue behind the task
                    // that waits for it.
                    vec![ThreadScript { worker: Some(worker_1), tasks: vec![waiting, pow] }]
                };
                Lab { resources, threads }
            }
        }
    }

    /// The resources' words before the run starts.
    pub fn initial_words(&self) -> Vec<u32> {
        self.resources
            .iter()
            .enumerate()
            .map(|(index, kind)| {
                let submitted_later = self.threads.iter().flat_map(|thread| &thread.tasks).any(|task| {
                    task.steps.iter().any(|step| matches!(step, Step::Submit(resource) if *resource == index))
                });
                if submitted_later { UNSUBMITTED } else { kind.initial() }
            })
            .collect()
    }

    /// The worker places of the pool, if the threads are a pool's workers.
    pub fn worker_places(&self) -> Vec<usize> {
        self.resources
            .iter()
            .enumerate()
            .filter(|(_, kind)| matches!(kind, ResourceKind::Worker(_)))
            .map(|(index, _)| index)
            .collect()
    }

    /// A thread's name on its lane and in the graph.
    pub fn thread_name(&self, scenario: Scenario, thread: usize, lang: Lang) -> String {
        let number = thread + 1;
        match (scenario, lang) {
            (Scenario::Philosophers, Lang::En) => format!("philosopher {number}"),
            (Scenario::Philosophers, Lang::ZhCn) => format!("哲学家 {number}"),
            (Scenario::Mutual, Lang::En) => format!("worker {number} (task {})", ["a", "b"][thread % 2]),
            (Scenario::Mutual, Lang::ZhCn) => format!("工作线程 {number}（任务 {}）", ["a", "b"][thread % 2]),
            (Scenario::SelfWait, Lang::En) => format!("worker {number}"),
            (Scenario::SelfWait, Lang::ZhCn) => format!("工作线程 {number}"),
            (Scenario::Locks, Lang::En) => format!("thread {number}"),
            (Scenario::Locks, Lang::ZhCn) => format!("线程 {number}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_broken_locks_take_opposite_orders_and_the_fixed_one_order() {
        let first_two = |lab: &Lab, thread: usize| -> Vec<usize> {
            lab.threads[thread].tasks[0]
                .steps
                .iter()
                .filter_map(|step| match step {
                    Step::Acquire { resource, .. } => Some(*resource),
                    _ => None,
                })
                .collect()
        };
        let broken = Lab::of(Scenario::Locks, false, 0);
        assert_eq!((first_two(&broken, 0), first_two(&broken, 1)), (vec![0, 1], vec![1, 0]));
        let fixed = Lab::of(Scenario::Locks, true, 0);
        assert_eq!(first_two(&fixed, 1), vec![0, 1]);
        // The last philosopher of five reaches for fork 1 first once fixed.
        assert_eq!(first_two(&Lab::of(Scenario::Philosophers, false, 5), 4), vec![4, 0]);
        assert_eq!(first_two(&Lab::of(Scenario::Philosophers, true, 5), 4), vec![0, 4]);
    }

    #[test]
    fn a_one_worker_pool_queues_what_it_waits_for() {
        let broken = Lab::of(Scenario::SelfWait, false, 0);
        assert_eq!(broken.threads.len(), 1);
        assert_eq!(broken.initial_words(), vec![PENDING, UNSUBMITTED, FREE]);
        assert_eq!(broken.worker_places(), vec![2]);
        assert_eq!(Lab::of(Scenario::SelfWait, true, 0).threads.len(), 2);
        assert_eq!(broken.resources[1].name(Lang::ZhCn), "Future pow(5, 2)");
    }
}
