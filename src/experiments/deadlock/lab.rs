//! The lab's threads on the pool: each carries out its steps on shared
//! resources, one atomic word each, and really blocks in its waits. The
//! page never waits on anything here: it reads the words, the threads'
//! waits and their spans (written to per-thread buffers) from shared
//! memory, finds the cycle, and may tell one wait to time out.
//!
//! No pool thread is left blocked: every wait looks every millisecond at
//! the run's stop flag (Cancel, a new page, leaving) and at "Break", and
//! gives up after `GIVE_UP_MS` in any case, so the pool always comes back.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering, fence};
use std::time::Duration;

use overlap_core::experiments::deadlock::{FREE, HELD_BY_FIRST, Lab, PENDING, Step, WAITS_FOR_NOTHING};
use overlap_core::lang::Said;
use overlap_core::records::span::{Span, SpanState};
use overlap_core::records::units::format_ms;
use rayon::prelude::*;

use crate::browser::clock::epoch_ms;

/// How often a waiting thread looks again.
const LOOK_AGAIN: Duration = Duration::from_millis(1);
/// A wait nobody breaks ends by itself after this: a pool thread must come
/// back even if the page that should break it is gone.
const GIVE_UP_MS: f64 = 120_000.0;
/// Why a run failed whose waits reached `GIVE_UP_MS` with nobody breaking them.
pub fn gave_up_said() -> Said {
    let after = format_ms(GIVE_UP_MS);
    Said::new(
        format!(
            "nobody broke the deadlock: its waits gave up after {after}, so no pool thread stays blocked"
        ),
        format!("没有人打破死锁：它的等待在 {after} 后放弃了，这样线程池的线程不会一直阻塞"),
    )
}

/// The most spans a thread records (its steps are fewer).
const MAX_SPANS: usize = 32;
/// The states a thread's span buffer holds, by their code.
const STATES: [SpanState; 4] =
    [SpanState::Running, SpanState::WaitingForLock, SpanState::WaitingForResult, SpanState::BlockedOnEmpty];
/// A thread not yet started, or finished: no current state.
const NO_STATE: u32 = u32::MAX;

/// One recorded span: its state's code and its ends' bits.
#[derive(Default)]
struct SpanSlot {
    state: AtomicU32,
    start_bits: AtomicU64,
    end_bits: AtomicU64,
}

/// What one thread shares with the page.
pub struct ThreadState {
    /// The resource it waits for, or `WAITS_FOR_NOTHING`.
    waits_for: AtomicU32,
    /// Whether that wait has a timeout (it will end by itself).
    wait_timed: AtomicBool,
    /// A sequence lock over the span record below: odd while the thread
    /// writes it, so the page reads a span once, never half of two.
    version: AtomicU32,
    /// Its state now and since when (the page draws it growing).
    current: AtomicU32,
    since_bits: AtomicU64,
    spans: Vec<SpanSlot>,
    /// Spans written so far: a slot is read only below it.
    span_count: AtomicU32,
    finished: AtomicBool,
    timed_out: AtomicU32,
    /// Waits that reached `GIVE_UP_MS` with nobody breaking them.
    gave_up: AtomicU32,
}

/// Everything a run's threads and its page share.
pub struct LabState {
    pub lab: Lab,
    origin_ms: f64,
    words: Vec<AtomicU32>,
    threads: Vec<ThreadState>,
    /// The thread told to give up its wait ("Break"), or `WAITS_FOR_NOTHING`.
    break_thread: AtomicU32,
    stopped: AtomicBool,
}

/// What the page reads, every `READ_MS` (page.rs).
pub struct Reading {
    pub words: Vec<u32>,
    pub waits_for: Vec<u32>,
    /// Whether each thread's wait has a timeout.
    pub timed: Vec<bool>,
    /// When each thread started its current wait, on the run's clock.
    pub waiting_since_ms: Vec<Option<f64>>,
    /// Each thread's spans so far, the current one up to now.
    pub spans: Vec<Span>,
    pub finished: usize,
    pub timed_out: u32,
    pub gave_up: u32,
    /// When it was read, on the run's clock.
    pub now_ms: f64,
}

