//! Step mode's two real threads. Each is a pool thread that stops at a gate
//! before every step of its program and waits there, parked in its worker,
//! until the page grants it one more step; then it does that step on the
//! shared memory and says what it saw. The page only stores to atomics and
//! unparks: it never waits on a thread.
//!
//! Every wait is breakable: a parked thread wakes at least every
//! `GATE_RECHECK`, and leaves at once once the session is stopped (Reset,
//! Undo, a new run, leaving the page), dropping the lock if it holds it,
//! so no pool thread stays parked.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::thread::Thread;
use std::time::Duration;

use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use overlap_core::experiments::race::{STEP_THREADS, StepOp, Variant, program};
use overlap_core::lang::Said;

use crate::browser::timer::within_ms;
use crate::pool::thread_pool::Pool;

/// How often a parked thread looks again without being woken: the bound
/// on how long it outlives its session, even one dropped without a word.
const GATE_RECHECK: Duration = Duration::from_millis(250);
/// How long the page waits for both threads to reach their first gate.
const START_TIMEOUT_MS: i32 = 10_000;
/// How long the page waits for a granted step to be done.
const STEP_TIMEOUT_MS: i32 = 5_000;

/// What the threads share with each other and with the page.
struct Gates {
    /// Steps the page has granted each thread so far.
    granted: [AtomicU32; STEP_THREADS],
    stopped: AtomicBool,
    n: AtomicI64,
    lock: Mutex<()>,
}

/// What a thread tells the page.
enum StepEvent {
    AtGate { thread: usize, handle: Thread },
    Took { thread: usize, report: StepReport },
    Left,
}

/// What a step did, as the thread that took it saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub op: StepOp,
    pub local: Option<i64>,
    pub shared: i64,
}

/// The two threads of one step-mode session.
pub struct StepThreads {
    gates: Arc<Gates>,
    /// The threads hold it weakly: once the session is gone, however it
    /// went, they leave at their next look.
    _alive: Arc<()>,
    handles: [Option<Thread>; STEP_THREADS],
    events: UnboundedReceiver<StepEvent>,
}

impl StepThreads {
    /// Starts both threads on the pool and waits until each stands at its
    /// first gate.
    pub async fn start(_pool: Pool, variant: Variant) -> Result<StepThreads, Said> {
        let gates = Arc::new(Gates {
            granted: [AtomicU32::new(0), AtomicU32::new(0)],
            stopped: AtomicBool::new(false),
            n: AtomicI64::new(0),
            lock: Mutex::new(()),
        });
        let (sender, events) = unbounded();
        let alive = Arc::new(());
        for thread in 0..STEP_THREADS {
            let (gates, sender, session) = (gates.clone(), sender.clone(), Arc::downgrade(&alive));
            rayon::spawn(move || play(thread, program(variant, thread), &gates, &session, &sender));
        }
        let mut session = StepThreads { gates, _alive: alive, handles: [None, None], events };
        let arrived = within_ms(START_TIMEOUT_MS, async {
            while session.handles.iter().any(Option::is_none) {
                match session.events.next().await {
                    Some(StepEvent::AtGate { thread, handle }) => session.handles[thread] = Some(handle),
                    Some(StepEvent::Took { .. } | StepEvent::Left) => {}
                    None => return false,
                }
            }
            true
        })
        .await;
        match arrived {
            Some(true) => Ok(session),
            // Dropping the session stops whichever thread did start.
            Some(false) | None => Err(Said::new(
                "two pool threads could not start together: another job may hold one; try again once it ends",
                "两个线程池线程无法同时启动：可能有别的任务占着一个线程；等它结束后再试",
            )),
        }
    }

    /// Lets `thread` take its next step and waits until it has.
    pub async fn step(&mut self, thread: usize) -> Result<StepReport, Said> {
        self.gates.granted[thread].fetch_add(1, Ordering::AcqRel);
        if let Some(handle) = &self.handles[thread] {
            handle.unpark();
        }
        let events = &mut self.events;
        let took = within_ms(STEP_TIMEOUT_MS, async {
            loop {
                match events.next().await {
                    Some(StepEvent::Took { thread: from, report }) if from == thread => return Some(report),
                    Some(_) => {}
                    None => return None,
                }
            }
        })
        .await;
        took.flatten().ok_or_else(|| {
            Said::new(
                format!("thread {} did not take its step within {STEP_TIMEOUT_MS} ms", thread + 1),
                format!("线程 {} 没有在 {STEP_TIMEOUT_MS} 毫秒内完成这一步", thread + 1),
            )
        })
    }
}

impl Drop for StepThreads {
    /// Stops both threads: each wakes, drops what it holds, and leaves.
    fn drop(&mut self) {
        self.gates.stopped.store(true, Ordering::Release);
        for handle in self.handles.iter().flatten() {
            handle.unpark();
        }
    }
}

// region: shown
/// One thread's program, a gate before each step. Runs on a pool thread.
fn play(
    thread: usize,
    program: Vec<StepOp>,
    gates: &Gates,
    session: &Weak<()>,
    events: &UnboundedSender<StepEvent>,
) {
    let stopped = || gates.stopped.load(Ordering::Acquire) || session.strong_count() == 0;
    let _ = events.unbounded_send(StepEvent::AtGate { thread, handle: std::thread::current() });
    let mut local: Option<i64> = None;
    let mut held: Option<MutexGuard<'_, ()>> = None;
    for (taken, op) in program.into_iter().enumerate() {
        // The gate: parked until the page grants this step, or stops.
        while gates.granted[thread].load(Ordering::Acquire) <= taken as u32 && !stopped() {
            std::thread::park_timeout(GATE_RECHECK);
        }
        if stopped() {
            break;
        }
        match op {
            // The page grants this only while the other thread does not hold it.
            StepOp::Lock => held = Some(gates.lock.lock().unwrap_or_else(PoisonError::into_inner)),
            StepOp::Unlock => held = None,
            StepOp::Read => local = Some(gates.n.load(Ordering::SeqCst)),
            StepOp::Add(amount) => local = Some(local.unwrap_or(0) + amount),
            StepOp::Write => gates.n.store(local.unwrap_or(0), Ordering::SeqCst),
            StepOp::FetchAdd(amount) => {
                gates.n.fetch_add(amount, Ordering::SeqCst);
            }
        }
        let report = StepReport { op, local, shared: gates.n.load(Ordering::SeqCst) };
        let _ = events.unbounded_send(StepEvent::Took { thread, report });
    }
    drop(held);
    let _ = events.unbounded_send(StepEvent::Left);
}
// endregion: shown
