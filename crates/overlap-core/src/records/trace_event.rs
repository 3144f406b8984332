//! Chrome Trace Event JSON: the format Perfetto and `chrome://tracing` open.
//! One process per run, one thread per lane, complete (`X`) events in
//! microseconds with the task and state in `args`.

use std::fmt::Write;

use crate::records::json::json_string;
use crate::records::span::Span;

/// A run as the trace shows it.
pub struct TraceRun<'a> {
    /// The process name, e.g. "Threads, 4 workers".
    pub title: &'a str,
    pub spans: &'a [Span],
    /// The lane names, by lane index ("worker 1", …).
    pub lane_names: &'a [String],
}

/// Queued spans wait on no worker: they go on their own thread of the run.
const QUEUE_TID: u32 = 0;

pub fn trace_json(runs: &[TraceRun<'_>]) -> String {
    // Timestamps must not be negative: shift so the earliest span (warm-up
    // before the run's start) is at zero.
    let earliest_ms = runs.iter().flat_map(|run| run.spans).map(|span| span.start_ms).fold(0.0, f64::min);
    let mut events = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        let pid = index + 1;
        events.push(format!(
            r#"{{"name":"process_name","ph":"M","pid":{pid},"tid":0,"args":{{"name":{}}}}}"#,
            json_string(run.title)
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
        for span in run.spans {
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
    format!("{{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n{}\n]}}\n", events.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::span::SpanState;
    use expect_test::expect;

    #[test]
    fn writes_one_process_per_run_and_one_thread_per_lane() {
        let spans = [
            Span { task: None, lane: Some(0), state: SpanState::Starting, start_ms: -2.0, end_ms: -1.0 },
            Span { task: Some(0), lane: None, state: SpanState::Queued, start_ms: 0.0, end_ms: 0.5 },
            Span { task: Some(0), lane: Some(0), state: SpanState::Running, start_ms: 0.5, end_ms: 3.25 },
        ];
        let lanes = ["worker \"1\"".to_string()];
        let json = trace_json(&[TraceRun { title: "Threads, 1 worker", spans: &spans, lane_names: &lanes }]);
        expect![[r#"
            {"displayTimeUnit":"ms","traceEvents":[
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
