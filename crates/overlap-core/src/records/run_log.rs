//! What the threads of a run report while it goes on, kept in memory they
//! share with the page: every slot is allocated before the run starts, a
//! thread writes a span or a result with one atomic step and no message,
//! and the page reads what is new when it draws.
//!
//! A report sent on a channel per task woke the page's thread at every
//! task, and on a machine with as many cores as workers that waking took a
//! share of a core from the work being measured (issue 17). Writers never
//! wait here; readers never wait either: a slot reserved but not written yet
//! ends what a read returns, and the next read goes on from it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use thiserror::Error;

use crate::lang::Said;
use crate::records::span::Span;

/// A run's spans and its tasks' results, written by many threads at once.
pub struct RunLog<T> {
    spans: Box<[OnceLock<Span>]>,
    /// Slots taken so far (some may be written a moment later).
    spans_taken: AtomicUsize,
    /// Spans that found every slot taken: a log sized too small.
    spans_refused: AtomicUsize,
    outputs: Box<[OnceLock<T>]>,
    /// Results for a task that had one, or that the log was not made for.
    outputs_refused: AtomicUsize,
    tasks_done: AtomicUsize,
}

/// A log that could not keep everything its run reported: a writer's bug,
/// said when the run ends.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LogError {
    #[error("the run's log holds {capacity} spans and {refused} more found no room")]
    SpansRefused { capacity: usize, refused: usize },
    #[error("{refused} results came for a task that had one or that the log was not made for")]
    OutputsRefused { refused: usize },
}

impl LogError {
    /// What the page says of it, in both languages.
    pub fn said(&self) -> Said {
        match *self {
            LogError::SpansRefused { capacity, refused } => Said::new(
                self.to_string(),
                format!("这次运行的记录只能存 {capacity} 个时间段，另有 {refused} 个没有位置"),
            ),
            LogError::OutputsRefused { refused } => Said::new(
                self.to_string(),
                format!("有 {refused} 个结果属于已有结果的任务，或属于记录之外的任务"),
            ),
        }
    }
}

/// Where a reader of a log stands: the spans it has read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogCursor {
    pub spans_read: usize,
}

impl<T> RunLog<T> {
    /// A log for `tasks` tasks that writes at most `span_capacity` spans.
    pub fn new(tasks: usize, span_capacity: usize) -> Self {
        RunLog {
            spans: (0..span_capacity).map(|_| OnceLock::new()).collect(),
            spans_taken: AtomicUsize::new(0),
            spans_refused: AtomicUsize::new(0),
            outputs: (0..tasks).map(|_| OnceLock::new()).collect(),
            outputs_refused: AtomicUsize::new(0),
            tasks_done: AtomicUsize::new(0),
        }
    }

