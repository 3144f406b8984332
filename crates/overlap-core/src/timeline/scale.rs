//! The timeline's maths: the time scale shared by every run drawn, readable
//! tick marks, and the rectangles to draw, with spans narrower than half a
//! pixel merged (as Perfetto does) so drawing stays cheap at any zoom. The
//! view only paints what this computes.

use crate::records::span::{Span, SpanState};
use crate::timeline::layout::visible_range;

/// Maps milliseconds on the runs' common clock to pixels across the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start_ms: f64,
    pub end_ms: f64,
    pub width_px: f64,
}

impl TimeScale {
    /// A scale showing `start_ms..end_ms` (an empty range shows 1 ms).
    pub fn new(start_ms: f64, end_ms: f64, width_px: f64) -> Self {
        let end_ms = if end_ms > start_ms { end_ms } else { start_ms + 1.0 };
        TimeScale { start_ms, end_ms, width_px: width_px.max(1.0) }
    }

    pub fn duration_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }

    pub fn px_per_ms(&self) -> f64 {
        self.width_px / self.duration_ms()
    }

    pub fn x_from_ms(&self, ms: f64) -> f64 {
        (ms - self.start_ms) * self.px_per_ms()
    }

    pub fn ms_from_x(&self, x_px: f64) -> f64 {
        self.start_ms + x_px / self.px_per_ms()
    }

    /// Zoomed in by `factor` (> 1 shows less time) keeping the time under
    /// `anchor_x_px` where it is.
    pub fn zoomed(&self, factor: f64, anchor_x_px: f64) -> Self {
        let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
        let anchor_ms = self.ms_from_x(anchor_x_px);
        let duration_ms = (self.duration_ms() / factor).max(1e-6);
        let start_ms = anchor_ms - (anchor_x_px / self.width_px) * duration_ms;
        TimeScale { start_ms, end_ms: start_ms + duration_ms, width_px: self.width_px }
    }

    /// Moved by `dx_px` pixels (positive shows later times).
    pub fn panned(&self, dx_px: f64) -> Self {
        let dx_ms = dx_px / self.px_per_ms();
        TimeScale { start_ms: self.start_ms + dx_ms, end_ms: self.end_ms + dx_ms, width_px: self.width_px }
    }
}

/// The page's colour scheme: the canvas follows `prefers-color-scheme` as
/// the style sheet does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The colour of a state: the Okabe-Ito palette, which people with the
/// common colour-vision deficiencies can tell apart, and grey for waiting
/// in the queue. Failure is the darkest mark on a light page and the
/// lightest on a dark one.
pub fn state_colour(state: SpanState, theme: Theme) -> &'static str {
    match state {
        SpanState::Running => "#0072B2",
        SpanState::Queued => "#BBBBBB",
        // Darker than queued: waiting, but on a thread, for another thread.
        SpanState::WaitingForTurn => "#777777",
        SpanState::WaitingForLock => "#D55E00",
        // Past Okabe-Ito's eight, two of Paul Tol's muted colours.
        SpanState::BlockedOnFull => "#882255",
        SpanState::BlockedOnEmpty => "#999933",
        SpanState::Starting => "#CC79A7",
        SpanState::Serialising => "#E69F00",
        SpanState::Waiting => "#56B4E9",
        SpanState::Downloading => "#009E73",
        SpanState::Cancelled => "#F0E442",
        // Paul Tol's dark cyan: blocked like a lock's wait, on a future.
        SpanState::WaitingForResult => "#44AA99",
        // Paul Tol's light cyan: a wait that takes nothing from the thread;
        // his rose for being ready while the loop is taken.
        SpanState::Awaiting => "#88CCEE",
        SpanState::ReadyForLoop => "#CC6677",
        SpanState::Failed => match theme {
            Theme::Light => "#000000",
            Theme::Dark => "#FFFFFF",
        },
    }
}

