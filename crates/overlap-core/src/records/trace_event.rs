//! Chrome Trace Event JSON: the format Perfetto and `chrome://tracing` open.
//! One process per run, one thread per lane, complete (`X`) events in
//! microseconds with the task and state in `args`. `otherData.overlap_runs`
//! carries the runs whole (`recorded_runs`), so Overlap reopens a trace it
//! saved exactly as recorded; other tools ignore it.

use std::fmt::Write;

use crate::records::json::json_string;
use crate::records::recorded_runs::{RecordError, RecordedRun, pack_runs, unpack_runs};

/// The key under `otherData` that holds the packed runs.
const RUNS_KEY: &str = "\"overlap_runs\"";

/// Queued spans wait on no worker: they go on their own thread of the run.
const QUEUE_TID: u32 = 0;

/// The runs as a trace: one process a run (named by its title), one thread
/// a lane (by its lane name).
pub fn trace_json(runs: &[RecordedRun]) -> String {
    // Timestamps must not be negative: shift so the earliest span (warm-up
    // before the run's start) is at zero.
    let earliest_ms = runs.iter().flat_map(|run| &run.spans).map(|span| span.start_ms).fold(0.0, f64::min);
    let mut events = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        let pid = index + 1;
        events.push(format!(
            r#"{{"name":"process_name","ph":"M","pid":{pid},"tid":0,"args":{{"name":{}}}}}"#,
            json_string(&run.title)
        ));
        events.push(format!(
            r#"{{"name":"thread_name","ph":"M","pid":{pid},"tid":{QUEUE_TID},"args":{{"name":"queue"}}}}"#
        ));
        for (lane, name) in run.lane_names.iter().enumerate() {
            events.push(format!(
                r#"{{"name":"thread_name","ph":"M","pid":{pid},"tid":{},"args":{{"name":{}}}}}"#,
                lane + 1,
                json_string(name)
            ));
        }
        for span in &run.spans {
            let tid = span.lane.map_or(QUEUE_TID, |lane| lane + 1);
            let name = match span.task {
                Some(task) => format!("task {task}"),
                None => span.state.name().to_string(),
            };
            let task = span.task.map_or_else(|| "null".to_string(), |task| task.to_string());
            let mut event = String::new();
            let _ = write!(
                event,
                r#"{{"name":{},"cat":"{}","ph":"X","pid":{pid},"tid":{tid},"ts":{:.3},"dur":{:.3},"args":{{"task":{task},"state":"{}"}}}}"#,
                json_string(&name),
                span.state.name(),
                (span.start_ms - earliest_ms) * 1000.0,
                span.duration_ms().max(0.0) * 1000.0,
                span.state.name(),
            );
            events.push(event);
        }
    }
    format!(
        "{{\"displayTimeUnit\":\"ms\",\"otherData\":{{{RUNS_KEY}:\"{}\"}},\"traceEvents\":[\n{}\n]}}\n",
        pack_runs(runs),
        events.join(",\n")
    )
}

/// The runs a trace saved by Overlap carries. Its value is URL-safe
/// base64, which JSON never escapes, so it is read as written.
pub fn runs_in_trace(json: &str) -> Result<Vec<RecordedRun>, RecordError> {
    let after_key = json.split_once(RUNS_KEY).ok_or(RecordError::NotOurs)?.1;
    let value = after_key.trim_start().strip_prefix(':').ok_or(RecordError::NotOurs)?.trim_start();
    let value = value.strip_prefix('"').ok_or(RecordError::NotOurs)?;
    let (packed, _) = value.split_once('"').ok_or(RecordError::NotOurs)?;
    unpack_runs(packed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::span::{Span, SpanState};
    use expect_test::expect;

    #[test]
    fn writes_one_process_per_run_and_one_thread_per_lane() {
        let spans = [
            Span { task: None, lane: Some(0), state: SpanState::Starting, start_ms: -2.0, end_ms: -1.0 },
            Span { task: Some(0), lane: None, state: SpanState::Queued, start_ms: 0.0, end_ms: 0.5 },
            Span { task: Some(0), lane: Some(0), state: SpanState::Running, start_ms: 0.5, end_ms: 3.25 },
        ];
        let lanes = ["worker \"1\"".to_string()];
        let run = RecordedRun {
            title: "Threads, 1 worker".to_string(),
            spans: spans.to_vec(),
            lane_names: lanes.to_vec(),
            work: "sum".to_string(),
            complete: true,
        };
        let json = trace_json(&[run]);
        // Reopened, the runs are as recorded: every span, to the bit.
        let reopened = runs_in_trace(&json).unwrap_or_default();
        assert_eq!(reopened.len(), 1);
        assert_eq!(
            (reopened[0].spans.as_slice(), reopened[0].lane_names.as_slice()),
            (&spans[..], &lanes[..])
        );
        assert_eq!(
            (reopened[0].title.as_str(), reopened[0].work.as_str(), reopened[0].complete),
            ("Threads, 1 worker", "sum", true)
        );
        // As another tool might write it back: spaces around the colon.
        let spaced = json.replace("\"overlap_runs\":", "\"overlap_runs\" : ");
        assert_eq!(runs_in_trace(&spaced), Ok(reopened));
        assert_eq!(runs_in_trace("{\"traceEvents\":[]}"), Err(RecordError::NotOurs));
        expect![[r#"
            {"displayTimeUnit":"ms","otherData":{"overlap_runs":"PYixCYAwEEXzCVikc4Mjtc1NoBsIIvaCAUFEuCCOp6M4QkZIcSSvef-_cZkY7bxLWLfYEdNzyRHExvsEnB7y7G1jYJRPld5aCn8PoEy1GzI"},"traceEvents":[
            {"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"Threads, 1 worker"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":0,"args":{"name":"queue"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"worker \"1\""}},
            {"name":"starting","cat":"starting","ph":"X","pid":1,"tid":1,"ts":0.000,"dur":1000.000,"args":{"task":null,"state":"starting"}},
            {"name":"task 0","cat":"queued","ph":"X","pid":1,"tid":0,"ts":2000.000,"dur":500.000,"args":{"task":0,"state":"queued"}},
            {"name":"task 0","cat":"running","ph":"X","pid":1,"tid":1,"ts":2500.000,"dur":2750.000,"args":{"task":0,"state":"running"}}
            ]}
        "#]]
        .assert_eq(&json);
    }
}
