//! The threads taking turns on the pool: each prints its letter `rounds`
//! times, waiting for its turn the chosen way. Runs on pool threads only:
//! every wait here blocks a worker, never the page, and every wait gives
//! up after `TURN_TIMEOUT_MS` without a turn or once the run is cancelled.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use overlap_core::experiments::lockstep::{Coordination, Print};
use rayon::prelude::*;

use crate::browser::clock::epoch_ms;

/// How long a thread waits for its turn before the run gives up (a pool
/// thread it waits on never came, or Cancel stopped the thread before it).
const TURN_TIMEOUT_MS: f64 = 5_000.0;
/// How often a waiting thread looks at Cancel and the clock.
const LOOK_AGAIN: Duration = Duration::from_millis(50);

pub struct TurnsRun {
    pub coordination: Coordination,
    pub threads: u32,
    pub rounds: u32,
    pub cancelled: Arc<AtomicBool>,
    /// Prints so far, for the progress bar.
    pub done: Arc<AtomicUsize>,
}

/// One print and where it came in the printed order.
struct Slotted {
    slot: usize,
    print: Print,
    /// Since the thread's previous release (or its start).
    waited_from_ms: f64,
}

pub struct TurnsReport {
    /// In printed order.
    pub prints: Vec<Print>,
    /// Each print's wait for its turn: (thread, from, to).
    pub waits: Vec<(u32, f64, f64)>,
    /// A thread gave up waiting for its turn.
    pub gave_up: bool,
}

/// A binary lock that any thread may release, as Python's `Lock` is.
struct Gate {
    open: Mutex<bool>,
    changed: Condvar,
}

/// What the threads of one run share.
struct Shared {
    gates: Vec<Gate>,
    turn: Mutex<u32>,
    turn_changed: Condvar,
    turn_word: AtomicI32,
    next_slot: AtomicUsize,
    gave_up: AtomicBool,
    /// Threads at the start line: the first turn waits for all of them, so
    /// that a hand-off never times a pool thread's late start.
    at_start_line: AtomicU32,
}

/// Runs every thread; call it on a pool thread.
pub fn turns_on_pool(run: &TurnsRun) -> TurnsReport {
    let shared = Shared {
        // Only A may start: the others' gates begin closed.
        gates: (0..run.threads)
            .map(|thread| Gate { open: Mutex::new(thread == 0), changed: Condvar::new() })
            .collect(),
        turn: Mutex::new(0),
        turn_changed: Condvar::new(),
        turn_word: AtomicI32::new(0),
        next_slot: AtomicUsize::new(0),
        gave_up: AtomicBool::new(false),
        at_start_line: AtomicU32::new(0),
    };
    let run_start_ms = epoch_ms();
    let lanes: Vec<Vec<Slotted>> =
        (0..run.threads).into_par_iter().with_max_len(1).map(|thread| show(thread, &shared, run)).collect();
    let mut slotted: Vec<Slotted> = lanes.into_iter().flatten().collect();
    slotted.sort_by_key(|print| print.slot);
    // The run's clock starts at the start line's release, as every thread's
    // first wait does: pool threads take a while to pick the run up.
    let released_ms =
        slotted.iter().map(|print| print.waited_from_ms).reduce(f64::min).unwrap_or(run_start_ms);
    let relative = |ms: f64| ms - released_ms;
    TurnsReport {
        waits: slotted
            .iter()
            .map(|print| {
                (print.print.thread, relative(print.waited_from_ms), relative(print.print.acquired_ms))
            })
            .collect(),
        prints: slotted
            .iter()
            .map(|print| Print {
                thread: print.print.thread,
                acquired_ms: relative(print.print.acquired_ms),
                released_ms: relative(print.print.released_ms),
            })
            .collect(),
        gave_up: shared.gave_up.load(Ordering::Relaxed),
    }
}

/// Whether to stop waiting: Cancel, another thread gave up, or too long.
fn give_up(shared: &Shared, run: &TurnsRun, since_ms: f64) -> bool {
    if run.cancelled.load(Ordering::Relaxed) || shared.gave_up.load(Ordering::Relaxed) {
        return true;
    }
    let too_long = epoch_ms() - since_ms > TURN_TIMEOUT_MS;
    if too_long {
        shared.gave_up.store(true, Ordering::Relaxed);
    }
    too_long
}

