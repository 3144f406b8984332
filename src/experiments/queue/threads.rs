//! Producers and consumers on pool threads, with a blocking queue between
//! them in the page's shared memory (core's `BlockingQueue`, built as
//! CPython builds `queue.Queue`). Items are moved, never copied. Every
//! wait is broken by Cancel; runs on pool threads only.

use std::hint::{black_box, spin_loop};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

use overlap_core::experiments::queue::{
    Actor, BlockingQueue, DepthSample, Entry, Got, ItemError, ItemKey, Put, QueueLog, QueueParams, Released,
    StopMode, decode_item, encode_item,
};
use overlap_core::records::span::{Span, SpanState};
use rayon::prelude::*;

use crate::browser::clock::{compute_for_ms, epoch_ms};

/// How long the first thread waits for the others at the start line: a
/// pool busy with something else might never give every actor a thread.
const START_LINE_TIMEOUT_MS: f64 = 5000.0;

pub struct ThreadsRun {
    pub params: QueueParams,
    pub cancelled: Arc<AtomicBool>,
    /// Items consumed so far, for the progress bar.
    pub done: Arc<AtomicUsize>,
}

pub struct ThreadsReport {
    pub log: QueueLog,
    /// Every producer and consumer had a thread at once.
    pub all_started: bool,
    /// How many had reached the start line when the first gave up.
    pub arrived: u32,
    pub cancelled: bool,
    /// An item that arrived damaged.
    pub damaged: Option<ItemError>,
}

/// What one thread recorded, on the page's clock.
#[derive(Default)]
struct LaneLog {
    spans: Vec<Span>,
    puts: Vec<Put>,
    gets: Vec<Got>,
    stopped: bool,
    started_ms: Option<f64>,
    damaged: Option<ItemError>,
}

struct Shared<'run> {
    run: &'run ThreadsRun,
    queue: BlockingQueue<Vec<u8>>,
    at_start_line: AtomicU32,
    /// How many had arrived when the start line was given up.
    arrived_at_give_up: AtomicU32,
    gave_up: AtomicBool,
}

impl Shared<'_> {
    fn stopping(&self) -> bool {
        self.run.cancelled.load(Ordering::Relaxed) || self.gave_up.load(Ordering::Relaxed)
    }
}

/// Runs every producer and consumer, one pool thread each; call it on a
/// pool thread.
pub fn run_on_pool(run: &ThreadsRun) -> ThreadsReport {
    let params = run.params;
    let shared = Shared {
        run,
        queue: BlockingQueue::new(params.capacity, params.producers, params.stop, epoch_ms),
        at_start_line: AtomicU32::new(0),
        arrived_at_give_up: AtomicU32::new(params.actors()),
        gave_up: AtomicBool::new(false),
    };
    let lanes: Vec<LaneLog> = (0..params.actors())
        .into_par_iter()
        .with_max_len(1)
        .map(|lane| {
            let mut log = LaneLog::default();
            if wait_at_start_line(&shared) {
                log.started_ms = Some(epoch_ms());
                match Actor::of_lane(lane, params.producers) {
                    Actor::Producer(index) => produce(index, lane, &shared, &mut log),
                    Actor::Consumer(index) => consume(index, lane, &shared, &mut log),
                }
            }
            log
        })
        .collect();
    let all_started = lanes.iter().all(|lane| lane.started_ms.is_some());
    // The run's clock starts when the first thread left the start line.
    let zero_ms = lanes.iter().filter_map(|lane| lane.started_ms).reduce(f64::min).unwrap_or(0.0);
    let mut log = QueueLog::default();
    let mut damaged = None;
    for lane in lanes {
        log.spans.extend(lane.spans.into_iter().map(|span| Span {
            start_ms: span.start_ms - zero_ms,
            end_ms: span.end_ms - zero_ms,
            ..span
        }));
        log.puts.extend(lane.puts.into_iter().map(|put| Put { at_ms: put.at_ms - zero_ms, ..put }));
        log.gets.extend(lane.gets.into_iter().map(|got| Got { at_ms: got.at_ms - zero_ms, ..got }));
        log.consumers_stopped += u32::from(lane.stopped);
        damaged = damaged.or(lane.damaged);
    }
    log.depth = shared
        .queue
        .depth_samples()
        .into_iter()
        .map(|sample| DepthSample { at_ms: sample.at_ms - zero_ms, ..sample })
        .collect();
    let arrived = shared.arrived_at_give_up.load(Ordering::Acquire);
    ThreadsReport { log, all_started, arrived, cancelled: run.cancelled.load(Ordering::Relaxed), damaged }
}