/// One thread's spans as one consistent reading of its record.
struct ThreadSpans {
    spans: Vec<Span>,
    /// Its current span's start, if it is in one.
    since_ms: Option<f64>,
}

impl ThreadState {
    fn new() -> Self {
        ThreadState {
            waits_for: AtomicU32::new(WAITS_FOR_NOTHING),
            wait_timed: AtomicBool::new(false),
            version: AtomicU32::new(0),
            current: AtomicU32::new(NO_STATE),
            since_bits: AtomicU64::new(0),
            spans: (0..MAX_SPANS).map(|_| SpanSlot::default()).collect(),
            span_count: AtomicU32::new(0),
            finished: AtomicBool::new(false),
            timed_out: AtomicU32::new(0),
            gave_up: AtomicU32::new(0),
        }
    }

    /// The record read between two equal, even versions (the writer
    /// changes it for microseconds; after a few tries the last reading is
    /// taken, and the next frame reads it again).
    fn read_spans(&self, lane: u32, now_ms: f64) -> ThreadSpans {
        let mut read = ThreadSpans { spans: Vec::new(), since_ms: None };
        for _ in 0..8 {
            let before = self.version.load(Ordering::Acquire);
            read = ThreadSpans { spans: Vec::new(), since_ms: None };
            let count = (self.span_count.load(Ordering::Relaxed) as usize).min(MAX_SPANS);
            for slot in &self.spans[..count] {
                if let Some(state) = STATES.get(slot.state.load(Ordering::Relaxed) as usize) {
                    read.spans.push(Span {
                        task: Some(lane),
                        lane: Some(lane),
                        state: *state,
                        start_ms: f64::from_bits(slot.start_bits.load(Ordering::Relaxed)),
                        end_ms: f64::from_bits(slot.end_bits.load(Ordering::Relaxed)),
                    });
                }
            }
            let since_ms = f64::from_bits(self.since_bits.load(Ordering::Relaxed));
            if let Some(state) = STATES.get(self.current.load(Ordering::Relaxed) as usize) {
                let end_ms = now_ms.max(since_ms);
                read.spans.push(Span {
                    task: Some(lane),
                    lane: Some(lane),
                    state: *state,
                    start_ms: since_ms,
                    end_ms,
                });
                read.since_ms = Some(since_ms);
            }
            fence(Ordering::Acquire);
            if before.is_multiple_of(2) && self.version.load(Ordering::Relaxed) == before {
                break;
            }
        }
        read
    }
}

impl LabState {
    pub fn new(lab: Lab) -> Self {
        let words = lab.initial_words().into_iter().map(AtomicU32::new).collect();
        let threads = (0..lab.threads.len()).map(|_| ThreadState::new()).collect();
        LabState {
            lab,
            origin_ms: epoch_ms(),
            words,
            threads,
            break_thread: AtomicU32::new(WAITS_FOR_NOTHING),
            stopped: AtomicBool::new(false),
        }
    }

    /// Every wait ends (Cancel, leaving the page).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// `thread`'s wait ends as a timeout would end it.
    pub fn break_wait(&self, thread: usize) {
        self.break_thread.store(thread as u32, Ordering::Relaxed);
    }

    pub fn read(&self) -> Reading {
        let now_ms = self.now_ms();
        let mut spans = Vec::new();
        let mut waiting_since_ms = Vec::new();
        for (lane, thread) in self.threads.iter().enumerate() {
            let read = thread.read_spans(lane as u32, now_ms);
            spans.extend(read.spans);
            let waits = thread.waits_for.load(Ordering::Relaxed);
            waiting_since_ms.push(read.since_ms.filter(|_| waits != WAITS_FOR_NOTHING));
        }
        let sum = |count: fn(&ThreadState) -> u32| self.threads.iter().map(count).sum();
        Reading {
            words: self.words.iter().map(|word| word.load(Ordering::Relaxed)).collect(),
            waits_for: self.threads.iter().map(|thread| thread.waits_for.load(Ordering::Relaxed)).collect(),
            timed: self.threads.iter().map(|thread| thread.wait_timed.load(Ordering::Relaxed)).collect(),
            waiting_since_ms,
            spans,
            finished: self.threads.iter().filter(|thread| thread.finished.load(Ordering::Relaxed)).count(),
            timed_out: sum(|thread| thread.timed_out.load(Ordering::Relaxed)),
            gave_up: sum(|thread| thread.gave_up.load(Ordering::Relaxed)),
            now_ms,
        }
    }

