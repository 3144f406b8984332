//! The timeline's words: each run's header, the summary a screen reader
//! reads, the description of one span, and the labels that fit inside a
//! span at the current zoom (as Perfetto, no text where it does not fit).

use crate::run_stats::speedup;
use crate::span::{Span, SpanState};
use crate::units::{format_ms, format_ratio};

/// A run as its header and summary name it.
pub struct RunHeading<'a> {
    /// The mode and workers, e.g. "2. Threads, 4 workers".
    pub title: &'a str,
    pub makespan_ms: f64,
    pub in_progress: bool,
    /// It ran every task or request (not cancelled, not failed).
    pub complete: bool,
    /// What it computed or fetched: only runs of the same work compare.
    pub work: &'a str,
}

/// The run `index` is compared with: the first complete run shown of the
/// same work, when that is another run. A primes run is never said to be
/// faster than a sum of squares.
fn baseline<'a, 'b>(runs: &'b [RunHeading<'a>], index: usize) -> Option<&'b RunHeading<'a>> {
    let run = runs.get(index)?;
    runs.iter()
        .enumerate()
        .find(|(_, other)| other.complete && other.work == run.work)
        .filter(|(first, _)| *first != index)
        .map(|(_, first)| first)
}

/// The headers of `runs`, in order: "2. Threads, 4 workers — 2.10 s, 4.00x
/// faster than 1. Sequential, 1 worker".
pub fn run_headers(runs: &[RunHeading<'_>]) -> Vec<String> {
    (0..runs.len())
        .map(|index| {
            let run = &runs[index];
            if run.in_progress {
                return format!("{} — running, {} so far", run.title, format_ms(run.makespan_ms));
            }
            match comparison(run, baseline(runs, index)) {
                Some(words) => format!("{} — {}, {words}", run.title, format_ms(run.makespan_ms)),
                None => format!("{} — {}", run.title, format_ms(run.makespan_ms)),
            }
        })
        .collect()
}

/// How a complete run compares with its baseline, in words.
fn comparison(run: &RunHeading<'_>, baseline: Option<&RunHeading<'_>>) -> Option<String> {
    let baseline = baseline.filter(|_| run.complete)?;
    let ratio = speedup(baseline.makespan_ms, run.makespan_ms)?;
    let against = baseline.title;
    Some(if ratio >= 1.0 {
        format!("{} faster than {against}", format_ratio(ratio))
    } else {
        format!("{} slower than {against}", format_ratio(1.0 / ratio))
    })
}

/// What the picture says, for screen readers: every run, its length, its
/// lanes and how it compares with the first of the same work.
pub fn timeline_summary(runs: &[RunHeading<'_>], lanes_per_run: &[usize]) -> String {
    let parts: Vec<String> = runs
        .iter()
        .zip(lanes_per_run)
        .enumerate()
        .map(|(index, (run, lanes))| {
            let unit = if *lanes == 1 { "lane" } else { "lanes" };
            let length = if run.in_progress {
                format!("running, {} so far", format_ms(run.makespan_ms))
            } else {
                format_ms(run.makespan_ms)
            };
            match comparison(run, baseline(runs, index)) {
                Some(words) => format!("{}: {length} on {lanes} {unit}, {words}", run.title),
                None => format!("{}: {length} on {lanes} {unit}", run.title),
            }
        })
        .collect();
    let unit = if runs.len() == 1 { "run" } else { "runs" };
    format!("Timeline of {} {unit} on one time axis. {}.", runs.len(), parts.join("; "))
}

/// The words for one span: tooltip and keyboard focus say the same.
pub fn describe_span(run_title: &str, lane_name: &str, span: &Span) -> String {
    let task = match (span.task, span.state) {
        (Some(task), _) => format!("task {task}"),
        (None, SpanState::Starting) => "worker start-up".to_string(),
        // Recorded with lanes only: the lane's tasks, not told apart.
        (None, _) => "its tasks".to_string(),
    };
    format!(
        "{run_title}: {task} on {lane_name}, {}, from {} for {}",
        span.state.name(),
        format_ms(span.start_ms),
        format_ms(span.duration_ms())
    )
}

/// The label to write inside a span `width_px` wide, with characters about
/// `char_width_px` wide and `padding_px` on each side: the whole text, or
/// its start and an ellipsis, or nothing when not even one character fits.
pub fn fit_label(text: &str, width_px: f64, char_width_px: f64, padding_px: f64) -> Option<String> {
    let room = ((width_px - 2.0 * padding_px) / char_width_px.max(0.1)).floor();
    // NaN (a width not known) fits nothing either.
    if room.is_nan() || room < 1.0 {
        return None;
    }
    let room = room as usize;
    let length = text.chars().count();
    if length <= room {
        return Some(text.to_string());
    }
    // One character and the ellipsis at least, or nothing at all.
    let start: String = text.chars().take(room.saturating_sub(1)).collect();
    let start = start.trim_end();
    (!start.is_empty()).then(|| format!("{start}…"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    fn heading<'a>(title: &'a str, work: &'a str, makespan_ms: f64) -> RunHeading<'a> {
        RunHeading { title, makespan_ms, in_progress: false, complete: true, work }
    }

    #[test]
    fn headers_compare_with_the_first_complete_run_of_the_same_work() {
        let runs = [
            RunHeading { complete: false, ..heading("1. Sequential, 1 worker (cancelled)", "sum", 900.0) },
            heading("2. Sequential, 1 worker", "sum", 8400.0),
            heading("3. Threads, 4 workers", "sum", 2100.0),
            heading("4. GIL, 4 workers", "sum", 9240.0),
            heading("5. Threads, 4 workers", "primes", 300.0),
            RunHeading { in_progress: true, ..heading("6. Threads, 2 workers", "sum", 300.0) },
        ];
        expect![[r#"
            [
                "1. Sequential, 1 worker (cancelled) — 900 ms",
                "2. Sequential, 1 worker — 8.40 s",
                "3. Threads, 4 workers — 2.10 s, 4.00x faster than 2. Sequential, 1 worker",
                "4. GIL, 4 workers — 9.24 s, 1.10x slower than 2. Sequential, 1 worker",
                "5. Threads, 4 workers — 300 ms",
                "6. Threads, 2 workers — running, 300 ms so far",
            ]
        "#]]
        .assert_debug_eq(&run_headers(&runs));
        expect![[r#"
            "Timeline of 2 runs on one time axis. 2. Sequential, 1 worker: 8.40 s on 1 lane; 3. Threads, 4 workers: 2.10 s on 4 lanes, 4.00x faster than 2. Sequential, 1 worker."
        "#]]
        .assert_debug_eq(&timeline_summary(&runs[1..3], &[1, 4]));
    }

    #[test]
    fn a_span_in_words() {
        let span =
            Span { task: Some(3), lane: Some(1), state: SpanState::Running, start_ms: 12.5, end_ms: 40.0 };
        expect![[r#"
            "2. Threads, 4 workers: task 3 on thread 2, running, from 12.5 ms for 27.5 ms"
        "#]]
        .assert_debug_eq(&describe_span("2. Threads, 4 workers", "thread 2", &span));
    }

    #[test]
    fn labels_fit_whole_shortened_or_not_at_all() {
        let fits = |width_px| fit_label("task 12", width_px, 6.0, 2.0);
        assert_eq!(fits(100.0), Some("task 12".to_string()));
        assert_eq!(fits(40.0), Some("task…".to_string()));
        assert_eq!(fits(16.0), Some("t…".to_string()));
        assert_eq!(fits(12.0), None, "one character only: no label rather than a lone ellipsis");
        assert_eq!(fits(3.0), None);
        assert_eq!(fits(f64::NAN), None);
    }

    proptest! {
        #[test]
        fn a_fitted_label_never_overflows(text in "[a-z0-9 ]{0,30}", width in -10.0f64..400.0, char_width in 1.0f64..12.0) {
            if let Some(label) = fit_label(&text, width, char_width, 2.0) {
                prop_assert!(label.chars().count() as f64 * char_width <= width - 4.0 + 1e-9);
                prop_assert!(label == text || label.ends_with('…'));
            }
        }
    }
}
