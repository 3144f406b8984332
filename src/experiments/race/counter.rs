//! The race on the pool: `k` threads released together on one shared
//! value, each adding `m` times, unprotected, under a mutex, atomically, or
//! as the notes' bank. Runs on pool threads only: the threads spin at their
//! start line and may block on the mutex, neither of which the main thread
//! may ever do.

use std::hint::{black_box, spin_loop};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use overlap_core::experiments::race::{EVIDENCE_WINDOW, IncrementRecord, Variant, bank_amount};
use rayon::prelude::*;

use crate::browser::clock::epoch_ms;

/// How many increments a thread makes between looks at Cancel and reports
/// of its progress.
const CHUNK: usize = 1 << 14;
/// How many recorded increments share one pair of clock readings: a reading
/// costs about as long as a batch, so the threads still mostly increment.
const CLOCK_EVERY: usize = 1024;
/// How long a thread waits at the start line for the others before the run
/// gives up (another job holds a pool thread).
const START_LINE_TIMEOUT_MS: f64 = 5_000.0;

/// A run to do on the pool.
pub struct RaceRun {
    pub variant: Variant,
    pub threads: u32,
    pub increments: u32,
    pub cancelled: Arc<AtomicBool>,
    /// Increments done so far, for the progress bar.
    pub done: Arc<AtomicUsize>,
}

/// What one thread did, on the page's clock.
pub struct LaneReport {
    pub start_ms: f64,
    pub end_ms: f64,
    pub at_start_line: bool,
    /// The unprotected variant's first increments, with their values.
    pub records: Vec<IncrementRecord>,
}

pub struct RaceReport {
    pub final_value: i64,
    pub lanes: Vec<LaneReport>,
}

/// The shared memory every thread of a run works on.
struct Shared {
    n: AtomicI64,
    lock: Mutex<i64>,
    at_start_line: AtomicU32,
    /// Threads past the start line: recording waits for all of them, since
    /// one released a little later would otherwise miss the others' window.
    running: AtomicU32,
}

/// Runs the race; call it on a pool thread.
pub fn race_on_pool(run: &RaceRun) -> RaceReport {
    let shared = Shared {
        n: AtomicI64::new(0),
        lock: Mutex::new(0),
        at_start_line: AtomicU32::new(0),
        running: AtomicU32::new(0),
    };
    // One item a thread: each waits at the start line for the others, so
    // each must be on a thread of its own.
    let lanes: Vec<LaneReport> =
        (0..run.threads).into_par_iter().with_max_len(1).map(|thread| lane(thread, &shared, run)).collect();
    let final_value = match run.variant {
        Variant::Lock => *shared.lock.lock().unwrap_or_else(PoisonError::into_inner),
        Variant::Unsafe | Variant::Atomic | Variant::Bank => shared.n.load(Ordering::SeqCst),
    };
    RaceReport { final_value, lanes }
}

/// Waits until every thread has arrived, so that they really run at once;
/// false if Cancel or the timeout came first.
fn wait_at_start_line(shared: &Shared, threads: u32, cancelled: &AtomicBool) -> bool {
    shared.at_start_line.fetch_add(1, Ordering::AcqRel);
    let arrived_ms = epoch_ms();
    while shared.at_start_line.load(Ordering::Acquire) < threads {
        if cancelled.load(Ordering::Relaxed) || epoch_ms() - arrived_ms > START_LINE_TIMEOUT_MS {
            return false;
        }
        spin_loop();
    }
    true
}

fn lane(thread: u32, shared: &Shared, run: &RaceRun) -> LaneReport {
    let at_start_line = wait_at_start_line(shared, run.threads, &run.cancelled);
    let start_ms = epoch_ms();
    let mut records = Vec::new();
    let mut left = if at_start_line { run.increments as usize } else { 0 };
    shared.running.fetch_add(1, Ordering::AcqRel);
    if at_start_line && run.variant == Variant::Unsafe {
        // Unrecorded increments until every thread runs; then the window.
        while left > 0
            && shared.running.load(Ordering::Acquire) < run.threads
            && !run.cancelled.load(Ordering::Relaxed)
        {
            let count = left.min(CLOCK_EVERY);
            add(run.variant, shared, thread, count);
            left -= count;
            run.done.fetch_add(count, Ordering::Relaxed);
        }
        let window = left.min(EVIDENCE_WINDOW);
        records = add_recording(&shared.n, thread, window);
        left -= window;
        run.done.fetch_add(window, Ordering::Relaxed);
    }
    while left > 0 && !run.cancelled.load(Ordering::Relaxed) {
        let count = left.min(CHUNK);
        add(run.variant, shared, thread, count);
        left -= count;
        run.done.fetch_add(count, Ordering::Relaxed);
    }
    LaneReport { start_ms, end_ms: epoch_ms(), at_start_line, records }
}

// region: shown
/// `count` times `n += 1`, the variant's way.
fn add(variant: Variant, shared: &Shared, thread: u32, count: usize) {
    let n = &shared.n;
    match variant {
        Variant::Unsafe => {
            for _ in 0..count {
                // `black_box`: without it the compiler may fold the loop into
                // one load and one store (a thread may always see its own last
                // write); Python's bytecode really loads n every time.
                let n = black_box(n);
                let read = n.load(Ordering::Relaxed); // LOAD_GLOBAL n
                // LOAD_CONST 1, BINARY_OP +=: a step of its own on the thread's
                // copy, as in the bytecode (`black_box` keeps it one), so a
                // thread switched out here holds a value it has not written.
                let added = black_box(read) + 1;
                n.store(added, Ordering::Relaxed); // STORE_GLOBAL n
            }
        }
        Variant::Lock => {
            for _ in 0..count {
                // `with lock: n += 1`; a poisoned lock still holds the count.
                *shared.lock.lock().unwrap_or_else(PoisonError::into_inner) += 1;
            }
        }
        Variant::Atomic => {
            for _ in 0..count {
                n.fetch_add(1, Ordering::Relaxed); // read, add and write in one step
            }
        }
        Variant::Bank => {
            let amount = bank_amount(thread);
            for _ in 0..count {
                let n = black_box(n);
                let balance = n.load(Ordering::Relaxed);
                n.store(balance + amount, Ordering::Relaxed); // balance = balance + n
                let balance = n.load(Ordering::Relaxed);
                n.store(balance - amount, Ordering::Relaxed); // balance = balance - n
            }
        }
    }
}

/// The unprotected increment, each one recorded: what it read and wrote,
/// and the clock read before and after each batch of `CLOCK_EVERY`
/// (reading it every time would cost far more than the increment, and the
/// threads would spend their time reading clocks instead of meeting).
fn add_recording(n: &AtomicI64, thread: u32, count: usize) -> Vec<IncrementRecord> {
    let mut records = Vec::with_capacity(count);
    let mut values = [0i64; CLOCK_EVERY];
    for batch_start in (0..count).step_by(CLOCK_EVERY) {
        let batch = (count - batch_start).min(CLOCK_EVERY);
        let read_ms = epoch_ms();
        for value in &mut values[..batch] {
            let n = black_box(n);
            let read = n.load(Ordering::Relaxed);
            let added = black_box(read) + 1;
            n.store(added, Ordering::Relaxed);
            *value = read;
        }
        let wrote_ms = epoch_ms();
        records.extend(values[..batch].iter().enumerate().map(|(offset, read)| IncrementRecord {
            thread,
            index: (batch_start + offset) as u32,
            read: *read,
            wrote: read + 1,
            read_ms,
            wrote_ms,
        }));
    }
    records
}
// endregion: shown