    fn now_ms(&self) -> f64 {
        epoch_ms() - self.origin_ms
    }
}

/// Runs every thread of the lab at once; call it on a pool thread (the
/// pool must have a thread for each).
pub fn run_lab(state: &LabState) {
    (0..state.lab.threads.len()).into_par_iter().with_max_len(1).for_each(|thread| run_thread(state, thread));
}

/// How a wait ended.
enum Waited {
    Got,
    TimedOut,
    /// Nobody broke it within `GIVE_UP_MS`: the run fails.
    GaveUp,
    Stopped,
}

/// One thread's record keeping: its current span and its buffer.
struct Recorder<'a> {
    state: &'a LabState,
    me: &'a ThreadState,
}

impl Recorder<'_> {
    /// Ends the current span now and starts one in `next` (or none).
    fn enter(&self, next: Option<SpanState>) {
        let now_ms = self.state.now_ms();
        let me = self.me;
        let version = me.version.load(Ordering::Relaxed);
        me.version.store(version.wrapping_add(1), Ordering::Relaxed);
        fence(Ordering::Release);
        let current = me.current.load(Ordering::Relaxed);
        if current != NO_STATE {
            let index = me.span_count.load(Ordering::Relaxed) as usize;
            if let Some(slot) = me.spans.get(index) {
                slot.state.store(current, Ordering::Relaxed);
                slot.start_bits.store(me.since_bits.load(Ordering::Relaxed), Ordering::Relaxed);
                slot.end_bits.store(now_ms.to_bits(), Ordering::Relaxed);
                me.span_count.store(index as u32 + 1, Ordering::Relaxed);
            }
        }
        me.since_bits.store(now_ms.to_bits(), Ordering::Relaxed);
        let code = next.and_then(|next| STATES.iter().position(|known| *known == next));
        me.current.store(code.map_or(NO_STATE, |code| code as u32), Ordering::Relaxed);
        me.version.store(version.wrapping_add(2), Ordering::Release);
    }
}

