//! The timeline's words: each run's header, the summary a screen reader
//! reads, the description of one span, and the labels that fit inside a
//! span at the current zoom (as Perfetto, no text where it does not fit).

use crate::lang::Lang;
use crate::records::run_stats::speedup;
use crate::records::span::{Span, SpanState};
use crate::records::units::{format_ms, format_ratio};

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
pub fn run_headers(runs: &[RunHeading<'_>], lang: Lang) -> Vec<String> {
    (0..runs.len())
        .map(|index| {
            let run = &runs[index];
            let length = run_length(run, lang);
            match comparison(run, baseline(runs, index), lang) {
                Some(words) => match lang {
                    Lang::En => format!("{} — {length}, {words}", run.title),
                    Lang::ZhCn => format!("{} — {length}，{words}", run.title),
                },
                None => format!("{} — {length}", run.title),
            }
        })
        .collect()
}

/// "2.10 s", or "running, 300 ms so far".
fn run_length(run: &RunHeading<'_>, lang: Lang) -> String {
    match (run.in_progress, lang) {
        (false, _) => format_ms(run.makespan_ms),
        (true, Lang::En) => format!("running, {} so far", format_ms(run.makespan_ms)),
        (true, Lang::ZhCn) => format!("运行中，已用 {}", format_ms(run.makespan_ms)),
    }
}

/// How a complete run compares with its baseline, in words.
fn comparison(run: &RunHeading<'_>, baseline: Option<&RunHeading<'_>>, lang: Lang) -> Option<String> {
    let baseline = baseline.filter(|_| run.complete && !run.in_progress)?;
    let ratio = speedup(baseline.makespan_ms, run.makespan_ms)?;
    let against = baseline.title;
    Some(match (ratio >= 1.0, lang) {
        (true, Lang::En) => format!("{} faster than {against}", format_ratio(ratio)),
        (false, Lang::En) => format!("{} slower than {against}", format_ratio(1.0 / ratio)),
        // "快 4 倍" is read as five times as fast: say the speed as a multiple.
        (true, Lang::ZhCn) => format!("速度是 {against} 的 {ratio:.2} 倍"),
        (false, Lang::ZhCn) => format!("耗时是 {against} 的 {:.2} 倍", 1.0 / ratio),
    })
}

/// What the picture says, for screen readers: every run, its length, its
/// lanes and how it compares with the first of the same work.
pub fn timeline_summary(runs: &[RunHeading<'_>], lanes_per_run: &[usize], lang: Lang) -> String {
    let parts: Vec<String> = runs
        .iter()
        .zip(lanes_per_run)
        .enumerate()
        .map(|(index, (run, lanes))| {
            let length = run_length(run, lang);
            let on_lanes = match lang {
                Lang::En => format!("{length} on {lanes} {}", if *lanes == 1 { "lane" } else { "lanes" }),
                Lang::ZhCn => format!("{lanes} 条泳道，{length}"),
            };
            match (comparison(run, baseline(runs, index), lang), lang) {
                (Some(words), Lang::En) => format!("{}: {on_lanes}, {words}", run.title),
                (Some(words), Lang::ZhCn) => format!("{}：{on_lanes}，{words}", run.title),
                (None, Lang::En) => format!("{}: {on_lanes}", run.title),
                (None, Lang::ZhCn) => format!("{}：{on_lanes}", run.title),
            }
        })
        .collect();
    match lang {
        Lang::En => {
            let unit = if runs.len() == 1 { "run" } else { "runs" };
            format!("Timeline of {} {unit} on one time axis. {}.", runs.len(), parts.join("; "))
        }
        Lang::ZhCn => format!("同一时间轴上的 {} 次运行的时间线。{}。", runs.len(), parts.join("；")),
    }
}

/// The words for one span: tooltip and keyboard focus say the same.
pub fn describe_span(run_title: &str, lane_name: &str, span: &Span, lang: Lang) -> String {
    let task = match (span.task, span.state, lang) {
        (Some(task), _, Lang::En) => format!("task {task}"),
        (Some(task), _, Lang::ZhCn) => format!("任务 {task}"),
        (None, SpanState::Starting, Lang::En) => "worker start-up".to_string(),
        (None, SpanState::Starting, Lang::ZhCn) => "工作者启动".to_string(),
        // Recorded with lanes only: the lane's tasks, not told apart.
        (None, _, Lang::En) => "its tasks".to_string(),
        (None, _, Lang::ZhCn) => "它的各个任务".to_string(),
    };
    let (state, start, length) =
        (span.state.label().get(lang), format_ms(span.start_ms), format_ms(span.duration_ms()));
    match lang {
        Lang::En => format!("{run_title}: {task} on {lane_name}, {state}, from {start} for {length}"),
        Lang::ZhCn => format!("{run_title}：{task}，{lane_name}，{state}，从 {start} 开始，持续 {length}"),
    }
}

/// A pool thread's lane name, counting from 1: "thread 2".
pub fn thread_label(thread: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("thread {}", thread + 1),
        Lang::ZhCn => format!("线程 {}", thread + 1),
    }
}

/// A task's label inside its span.
pub fn task_label(task: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("task {task}"),
        Lang::ZhCn => format!("任务 {task}"),
    }
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
        .assert_debug_eq(&run_headers(&runs, Lang::En));
        expect![[r#"
            "Timeline of 2 runs on one time axis. 2. Sequential, 1 worker: 8.40 s on 1 lane; 3. Threads, 4 workers: 2.10 s on 4 lanes, 4.00x faster than 2. Sequential, 1 worker."
        "#]]
        .assert_debug_eq(&timeline_summary(&runs[1..3], &[1, 4], Lang::En));
        let zh = [heading("1. 顺序执行", "sum", 8400.0), heading("2. 多线程", "sum", 2100.0)];
        expect![[r#"
            [
                "1. 顺序执行 — 8.40 s",
                "2. 多线程 — 2.10 s，速度是 1. 顺序执行 的 4.00 倍",
            ]
        "#]]
        .assert_debug_eq(&run_headers(&zh, Lang::ZhCn));
        expect![[r#"
            "同一时间轴上的 2 次运行的时间线。1. 顺序执行：1 条泳道，8.40 s；2. 多线程：4 条泳道，2.10 s，速度是 1. 顺序执行 的 4.00 倍。"
        "#]]
        .assert_debug_eq(&timeline_summary(&zh, &[1, 4], Lang::ZhCn));
    }

    #[test]
    fn a_span_in_words() {
        let span =
            Span { task: Some(3), lane: Some(1), state: SpanState::Running, start_ms: 12.5, end_ms: 40.0 };
        expect![[r#"
            "2. Threads, 4 workers: task 3 on thread 2, running, from 12.5 ms for 27.5 ms"
        "#]]
        .assert_debug_eq(&describe_span("2. Threads, 4 workers", "thread 2", &span, Lang::En));
        expect![[r#"
            "2. 多线程：任务 3，线程 2，运行，从 12.5 ms 开始，持续 27.5 ms"
        "#]]
        .assert_debug_eq(&describe_span("2. 多线程", "线程 2", &span, Lang::ZhCn));
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
