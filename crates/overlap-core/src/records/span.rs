//! What ran when: the record every run produces, on one clock (milliseconds
//! from the run's start; negative for set-up done before timing starts).

use strum::{IntoStaticStr, VariantArray};

use crate::lang::Words;

/// What a lane (a worker) or a task was doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum SpanState {
    /// The task waits in the queue for a free worker.
    Queued,
    /// The task computes.
    Running,
    /// The task's worker waits for the global lock (the GIL analogue).
    WaitingForLock,
    /// A thread waits for its turn (a lock, a condition, a word).
    WaitingForTurn,
    /// A producer waits to put: the queue is full.
    BlockedOnFull,
    /// A consumer waits to get: the queue is empty.
    BlockedOnEmpty,
    /// A worker starts or warms up (before it can take tasks).
    Starting,
    /// A task's input or output is copied between memories (postMessage).
    Serialising,
    /// A request was sent and waits for its first byte.
    Waiting,
    /// A request's body arrives.
    Downloading,
    /// A request failed (network, CORS or timeout) in this phase.
    Failed,
    /// A request was cancelled by the user in this phase; a coroutine
    /// was cancelled while it awaited.
    Cancelled,
    /// A thread blocks until a future has its result (`future.result()`).
    WaitingForResult,
    /// A coroutine is suspended at an `await`: its thread serves others.
    Awaiting,
    /// What a coroutine awaited has come, but the event loop's one thread
    /// is busy elsewhere: ready, it waits for its turn on the loop.
    ReadyForLoop,
}

impl SpanState {
    /// The state's stable name, as exports and tests read it
    /// (`waiting-for-lock`): strum's kebab-case of the variant.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The state as the legend, tooltips and tables say it.
    pub fn label(self) -> Words {
        match self {
            SpanState::Queued => Words::new("queued", "排队"),
            SpanState::Running => Words::new("running", "运行"),
            SpanState::WaitingForLock => Words::new("waiting for the lock", "等待锁"),
            SpanState::WaitingForTurn => Words::new("waiting for its turn", "等待轮次"),
            SpanState::BlockedOnFull => Words::new("waiting to put (queue full)", "等待放入（队列已满）"),
            SpanState::BlockedOnEmpty => Words::new("waiting to get (queue empty)", "等待取出（队列为空）"),
            SpanState::Starting => Words::new("starting", "启动"),
            SpanState::Serialising => Words::new("serialising", "序列化"),
            SpanState::Waiting => Words::new("waiting", "等待响应"),
            SpanState::Downloading => Words::new("downloading", "下载"),
            SpanState::Failed => Words::new("failed", "失败"),
            SpanState::Cancelled => Words::new("cancelled", "已取消"),
            SpanState::WaitingForResult => Words::new("waiting for a result", "等待结果"),
            SpanState::Awaiting => Words::new("awaiting (suspended)", "await 挂起"),
            SpanState::ReadyForLoop => Words::new("ready, the loop busy", "已就绪，事件循环正忙"),
        }
    }
}

/// One interval of one state. `lane` is the worker it happened on; queued
/// spans belong to no worker yet, so they have no lane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// The task, or `None` for a worker's own start-up.
    pub task: Option<u32>,
    pub lane: Option<u32>,
    pub state: SpanState,
    pub start_ms: f64,
    pub end_ms: f64,
}

impl Span {
    pub fn duration_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }
}

/// The first pair of spans that overlap on one lane, if any: a lane is one
/// worker, which does one thing at a time.
pub fn overlapping_on_a_lane(spans: &[Span]) -> Option<(Span, Span)> {
    let mut on_lanes: Vec<&Span> = spans.iter().filter(|span| span.lane.is_some()).collect();
    on_lanes.sort_by(|a, b| a.lane.cmp(&b.lane).then(a.start_ms.total_cmp(&b.start_ms)));
    on_lanes
        .windows(2)
        .find(|pair| pair[0].lane == pair[1].lane && pair[1].start_ms < pair[0].end_ms)
        .map(|pair| (*pair[0], *pair[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_have_stable_names() {
        assert_eq!(SpanState::WaitingForLock.name(), "waiting-for-lock");
        assert_eq!(SpanState::Serialising.name(), "serialising");
    }

    #[test]
    fn finds_overlap_only_on_the_same_lane() {
        let span = |lane, start_ms, end_ms| Span {
            task: Some(0),
            lane,
            state: SpanState::Running,
            start_ms,
            end_ms,
        };
        assert_eq!(overlapping_on_a_lane(&[span(Some(0), 0.0, 5.0), span(Some(1), 1.0, 4.0)]), None);
        assert_eq!(overlapping_on_a_lane(&[span(Some(0), 0.0, 5.0), span(Some(0), 5.0, 6.0)]), None);
        // Queued spans are on no lane: they may overlap anything.
        assert_eq!(overlapping_on_a_lane(&[span(None, 0.0, 5.0), span(None, 0.0, 6.0)]), None);
        let (a, b) = (span(Some(2), 0.0, 5.0), span(Some(2), 4.0, 6.0));
        assert_eq!(overlapping_on_a_lane(&[b, a]), Some((a, b)));
    }
}