/// The colour of text written on a span of `state`: whichever of black and
/// white contrasts more with the fill.
pub fn label_colour(state: SpanState, theme: Theme) -> &'static str {
    match (state, theme) {
        (SpanState::Running | SpanState::BlockedOnFull, _) | (SpanState::Failed, Theme::Light) => "#FFFFFF",
        _ => "#000000",
    }
}

/// The colours of everything else on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ink {
    /// The panel's colour, painted under everything so a saved PNG is opaque.
    pub background: &'static str,
    pub text: &'static str,
    pub grid: &'static str,
    pub makespan: &'static str,
    /// The outline of the span with keyboard focus.
    pub focus: &'static str,
    /// The edge of every span wide enough to have one: on a light page the
    /// lighter state colours (yellow, grey, sky blue) are too close to white
    /// to show a span's shape by themselves (WCAG's 3:1 for graphics).
    pub span_edge: Option<&'static str>,
}

pub fn ink(theme: Theme) -> Ink {
    match theme {
        Theme::Light => Ink {
            background: "#ffffff",
            text: "#475569",
            grid: "#cbd5e1",
            makespan: "#dc2626",
            focus: "#111827",
            span_edge: Some("#475569"),
        },
        // Every state colour is 3:1 or more against this background.
        Theme::Dark => Ink {
            background: "#111827",
            text: "#cbd5e1",
            grid: "#334155",
            makespan: "#f87171",
            focus: "#f8fafc",
            span_edge: None,
        },
    }
}

/// The lanes a run used, in order: one timeline row each.
pub fn lanes_of(spans: &[Span]) -> Vec<u32> {
    let mut lanes: Vec<u32> = spans.iter().filter_map(|span| span.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    lanes
}

/// A tick mark on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub ms: f64,
    pub x_px: f64,
    pub label: String,
}

/// Tick marks at least `min_spacing_px` apart, on 1, 2 or 5 times a power
/// of ten, labelled in ms or s as fits the step.
pub fn ticks(scale: &TimeScale, min_spacing_px: f64) -> Vec<Tick> {
    let min_step_ms = min_spacing_px.max(1.0) / scale.px_per_ms();
    let magnitude = 10f64.powf(min_step_ms.log10().floor());
    let step_ms = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= min_step_ms)
        .unwrap_or(10.0 * magnitude);
    let first = (scale.start_ms / step_ms).ceil() as i64;
    let last = (scale.end_ms / step_ms).floor() as i64;
    (first..=last)
        .map(|index| {
            let ms = index as f64 * step_ms;
            Tick { ms, x_px: scale.x_from_ms(ms), label: time_label(ms, step_ms) }
        })
        .collect()
}

/// `250 ms`, `1.5 s`: seconds once the step is a second or more, with as
/// many decimals as the step needs.
fn time_label(ms: f64, step_ms: f64) -> String {
    if step_ms >= 1000.0 {
        let decimals = if step_ms >= 1000.0 && (step_ms / 1000.0).fract() == 0.0 { 0 } else { 1 };
        format!("{:.*} s", decimals, ms / 1000.0)
    } else {
        let decimals = (-step_ms.log10().floor()).max(0.0) as usize;
        format!("{ms:.decimals$} ms")
    }
}

/// A rectangle to paint: one span, or several merged spans of one lane.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRect {
    pub row: usize,
    pub x_px: f64,
    pub width_px: f64,
    pub state: SpanState,
    /// The span's task; `None` for a worker's start-up, or for a merge.
    pub task: Option<u32>,
    /// How many spans this rectangle stands for.
    pub merged: usize,
}

