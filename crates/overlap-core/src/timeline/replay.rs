//! Replaying recorded runs: a time cursor over them. Up to the cursor the
//! spans are drawn as they had happened by then (a span going on is cut at
//! the cursor, one not yet begun is not drawn), and at the cursor each
//! lane's state is said in words, with what was queued and each count.

use crate::lang::Lang;
use crate::records::span::{Span, SpanState};
use crate::records::units::format_ms;
use crate::timeline::counter::CountAt;
use crate::timeline::text::task_label;

/// Playback speeds: a tenth, a quarter, and the runs' own pace.
pub const SPEEDS: [f64; 3] = [0.1, 0.25, 1.0];

/// A lane's spans (sorted, never overlapping) as they had happened at
/// `at_ms`: those that had begun, whole but for the last, which may be
/// going on and is returned cut at `at_ms`. No copy of the lane: a frame of
/// playback costs what it draws.
pub fn as_of(lane_spans: &[Span], at_ms: f64) -> (&[Span], Option<Span>) {
    let begun = &lane_spans[..lane_spans.partition_point(|span| span.start_ms < at_ms)];
    match begun.split_last() {
        Some((last, before)) if last.end_ms > at_ms => (before, Some(Span { end_ms: at_ms, ..*last })),
        _ => (begun, None),
    }
}

/// The span a lane (sorted, never overlapping) was in at `at_ms`: the one
/// that covers it (a span ends where the next begins, so the later one wins
/// at its start).
pub fn span_at(lane_spans: &[Span], at_ms: f64) -> Option<&Span> {
    lane_spans[..lane_spans.partition_point(|span| span.start_ms <= at_ms)]
        .last()
        .filter(|span| at_ms < span.end_ms)
}

/// The count a track showed at `at_ms` (0 before its first sample).
pub fn count_at(samples: &[CountAt], at_ms: f64) -> u32 {
    samples.iter().take_while(|sample| sample.at_ms <= at_ms).last().map_or(0, |sample| sample.count)
}

/// Where a playing cursor is after `elapsed_ms` of real time at `speed`,
/// and whether it has reached the end.
pub fn played(at_ms: f64, elapsed_ms: f64, speed: f64, end_ms: f64) -> (f64, bool) {
    let next_ms = at_ms + elapsed_ms.max(0.0) * speed;
    if next_ms >= end_ms { (end_ms, true) } else { (next_ms, false) }
}

/// "at 1.23 s", the cursor's value in words.
pub fn cursor_words(at_ms: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("at {}", format_ms(at_ms)),
        Lang::ZhCn => format!("在 {}", format_ms(at_ms)),
    }
}

/// One lane at the cursor: "worker 1: running, task 3", or idle.
pub fn lane_words(lane_name: &str, span: Option<&Span>, lang: Lang) -> String {
    let (colon, comma) = if lang == Lang::En { (": ", ", ") } else { ("：", "，") };
    match span {
        Some(span) => {
            let state = span.state.label().get(lang);
            match span.task {
                Some(task) => format!("{lane_name}{colon}{state}{comma}{}", task_label(task, lang)),
                None => format!("{lane_name}{colon}{state}"),
            }
        }
        None => format!("{lane_name}{colon}{}", if lang == Lang::En { "idle" } else { "空闲" }),
    }
}

/// How many lanes were in each state at the cursor, and how many tasks
/// were queued (spans on no lane): "2 running, 1 waiting for a result;
/// 3 queued".
pub fn state_counts(spans: &[Span], at_ms: f64, lang: Lang) -> String {
    let mut counts: Vec<(SpanState, usize)> = Vec::new();
    let mut queued = 0;
    for span in spans.iter().filter(|span| span.start_ms <= at_ms && at_ms < span.end_ms) {
        if span.lane.is_none() {
            queued += 1;
            continue;
        }
        match counts.iter_mut().find(|(state, _)| *state == span.state) {
            Some((_, count)) => *count += 1,
            None => counts.push((span.state, 1)),
        }
    }
    let mut parts: Vec<String> =
        counts.iter().map(|(state, count)| format!("{count} {}", state.label().get(lang))).collect();
    if queued > 0 {
        parts.push(match lang {
            Lang::En => format!("{queued} queued (no lane yet)"),
            Lang::ZhCn => format!("{queued} 个排队（尚无泳道）"),
        });
    }
    if parts.is_empty() {
        return match lang {
            Lang::En => "nothing under way".to_string(),
            Lang::ZhCn => "没有正在进行的事".to_string(),
        };
    }
    parts.join(if lang == Lang::En { ", " } else { "，" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(lane: Option<u32>, state: SpanState, start_ms: f64, end_ms: f64) -> Span {
        Span { task: Some(1), lane, state, start_ms, end_ms }
    }

    #[test]
    fn the_cursor_cuts_what_goes_on_and_hides_what_is_to_come() {
        let spans = [
            span(Some(0), SpanState::Queued, 0.0, 10.0),
            span(Some(0), SpanState::Running, 10.0, 30.0),
            span(Some(1), SpanState::Running, 40.0, 50.0),
        ];
        let (whole, going_on) = as_of(&spans, 20.0);
        assert_eq!(whole, &spans[..1]);
        assert_eq!(going_on.map(|span| (span.start_ms, span.end_ms)), Some((10.0, 20.0)));
        assert_eq!(as_of(&spans, 35.0), (&spans[..2], None));
        assert_eq!(as_of(&spans, 0.0), (&spans[..0], None));
        // At a span's end the next one is the lane's state.
        assert_eq!(span_at(&spans, 10.0).map(|span| span.state), Some(SpanState::Running));
        assert_eq!(span_at(&spans, 35.0), None);
        assert_eq!(state_counts(&spans, 45.0, Lang::En), "1 running");
        assert_eq!(state_counts(&spans, 35.0, Lang::ZhCn), "没有正在进行的事");
        assert_eq!(lane_words("worker 1", span_at(&spans, 15.0), Lang::En), "worker 1: running, task 1");
        assert_eq!(lane_words("工作线程 2", None, Lang::ZhCn), "工作线程 2：空闲");
    }

    #[test]
    fn playback_moves_at_its_speed_and_stops_at_the_end() {
        assert_eq!(played(100.0, 50.0, 0.1, 1000.0), (105.0, false));
        assert_eq!(played(990.0, 50.0, 1.0, 1000.0), (1000.0, true));
        let samples = [CountAt { at_ms: 5.0, count: 2 }, CountAt { at_ms: 9.0, count: 4 }];
        assert_eq!((count_at(&samples, 1.0), count_at(&samples, 5.0), count_at(&samples, 12.0)), (0, 2, 4));
        assert_eq!(cursor_words(1234.0, Lang::En), "at 1.23 s");
    }
}
