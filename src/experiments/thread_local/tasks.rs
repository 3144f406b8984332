//! The tasks on the pool: `k` lanes take tasks from one queue; each task
//! adds its amount to its own thread's counter, a `thread_local!`, and to
//! one shared atomic; each thread binds its student once and every task
//! reads it back. Runs on pool threads only.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use overlap_core::experiments::thread_local::{TaskRecord, ThreadTotal, task_amount};

use crate::browser::clock::epoch_ms;

/// A run to do on the pool.
pub struct LocalRun {
    /// Tells this run's thread-local values from an earlier run's: pool
    /// threads live as long as the page.
    pub run_id: u32,
    pub lanes: u32,
    pub tasks: u32,
    pub cancelled: Arc<AtomicBool>,
    /// Tasks done so far, for the progress bar.
    pub done: Arc<AtomicUsize>,
}

pub struct LocalReport {
    pub records: Vec<TaskRecord>,
    pub totals: Vec<ThreadTotal>,
    pub shared_total: u64,
}

// region: shown
thread_local! {
    /// This thread's own total for a run: `local.total` (run, sum, tasks).
    static LOCAL_TOTAL: Cell<(u32, u64, u32)> = const { Cell::new((0, 0, 0)) };
    /// This thread's student for a run: `local.student` (run, the task that
    /// bound it).
    static LOCAL_STUDENT: Cell<Option<(u32, u32)>> = const { Cell::new(None) };
}

/// One task: bind the student if this thread has none yet, work a little,
/// add to the thread's own total (no lock: nobody else sees it) and to the
/// shared one (atomically: everybody does), then read the student back.
fn task(run_id: u32, task: u32, shared: &AtomicU64, run_start_ms: f64) -> TaskRecord {
    let start_ms = epoch_ms() - run_start_ms;
    let thread = rayon::current_thread_index().unwrap_or(0) as u32;
    LOCAL_STUDENT.with(|student| {
        if student.get().map(|(run, _)| run) != Some(run_id) {
            student.set(Some((run_id, task)));
        }
    });
    some_work();
    let amount = task_amount(task);
    LOCAL_TOTAL.with(|total| {
        let (run, sum, tasks) = total.get();
        let (sum, tasks) = if run == run_id { (sum, tasks) } else { (0, 0) };
        total.set((run_id, sum + amount, tasks + 1));
    });
    shared.fetch_add(amount, Ordering::Relaxed);
    // `local.student`, read back after the work: whoever bound it.
    let student_bound_by = LOCAL_STUDENT.with(|student| student.get()).map(|(_, binder)| binder);
    TaskRecord { task, thread, student_bound_by, start_ms, end_ms: epoch_ms() - run_start_ms }
}
// endregion: shown

/// A fraction of a millisecond of arithmetic, so that tasks take long
/// enough to spread over the threads and to be seen on the timeline.
fn some_work() {
    let mut sum = 0u64;
    for value in 0..100_000u64 {
        sum = sum.wrapping_add(black_box(value) * value);
    }
    black_box(sum);
}

/// Runs every task on `lanes` lanes and reads every thread's own total.
/// Call it on a pool thread.
pub fn run_on_pool(run: &LocalRun) -> LocalReport {
    let shared = AtomicU64::new(0);
    let next_task = AtomicUsize::new(0);
    let run_start_ms = epoch_ms();
    // Each lane keeps its own records and hands them over at its end.
    let records = Mutex::new(Vec::with_capacity(run.tasks as usize));
    rayon::scope(|scope| {
        for _ in 0..run.lanes {
            scope.spawn(|_| {
                let mut mine = Vec::new();
                while !run.cancelled.load(Ordering::Relaxed) {
                    let next = next_task.fetch_add(1, Ordering::Relaxed);
                    if next >= run.tasks as usize {
                        break;
                    }
                    mine.push(task(run.run_id, next as u32, &shared, run_start_ms));
                    run.done.fetch_add(1, Ordering::Relaxed);
                }
                records.lock().unwrap_or_else(PoisonError::into_inner).extend(mine);
            });
        }
    });
    // Every pool thread says what its own slot holds for this run.
    let totals = rayon::broadcast(|context| {
        let (run_id, local_sum, tasks) = LOCAL_TOTAL.with(Cell::get);
        let (local_sum, tasks) = if run_id == run.run_id { (local_sum, tasks) } else { (0, 0) };
        ThreadTotal { thread: context.index() as u32, local_sum, tasks }
    });
    let mut records = records.into_inner().unwrap_or_else(PoisonError::into_inner);
    records.sort_by_key(|record| record.task);
    LocalReport { records, totals, shared_total: shared.load(Ordering::SeqCst) }
}
