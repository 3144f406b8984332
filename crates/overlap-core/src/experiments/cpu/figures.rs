//! The numbers a CPU run is judged by, computed once for the runs table and
//! for "Download results".

use crate::experiments::cpu::Recording;
use crate::records::results::Figure;
use crate::records::run_stats::{RunStats, ceiling, efficiency, run_stats, speedup, task_durations_ms};
use crate::records::span::Span;

/// What a run recorded, as the figures need it.
#[derive(Clone, Copy)]
pub struct RunFacts<'a> {
    pub spans: &'a [Span],
    pub workers: u32,
    pub total_tasks: usize,
    /// It ended (complete, cancelled or failed).
    pub finished: bool,
    pub recording: Recording,
    /// The digest of its results, when it completed.
    pub digest: Option<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunFigures {
    pub stats: RunStats,
    /// `None` while the run goes on.
    pub makespan_ms: Option<f64>,
    /// `None` where only lanes were recorded.
    pub busy_ms: Option<f64>,
    /// Over the baseline (the latest complete sequential run of the same work).
    pub speedup: Option<f64>,
    pub efficiency: Option<f64>,
    /// What k workers could reach with these tasks and no overhead.
    pub ceiling: Option<f64>,
    /// Whether its results equal the baseline's; `None` without both.
    pub matches_sequential: Option<bool>,
}

pub fn run_figures(run: RunFacts<'_>, baseline: Option<RunFacts<'_>>) -> RunFigures {
    let stats = run_stats(run.spans);
    let base_makespan_ms = baseline.map(|base| run_stats(base.spans).makespan_ms);
    let run_speedup =
        base_makespan_ms.and_then(|base| speedup(base, stats.makespan_ms)).filter(|_| run.finished);
    // The ceiling uses the sequential run's task times when there is one:
    // they are not inflated by running side by side.
    let durations = task_durations_ms(baseline.unwrap_or(run).spans);
    let run_ceiling =
        (durations.len() == run.total_tasks).then(|| ceiling(&durations, run.workers)).flatten();
    let matches_sequential = match (run.digest, baseline.and_then(|base| base.digest)) {
        (Some(own), Some(base)) => Some(own == base),
        _ => None,
    };
    RunFigures {
        makespan_ms: run.finished.then_some(stats.makespan_ms),
        busy_ms: (run.recording == Recording::EveryTask).then_some(stats.busy_ms),
        speedup: run_speedup,
        efficiency: run_speedup.map(|speedup| efficiency(speedup, run.workers)),
        ceiling: run_ceiling,
        matches_sequential,
        stats,
    }
}

impl RunFigures {
    /// The figures "Download results" saves, by the README's names.
    pub fn results(&self, result: String, sums: Option<&[u128]>) -> Vec<(&'static str, Figure)> {
        let mut figures = vec![
            ("makespan_ms", Figure::from(self.makespan_ms)),
            ("busy_ms", Figure::from(self.busy_ms)),
            ("speedup", Figure::from(self.speedup)),
            ("efficiency", Figure::from(self.efficiency)),
            ("ceiling", Figure::from(self.ceiling)),
            ("result", Figure::Text(result)),
            ("matches_sequential", self.matches_sequential.map_or(Figure::Missing, Figure::Bool)),
            ("starting_ms", Figure::Number(self.stats.starting_ms)),
            ("serialising_ms", Figure::Number(self.stats.serialising_ms)),
            ("waiting_for_lock_ms", Figure::Number(self.stats.waiting_for_lock_ms)),
        ];
        if let Some(sums) = sums {
            // Decimal strings: JSON numbers cannot hold them exactly.
            figures
                .push(("sums", Figure::List(sums.iter().map(|sum| Figure::Text(sum.to_string())).collect())));
        }
        figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::run_stats::ideal_schedule;

    #[test]
    fn speedup_ceiling_and_check_come_from_the_baseline() {
        let durations = [10.0, 10.0, 10.0, 30.0];
        let sequential = ideal_schedule(&durations, 1);
        let threads = ideal_schedule(&durations, 2);
        let facts = |spans, workers, digest| RunFacts {
            spans,
            workers,
            total_tasks: 4,
            finished: true,
            recording: Recording::EveryTask,
            digest,
        };
        let base = facts(&sequential[..], 1, Some(7));
        let figures = run_figures(facts(&threads[..], 2, Some(7)), Some(base));
        assert_eq!(figures.makespan_ms, Some(40.0));
        assert_eq!(figures.speedup, Some(60.0 / 40.0));
        assert_eq!(figures.efficiency, Some(0.75));
        assert_eq!(figures.ceiling, Some(1.5));
        assert_eq!(figures.matches_sequential, Some(true));
        let differs = run_figures(facts(&threads[..], 2, Some(8)), Some(base));
        assert_eq!(differs.matches_sequential, Some(false));
        let alone = run_figures(RunFacts { finished: false, ..facts(&threads[..], 2, None) }, None);
        assert_eq!((alone.makespan_ms, alone.speedup, alone.matches_sequential), (None, None, None));
    }
}