/// Waits until every producer and consumer has a thread; false if Cancel
/// or the timeout came first (then every thread leaves).
fn wait_at_start_line(shared: &Shared) -> bool {
    let actors = shared.run.params.actors();
    shared.at_start_line.fetch_add(1, Ordering::AcqRel);
    let arrived_ms = epoch_ms();
    while shared.at_start_line.load(Ordering::Acquire) < actors {
        if shared.stopping() {
            return false;
        }
        if epoch_ms() - arrived_ms > START_LINE_TIMEOUT_MS {
            let arrived = shared.at_start_line.load(Ordering::Acquire);
            // The last one came while the clock was read: nobody gives up.
            if arrived >= actors {
                break;
            }
            shared.arrived_at_give_up.fetch_min(arrived, Ordering::AcqRel);
            shared.gave_up.store(true, Ordering::Relaxed);
            return false;
        }
        spin_loop();
    }
    !shared.stopping()
}

fn span(task: Option<u32>, lane: u32, state: SpanState, start_ms: f64, end_ms: f64) -> Span {
    Span { task, lane: Some(lane), state, start_ms, end_ms: end_ms.max(start_ms) }
}

// region: shown
/// One producer: make each item (computing for `produce_ms`), put it,
/// waiting while the queue is full. The last producer to finish puts one
/// sentinel per consumer (in the Python the main thread does, after
/// joining the producers).
fn produce(producer: u32, lane: u32, shared: &Shared, log: &mut LaneLog) {
    let params = shared.run.params;
    let stopping = || shared.stopping();
    // When the entry went in, or `None` on Cancel.
    let put = |entry: Entry<Vec<u8>>, task: Option<u32>, log: &mut LaneLog| -> Option<f64> {
        let before_ms = epoch_ms();
        let moved = shared.queue.put(entry, &stopping).ok()?;
        if moved.waited {
            log.spans.push(span(task, lane, SpanState::BlockedOnFull, before_ms, moved.at_ms));
        }
        Some(moved.at_ms)
    };
    for seq in 0..params.items {
        if stopping() {
            break;
        }
        let key = ItemKey { producer, seq };
        let task = Some(key.task(params.items));
        let start_ms = epoch_ms();
        compute_for_ms(params.produce_ms);
        let item = encode_item(key);
        log.spans.push(span(task, lane, SpanState::Running, start_ms, epoch_ms()));
        let Some(at_ms) = put(Entry::Item(item), task, log) else { break };
        log.puts.push(Put { item: key, at_ms });
    }
    if shared.queue.producer_done() && params.stop == StopMode::Sentinel {
        for _ in 0..params.consumers {
            if put(Entry::Stop, None, log).is_none() {
                break;
            }
        }
    }
}

/// One consumer: get an item, waiting while the queue is empty; handle it
/// (computing for `consume_ms`) and mark it done; stop at its sentinel, or
/// when `join()` has returned.
fn consume(consumer: u32, lane: u32, shared: &Shared, log: &mut LaneLog) {
    let params = shared.run.params;
    let stopping = || shared.stopping();
    loop {
        let before_ms = epoch_ms();
        let got = shared.queue.get(&stopping);
        // When it got its entry, or was released with none, if it waited.
        let waited_until_ms = match &got {
            Ok((_, moved)) => moved.waited.then_some(moved.at_ms),
            Err(Released::Joined(moved)) => moved.waited.then_some(moved.at_ms),
            Err(Released::Cancelled) => None,
        };
        if let Some(until_ms) = waited_until_ms {
            log.spans.push(span(None, lane, SpanState::BlockedOnEmpty, before_ms, until_ms));
        }
        let (item, got_ms) = match got {
            Ok((Entry::Item(item), moved)) => (item, moved.at_ms),
            Ok((Entry::Stop, _)) | Err(Released::Joined(_)) => {
                log.stopped = true;
                return;
            }
            Err(Released::Cancelled) => return,
        };
        let key = match decode_item(&item) {
            Ok(key) => key,
            Err(error) => {
                log.damaged = Some(error);
                // The others stop too: this consumer's sentinel would wait forever.
                shared.gave_up.store(true, Ordering::Relaxed);
                return;
            }
        };
        log.gets.push(Got { item: key, consumer, at_ms: got_ms });
        let start_ms = epoch_ms();
        compute_for_ms(params.consume_ms);
        black_box(item);
        log.spans.push(span(Some(key.task(params.items)), lane, SpanState::Running, start_ms, epoch_ms()));
        shared.queue.task_done();
        shared.run.done.fetch_add(1, Ordering::Relaxed);
    }
}
// endregion: shown
