//! The queue on the page's event loop, for coroutines and for isolated
//! workers (whose items the page holds between copies): an async channel,
//! bounded or not, awaited and never blocking, with `task_done()`,
//! `join()` and sentinels as the thread queue has them. It records every
//! put, get and wait, and the items it holds after every change.

use std::cell::{Cell, RefCell};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};

use async_channel::{Receiver, Sender, TryRecvError, TrySendError};
use futures::future::{Either, LocalBoxFuture, select};
use overlap_core::experiments::queue::{DepthSample, Entry, Got, ItemKey, Put, QueueLog, StopMode};
use overlap_core::lang::Said;
use overlap_core::records::span::{Span, SpanState};

use crate::browser::clock::epoch_ms;
use crate::browser::timer::sleep_ms;

/// How often a run on the page looks at Cancel.
const CANCEL_LOOK_MS: i32 = 25;

pub struct PageQueue<T> {
    sender: Sender<Entry<(ItemKey, T)>>,
    receiver: Receiver<Entry<(ItemKey, T)>>,
    stop: StopMode,
    consumers: u32,
    /// Sentinels in the channel now: they are not items.
    sentinels_in: Cell<u32>,
    unfinished: Cell<u32>,
    producers_left: Cell<u32>,
    joined: Cell<bool>,
    /// Cancel, or a lane failed: nothing more goes in or comes out.
    stopped: Cell<bool>,
    /// Where each lane's last span ended: a lane's spans never overlap,
    /// though a worker's clock readings and the page's can be coarsened
    /// (to 100 µs without isolation).
    lane_free_ms: RefCell<Vec<f64>>,
    zero_ms: f64,
    log: RefCell<QueueLog>,
}

impl<T> PageQueue<T> {
    pub fn new(capacity: u32, producers: u32, consumers: u32, stop: StopMode) -> Self {
        let (sender, receiver) =
            if capacity > 0 { async_channel::bounded(capacity as usize) } else { async_channel::unbounded() };
        PageQueue {
            sender,
            receiver,
            stop,
            consumers,
            sentinels_in: Cell::new(0),
            unfinished: Cell::new(0),
            producers_left: Cell::new(producers),
            joined: Cell::new(false),
            stopped: Cell::new(false),
            lane_free_ms: RefCell::new(vec![f64::MIN; (producers + consumers) as usize]),
            zero_ms: epoch_ms(),
            log: RefCell::new(QueueLog::default()),
        }
    }

    /// The run's clock: milliseconds since the queue was made.
    pub fn now_ms(&self) -> f64 {
        epoch_ms() - self.zero_ms
    }

    /// A reading of the shared clock (a worker's), on the run's clock.
    pub fn relative_ms(&self, epoch_ms: f64) -> f64 {
        epoch_ms - self.zero_ms
    }

    /// A span on `lane`, in the run's clock (`start_ms`, `end_ms` from
    /// `now_ms`), starting no earlier than the lane's last span ended.
    pub fn record(&self, task: Option<u32>, lane: u32, state: SpanState, start_ms: f64, end_ms: f64) {
        let mut free_ms = self.lane_free_ms.borrow_mut();
        let Some(lane_free_ms) = free_ms.get_mut(lane as usize) else { return };
        let start_ms = start_ms.max(*lane_free_ms);
        let end_ms = end_ms.max(start_ms);
        *lane_free_ms = end_ms;
        self.log.borrow_mut().spans.push(Span { task, lane: Some(lane), state, start_ms, end_ms });
    }

    fn record_depth(&self, at_ms: f64) {
        let depth = (self.receiver.len() as u32).saturating_sub(self.sentinels_in.get());
        self.log.borrow_mut().depth.push(DepthSample { at_ms, depth });
    }

    /// Puts `entry`, waiting while the queue is full; false once the queue
    /// is closed (Cancel, or a failed run).
    pub async fn put(&self, lane: u32, task: Option<u32>, entry: Entry<(ItemKey, T)>) -> bool {
        if self.stopped.get() {
            return false;
        }
        let before_ms = self.now_ms();
        let key = match &entry {
            Entry::Item((key, _)) => Some(*key),
            Entry::Stop => None,
        };
        let waited = match self.sender.try_send(entry) {
            Ok(()) => false,
            Err(TrySendError::Full(entry)) => {
                if self.sender.send(entry).await.is_err() {
                    return false;
                }
                true
            }
            Err(TrySendError::Closed(_)) => return false,
        };
        let after_ms = self.now_ms();
        if waited {
            self.record(task, lane, SpanState::BlockedOnFull, before_ms, after_ms);
        }
        match key {
            Some(item) => {
                self.unfinished.set(self.unfinished.get() + 1);
                self.log.borrow_mut().puts.push(Put { item, at_ms: after_ms });
            }
            None => self.sentinels_in.set(self.sentinels_in.get() + 1),
        }
        self.record_depth(after_ms);
        true
    }

