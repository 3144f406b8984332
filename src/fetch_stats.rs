//! The numbers of an I/O run, computed by core from what the run recorded.

use overlap_core::fetch_model::{
    FetchTarget, HTTP1_CONNECTIONS_PER_HOST, LatencySummary, StatusClass, concurrency_limit, count_classes,
    ideal_makespan_ms, latency_summary,
};
use overlap_core::page_state::ServedBy;
use overlap_core::run_stats::{run_stats, speedup};
use overlap_core::span::SpanState;

use crate::fetch_run::FetchRunRecord;

pub struct FetchStats {
    pub makespan_ms: f64,
    pub latency_sum_ms: f64,
    /// Over the latest complete sequential run of the same requests, or
    /// else over the sum of the requests' times on the wire.
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
pub fn fetch_stats(run: &FetchRunRecord, baseline_ms: Option<f64>) -> FetchStats {
    let params = &run.params;
    let makespan_ms = run_stats(&run.spans).makespan_ms;
    let latencies: Vec<f64> = run.finished.iter().map(|request| request.latency_ms).collect();
    let latency_sum_ms = latencies.iter().sum();
    // What sequential would take: each request's time on the wire (waiting
    // for its first byte, then downloading), without any wait for a
    // connection, which a sequential run never has.
    let on_the_wire_ms: f64 = run
        .spans
        .iter()
        .filter(|span| matches!(span.state, SpanState::Waiting | SpanState::Downloading))
        .map(|span| span.duration_ms())
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
        concurrency_limit(params.mode, params.workers_or_default(), run.total() as u32, target_limit);
    let finished = run.finished.len() as f64;
    FetchStats {
        makespan_ms,
        latency_sum_ms,
        speedup: speedup(baseline_ms.unwrap_or(on_the_wire_ms), makespan_ms).filter(|_| !run.in_progress),
        speedup_measured_against_sequential: baseline_ms.is_some(),
        concurrency,
        ideal_ms: run.planned_delays_ms.as_ref().map(|delays| ideal_makespan_ms(delays, concurrency)),
        throughput_per_s: (makespan_ms > 0.0 && !run.in_progress).then(|| finished / (makespan_ms / 1000.0)),
        latency: latency_summary(&latencies),
        classes: count_classes(run.finished.iter().map(|request| &request.outcome)).into_iter().collect(),
    }
}
