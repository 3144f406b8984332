//! A queue run's numbers, all from what it recorded: how many items went in
//! and came out (each exactly once?), throughput, the time in the queue,
//! the mean depth, Little's law on those measured numbers, who waited, and
//! a reading of which side held the other up.

use std::collections::HashMap;

use crate::experiments::queue::log::{Actor, DepthSample, Got, ItemKey, Put};
use crate::experiments::queue::params::QueueParams;
use crate::lang::{Lang, Said};
use crate::records::results::Figure;
use crate::records::span::{Span, SpanState};

/// Above this share of its time waiting, a side is held up.
const HELD_UP_SHARE: f64 = 0.3;

/// What a run recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueLog {
    pub spans: Vec<Span>,
    pub puts: Vec<Put>,
    pub gets: Vec<Got>,
    pub depth: Vec<DepthSample>,
    /// Consumers that stopped the stop mode's way: at their own sentinel,
    /// or released once `join()` returned.
    pub consumers_stopped: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QueueFigures {
    pub items_expected: u32,
    pub items_produced: u32,
    /// Distinct items consumed.
    pub items_consumed: u32,
    /// Gets of an item already got.
    pub duplicates: u32,
    /// Items put and never got.
    pub lost: u32,
    /// From the first put to the last get of an item.
    pub window_ms: f64,
    pub throughput_per_s: f64,
    /// Items per millisecond entering the queue over the window.
    pub arrival_per_ms: f64,
    pub mean_wait_ms: f64,
    /// Time-weighted, from the queue's own counts, over the window.
    pub mean_depth: f64,
    /// Mean depth / (arrival rate × mean wait); 1 is Little's law.
    pub littles_law_ratio: Option<f64>,
    pub max_depth: u32,
    pub producer_blocked_share: f64,
    pub consumer_blocked_share: f64,
    /// Every consumer stopped the stop mode's way, every item consumed once.
    pub stopped_exactly: bool,
}

impl QueueFigures {
    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        vec![
            ("items_produced", Figure::Number(f64::from(self.items_produced))),
            ("items_consumed", Figure::Number(f64::from(self.items_consumed))),
            ("duplicates", Figure::Number(f64::from(self.duplicates))),
            ("lost", Figure::Number(f64::from(self.lost))),
            ("throughput_per_s", Figure::Number(self.throughput_per_s)),
            ("mean_depth", Figure::Number(self.mean_depth)),
            ("mean_wait_ms", Figure::Number(self.mean_wait_ms)),
            ("littles_law_ratio", Figure::from(self.littles_law_ratio)),
            ("producer_blocked_share", Figure::Number(self.producer_blocked_share)),
            ("consumer_blocked_share", Figure::Number(self.consumer_blocked_share)),
            ("max_depth", Figure::Number(f64::from(self.max_depth))),
            ("stopped_exactly", Figure::Bool(self.stopped_exactly)),
        ]
    }

    /// Little's law, both sides: (mean depth, arrival rate × mean wait).
    pub fn littles_law_sides(&self) -> (f64, f64) {
        (self.mean_depth, self.arrival_per_ms * self.mean_wait_ms)
    }

    /// Which side held the other up, from the measured waits and depth.
    pub fn bottleneck(&self, params: &QueueParams) -> Bottleneck {
        if self.lost > 0 || self.duplicates > 0 {
            return Bottleneck::Broken;
        }
        let grew = !params.bounded() && self.max_depth >= (self.items_expected / 4).max(10);
        if grew && self.producer_blocked_share < HELD_UP_SHARE {
            return Bottleneck::ConsumersQueueGrew;
        }
        if self.producer_blocked_share >= HELD_UP_SHARE
            && self.producer_blocked_share >= self.consumer_blocked_share
        {
            return Bottleneck::Consumers;
        }
        if self.consumer_blocked_share >= HELD_UP_SHARE {
            return Bottleneck::Producers;
        }
        Bottleneck::Neither
    }

    /// Which side held the other up and what a change would do, from the
    /// measured waits and depth.
    pub fn reading(&self, params: &QueueParams) -> Said {
        let percent = |share: f64| format!("{:.0}%", share * 100.0);
        let (producers, consumers) =
            (percent(self.producer_blocked_share), percent(self.consumer_blocked_share));
        match self.bottleneck(params) {
            Bottleneck::Broken => {
                let (lost, twice) = (self.lost, self.duplicates);
                Said::new(
                    format!("{lost} items were lost and {twice} handled twice: the queue broke its promise."),
                    format!("{lost} 个条目丢失，{twice} 个被处理了两次：队列没有守住它的承诺。"),
                )
            }
            Bottleneck::ConsumersQueueGrew => {
                let depth = self.max_depth;
                Said::new(
                    format!(
                        "No producer ever waited to put: with no bound the queue grew to {depth} items while the \
                         consumers fell behind. A capacity would make the producers wait instead of the queue growing."
                    ),
                    format!(
                        "没有生产者需要等待 put()：队列无界，消费者跟不上，队列涨到了 {depth} 个条目。设置容量会让生产者等待，而不是让队列无限增长。"
                    ),
                )
            }
            Bottleneck::Consumers => Said::new(
                format!(
                    "Producers waited {producers} of their time on a full queue: the consumers are the \
                     bottleneck. Add consumers or make them faster; a bigger queue only puts the wait off."
                ),
                format!(
                    "生产者有 {producers} 的时间在等待满的队列：瓶颈在消费者。增加消费者或让它们更快；更大的队列只会推迟等待。"
                ),
            ),
            Bottleneck::Producers => Said::new(
                format!(
                    "Consumers waited {consumers} of their time on an empty queue: the producers are the \
                     bottleneck. Add producers or make them faster; more consumers would only wait more."
                ),
                format!(
                    "消费者有 {consumers} 的时间在等待空的队列：瓶颈在生产者。增加生产者或让它们更快；更多消费者只会等得更多。"
                ),
            ),
            Bottleneck::Neither => Said::new(
                format!(
                    "Neither side waited long (producers {producers}, consumers {consumers} of their time): the two \
                     sides keep pace."
                ),
                format!("两边都没有等太久（生产者 {producers}，消费者 {consumers}）：两边步调一致。"),
            ),
        }
    }
}