/// The rectangles of one lane's spans (sorted by start, not overlapping, as
/// `TimelineLayout` keeps them) on `scale`, in row `row`. Spans narrower
/// than half a pixel that follow each other within half a pixel are merged;
/// the first and the last span of the lane always keep their own rectangle,
/// and nothing outside the view is returned (nor looked at).
pub fn lane_rects(spans: &[Span], scale: &TimeScale, row: usize) -> Vec<SpanRect> {
    const HALF_PX: f64 = 0.5;
    let last_index = spans.len().saturating_sub(1);
    let visible = visible_range(spans, scale);
    let mut rects: Vec<SpanRect> = Vec::new();
    for (index, span) in spans.iter().enumerate().skip(visible.start).take(visible.len()) {
        let x_px = scale.x_from_ms(span.start_ms);
        let width_px = scale.x_from_ms(span.end_ms) - x_px;
        let tiny = width_px < HALF_PX && index != 0 && index != last_index;
        if tiny
            && let Some(previous) = rects.last_mut()
            && previous.merged > 0
            && previous.width_px < HALF_PX * 4.0
            && x_px - (previous.x_px + previous.width_px) < HALF_PX
        {
            previous.width_px = (x_px + width_px) - previous.x_px;
            previous.merged += 1;
            previous.task = None;
            continue;
        }
        rects.push(SpanRect { row, x_px, width_px, state: span.state, task: span.task, merged: 1 });
    }
    rects
}

/// The span of a lane under `x_px`, if one is within `tolerance_px` of it:
/// the one containing it, or else the nearest (thin spans stay hoverable).
pub fn span_at<'a>(
    lane_spans: &'a [Span],
    scale: &TimeScale,
    x_px: f64,
    tolerance_px: f64,
) -> Option<&'a Span> {
    lane_spans
        .iter()
        .map(|span| {
            let (left, right) = (scale.x_from_ms(span.start_ms), scale.x_from_ms(span.end_ms));
            let distance = if x_px < left {
                left - x_px
            } else if x_px > right {
                x_px - right
            } else {
                0.0
            };
            (span, distance)
        })
        .filter(|(_, distance)| *distance <= tolerance_px)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(span, _)| span)
}

