//! Producers and consumers as coroutines on the page's event loop, with
//! the page's async queue between them (`asyncio.Queue`): the work is an
//! awaited sleep, so one thread serves them all, and while one waits the
//! others run. Items are moved, never copied.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use overlap_core::experiments::queue::{
    Actor, Entry, ItemKey, QueueLog, QueueParams, decode_item, encode_item,
};
use overlap_core::lang::Said;
use overlap_core::records::span::SpanState;

use crate::browser::timer::{next_turn, sleep_ms};
use crate::experiments::queue::page_queue::{PageQueue, run_lanes};

pub async fn run(
    params: QueueParams,
    cancelled: Arc<AtomicBool>,
    done: Arc<AtomicUsize>,
) -> Result<QueueLog, Said> {
    let queue = PageQueue::<Vec<u8>>::new(params.capacity, params.producers, params.consumers, params.stop);
    let lanes: Vec<LocalBoxFuture<'_, Result<(), Said>>> = (0..params.actors())
        .map(|lane| match Actor::of_lane(lane, params.producers) {
            Actor::Producer(index) => produce(index, lane, &queue, params, &cancelled).boxed_local(),
            Actor::Consumer(index) => consume(index, lane, &queue, params, &done).boxed_local(),
        })
        .collect();
    run_lanes(&queue, lanes, &cancelled).await?;
    Ok(queue.take_log())
}

/// An awaited sleep of `ms`, as `await asyncio.sleep(…)`; for 0 a turn of
/// the event loop all the same, as `asyncio.sleep(0)` gives (without it a
/// run whose puts and gets never wait would hold the page until it ends).
async fn work(ms: u32) {
    if ms > 0 {
        sleep_ms(ms as i32).await;
    } else {
        next_turn().await;
    }
}

// region: shown
/// One producer coroutine: "make" each item (an awaited sleep), then put
/// it, awaiting while the queue is full. The last producer to finish puts
/// one sentinel per consumer.
async fn produce(
    producer: u32,
    lane: u32,
    queue: &PageQueue<Vec<u8>>,
    params: QueueParams,
    cancelled: &AtomicBool,
) -> Result<(), Said> {
    for seq in 0..params.items {
        if cancelled.load(Ordering::Relaxed) {
            break;
        }
        let key = ItemKey { producer, seq };
        let task = Some(key.task(params.items));
        let start_ms = queue.now_ms();
        work(params.produce_ms).await;
        let item = encode_item(key);
        queue.record(task, lane, SpanState::Running, start_ms, queue.now_ms());
        if !queue.put(lane, task, Entry::Item((key, item))).await {
            break;
        }
    }
    queue.producer_done(lane).await;
    Ok(())
}

/// One consumer coroutine: get an item, awaiting while the queue is empty;
/// handle it (an awaited sleep) and mark it done, until its sentinel or
/// `join()`.
async fn consume(
    consumer: u32,
    lane: u32,
    queue: &PageQueue<Vec<u8>>,
    params: QueueParams,
    done: &AtomicUsize,
) -> Result<(), Said> {
    while let Some((key, item)) = queue.get(lane, consumer).await {
        let decoded = decode_item(&item).map_err(|error| error.said())?;
        if decoded != key {
            return Err(Said::new(
                "a consumer got another item than was put",
                "消费者拿到的条目与放入的不同",
            ));
        }
        let start_ms = queue.now_ms();
        work(params.consume_ms).await;
        queue.record(Some(key.task(params.items)), lane, SpanState::Running, start_ms, queue.now_ms());
        queue.task_done();
        done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}
// endregion: shown