/// Which side of a queue held the other up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bottleneck {
    /// Items were lost or handled twice: no reading of waits means anything.
    Broken,
    /// The consumers fell behind and the unbounded queue grew.
    ConsumersQueueGrew,
    /// The producers waited on a full queue.
    Consumers,
    /// The consumers waited on an empty queue.
    Producers,
    /// Neither side waited long.
    Neither,
}

/// The time-weighted mean of the counts over `[from_ms, to_ms]`: each count
/// holds from its sample to the next; before the first, the queue is empty.
pub fn mean_depth(samples: &[DepthSample], from_ms: f64, to_ms: f64) -> f64 {
    if to_ms <= from_ms {
        return 0.0;
    }
    let mut sorted: Vec<DepthSample> = samples.to_vec();
    sorted.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
    let mut area = 0.0;
    let (mut at_ms, mut depth) = (from_ms, 0.0);
    for sample in &sorted {
        let until_ms = sample.at_ms.clamp(from_ms, to_ms);
        area += depth * (until_ms - at_ms).max(0.0);
        at_ms = at_ms.max(until_ms);
        depth = f64::from(sample.depth);
    }
    area += depth * (to_ms - at_ms).max(0.0);
    area / (to_ms - from_ms)
}

/// How much of its side's working life was spent in `blocked`: the sum over
/// the side's lanes, start-up left out.
fn blocked_share(spans: &[Span], params: &QueueParams, producers: bool, blocked: SpanState) -> f64 {
    let (mut active_ms, mut blocked_ms) = (0.0, 0.0);
    for span in spans {
        let Some(lane) = span.lane else { continue };
        let on_side = matches!(Actor::of_lane(lane, params.producers), Actor::Producer(_)) == producers;
        if !on_side || span.state == SpanState::Starting {
            continue;
        }
        active_ms += span.duration_ms();
        if span.state == blocked {
            blocked_ms += span.duration_ms();
        }
    }
    if active_ms > 0.0 { blocked_ms / active_ms } else { 0.0 }
}

