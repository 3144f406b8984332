//! The queue experiment's parameters, their codec and its presets.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, choice, number_in, used_number};
use crate::lang::{Lang, Words};

pub const ON_KEY: &str = "on";
pub const PRODUCERS_KEY: &str = "producers";
pub const CONSUMERS_KEY: &str = "consumers";
pub const CAPACITY_KEY: &str = "capacity";
pub const ITEMS_KEY: &str = "items";
pub const PRODUCE_MS_KEY: &str = "produce_ms";
pub const CONSUME_MS_KEY: &str = "consume_ms";
pub const STOP_KEY: &str = "stop";

pub const SIDE_RANGE: RangeInclusive<u32> = 1..=8;
/// 0 is an unbounded queue, as `queue.Queue(maxsize=0)`.
pub const CAPACITY_RANGE: RangeInclusive<u32> = 0..=1000;
pub const ITEMS_RANGE: RangeInclusive<u32> = 1..=1000;
pub const WORK_MS_RANGE: RangeInclusive<u32> = 0..=100;

/// Where the producers and consumers run, and so what the queue is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum QueueOn {
    /// Pool threads sharing memory, a blocking queue between them
    /// (`queue.Queue`).
    #[default]
    Threads,
    /// Coroutines on the page's event loop, an async queue (`asyncio.Queue`).
    Coroutines,
    /// Isolated workers, each item copied through `postMessage`
    /// (`multiprocessing.Queue`).
    Workers,
}

impl QueueOn {
    pub fn title(self) -> Words {
        match self {
            QueueOn::Threads => Words::new("Threads (queue.Queue)", "线程（queue.Queue）"),
            QueueOn::Coroutines => Words::new("Coroutines (asyncio.Queue)", "协程（asyncio.Queue）"),
            QueueOn::Workers => Words::new(
                "Isolated workers (multiprocessing.Queue)",
                "隔离的工作者（multiprocessing.Queue）",
            ),
        }
    }
}

/// How the consumers learn that the work is over: the notes' two ways.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum StopMode {
    /// One `None` per consumer after the last item; a consumer stops at its own.
    #[default]
    Sentinel,
    /// `task_done()` after each item and `join()` until every item is done.
    Join,
}