    /// The next item for `consumer`, waiting while the queue is empty;
    /// `None` at its sentinel, once `join()` returned, or on Cancel.
    pub async fn get(&self, lane: u32, consumer: u32) -> Option<(ItemKey, T)> {
        // A closed channel still hands out what it holds: after Cancel
        // nothing more is handled, however much is left.
        if self.stopped.get() {
            return None;
        }
        let before_ms = self.now_ms();
        // The entry or none, and whether this get awaited it.
        let (got, waited) = match self.receiver.try_recv() {
            Ok(entry) => (Some(entry), false),
            Err(TryRecvError::Empty) => (self.receiver.recv().await.ok(), true),
            Err(TryRecvError::Closed) => (None, false),
        };
        if self.stopped.get() {
            return None;
        }
        let after_ms = self.now_ms();
        if waited {
            self.record(None, lane, SpanState::BlockedOnEmpty, before_ms, after_ms);
        }
        match got {
            Some(Entry::Item((item, value))) => {
                self.log.borrow_mut().gets.push(Got { item, consumer, at_ms: after_ms });
                self.record_depth(after_ms);
                Some((item, value))
            }
            Some(Entry::Stop) => {
                self.sentinels_in.set(self.sentinels_in.get().saturating_sub(1));
                self.record_depth(after_ms);
                self.log.borrow_mut().consumers_stopped += 1;
                None
            }
            // Closed: by `join()` returning (this consumer is done), or by Cancel.
            None => {
                if self.joined.get() {
                    self.log.borrow_mut().consumers_stopped += 1;
                }
                None
            }
        }
    }

    /// `q.task_done()`.
    pub fn task_done(&self) {
        self.unfinished.set(self.unfinished.get().saturating_sub(1));
        self.join_if_done();
    }

    /// A producer put its last item; the last one puts the sentinels.
    pub async fn producer_done(&self, lane: u32) {
        self.producers_left.set(self.producers_left.get().saturating_sub(1));
        if self.producers_left.get() == 0 && self.stop == StopMode::Sentinel {
            for _ in 0..self.consumers {
                if !self.put(lane, None, Entry::Stop).await {
                    break;
                }
            }
        }
        self.join_if_done();
    }

    /// `q.join()` returned: the consumers still waiting are released.
    fn join_if_done(&self) {
        let done = self.producers_left.get() == 0 && self.unfinished.get() == 0;
        if self.stop == StopMode::Join && done && !self.joined.get() {
            self.joined.set(true);
            self.receiver.close();
        }
    }

    /// Resolves once the queue is closed by Cancel or a failed lane: what a
    /// wait on something else (a worker's answer) is raced against.
    pub async fn until_stopped(&self) {
        while !self.stopped.get() {
            sleep_ms(CANCEL_LOOK_MS).await;
        }
    }

    /// Ends every wait and hands out nothing more: Cancel, or a lane failed.
    pub fn close(&self) {
        self.stopped.set(true);
        self.receiver.close();
    }

    pub fn take_log(&self) -> QueueLog {
        self.log.take()
    }
}

/// Resolves once Cancel is pressed (looked at every few milliseconds).
pub async fn until_cancelled(cancelled: &AtomicBool) {
    while !cancelled.load(Ordering::Relaxed) {
        sleep_ms(CANCEL_LOOK_MS).await;
    }
}

/// Drives every lane until all have ended; a lane that fails, or Cancel
/// (looked at every few milliseconds), closes the queue, which ends every
/// other lane's wait.
pub async fn run_lanes<T>(
    queue: &PageQueue<T>,
    lanes: Vec<LocalBoxFuture<'_, Result<(), Said>>>,
    cancelled: &AtomicBool,
) -> Result<(), Said> {
    let lanes = futures::future::join_all(lanes.into_iter().map(|lane| async move {
        let result = lane.await;
        if result.is_err() {
            queue.close();
        }
        result
    }));
    let watch = async {
        until_cancelled(cancelled).await;
        queue.close();
        // The lanes end now; this side never does.
        std::future::pending::<()>().await;
    };
    match select(pin!(lanes), pin!(watch)).await {
        Either::Left((results, _)) => results.into_iter().collect::<Result<Vec<()>, Said>>().map(|_| ()),
        Either::Right(((), _)) => Ok(()),
    }
}