pub fn queue_figures(params: &QueueParams, log: &QueueLog) -> QueueFigures {
    let put_at: HashMap<ItemKey, f64> = log.puts.iter().map(|put| (put.item, put.at_ms)).collect();
    let mut got: HashMap<ItemKey, f64> = HashMap::new();
    let mut duplicates = 0;
    for get in &log.gets {
        if got.insert(get.item, get.at_ms).is_some() {
            duplicates += 1;
        }
    }
    let lost = put_at.keys().filter(|item| !got.contains_key(item)).count() as u32;
    let waits: Vec<f64> =
        got.iter().filter_map(|(item, got_ms)| put_at.get(item).map(|put_ms| got_ms - put_ms)).collect();
    let first_put_ms = log.puts.iter().map(|put| put.at_ms).reduce(f64::min).unwrap_or(0.0);
    let last_get_ms = got.values().copied().reduce(f64::max).unwrap_or(first_put_ms);
    let window_ms = (last_get_ms - first_put_ms).max(0.0);
    let mean_wait_ms = if waits.is_empty() { 0.0 } else { waits.iter().sum::<f64>() / waits.len() as f64 };
    let arrival_per_ms = if window_ms > 0.0 { put_at.len() as f64 / window_ms } else { 0.0 };
    let mean_depth = mean_depth(&log.depth, first_put_ms, last_get_ms);
    let expected_depth = arrival_per_ms * mean_wait_ms;
    let items_consumed = got.len() as u32;
    let items_expected = params.total_items();
    QueueFigures {
        items_expected,
        items_produced: put_at.len() as u32,
        items_consumed,
        duplicates,
        lost,
        window_ms,
        throughput_per_s: if window_ms > 0.0 { f64::from(items_consumed) / window_ms * 1000.0 } else { 0.0 },
        arrival_per_ms,
        mean_wait_ms,
        mean_depth,
        littles_law_ratio: (expected_depth > 0.0).then(|| mean_depth / expected_depth),
        max_depth: log.depth.iter().map(|sample| sample.depth).max().unwrap_or(0),
        producer_blocked_share: blocked_share(&log.spans, params, true, SpanState::BlockedOnFull),
        consumer_blocked_share: blocked_share(&log.spans, params, false, SpanState::BlockedOnEmpty),
        stopped_exactly: log.consumers_stopped == params.consumers
            && lost == 0
            && duplicates == 0
            && items_consumed == items_expected,
    }
}