impl StopMode {
    pub fn title(self) -> Words {
        match self {
            StopMode::Sentinel => Words::new("a None sentinel per consumer", "每个消费者一个 None 哨兵"),
            StopMode::Join => Words::new("task_done() and join()", "task_done() 与 join()"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueParams {
    pub on: QueueOn,
    pub producers: u32,
    pub consumers: u32,
    pub capacity: u32,
    /// Items each producer puts.
    pub items: u32,
    pub produce_ms: u32,
    pub consume_ms: u32,
    pub stop: StopMode,
}

impl Default for QueueParams {
    fn default() -> Self {
        Preset::OneToOne.params(QueueOn::default())
    }
}

impl QueueParams {
    pub fn total_items(&self) -> u32 {
        self.producers * self.items
    }

    pub fn bounded(&self) -> bool {
        self.capacity > 0
    }

    /// Producers and consumers: the threads (or workers) a run holds at once.
    pub fn actors(&self) -> u32 {
        self.producers + self.consumers
    }

    /// A run's title: "Threads (queue.Queue): 1 → 3, capacity 10".
    pub fn title(&self, lang: Lang) -> String {
        let on = self.on.title().get(lang);
        let (producers, consumers) = (self.producers, self.consumers);
        match (lang, self.bounded()) {
            (Lang::En, true) => format!("{on}: {producers} → {consumers}, capacity {}", self.capacity),
            (Lang::En, false) => format!("{on}: {producers} → {consumers}, unbounded"),
            (Lang::ZhCn, true) => format!("{on}：{producers} → {consumers}，容量 {}", self.capacity),
            (Lang::ZhCn, false) => format!("{on}：{producers} → {consumers}，无界"),
        }
    }

    /// What the timeline's header compares runs by.
    pub fn work(&self) -> String {
        format!(
            "p={} c={} capacity={} items={} produce_ms={} consume_ms={} stop={}",
            self.producers,
            self.consumers,
            self.capacity,
            self.items,
            self.produce_ms,
            self.consume_ms,
            <&str>::from(self.stop)
        )
    }
}

/// The notes' set-ups, one click away; each keeps where it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Preset {
    /// One producer, one consumer, a `None` sentinel.
    OneToOne,
    /// One producer, three consumers, `task_done()` and `join()`.
    ThreeConsumers,
    /// Two fast producers, one slow consumer, no bound: the queue only grows.
    Unbounded,
}

impl Preset {
    pub fn title(self) -> Words {
        match self {
            Preset::OneToOne => {
                Words::new("One producer, one consumer, a sentinel", "一个生产者、一个消费者、哨兵")
            }
            Preset::ThreeConsumers => Words::new("Three consumers with join()", "三个消费者，用 join()"),
            Preset::Unbounded => Words::new("Faster producers, no bound", "生产者更快，队列无界"),
        }
    }

    pub fn params(self, on: QueueOn) -> QueueParams {
        let (producers, consumers, capacity, items, produce_ms, consume_ms, stop) = match self {
            Preset::OneToOne => (1, 1, 5, 50, 2, 5, StopMode::Sentinel),
            Preset::ThreeConsumers => (1, 3, 10, 60, 1, 6, StopMode::Join),
            Preset::Unbounded => (2, 1, 0, 50, 1, 4, StopMode::Sentinel),
        };
        QueueParams { on, producers, consumers, capacity, items, produce_ms, consume_ms, stop }
    }
}

impl ExperimentParams for QueueParams {
    const KEY: &'static str = "queue";
    const KEYS: &'static [&'static str] = &[
        ON_KEY,
        PRODUCERS_KEY,
        CONSUMERS_KEY,
        CAPACITY_KEY,
        ITEMS_KEY,
        PRODUCE_MS_KEY,
        CONSUME_MS_KEY,
        STOP_KEY,
    ];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        let defaults = QueueParams::default();
        match key {
            ON_KEY => self.on = choice(key, value, defaults.on)?,
            PRODUCERS_KEY => {
                self.producers = number_in(key, value, SIDE_RANGE, used_number(defaults.producers))?
            }
            CONSUMERS_KEY => {
                self.consumers = number_in(key, value, SIDE_RANGE, used_number(defaults.consumers))?
            }
            CAPACITY_KEY => {
                self.capacity = number_in(key, value, CAPACITY_RANGE, used_number(defaults.capacity))?
            }
            ITEMS_KEY => self.items = number_in(key, value, ITEMS_RANGE, used_number(defaults.items))?,
            PRODUCE_MS_KEY => {
                self.produce_ms = number_in(key, value, WORK_MS_RANGE, used_number(defaults.produce_ms))?
            }
            CONSUME_MS_KEY => {
                self.consume_ms = number_in(key, value, WORK_MS_RANGE, used_number(defaults.consume_ms))?
            }
            STOP_KEY => self.stop = choice(key, value, defaults.stop)?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        let defaults = QueueParams::default();
        if self.on != defaults.on {
            pairs.push((ON_KEY, <&str>::from(self.on).to_string()));
        }
        let numbers = [
            (PRODUCERS_KEY, self.producers, defaults.producers),
            (CONSUMERS_KEY, self.consumers, defaults.consumers),
            (CAPACITY_KEY, self.capacity, defaults.capacity),
            (ITEMS_KEY, self.items, defaults.items),
            (PRODUCE_MS_KEY, self.produce_ms, defaults.produce_ms),
            (CONSUME_MS_KEY, self.consume_ms, defaults.consume_ms),
        ];
        for (key, value, default) in numbers {
            if value != default {
                pairs.push((key, value.to_string()));
            }
        }
        if self.stop != defaults.stop {
            pairs.push((STOP_KEY, <&str>::from(self.stop).to_string()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Producers and consumers", "生产者与消费者"),
            summary: Words::new(
                "Producers put items into a queue and consumers take them out, on threads, on coroutines or \
                 between isolated workers; who waits, and how deep the queue gets, is measured.",
                "生产者把条目放进队列，消费者取出来，分别在线程、协程或隔离的工作者之间进行；测量谁在等待、队列有多深。",
            ),
            lesson: Words::new(
                "A bounded queue makes the faster side wait for the slower one; its depth and the waits tell which \
                 side is the bottleneck.",
                "有界队列让快的一方等待慢的一方；队列深度和等待时间告诉你哪一方是瓶颈。",
            ),
            idea: Words::new("Producer–consumer (queue.Queue)", "生产者-消费者（queue.Queue）"),
            step: 48,
            ready: QueueParams::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::address::page_state::{decode, encode};
    use crate::lang::Lang;

    #[test]
    fn addresses_decode_to_parameters_or_problems() {
        let mut said = Vec::new();
        for query in [
            "?exp=queue",
            "?exp=queue&on=workers&producers=2&consumers=3&capacity=0&items=200&produce_ms=0&consume_ms=10&stop=join",
            "?exp=queue&on=fibres&capacity=1001&stop=never&produce_ms=1.5",
        ] {
            let decoded = decode(query);
            said.push(format!("{query} -> {}", encode(&decoded.state)));
            for problem in decoded.problems {
                said.push(format!("  ! {} | {}", problem.message(Lang::En), problem.message(Lang::ZhCn)));
            }
        }
        expect![[r#"
            ?exp=queue -> ?exp=queue
            ?exp=queue&on=workers&producers=2&consumers=3&capacity=0&items=200&produce_ms=0&consume_ms=10&stop=join -> ?exp=queue&on=workers&producers=2&consumers=3&capacity=0&items=200&produce_ms=0&consume_ms=10&stop=join
            ?exp=queue&on=fibres&capacity=1001&stop=never&produce_ms=1.5 -> ?exp=queue
              ! `on=fibres` is not valid: on must be one of `threads`, `coroutines`, `workers`. Using `on=threads` instead. | `on=fibres` 无效：`on` 应为以下之一：`threads`、`coroutines`、`workers`。改用 `on=threads`。
              ! `capacity=1001` is not valid: capacity must be a whole number from 0 to 1000. Using `capacity=5` instead. | `capacity=1001` 无效：`capacity` 应为 0 到 1000 之间的整数。改用 `capacity=5`。
              ! `stop=never` is not valid: stop must be one of `sentinel`, `join`. Using `stop=sentinel` instead. | `stop=never` 无效：`stop` 应为以下之一：`sentinel`、`join`。改用 `stop=sentinel`。
              ! `produce_ms=1.5` is not valid: produce_ms must be a whole number from 0 to 100. Using `produce_ms=2` instead. | `produce_ms=1.5` 无效：`produce_ms` 应为 0 到 100 之间的整数。改用 `produce_ms=2`。"#]].assert_eq(&said.join("\n"));
    }
}
