//! The numbers of an I/O run, computed once for the runs table and for
//! "Download results".

use crate::experiments::fetch::{
    FetchParams, FetchTarget, HTTP1_CONNECTIONS_PER_HOST, LatencySummary, RequestOutcome, ServedBy,
    StatusClass, concurrency_limit, count_classes, ideal_makespan_ms, latency_summary,
};
use crate::records::results::Figure;
use crate::records::run_stats::{run_stats, speedup};
use crate::records::server_timing::server_timing_ms;
use crate::records::span::{Span, SpanState};

/// What a run recorded, as the figures need it.
pub struct FetchFacts<'a> {
    pub params: &'a FetchParams,
    pub spans: &'a [Span],
    /// Each finished request's latency and outcome.
    pub finished: Vec<(f64, &'a RequestOutcome)>,
    pub total: usize,
    /// What each request was asked to wait; `None` for typed addresses.
    pub planned_delays_ms: Option<&'a [f64]>,
    pub in_progress: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FetchFigures {
    pub makespan_ms: f64,
    pub latency_sum_ms: f64,
    /// Over the latest complete sequential run of the same requests, or
    /// else over the requests' summed time on the wire.
    pub speedup: Option<f64>,
    pub speedup_measured_against_sequential: bool,
    /// At most this many requests could be in flight at once.
    pub concurrency: u32,
    /// `None` for typed addresses: their latencies were not chosen.
    pub ideal_ms: Option<f64>,
    pub throughput_per_s: Option<f64>,
    pub latency: Option<LatencySummary>,
    pub classes: Vec<(StatusClass, usize)>,
}

/// `baseline_ms`: the makespan of the latest complete sequential run of the
/// same requests, if any, for the speedup.
pub fn fetch_figures(run: &FetchFacts<'_>, baseline_ms: Option<f64>) -> FetchFigures {
    let params = run.params;
    let makespan_ms = run_stats(run.spans).makespan_ms;
    let latencies: Vec<f64> = run.finished.iter().map(|(latency_ms, _)| *latency_ms).collect();
    let latency_sum_ms = latencies.iter().sum();
    // What sequential would take: each request's time on the wire (waiting
    // for its first byte, then downloading). Time queued in the browser for
    // a connection, or at the server for a free place, is recorded as
    // `queued`, which a sequential run never has.
    let on_the_wire_ms: f64 = run
        .spans
        .iter()
        .filter(|span| matches!(span.state, SpanState::Waiting | SpanState::Downloading))
        .map(Span::duration_ms)
        .sum();
    // The page's fetches to the service worker are not network connections:
    // only its capacity limits them; the dev server is one HTTP/1.1 host.
    let target_limit = match (params.target, params.served_by) {
        (FetchTarget::ServiceWorker, _) | (FetchTarget::Preset, ServedBy::ServiceWorker) => {
            params.capacity_or_default()
        }
        (FetchTarget::Server | FetchTarget::Urls, _) | (FetchTarget::Preset, ServedBy::Server) => {
            HTTP1_CONNECTIONS_PER_HOST
        }
    };
    let concurrency =
        concurrency_limit(params.mode, params.workers_or_default(), run.total as u32, target_limit);
    let finished = run.finished.len() as f64;
    FetchFigures {
        makespan_ms,
        latency_sum_ms,
        speedup: speedup(baseline_ms.unwrap_or(on_the_wire_ms), makespan_ms).filter(|_| !run.in_progress),
        speedup_measured_against_sequential: baseline_ms.is_some(),
        concurrency,
        ideal_ms: run.planned_delays_ms.map(|delays| ideal_makespan_ms(delays, concurrency)),
        throughput_per_s: (makespan_ms > 0.0 && !run.in_progress).then(|| finished / (makespan_ms / 1000.0)),
        latency: latency_summary(&latencies),
        classes: count_classes(run.finished.iter().map(|(_, outcome)| *outcome)).into_iter().collect(),
    }
}

impl FetchFigures {
    /// The figures "Download results" saves, by the README's names.
    pub fn results(&self, in_progress: bool) -> Vec<(&'static str, Figure)> {
        let ok: usize =
            self.classes.iter().filter(|(class, _)| *class == StatusClass::Ok).map(|(_, count)| count).sum();
        let failed: usize =
            self.classes.iter().filter(|(class, _)| *class != StatusClass::Ok).map(|(_, count)| count).sum();
        let latency = |pick: fn(&LatencySummary) -> f64| Figure::from(self.latency.as_ref().map(pick));
        vec![
            ("makespan_ms", Figure::from((!in_progress).then_some(self.makespan_ms))),
            ("ideal_ms", Figure::from(self.ideal_ms)),
            ("ok", Figure::from(ok)),
            ("failed", Figure::from(failed)),
            ("p50_ms", latency(|summary| summary.p50_ms)),
            ("p99_ms", latency(|summary| summary.p99_ms)),
            ("max_ms", latency(|summary| summary.max_ms)),
            ("mean_ms", latency(|summary| summary.mean_ms)),
            ("speedup", Figure::from(self.speedup)),
            // What the speedup is over: a sequential run of the same requests,
            // or (without one) their summed time on the wire.
            (
                "speedup_over",
                Figure::Text(
                    if self.speedup_measured_against_sequential { "sequential" } else { "wire" }.to_string(),
                ),
            ),
            ("throughput_per_s", Figure::from(self.throughput_per_s)),
            (
                "classes",
                Figure::Object(
                    self.classes.iter().map(|(class, count)| (class.name(), Figure::from(*count))).collect(),
                ),
            ),
        ]
    }
}

/// The time a server says a response waited for a free place, from its
/// `Server-Timing` header (`queue;dur=12.5`); `None` when it says nothing.
pub fn server_queue_ms(server_timing: &str) -> Option<f64> {
    server_timing_ms(server_timing, "queue")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::fetch::FetchMode;

    #[test]
    fn reads_the_servers_queue_time() {
        assert_eq!(server_queue_ms("queue;dur=12.5"), Some(12.5));
        assert_eq!(server_queue_ms("db;dur=3, queue;desc=\"capacity\";dur=40"), Some(40.0));
        assert_eq!(server_queue_ms("queue"), None);
        assert_eq!(server_queue_ms("queue;dur=-1"), None);
        assert_eq!(server_queue_ms(""), None);
    }

    #[test]
    fn time_queued_is_not_time_on_the_wire() {
        // Four requests of 50 ms through a server of capacity 1: each queues
        // behind the last. Sequential would take 200 ms, as long as this run.
        let params = FetchParams {
            mode: FetchMode::Gather,
            target: FetchTarget::ServiceWorker,
            ..FetchParams::default()
        };
        let span = |task, state, start_ms, end_ms| Span {
            task: Some(task),
            lane: Some(task),
            state,
            start_ms,
            end_ms,
        };
        let mut spans = Vec::new();
        for task in 0..4u32 {
            let queued_ms = f64::from(task) * 50.0;
            spans.push(span(task, SpanState::Queued, 0.0, queued_ms));
            spans.push(span(task, SpanState::Waiting, queued_ms, queued_ms + 50.0));
        }
        let ok = RequestOutcome::Response { status: 200, body_bytes: 0 };
        let facts = FetchFacts {
            params: &params,
            spans: &spans,
            finished: (0..4).map(|task| (f64::from(task + 1) * 50.0, &ok)).collect(),
            total: 4,
            planned_delays_ms: Some(&[50.0; 4]),
            in_progress: false,
        };
        let figures = fetch_figures(&facts, None);
        assert_eq!(figures.speedup, Some(1.0));
        assert_eq!(figures.latency_sum_ms, 500.0);
    }
}