    /// Keeps `span`; a span past the log's size is counted, and `check`
    /// says so when the run ends.
    pub fn push_span(&self, span: Span) {
        let slot = self.spans_taken.fetch_add(1, Ordering::Relaxed);
        // The slot is this writer's alone: setting it never waits, and
        // never finds it set (were it to, the span is counted as refused).
        if self.spans.get(slot).is_none_or(|cell| cell.set(span).is_err()) {
            self.spans_refused.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Keeps task `task`'s result. A task reports once: a second result
    /// for it, or one for a task the log was not made for, is counted, and
    /// `check` says so when the run ends.
    pub fn set_output(&self, task: usize, output: T) {
        match self.outputs.get(task).map(|cell| cell.set(output)) {
            Some(Ok(())) => {
                self.tasks_done.fetch_add(1, Ordering::Release);
            }
            Some(Err(_)) | None => {
                self.outputs_refused.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Whether nothing has been written yet (a slot taken counts as written).
    pub fn is_empty(&self) -> bool {
        self.spans_taken.load(Ordering::Relaxed) == 0 && self.tasks_done() == 0
    }

    /// How many tasks have reported a result.
    pub fn tasks_done(&self) -> usize {
        self.tasks_done.load(Ordering::Acquire)
    }

    /// The spans written since `cursor`, in the order their slots were
    /// taken, up to the first slot not written yet; moves `cursor` past them.
    fn read_spans(&self, cursor: &mut LogCursor) -> &[OnceLock<Span>] {
        let from = cursor.spans_read.min(self.spans.len());
        let written = self.spans[from..].iter().take_while(|cell| cell.get().is_some()).count();
        cursor.spans_read = from + written;
        &self.spans[from..from + written]
    }

    /// The spans written since `cursor`, copied (see `read_spans`).
    pub fn new_spans(&self, cursor: &mut LogCursor) -> Vec<Span> {
        self.read_spans(cursor).iter().filter_map(OnceLock::get).copied().collect()
    }

    /// Whether every span found a slot and every result its task's (spans
    /// refused are said first when both were).
    pub fn check(&self) -> Result<(), LogError> {
        match (self.spans_refused.load(Ordering::Relaxed), self.outputs_refused.load(Ordering::Relaxed)) {
            (0, 0) => Ok(()),
            (0, refused) => Err(LogError::OutputsRefused { refused }),
            (refused, _) => Err(LogError::SpansRefused { capacity: self.spans.len(), refused }),
        }
    }

    /// Each task's result, `None` for a task that never reported one.
    pub fn into_outputs(self) -> Vec<Option<T>> {
        self.outputs.into_vec().into_iter().map(OnceLock::into_inner).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::records::span::SpanState;

    fn span(task: u32, lane: u32) -> Span {
        Span { task: Some(task), lane: Some(lane), state: SpanState::Running, start_ms: 0.0, end_ms: 1.0 }
    }

    #[test]
    fn a_reader_gets_each_span_once_in_slot_order() {
        let log: RunLog<u32> = RunLog::new(0, 4);
        let mut cursor = LogCursor::default();
        assert!(log.is_empty());
        log.push_span(span(0, 0));
        assert!(!log.is_empty());
        log.push_span(span(1, 0));
        assert_eq!(log.new_spans(&mut cursor), vec![span(0, 0), span(1, 0)]);
        assert_eq!(log.new_spans(&mut cursor), vec![]);
        log.push_span(span(2, 1));
        assert_eq!(log.new_spans(&mut cursor), vec![span(2, 1)]);
        assert_eq!(cursor.spans_read, 3);
        assert_eq!(log.check(), Ok(()));
    }

    #[test]
    fn a_slot_taken_but_not_written_ends_the_read_until_it_is() {
        let log: RunLog<u32> = RunLog::new(0, 3);
        // A writer that took slot 0 and has not written it yet.
        log.spans_taken.store(1, Ordering::Relaxed);
        log.push_span(span(1, 1));
        let mut cursor = LogCursor::default();
        assert_eq!(log.new_spans(&mut cursor), vec![]);
        let _ = log.spans[0].set(span(0, 0));
        assert_eq!(log.new_spans(&mut cursor), vec![span(0, 0), span(1, 1)]);
    }

    #[test]
    fn spans_past_the_size_are_counted_not_lost_in_silence() {
        let log: RunLog<u32> = RunLog::new(0, 1);
        log.push_span(span(0, 0));
        log.push_span(span(1, 0));
        log.push_span(span(2, 0));
        assert_eq!(log.check(), Err(LogError::SpansRefused { capacity: 1, refused: 2 }));
        assert_eq!(log.new_spans(&mut LogCursor::default()), vec![span(0, 0)]);
    }

    #[test]
    fn results_are_kept_by_task_once_each() {
        let log: RunLog<&str> = RunLog::new(3, 0);
        log.set_output(2, "c");
        log.set_output(0, "a");
        assert_eq!(log.check(), Ok(()));
        log.set_output(0, "again");
        log.set_output(3, "no such task");
        assert_eq!(log.tasks_done(), 2);
        assert_eq!(log.check(), Err(LogError::OutputsRefused { refused: 2 }));
        assert_eq!(log.into_outputs(), vec![Some("a"), None, Some("c")]);
    }

    proptest! {
        // However threads interleave, the reader ends with every span written.
        #[test]
        fn threads_writing_at_once_lose_no_span(per_thread in proptest::collection::vec(0usize..40, 1..5)) {
            let total: usize = per_thread.iter().sum();
            let log: Arc<RunLog<u32>> = Arc::new(RunLog::new(0, total));
            let mut cursor = LogCursor::default();
            let mut read = Vec::new();
            std::thread::scope(|scope| {
                for (lane, &count) in per_thread.iter().enumerate() {
                    let log = &log;
                    scope.spawn(move || {
                        for task in 0..count {
                            log.push_span(span(task as u32, lane as u32));
                        }
                    });
                }
                // Reading while they write, as the page does when it draws.
                read.extend(log.new_spans(&mut cursor));
            });
            read.extend(log.new_spans(&mut cursor));
            prop_assert_eq!(read.len(), total);
            for (lane, &count) in per_thread.iter().enumerate() {
                let tasks: Vec<u32> =
                    read.iter().filter(|s| s.lane == Some(lane as u32)).filter_map(|s| s.task).collect();
                // One writer's spans keep their order.
                prop_assert_eq!(tasks, (0..count as u32).collect::<Vec<u32>>());
            }
            prop_assert_eq!(log.check(), Ok(()));
        }
    }
}
