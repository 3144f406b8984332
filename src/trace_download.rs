//! "Download trace": every run on the page as Chrome Trace Event JSON.

use overlap_core::trace_event::{TraceRun, trace_json};

use crate::cpu_results::lane_name;
use crate::cpu_run::RunRecord;
use crate::download::download_text;

pub fn download_trace(runs: &[RunRecord]) -> Result<(), String> {
    let titles: Vec<String> = runs
        .iter()
        .map(|run| format!("Run {}: {}, {}", run.id, run.params.workload.title(), run.title()))
        .collect();
    let lane_names: Vec<Vec<String>> = runs
        .iter()
        .map(|run| {
            let lanes = run.spans.iter().filter_map(|span| span.lane).max().map_or(0, |max| max + 1);
            (0..lanes).map(|lane| lane_name(run, lane)).collect()
        })
        .collect();
    let trace_runs: Vec<TraceRun<'_>> = runs
        .iter()
        .zip(&titles)
        .zip(&lane_names)
        .map(|((run, title), lane_names)| TraceRun { title, spans: &run.spans, lane_names })
        .collect();
    download_text("overlap-trace.json", "application/json", &trace_json(&trace_runs))
}
