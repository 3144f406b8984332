//! The numbers a run is judged by: makespan, busy time, speedup,
//! efficiency, and the ceiling the task set allows on `k` workers.

use crate::records::span::{Span, SpanState};

#[derive(Clone, Debug, PartialEq)]
pub struct RunStats {
    /// From the run's start (after warm-up) to the end of its last span.
    pub makespan_ms: f64,
    /// The sum of every task's running time.
    pub busy_ms: f64,
    /// Time spent copying data between memories (isolated workers).
    pub serialising_ms: f64,
    /// Time workers spent starting inside the measured run.
    pub starting_ms: f64,
    /// Time workers spent waiting for the global lock.
    pub waiting_for_lock_ms: f64,
    pub tasks_run: usize,
}

pub fn run_stats(spans: &[Span]) -> RunStats {
    let total = |state: SpanState| -> f64 {
        spans
            .iter()
            .filter(|span| span.state == state && span.end_ms > 0.0)
            .map(|span| span.end_ms - span.start_ms.max(0.0))
            .sum()
    };
    RunStats {
        makespan_ms: spans.iter().map(|span| span.end_ms).fold(0.0, f64::max),
        busy_ms: total(SpanState::Running),
        serialising_ms: total(SpanState::Serialising),
        starting_ms: total(SpanState::Starting),
        waiting_for_lock_ms: total(SpanState::WaitingForLock),
        tasks_run: spans.iter().filter(|span| span.state == SpanState::Running).count(),
    }
}

/// Each task's running time, in task order (tasks that did not run are absent).
pub fn task_durations_ms(spans: &[Span]) -> Vec<f64> {
    let mut running: Vec<(u32, f64)> = spans
        .iter()
        .filter(|span| span.state == SpanState::Running)
        .filter_map(|span| span.task.map(|task| (task, span.duration_ms())))
        .collect();
    running.sort_by_key(|(task, _)| *task);
    running.into_iter().map(|(_, duration)| duration).collect()
}

/// `baseline_ms / makespan_ms`; `None` when either is not positive.
pub fn speedup(baseline_ms: f64, makespan_ms: f64) -> Option<f64> {
    (baseline_ms > 0.0 && makespan_ms > 0.0).then(|| baseline_ms / makespan_ms)
}

/// Speedup per worker: 1.0 when every worker was fully used.
pub fn efficiency(speedup: f64, workers: u32) -> f64 {
    speedup / f64::from(workers.max(1))
}

/// The schedule of tasks lasting `durations_ms` when `workers` workers take
/// them in order, each starting the next task as soon as it is free, with no
/// overhead at all: what a pool pulling from one queue achieves at best.
pub fn ideal_schedule(durations_ms: &[f64], workers: u32) -> Vec<Span> {
    let mut free_at = vec![0.0f64; workers.max(1) as usize];
    let mut spans = Vec::with_capacity(durations_ms.len());
    for (task, duration) in durations_ms.iter().enumerate() {
        // The earliest free worker (the lowest-numbered on a tie) takes the next task.
        let Some((lane, start_ms)) =
            free_at.iter().copied().enumerate().min_by(|(_, a), (_, b)| a.total_cmp(b))
        else {
            break;
        };
        let end_ms = start_ms + duration.max(0.0);
        free_at[lane] = end_ms;
        spans.push(Span {
            task: Some(task as u32),
            lane: Some(lane as u32),
            state: SpanState::Running,
            start_ms,
            end_ms,
        });
    }
    spans
}

/// The makespan of `ideal_schedule`.
pub fn ideal_makespan_ms(durations_ms: &[f64], workers: u32) -> f64 {
    ideal_schedule(durations_ms, workers).iter().map(|span| span.end_ms).fold(0.0, f64::max)
}

/// The best speedup this task set allows on `workers` workers: the total
/// work over the ideal makespan. Unequal tasks keep it below `workers`.
pub fn ceiling(durations_ms: &[f64], workers: u32) -> Option<f64> {
    speedup(durations_ms.iter().sum(), ideal_makespan_ms(durations_ms, workers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_tasks_divide_evenly_and_unequal_ones_do_not() {
        assert_eq!(ceiling(&[10.0; 8], 2), Some(2.0));
        assert_eq!(ceiling(&[10.0; 8], 3), Some(80.0 / 30.0));
        assert_eq!(ceiling(&[10.0; 8], 16), Some(8.0));
        // The notes' primes: five of ~5.3M divisions, the last 1.65M.
        let primes = [5.298, 5.305, 5.298, 5.368, 5.380, 1.653];
        let two = ceiling(&primes, 2).unwrap_or_default();
        assert!((1.76..1.80).contains(&two), "{two}");
        assert_eq!(ceiling(&[], 2), None);
    }

    #[test]
    fn stats_measure_only_the_timed_run() {
        let span = |task, lane, state, start_ms, end_ms| Span { task, lane, state, start_ms, end_ms };
        let spans = [
            span(None, Some(0), SpanState::Starting, -30.0, -5.0),
            span(Some(0), None, SpanState::Queued, 0.0, 0.0),
            span(Some(0), Some(0), SpanState::Running, 0.0, 40.0),
            span(Some(1), None, SpanState::Queued, 0.0, 40.0),
            span(Some(1), Some(0), SpanState::WaitingForLock, 0.0, 40.0),
            span(Some(1), Some(0), SpanState::Running, 40.0, 70.0),
        ];
        let stats = run_stats(&spans);
        assert_eq!(stats.makespan_ms, 70.0);
        assert_eq!(stats.busy_ms, 70.0);
        assert_eq!(stats.starting_ms, 0.0);
        assert_eq!(stats.waiting_for_lock_ms, 40.0);
        assert_eq!(stats.tasks_run, 2);
        assert_eq!(task_durations_ms(&spans), [40.0, 30.0]);
        assert_eq!(speedup(140.0, 70.0), Some(2.0));
        assert_eq!(efficiency(2.0, 4), 0.5);
    }

    proptest! {
        #[test]
        fn the_ideal_schedule_runs_every_task_once_and_never_overlaps_on_a_lane(
            durations in proptest::collection::vec(0.0f64..100.0, 0..40),
            workers in 1u32..17,
        ) {
            let spans = ideal_schedule(&durations, workers);
            prop_assert_eq!(crate::records::span::overlapping_on_a_lane(&spans), None);
            let mut tasks: Vec<u32> = spans.iter().filter_map(|span| span.task).collect();
            tasks.sort_unstable();
            prop_assert_eq!(tasks, (0..durations.len() as u32).collect::<Vec<_>>());
            prop_assert!(spans.iter().all(|span| span.lane.is_some_and(|lane| lane < workers)));
            // Busy time is conserved: the schedule only moves work around.
            let busy: f64 = spans.iter().map(Span::duration_ms).sum();
            prop_assert!((busy - durations.iter().sum::<f64>()).abs() < 1e-6);
        }

        #[test]
        fn the_ceiling_lies_between_one_and_the_worker_count(
            durations in proptest::collection::vec(0.1f64..100.0, 1..40),
            workers in 1u32..17,
        ) {
            let ceiling = ceiling(&durations, workers).unwrap_or_default();
            prop_assert!(ceiling >= 1.0 - 1e-9);
            prop_assert!(ceiling <= f64::from(workers) + 1e-9);
            prop_assert!(ceiling <= durations.len() as f64 + 1e-9);
        }
    }
}