/// One thread: `rounds` prints, each in its turn.
fn show(thread: u32, shared: &Shared, run: &TurnsRun) -> Vec<Slotted> {
    let mut prints = Vec::with_capacity(run.rounds as usize);
    shared.at_start_line.fetch_add(1, Ordering::AcqRel);
    let arrived_ms = epoch_ms();
    while shared.at_start_line.load(Ordering::Acquire) < run.threads {
        if give_up(shared, run, arrived_ms) {
            return prints;
        }
        std::hint::spin_loop();
    }
    // Another thread gave up before this one arrived: no turn will come.
    if shared.gave_up.load(Ordering::Relaxed) {
        return prints;
    }
    let mut waited_from_ms = epoch_ms();
    for _ in 0..run.rounds {
        let Some(acquired_ms) = wait_for_turn(thread, shared, run, waited_from_ms) else { break };
        let slot = shared.next_slot.fetch_add(1, Ordering::AcqRel);
        let released_ms = epoch_ms();
        pass_turn(thread, shared, run);
        run.done.fetch_add(1, Ordering::Relaxed);
        prints.push(Slotted { slot, print: Print { thread, acquired_ms, released_ms }, waited_from_ms });
        waited_from_ms = epoch_ms();
    }
    prints
}

// region: shown
/// Waits until it is `thread`'s turn; when it came, or `None` on giving up.
fn wait_for_turn(thread: u32, shared: &Shared, run: &TurnsRun, since_ms: f64) -> Option<f64> {
    let threads = run.threads;
    match run.coordination {
        Coordination::None => {}
        // locks[i].acquire()
        Coordination::Locks => {
            let gate = &shared.gates[thread as usize];
            let mut open = gate.open.lock().unwrap_or_else(PoisonError::into_inner);
            while !*open {
                if give_up(shared, run, since_ms) {
                    return None;
                }
                open = gate.changed.wait_timeout(open, LOOK_AGAIN).unwrap_or_else(PoisonError::into_inner).0;
            }
            *open = false;
        }
        // with condition: condition.wait_for(lambda: turn % k == i)
        Coordination::Condvar => {
            let mut turn = shared.turn.lock().unwrap_or_else(PoisonError::into_inner);
            while *turn % threads != thread {
                if give_up(shared, run, since_ms) {
                    return None;
                }
                turn = shared
                    .turn_changed
                    .wait_timeout(turn, LOOK_AGAIN)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
        // Sleep on the turn word itself until it names this thread.
        Coordination::Atomics => loop {
            let turn = shared.turn_word.load(Ordering::Acquire);
            if turn as u32 % threads == thread {
                break;
            }
            if give_up(shared, run, since_ms) {
                return None;
            }
            sleep_on(&shared.turn_word, turn);
        },
    }
    Some(epoch_ms())
}

/// Passes the turn to the next thread, the same way.
fn pass_turn(thread: u32, shared: &Shared, run: &TurnsRun) {
    let next = ((thread + 1) % run.threads) as usize;
    match run.coordination {
        Coordination::None => {}
        // locks[(i + 1) % k].release()
        Coordination::Locks => {
            let gate = &shared.gates[next];
            *gate.open.lock().unwrap_or_else(PoisonError::into_inner) = true;
            gate.changed.notify_one();
        }
        // turn += 1; condition.notify_all()
        Coordination::Condvar => {
            *shared.turn.lock().unwrap_or_else(PoisonError::into_inner) += 1;
            shared.turn_changed.notify_all();
        }
        Coordination::Atomics => {
            shared.turn_word.fetch_add(1, Ordering::AcqRel);
            wake_all_on(&shared.turn_word);
        }
    }
}
// endregion: shown

/// `memory.atomic.wait32`: sleeps while `word` holds `seen`, until a notify
/// or `LOOK_AGAIN`. Only ever called on a pool thread.
#[cfg(target_arch = "wasm32")]
fn sleep_on(word: &AtomicI32, seen: i32) {
    // SAFETY: the pointer is to a live `AtomicI32` (the run's `Shared`
    // outlives every thread of the run), aligned and in shared memory.
    unsafe {
        core::arch::wasm32::memory_atomic_wait32(word.as_ptr(), seen, LOOK_AGAIN.as_nanos() as i64);
    }
}

/// `memory.atomic.notify`: wakes every thread sleeping on `word`.
#[cfg(target_arch = "wasm32")]
fn wake_all_on(word: &AtomicI32) {
    // SAFETY: as in `sleep_on`.
    unsafe {
        core::arch::wasm32::memory_atomic_notify(word.as_ptr(), u32::MAX);
    }
}

// The app runs only as wasm; native builds (clippy) get these stand-ins.
#[cfg(not(target_arch = "wasm32"))]
fn sleep_on(_word: &AtomicI32, _seen: i32) {
    std::thread::sleep(LOOK_AGAIN);
}

#[cfg(not(target_arch = "wasm32"))]
fn wake_all_on(_word: &AtomicI32) {}