// region: shown
/// Blocks until `ready` says the resource is ours (or, for a future, done),
/// as `lock.acquire()` or `future.result()` would, with the lab's own ways
/// out: its timeout, "Break", the run's stop flag, and the give-up bound.
fn wait(
    state: &LabState,
    thread: usize,
    resource: Option<usize>,
    timeout_ms: Option<f64>,
    ready: impl Fn() -> bool,
) -> Waited {
    let me = &state.threads[thread];
    // Seen by the page's detector while we wait: who waits for what, and
    // whether the wait will end by itself.
    me.wait_timed.store(timeout_ms.is_some(), Ordering::Relaxed);
    me.waits_for.store(resource.map_or(WAITS_FOR_NOTHING, |resource| resource as u32), Ordering::Relaxed);
    let since_ms = epoch_ms();
    let waited = loop {
        if ready() {
            break Waited::Got;
        }
        if state.stopped.load(Ordering::Relaxed) {
            break Waited::Stopped;
        }
        let told_to_break = state
            .break_thread
            .compare_exchange(thread as u32, WAITS_FOR_NOTHING, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok();
        let waited_ms = epoch_ms() - since_ms;
        if told_to_break || timeout_ms.is_some_and(|timeout_ms| waited_ms >= timeout_ms) {
            break Waited::TimedOut;
        }
        if waited_ms >= GIVE_UP_MS {
            break Waited::GaveUp;
        }
        std::thread::sleep(LOOK_AGAIN);
    };
    // A Break meant for this wait and come too late must not end the next.
    let _ = state.break_thread.compare_exchange(
        thread as u32,
        WAITS_FOR_NOTHING,
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    me.waits_for.store(WAITS_FOR_NOTHING, Ordering::Relaxed);
    waited
}

/// One thread: its tasks in turn. A wait that times out ends its task with
/// TimeoutError, and what the task held is let go (its `with` blocks exit,
/// its future finishes); the thread goes on with its next task.
fn run_thread(state: &LabState, thread: usize) {
    let script = &state.lab.threads[thread];
    let me = &state.threads[thread];
    let recorder = Recorder { state, me };
    let word = |resource: usize| &state.words[resource];
    let mine = HELD_BY_FIRST + thread as u32;
    if let Some(worker) = script.worker {
        word(worker).store(mine, Ordering::Relaxed);
    }
    let mut stopped = false;
    'tasks: for task in &script.tasks {
        let mut held: Vec<usize> = Vec::new();
        for step in &task.steps {
            let waited = match *step {
                Step::Hold(resource) => {
                    word(resource).store(mine, Ordering::Relaxed);
                    held.push(resource);
                    Waited::Got
                }
                Step::Acquire { resource, timeout_ms } => {
                    recorder.enter(Some(SpanState::WaitingForLock));
                    let take = || {
                        word(resource)
                            .compare_exchange(FREE, mine, Ordering::Acquire, Ordering::Relaxed)
                            .is_ok()
                    };
                    let waited = wait(state, thread, Some(resource), timeout_ms, take);
                    if matches!(waited, Waited::Got) {
                        held.push(resource);
                    }
                    waited
                }
                Step::AwaitDone { resource, timeout_ms } => {
                    recorder.enter(Some(SpanState::WaitingForResult));
                    wait(state, thread, Some(resource), timeout_ms, || {
                        word(resource).load(Ordering::Acquire) == FREE
                    })
                }
                Step::Release(resource) => {
                    word(resource).store(FREE, Ordering::Release);
                    held.retain(|other| *other != resource);
                    Waited::Got
                }
                Step::Submit(resource) => {
                    word(resource).store(PENDING, Ordering::Release);
                    Waited::Got
                }
                Step::TakeWhenSubmitted(resource) => {
                    // An idle worker waiting for a task: no edge of the graph,
                    // and its place is free meanwhile, so a pending task is
                    // not stuck while it can still be taken.
                    recorder.enter(Some(SpanState::BlockedOnEmpty));
                    if let Some(worker) = script.worker {
                        word(worker).store(FREE, Ordering::Release);
                    }
                    let take = || {
                        word(resource)
                            .compare_exchange(PENDING, mine, Ordering::Acquire, Ordering::Relaxed)
                            .is_ok()
                    };
                    let waited = wait(state, thread, None, None, take);
                    if let Some(worker) = script.worker {
                        word(worker).store(mine, Ordering::Release);
                    }
                    if matches!(waited, Waited::Got) {
                        held.push(resource);
                    }
                    waited
                }
                Step::Work(ms) => {
                    recorder.enter(Some(SpanState::Running));
                    std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
                    Waited::Got
                }
            };
            match waited {
                Waited::Got => {}
                Waited::TimedOut => {
                    me.timed_out.fetch_add(1, Ordering::Relaxed);
                    for resource in held.drain(..) {
                        word(resource).store(FREE, Ordering::Release);
                    }
                    continue 'tasks;
                }
                Waited::GaveUp | Waited::Stopped => {
                    if matches!(waited, Waited::GaveUp) {
                        me.gave_up.fetch_add(1, Ordering::Relaxed);
                    }
                    for resource in held.drain(..) {
                        word(resource).store(FREE, Ordering::Release);
                    }
                    stopped = true;
                    break 'tasks;
                }
            }
        }
    }
    recorder.enter(None);
    if let Some(worker) = script.worker {
        word(worker).store(FREE, Ordering::Release);
    }
    me.finished.store(!stopped, Ordering::Release);
}
// endregion: shown
