//! What a queue run records, whatever it ran on: each producer's and
//! consumer's spans, when every item entered and left the queue, and the
//! queue's own count of the items in it after every change.

use crate::lang::{Lang, Words};

/// An item: the producer that made it and its number there (from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey {
    pub producer: u32,
    pub seq: u32,
}

impl ItemKey {
    /// Its task number on the timeline, one per item of the run.
    pub fn task(self, items_per_producer: u32) -> u32 {
        self.producer * items_per_producer + self.seq
    }

    /// What the producer puts in it, so that the consumer can tell a
    /// damaged or mixed-up item: the same for the same key, everywhere.
    pub fn payload_word(self, index: u32) -> u32 {
        // A multiplicative hash (Knuth's) of the key and the word's place.
        (self.producer.wrapping_mul(0x9E37_79B9) ^ self.seq.wrapping_mul(0x85EB_CA6B))
            .wrapping_add(index.wrapping_mul(0xC2B2_AE35))
    }
}

/// An item entered the queue (its `put` returned).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Put {
    pub item: ItemKey,
    pub at_ms: f64,
}

/// An item left the queue (a `get` returned it) to `consumer`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Got {
    pub item: ItemKey,
    pub consumer: u32,
    pub at_ms: f64,
}

/// The items in the queue right after a change, as the queue counted them
/// (sentinels are not items).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DepthSample {
    pub at_ms: f64,
    pub depth: u32,
}

/// Which actor a timeline lane is: producers first, then consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Producer(u32),
    Consumer(u32),
}

impl Actor {
    pub fn of_lane(lane: u32, producers: u32) -> Actor {
        if lane < producers { Actor::Producer(lane) } else { Actor::Consumer(lane - producers) }
    }

    /// "producer 1", "消费者 2".
    pub fn name(self, lang: Lang) -> String {
        let (words, index) = match self {
            Actor::Producer(index) => (Words::new("producer", "生产者"), index),
            Actor::Consumer(index) => (Words::new("consumer", "消费者"), index),
        };
        format!("{} {}", words.get(lang), index + 1)
    }
}
