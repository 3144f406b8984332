//! The queue between threads: `queue.Queue` as CPython builds it, one lock
//! and conditions for "not empty" and "not full", with `task_done()` and
//! `join()`. Every wait looks again every few milliseconds at whether to
//! stop, so no thread stays blocked once a run is cancelled (the page's
//! pool threads live as long as the page). It counts the items it holds
//! after every change, on the clock it is given.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::experiments::queue::log::DepthSample;
use crate::experiments::queue::params::StopMode;

/// How long a wait sleeps before it looks at the stop flag again.
const LOOK_AGAIN: Duration = Duration::from_millis(10);

/// What travels through the queue: an item, or a consumer's sentinel
/// (`None` in the notes).
#[derive(Debug, PartialEq)]
pub enum Entry<T> {
    Item(T),
    Stop,
}

/// An entry went in or came out: whether it had to wait, and when it moved
/// (read under the queue's lock, with the count it left).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moved {
    pub waited: bool,
    pub at_ms: f64,
}

/// A wait ended without its entry: the run was cancelled, or (for a get)
/// `join()` returned and nothing more will come: whether the get waited for
/// that, and when it was released.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Released {
    Cancelled,
    Joined(Moved),
}

struct State<T> {
    entries: VecDeque<Entry<T>>,
    /// Entries that are items, not sentinels.
    items: u32,
    /// Items put and not yet `task_done()`.
    unfinished: u32,
    producers_left: u32,
    joined: bool,
    depth: Vec<DepthSample>,
}

pub struct BlockingQueue<T> {
    /// 0: unbounded.
    capacity: usize,
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    /// `join()` releases consumers waiting in `get` (as a program that
    /// stops with `join()` ends, daemon consumers and all); with sentinels
    /// every consumer waits for its own.
    join_releases_getters: bool,
    clock_ms: fn() -> f64,
}