/// Every span of every run as CSV, one row per span, times in ms from each
/// run's start.
pub fn spans_csv<'a>(runs: impl IntoIterator<Item = (&'a str, &'a [Span])>) -> String {
    let mut csv = String::from("run,task,lane,state,start_ms,end_ms,duration_ms\n");
    for (title, spans) in runs {
        let quoted = format!("\"{}\"", title.replace('"', "\"\""));
        for span in spans {
            let task = span.task.map(|task| task.to_string()).unwrap_or_default();
            let lane = span.lane.map(|lane| lane.to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "{quoted},{task},{lane},{},{:.3},{:.3},{:.3}\n",
                span.state.name(),
                span.start_ms,
                span.end_ms,
                span.duration_ms()
            ));
        }
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    #[test]
    fn ticks_read_well_at_several_zooms() {
        let rendered: Vec<String> = [(0.0, 100.0), (0.0, 2500.0), (0.0, 60_000.0), (12.3, 12.9)]
            .iter()
            .map(|(start, end)| {
                let labels: Vec<String> =
                    ticks(&TimeScale::new(*start, *end, 800.0), 80.0).into_iter().map(|t| t.label).collect();
                labels.join(" | ")
            })
            .collect();
        expect![[r#"
            0 ms | 10 ms | 20 ms | 30 ms | 40 ms | 50 ms | 60 ms | 70 ms | 80 ms | 90 ms | 100 ms
            0 ms | 500 ms | 1000 ms | 1500 ms | 2000 ms | 2500 ms
            0 s | 10 s | 20 s | 30 s | 40 s | 50 s | 60 s
            12.3 ms | 12.4 ms | 12.5 ms | 12.6 ms | 12.7 ms | 12.8 ms | 12.9 ms"#]]
        .assert_eq(&rendered.join("\n"));
    }

    fn span(start_ms: f64, end_ms: f64) -> Span {
        Span { task: Some(0), lane: Some(0), state: SpanState::Running, start_ms, end_ms }
    }

    #[test]
    fn the_span_under_the_pointer_or_the_nearest_thin_one() {
        let scale = TimeScale::new(0.0, 100.0, 100.0);
        let spans = [span(0.0, 10.0), span(20.0, 20.2), span(50.0, 90.0)];
        assert_eq!(span_at(&spans, &scale, 5.0, 2.0), Some(&spans[0]));
        assert_eq!(span_at(&spans, &scale, 21.5, 2.0), Some(&spans[1]));
        assert_eq!(span_at(&spans, &scale, 35.0, 2.0), None);
        assert_eq!(span_at(&spans, &scale, 89.0, 2.0), Some(&spans[2]));
    }

    #[test]
    fn csv_has_a_row_per_span_and_quotes_titles() {
        let spans = [span(0.0, 1.5)];
        expect![[r#"
            run,task,lane,state,start_ms,end_ms,duration_ms
            "1. Threads, ""fast""",0,0,running,0.000,1.500,1.500
        "#]]
        .assert_eq(&spans_csv([("1. Threads, \"fast\"", &spans[..])]));
    }

    proptest! {
        #[test]
        fn pixels_and_milliseconds_convert_both_ways(start in -1e4f64..1e4, length in 0.01f64..1e5, x in 0.0f64..2000.0) {
            let scale = TimeScale::new(start, start + length, 1000.0);
            prop_assert!((scale.x_from_ms(scale.ms_from_x(x)) - x).abs() < 1e-6 * x.max(1.0));
        }

        #[test]
        fn zooming_in_then_out_at_the_same_point_gives_the_scale_back(factor in 1.01f64..50.0, anchor in 0.0f64..800.0) {
            let scale = TimeScale::new(0.0, 1234.0, 800.0);
            let back = scale.zoomed(factor, anchor).zoomed(1.0 / factor, anchor);
            prop_assert!((back.start_ms - scale.start_ms).abs() < 1e-6);
            prop_assert!((back.end_ms - scale.end_ms).abs() < 1e-6);
            // The time under the anchor does not move.
            prop_assert!((scale.zoomed(factor, anchor).ms_from_x(anchor) - scale.ms_from_x(anchor)).abs() < 1e-6);
        }

        #[test]
        fn ticks_are_increasing_inside_the_view_and_spaced(start in -5e3f64..5e3, length in 0.05f64..1e6, width in 100.0f64..3000.0) {
            let scale = TimeScale::new(start, start + length, width);
            let ticks = ticks(&scale, 60.0);
            prop_assert!(!ticks.is_empty() || length * scale.px_per_ms() < 60.0 * 10.0);
            for pair in ticks.windows(2) {
                prop_assert!(pair[1].ms > pair[0].ms);
                prop_assert!(pair[1].x_px - pair[0].x_px >= 60.0 - 1e-6);
            }
            prop_assert!(ticks.iter().all(|t| t.ms >= scale.start_ms - 1e-9 && t.ms <= scale.end_ms + 1e-9));
        }

        #[test]
        fn merging_keeps_the_first_and_last_span_and_stays_in_order(
            widths in proptest::collection::vec(0.001f64..5.0, 1..300),
        ) {
            let mut spans = Vec::new();
            let mut at = 0.0;
            for width in &widths {
                spans.push(span(at, at + width));
                at += width;
            }
            let scale = TimeScale::new(0.0, at, 400.0);
            let rects = lane_rects(&spans, &scale, 0);
            prop_assert!(rects.len() <= spans.len());
            prop_assert_eq!(rects.iter().map(|r| r.merged).sum::<usize>(), spans.len());
            prop_assert!((rects[0].x_px - scale.x_from_ms(spans[0].start_ms)).abs() < 1e-9);
            let last = &spans[spans.len() - 1];
            let last_rect = &rects[rects.len() - 1];
            prop_assert_eq!(last_rect.merged, 1);
            prop_assert!((last_rect.x_px - scale.x_from_ms(last.start_ms)).abs() < 1e-9);
            for pair in rects.windows(2) {
                prop_assert!(pair[1].x_px >= pair[0].x_px);
            }
        }
    }
}
