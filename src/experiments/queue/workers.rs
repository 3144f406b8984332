//! Producers and consumers on isolated workers, each with its own memory,
//! as processes are: the page holds the queue, and every item is copied
//! twice, from its producer's memory to the page and from the page to its
//! consumer's (`multiprocessing.Queue` pickles it into a pipe and out).
//! Every copy is recorded; works without cross-origin isolation.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use futures::FutureExt;
use futures::future::{Either, LocalBoxFuture, select};
use js_sys::{Float64Array, Object, Reflect, Uint8Array};
use overlap_core::experiments::queue::{
    Actor, Entry, ItemError, ItemKey, QueueLog, QueueParams, decode_item, encode_item,
};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::span::SpanState;
use wasm_bindgen::prelude::*;

use crate::browser::clock::{compute_for_ms, epoch_ms};
use crate::experiments::queue::page_queue::{PageQueue, run_lanes, until_cancelled};
use crate::workers::isolated_worker::{IsolatedWorker, Reply, answer_field};

pub async fn run(
    params: QueueParams,
    cancelled: Arc<AtomicBool>,
    done: Arc<AtomicUsize>,
) -> Result<QueueLog, Said> {
    let queue =
        PageQueue::<Uint8Array>::new(params.capacity, params.producers, params.consumers, params.stop);
    // Every worker starts before any lane runs, as the threads meet at a
    // start line: a consumer's wait for a producer's start-up is no wait
    // on the queue.
    let starting = (0..params.actors())
        .map(|lane| WorkerLane::start(Actor::of_lane(lane, params.producers), lane, &queue));
    let mut started = Vec::new();
    // Cancel while they start drops them (which terminates them).
    let all_started =
        match select(pin!(futures::future::join_all(starting)), pin!(until_cancelled(&cancelled))).await {
            Either::Left((lanes, _)) => lanes,
            Either::Right(((), _)) => return Ok(queue.take_log()),
        };
    for lane in all_started {
        started.push(lane?);
    }
    let lanes: Vec<LocalBoxFuture<'_, Result<(), Said>>> = started
        .into_iter()
        .map(|mut lane| {
            let (cancelled, done) = (&cancelled, &done);
            async move {
                match lane.actor {
                    Actor::Producer(index) => produce(index, &mut lane, params, cancelled).await,
                    Actor::Consumer(index) => consume(index, &mut lane, params, done).await,
                }
            }
            .boxed_local()
        })
        .collect();
    run_lanes(&queue, lanes, &cancelled).await?;
    Ok(queue.take_log())
}

/// One lane's worker.
struct WorkerLane<'run> {
    actor: Actor,
    lane: u32,
    worker: IsolatedWorker,
    queue: &'run PageQueue<Uint8Array>,
}

impl<'run> WorkerLane<'run> {
    async fn start(actor: Actor, lane: u32, queue: &'run PageQueue<Uint8Array>) -> Result<Self, Said> {
        let starting_ms = queue.now_ms();
        let mut worker = IsolatedWorker::spawn()?;
        match worker.reply().await {
            Reply::Ready => {}
            Reply::Failed(message) => return Err(message),
            Reply::Answer { .. } => {
                return Err(Said::new("a worker answered before it started", "工作者在启动之前就回答了"));
            }
        }
        let lane = WorkerLane { actor, lane, worker, queue };
        lane.record(None, SpanState::Starting, starting_ms, queue.now_ms());
        Ok(lane)
    }

    fn record(&self, task: Option<u32>, state: SpanState, start_ms: f64, end_ms: f64) {
        self.queue.record(task, self.lane, state, start_ms, end_ms);
    }

    /// Calls `export` in the worker; its answer, the time the call was
    /// posted and the time the answer reached the page, on the run's clock;
    /// `None` if the run stopped (Cancel, another lane failed) first.
    async fn call(&mut self, export: &str, args: &[JsValue]) -> Result<Option<(JsValue, f64, f64)>, Said> {
        let posted_ms = self.queue.now_ms();
        self.worker.call(export, args)?;
        let (name, name_zh) = (self.actor.name(Lang::En), self.actor.name(Lang::ZhCn));
        let reply = match select(pin!(self.worker.reply()), pin!(self.queue.until_stopped())).await {
            Either::Left((reply, _)) => reply,
            Either::Right(((), _)) => return Ok(None),
        };
        match reply {
            Reply::Answer { value, received_at_ms } => {
                Ok(Some((value, posted_ms, self.queue.relative_ms(received_at_ms))))
            }
            Reply::Failed(message) => Err(Said::new(
                format!("{name} failed: {}", message.en),
                format!("{name_zh} 出错：{}", message.zh),
            )),
            Reply::Ready => Err(Said::new(
                format!("{name} started again instead of answering"),
                format!("{name_zh} 没有回答，而是重新启动了"),
            )),
        }
    }

    /// The worker's `count` clock readings in an answer, on the run's clock.
    fn times_ms<const COUNT: usize>(&self, answer: &JsValue) -> Result<[f64; COUNT], Said> {
        let times = answer_field(answer, "times").dyn_into::<Float64Array>().map(|times| times.to_vec());
        let times: [f64; COUNT] = times.ok().and_then(|times| times.try_into().ok()).ok_or_else(|| {
            Said::new("a worker answered without its clock readings", "工作者回答了，却没有给出时钟读数")
        })?;
        Ok(times.map(|ms| self.queue.relative_ms(ms)))
    }
}