/// The run's words for the page: "consumed 200 of 200, each once".
pub fn exactly_once(figures: &QueueFigures, lang: Lang) -> String {
    let (consumed, expected) = (figures.items_consumed, figures.items_expected);
    match (lang, figures.stopped_exactly) {
        (Lang::En, true) => format!("{consumed} of {expected} consumed, each once; every consumer stopped"),
        (Lang::ZhCn, true) => format!("消费了 {consumed}/{expected} 个，每个一次；每个消费者都已停止"),
        (Lang::En, false) => {
            format!("{consumed} of {expected} consumed, {} lost, {} twice", figures.lost, figures.duplicates)
        }
        (Lang::ZhCn, false) => {
            format!("消费了 {consumed}/{expected} 个，丢失 {}，重复 {}", figures.lost, figures.duplicates)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::queue::params::{Preset, QueueOn};

    fn key(seq: u32) -> ItemKey {
        ItemKey { producer: 0, seq }
    }

    fn span(lane: u32, state: SpanState, start_ms: f64, end_ms: f64) -> Span {
        Span { task: None, lane: Some(lane), state, start_ms, end_ms }
    }

    /// One producer, one consumer: items put at 0, 1, 2 ms, each got 2 ms
    /// later; the queue holds 1 item from 0 to 1, 2 from 1 to 2 …
    fn steady_log() -> QueueLog {
        let puts = (0..3).map(|seq| Put { item: key(seq), at_ms: f64::from(seq) }).collect();
        let gets =
            (0..3).map(|seq| Got { item: key(seq), consumer: 0, at_ms: f64::from(seq) + 2.0 }).collect();
        let depth = [(0.0, 1), (1.0, 2), (2.0, 2), (3.0, 2), (3.0, 1), (4.0, 0)]
            .into_iter()
            .map(|(at_ms, depth)| DepthSample { at_ms, depth })
            .collect();
        QueueLog {
            spans: vec![
                span(0, SpanState::Running, 0.0, 3.0),
                span(0, SpanState::BlockedOnFull, 3.0, 4.0),
                span(1, SpanState::BlockedOnEmpty, 0.0, 2.0),
                span(1, SpanState::Running, 2.0, 4.0),
            ],
            puts,
            gets,
            depth,
            consumers_stopped: 1,
        }
    }

    #[test]
    fn littles_law_holds_on_consistent_records() {
        let params = QueueParams { items: 3, ..Preset::OneToOne.params(QueueOn::Threads) };
        let figures = queue_figures(&params, &steady_log());
        // Window 0..4 ms; depth area 1 + 2 + 2 + 1 = 6 → mean 1.5; λ = 3/4; W = 2.
        assert_eq!(figures.window_ms, 4.0);
        assert_eq!(figures.mean_depth, 1.5);
        assert_eq!(figures.mean_wait_ms, 2.0);
        assert_eq!(figures.littles_law_ratio, Some(1.0));
        assert_eq!(figures.max_depth, 2);
        assert_eq!(figures.producer_blocked_share, 0.25);
        assert_eq!(figures.consumer_blocked_share, 0.5);
        assert!(figures.stopped_exactly);
        assert_eq!(figures.throughput_per_s, 750.0);
        assert!(figures.reading(&params).en.starts_with("Consumers waited 50%"));
    }

    #[test]
    fn lost_and_repeated_items_are_counted_and_said() {
        let params = QueueParams { items: 3, ..Preset::OneToOne.params(QueueOn::Threads) };
        let mut log = steady_log();
        log.gets[2].item = key(1);
        let figures = queue_figures(&params, &log);
        assert_eq!((figures.lost, figures.duplicates, figures.items_consumed), (1, 1, 2));
        assert!(!figures.stopped_exactly);
        assert!(figures.reading(&params).en.starts_with("1 items were lost"));
        assert_eq!(exactly_once(&figures, Lang::En), "2 of 3 consumed, 1 lost, 1 twice");
        // A consumer that never saw its sentinel: the stop was not exact.
        let mut log = steady_log();
        log.consumers_stopped = 0;
        assert!(!queue_figures(&params, &log).stopped_exactly);
    }

    #[test]
    fn the_reading_names_the_side_that_waits() {
        let params = Preset::OneToOne.params(QueueOn::Threads);
        let mut log = steady_log();
        log.spans = vec![span(0, SpanState::BlockedOnFull, 0.0, 8.0), span(0, SpanState::Running, 8.0, 10.0)];
        let figures = queue_figures(&params, &log);
        assert_eq!(figures.producer_blocked_share, 0.8);
        assert!(figures.reading(&params).en.starts_with("Producers waited 80%"));
        log.spans = vec![span(0, SpanState::Running, 0.0, 1.0), span(1, SpanState::Running, 0.0, 1.0)];
        assert!(queue_figures(&params, &log).reading(&params).en.starts_with("Neither side"));
        // An unbounded queue that grew: nobody waited, the queue did.
        let unbounded = Preset::Unbounded.params(QueueOn::Threads);
        log.depth = vec![DepthSample { at_ms: 1.0, depth: 40 }];
        assert!(queue_figures(&unbounded, &log).reading(&unbounded).en.contains("grew to 40 items"));
    }

    #[test]
    fn mean_depth_weighs_each_count_by_how_long_it_held() {
        let samples = [DepthSample { at_ms: 2.0, depth: 4 }, DepthSample { at_ms: 1.0, depth: 2 }];
        // 0 on 0..1, 2 on 1..2, 4 on 2..4: (0 + 2 + 8) / 4.
        assert_eq!(mean_depth(&samples, 0.0, 4.0), 2.5);
        // Samples before the window set the count it starts with.
        assert_eq!(mean_depth(&samples, 3.0, 4.0), 4.0);
        assert_eq!(mean_depth(&samples, 4.0, 4.0), 0.0);
    }
}