impl<T> BlockingQueue<T> {
    pub fn new(capacity: u32, producers: u32, stop: StopMode, clock_ms: fn() -> f64) -> Self {
        BlockingQueue {
            capacity: capacity as usize,
            state: Mutex::new(State {
                entries: VecDeque::new(),
                items: 0,
                unfinished: 0,
                producers_left: producers,
                joined: false,
                depth: Vec::new(),
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            join_releases_getters: stop == StopMode::Join,
            clock_ms,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts what the queue holds now; when, on the queue's clock.
    fn record_depth(&self, state: &mut State<T>) -> f64 {
        let at_ms = (self.clock_ms)();
        state.depth.push(DepthSample { at_ms, depth: state.items });
        at_ms
    }

    // region: shown
    /// `q.put(entry)`: waits while the queue is full.
    pub fn put(&self, entry: Entry<T>, cancelled: &dyn Fn() -> bool) -> Result<Moved, Released> {
        let mut state = self.lock();
        let mut waited = false;
        loop {
            if cancelled() {
                return Err(Released::Cancelled);
            }
            if self.capacity == 0 || state.entries.len() < self.capacity {
                break;
            }
            waited = true;
            state = self.not_full.wait_timeout(state, LOOK_AGAIN).unwrap_or_else(PoisonError::into_inner).0;
        }
        if matches!(entry, Entry::Item(_)) {
            state.items += 1;
            state.unfinished += 1;
        }
        state.entries.push_back(entry);
        let at_ms = self.record_depth(&mut state);
        self.not_empty.notify_one();
        Ok(Moved { waited, at_ms })
    }

    /// `q.get()`: waits while the queue is empty, until `join()` returned;
    /// after Cancel it hands out nothing more, however much is left.
    pub fn get(&self, cancelled: &dyn Fn() -> bool) -> Result<(Entry<T>, Moved), Released> {
        let mut state = self.lock();
        let mut waited = false;
        loop {
            if cancelled() {
                return Err(Released::Cancelled);
            }
            if let Some(entry) = state.entries.pop_front() {
                if matches!(entry, Entry::Item(_)) {
                    state.items -= 1;
                }
                let at_ms = self.record_depth(&mut state);
                self.not_full.notify_one();
                return Ok((entry, Moved { waited, at_ms }));
            }
            if state.joined && self.join_releases_getters {
                return Err(Released::Joined(Moved { waited, at_ms: (self.clock_ms)() }));
            }
            waited = true;
            state = self.not_empty.wait_timeout(state, LOOK_AGAIN).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    /// `q.task_done()`: one item got is handled.
    pub fn task_done(&self) {
        let mut state = self.lock();
        state.unfinished = state.unfinished.saturating_sub(1);
        self.join_if_done(&mut state);
    }
    // endregion: shown

    /// A producer put its last item. True for the last producer.
    pub fn producer_done(&self) -> bool {
        let mut state = self.lock();
        state.producers_left = state.producers_left.saturating_sub(1);
        self.join_if_done(&mut state);
        state.producers_left == 0
    }

    /// `q.join()` returns once no producer will put more and every item put
    /// is done; consumers still waiting in `get` are then released.
    fn join_if_done(&self, state: &mut State<T>) {
        if state.producers_left == 0 && state.unfinished == 0 && !state.joined {
            state.joined = true;
            self.not_empty.notify_all();
        }
    }

    pub fn joined(&self) -> bool {
        self.lock().joined
    }

    /// Every count the queue took, in order.
    pub fn depth_samples(&self) -> Vec<DepthSample> {
        self.lock().depth.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;

    use proptest::prelude::*;

    use super::*;

    /// One clock for every thread of a test.
    fn clock_ms() -> f64 {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }

    /// p producers and c consumers on real threads; what each consumer got,
    /// and the deepest the queue was.
    fn run(producers: u32, consumers: u32, capacity: u32, items: u32, join: bool) -> (Vec<(u32, u32)>, u32) {
        let stop = if join { StopMode::Join } else { StopMode::Sentinel };
        let queue = BlockingQueue::new(capacity, producers, stop, clock_ms);
        let never = || false;
        let got = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for producer in 0..producers {
                let queue = &queue;
                scope.spawn(move || {
                    for seq in 0..items {
                        queue.put(Entry::Item((producer, seq)), &never).expect("never cancelled");
                    }
                    if queue.producer_done() && !join {
                        for _ in 0..consumers {
                            queue.put(Entry::Stop, &never).expect("never cancelled");
                        }
                    }
                });
            }
            for _ in 0..consumers {
                let (queue, got) = (&queue, &got);
                scope.spawn(move || {
                    while let Ok((Entry::Item(item), _)) = queue.get(&never) {
                        got.lock().expect("no panic holds it").push(item);
                        queue.task_done();
                    }
                });
            }
        });
        let max_depth = queue.depth_samples().iter().map(|sample| sample.depth).max().unwrap_or(0);
        (got.into_inner().expect("no panic holds it"), max_depth)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Every item comes out exactly once, never more than the capacity
        /// are held, and both ways of stopping end every consumer.
        #[test]
        fn every_item_comes_out_once_within_the_capacity(
            producers in 1u32..4, consumers in 1u32..4, capacity in 0u32..5, items in 0u32..40, join: bool,
        ) {
            let (got, max_depth) = run(producers, consumers, capacity, items, join);
            let distinct: HashSet<(u32, u32)> = got.iter().copied().collect();
            prop_assert_eq!(got.len(), (producers * items) as usize);
            prop_assert_eq!(distinct.len(), got.len());
            if capacity > 0 {
                prop_assert!(max_depth <= capacity);
            }
        }
    }

    #[test]
    fn a_cancelled_wait_lets_go() {
        let queue = BlockingQueue::new(1, 1, StopMode::Join, clock_ms);
        let cancelled = AtomicBool::new(false);
        let is_cancelled = || cancelled.load(Ordering::Relaxed);
        assert!(matches!(queue.put(Entry::Item(1), &is_cancelled), Ok(Moved { waited: false, .. })));
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| queue.put(Entry::Item(2), &is_cancelled));
            // It waits: the queue holds its one entry.
            std::thread::sleep(Duration::from_millis(30));
            assert!(!waiting.is_finished());
            cancelled.store(true, Ordering::Relaxed);
            assert_eq!(waiting.join().expect("no panic").map(|_| ()), Err(Released::Cancelled));
        });
        // After Cancel nothing more comes out, though an item is left.
        assert_eq!(queue.get(&is_cancelled).map(|_| ()), Err(Released::Cancelled));
        assert!(matches!(queue.get(&|| false), Ok((Entry::Item(1), Moved { waited: false, .. }))));
        // Once join() returned, an empty queue releases its getters.
        queue.task_done();
        assert!(queue.producer_done() && queue.joined());
        assert!(matches!(queue.get(&|| false), Err(Released::Joined(Moved { waited: false, .. }))));
    }
}