fn no_item() -> Said {
    Said::new("a worker answered without its item", "工作者回答了，却没有给出条目")
}

// region: shown
/// One producer worker: it makes each item in its own memory; the item is
/// copied to the page, which puts it, waiting while the queue is full.
async fn produce(
    producer: u32,
    lane: &mut WorkerLane<'_>,
    params: QueueParams,
    cancelled: &AtomicBool,
) -> Result<(), Said> {
    for seq in 0..params.items {
        if cancelled.load(Ordering::Relaxed) {
            break;
        }
        let key = ItemKey { producer, seq };
        let task = Some(key.task(params.items));
        let args = [producer.into(), seq.into(), params.produce_ms.into()];
        let Some((answer, posted_ms, received_ms)) =
            lane.call("isolated_worker_queue_produce", &args).await?
        else {
            break;
        };
        let item = answer_field(&answer, "item").dyn_into::<Uint8Array>().map_err(|_| no_item())?;
        let [started_ms, made_ms] = lane.times_ms(&answer)?;
        lane.record(task, SpanState::Serialising, posted_ms, started_ms);
        lane.record(task, SpanState::Running, started_ms, made_ms);
        // Its bytes, structured-cloned out of the worker's memory.
        lane.record(task, SpanState::Serialising, made_ms, received_ms);
        if !lane.queue.put(lane.lane, task, Entry::Item((key, item))).await {
            break;
        }
    }
    lane.queue.producer_done(lane.lane).await;
    Ok(())
}

/// One consumer worker: the page gets an item for it, waiting while the
/// queue is empty, and copies it into the worker, which checks and handles
/// it; until its sentinel or `join()`.
async fn consume(
    consumer: u32,
    lane: &mut WorkerLane<'_>,
    params: QueueParams,
    done: &AtomicUsize,
) -> Result<(), Said> {
    while let Some((key, item)) = lane.queue.get(lane.lane, consumer).await {
        let task = Some(key.task(params.items));
        let args = [item.into(), params.consume_ms.into()];
        let Some((answer, posted_ms, received_ms)) =
            lane.call("isolated_worker_queue_consume", &args).await?
        else {
            break;
        };
        let field = |name: &str| answer_field(&answer, name).as_f64().map(|value| value as u32);
        if let Some(length) = field("wrong_length") {
            return Err(ItemError::WrongLength(length as usize).said());
        }
        let sent_back = ItemKey {
            producer: field("producer").unwrap_or(u32::MAX),
            seq: field("seq").unwrap_or(u32::MAX),
        };
        if let Some(word) = field("damaged_word") {
            return Err(ItemError::Damaged { key: sent_back, word }.said());
        }
        if sent_back != key {
            return Err(Said::new(
                "a consumer worker got another item than the page sent",
                "消费者工作者收到的条目与页面发出的不同",
            ));
        }
        let [received_there_ms, checked_ms, handled_ms] = lane.times_ms(&answer)?;
        // Copied into the worker's memory, then read and checked there.
        lane.record(task, SpanState::Serialising, posted_ms, received_there_ms);
        lane.record(task, SpanState::Serialising, received_there_ms, checked_ms);
        lane.record(task, SpanState::Running, checked_ms, handled_ms);
        lane.record(task, SpanState::Serialising, handled_ms, received_ms);
        lane.queue.task_done();
        done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}
// endregion: shown

/// Runs inside an isolated worker: computes for `work_ms`, then makes the
/// item; returns its bytes and the worker's clock readings `[started, made]`.
#[wasm_bindgen]
pub fn isolated_worker_queue_produce(producer: u32, seq: u32, work_ms: u32) -> Result<Object, JsValue> {
    let started_ms = epoch_ms();
    compute_for_ms(work_ms);
    let bytes = encode_item(ItemKey { producer, seq });
    let made_ms = epoch_ms();
    let reply = Object::new();
    Reflect::set(&reply, &"item".into(), &Uint8Array::from(&bytes[..]))?;
    Reflect::set(&reply, &"times".into(), &Float64Array::from(&[started_ms, made_ms][..]))?;
    Ok(reply)
}

/// Runs inside an isolated worker: checks the item (every payload word),
/// then computes for `work_ms`; returns its key and the worker's clock
/// readings `[received, checked, handled]`, or what was wrong with it
/// (`wrong_length`, or `damaged_word` with the key it claims).
#[wasm_bindgen]
pub fn isolated_worker_queue_consume(item: &[u8], work_ms: u32) -> Result<Object, JsValue> {
    let received_ms = epoch_ms();
    let reply = Object::new();
    let key = match decode_item(item) {
        Ok(key) => key,
        Err(ItemError::WrongLength(length)) => {
            Reflect::set(&reply, &"wrong_length".into(), &(length as u32).into())?;
            return Ok(reply);
        }
        Err(ItemError::Damaged { key, word }) => {
            Reflect::set(&reply, &"damaged_word".into(), &word.into())?;
            key
        }
    };
    let checked_ms = epoch_ms();
    compute_for_ms(work_ms);
    let handled_ms = epoch_ms();
    Reflect::set(&reply, &"producer".into(), &key.producer.into())?;
    Reflect::set(&reply, &"seq".into(), &key.seq.into())?;
    Reflect::set(&reply, &"times".into(), &Float64Array::from(&[received_ms, checked_ms, handled_ms][..]))?;
    Ok(reply)
}
