//! The queue experiment (`?exp=queue`): producers put items into a queue
//! and consumers take them out, on pool threads (a blocking queue in shared
//! memory), on coroutines (an async queue on the page's event loop) or
//! between isolated workers (every item copied); who waits, how deep the
//! queue gets and Little's law, all from what the run recorded.

mod blocking;
mod figures;
mod log;
mod params;
pub mod prediction;
mod python;
mod wire;

pub use blocking::{BlockingQueue, Entry, Moved, Released};
pub use figures::{Bottleneck, QueueFigures, QueueLog, exactly_once, mean_depth, queue_figures};
pub use log::{Actor, DepthSample, Got, ItemKey, Put};
pub use params::{
    CAPACITY_KEY, CONSUME_MS_KEY, CONSUMERS_KEY, ITEMS_KEY, ON_KEY, PRODUCE_MS_KEY, PRODUCERS_KEY, Preset,
    QueueOn, QueueParams, STOP_KEY, StopMode,
};
pub use python::python_program;
pub use wire::{ITEM_BYTES, ItemError, decode_item, encode_item};
