//! "Download trace": every run on the page as Chrome Trace Event JSON.

use overlap_core::span::Span;
use overlap_core::trace_event::{TraceRun, trace_json};

use crate::cpu_results::lane_name;
use crate::cpu_run::RunRecord;
use crate::download::download_text;
use crate::fetch_run::FetchRunRecord;

pub fn download_trace(runs: &[RunRecord]) -> Result<(), String> {
    let runs: Vec<(String, &[Span], Vec<String>)> = runs
        .iter()
        .map(|run| {
            let title = format!("Run {}: {}, {}", run.id, run.params.workload.title(), run.title());
            let lanes = (0..lane_count(&run.spans)).map(|lane| lane_name(run, lane)).collect();
            (title, &run.spans[..], lanes)
        })
        .collect();
    save(&runs)
}

pub fn download_fetch_trace(runs: &[FetchRunRecord]) -> Result<(), String> {
    let runs: Vec<(String, &[Span], Vec<String>)> = runs
        .iter()
        .map(|run| {
            let title = format!("Run {}: {}, {}", run.id, run.params.target.title(), run.title());
            let lanes = (0..lane_count(&run.spans)).map(|slot| format!("slot {}", slot + 1)).collect();
            (title, &run.spans[..], lanes)
        })
        .collect();
    save(&runs)
}

fn lane_count(spans: &[Span]) -> u32 {
    spans.iter().filter_map(|span| span.lane).max().map_or(0, |max| max + 1)
}

fn save(runs: &[(String, &[Span], Vec<String>)]) -> Result<(), String> {
    let trace_runs: Vec<TraceRun<'_>> =
        runs.iter().map(|(title, spans, lane_names)| TraceRun { title, spans, lane_names }).collect();
    download_text("overlap-trace.json", "application/json", &trace_json(&trace_runs))
}
