//! Keyboard navigation between spans: the span with keyboard focus, where
//! each key moves it, and the view that keeps it on screen. A keyboard user
//! reads the trace span by span, as a pointer user hovers it.

use crate::records::span::Span;
use crate::timeline::layout::{SpanRef, TimelineLayout, visible_range};
use crate::timeline::scale::TimeScale;

/// Where a key moves the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FocusStep {
    /// The next span in time on the same lane.
    Next,
    Previous,
    /// The span nearest in time on the lane above (across runs too).
    LaneAbove,
    LaneBelow,
}

/// The focus after `step`. With no focus yet, any step starts at the first
/// span in `view` of the first lane that has one (not at set-up before the
/// run, off screen); at an edge, the focus stays where it is.
pub fn step_focus(
    layout: &TimelineLayout,
    focus: Option<SpanRef>,
    step: FocusStep,
    view: &TimeScale,
) -> Option<SpanRef> {
    let Some(current) = focus.filter(|focus| layout.span(*focus).is_some()) else {
        return layout.rows.iter().enumerate().find_map(|(row, lane)| {
            let visible = visible_range(&lane.spans, view);
            (!visible.is_empty()).then_some(SpanRef { row, index: visible.start })
        });
    };
    let row_length = layout.rows[current.row].spans.len();
    let moved = match step {
        FocusStep::Next => {
            (current.index + 1 < row_length).then(|| SpanRef { index: current.index + 1, ..current })
        }
        FocusStep::Previous => current.index.checked_sub(1).map(|index| SpanRef { index, ..current }),
        FocusStep::LaneAbove => nearest_in_row(layout, current, (0..current.row).rev()),
        FocusStep::LaneBelow => nearest_in_row(layout, current, current.row + 1..layout.rows.len()),
    };
    Some(moved.unwrap_or(current))
}

/// In the first row of `rows` with spans, the span whose middle is nearest
/// the middle of the focused one.
fn nearest_in_row(
    layout: &TimelineLayout,
    from: SpanRef,
    rows: impl Iterator<Item = usize>,
) -> Option<SpanRef> {
    let from_ms = layout.span(from).map(middle_ms)?;
    let row = rows.into_iter().find(|row| !layout.rows[*row].spans.is_empty())?;
    let index = layout.rows[row]
        .spans
        .iter()
        .enumerate()
        .min_by(|a, b| (middle_ms(a.1) - from_ms).abs().total_cmp(&(middle_ms(b.1) - from_ms).abs()))
        .map(|(index, _)| index)?;
    Some(SpanRef { row, index })
}

fn middle_ms(span: &Span) -> f64 {
    (span.start_ms + span.end_ms) / 2.0
}

/// The view moved as little as needed to show `span` whole; a span longer
/// than the view is shown from its start. The zoom never changes.
pub fn scale_showing(scale: &TimeScale, span: &Span) -> TimeScale {
    let margin_ms = scale.duration_ms() * 0.05;
    let dx_ms = if span.start_ms >= scale.start_ms && span.end_ms <= scale.end_ms {
        0.0
    } else if span.duration_ms() + 2.0 * margin_ms > scale.duration_ms() || span.start_ms < scale.start_ms {
        span.start_ms - margin_ms - scale.start_ms
    } else if span.end_ms > scale.end_ms {
        span.end_ms + margin_ms - scale.end_ms
    } else {
        0.0
    };
    scale.panned(dx_ms * scale.px_per_ms())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::run_stats::ideal_schedule;
    use crate::records::span::SpanState;
    use proptest::prelude::*;

    fn layout() -> TimelineLayout {
        let sequential = ideal_schedule(&[10.0, 20.0, 30.0, 40.0], 1);
        let parallel = ideal_schedule(&[10.0, 20.0, 30.0, 40.0], 2);
        TimelineLayout::new([&sequential[..], &parallel[..]])
    }

    const WHOLE: TimeScale = TimeScale { start_ms: 0.0, end_ms: 100.0, width_px: 500.0 };

    #[test]
    fn keys_walk_along_a_lane_and_across_lanes() {
        let layout = layout();
        let at = |row, index| Some(SpanRef { row, index });
        let step_focus = |layout: &TimelineLayout, focus, step| step_focus(layout, focus, step, &WHOLE);
        let mut focus = step_focus(&layout, None, FocusStep::Next);
        assert_eq!(focus, at(0, 0));
        focus = step_focus(&layout, focus, FocusStep::Previous);
        assert_eq!(focus, at(0, 0), "the first span stays focused at the edge");
        for _ in 0..3 {
            focus = step_focus(&layout, focus, FocusStep::Next);
        }
        // Task 3 of the sequential run: 60..100 ms, middle 80 ms.
        assert_eq!(focus, at(0, 3));
        assert_eq!(step_focus(&layout, focus, FocusStep::Next), focus);
        // Below it, the parallel run's first lane: tasks 0 (0..10) and 2
        // (10..40); then its second lane: 1 (0..20) and 3 (20..60).
        focus = step_focus(&layout, focus, FocusStep::LaneBelow);
        assert_eq!(focus, at(1, 1));
        focus = step_focus(&layout, focus, FocusStep::LaneBelow);
        // From task 2 (middle 25 ms) tasks 1 and 3 are as near: the earlier wins.
        assert_eq!(focus, at(2, 0));
        assert_eq!(step_focus(&layout, focus, FocusStep::LaneBelow), focus);
        // From task 1 (middle 10 ms), task 0 (middle 5 ms) is nearest above.
        assert_eq!(step_focus(&layout, focus, FocusStep::LaneAbove), at(1, 0));
    }

    #[test]
    fn the_first_focus_is_the_first_span_in_view() {
        let layout = layout();
        // Zoomed in on 65..70 ms: the sequential lane's task 3 (60..100 ms).
        let view = TimeScale { start_ms: 65.0, end_ms: 70.0, width_px: 500.0 };
        assert_eq!(step_focus(&layout, None, FocusStep::Next, &view), Some(SpanRef { row: 0, index: 3 }));
        // Past every span: no focus to start from.
        let past = TimeScale { start_ms: 500.0, end_ms: 600.0, width_px: 500.0 };
        assert_eq!(step_focus(&layout, None, FocusStep::Next, &past), None);
        assert_eq!(step_focus(&TimelineLayout::new(std::iter::empty()), None, FocusStep::Next, &WHOLE), None);
    }

    proptest! {
        #[test]
        fn the_focused_span_is_on_screen_after_the_view_follows_it(
            view_start in -100.0f64..1000.0,
            view_length in 1.0f64..500.0,
            span_start in 0.0f64..2000.0,
            span_length in 0.001f64..800.0,
        ) {
            let scale = TimeScale::new(view_start, view_start + view_length, 600.0);
            let span = Span { task: Some(0), lane: Some(0), state: SpanState::Running, start_ms: span_start, end_ms: span_start + span_length };
            let shown = scale_showing(&scale, &span);
            prop_assert!((shown.duration_ms() - scale.duration_ms()).abs() < 1e-6 * scale.duration_ms().max(1.0));
            prop_assert!(shown.start_ms <= span.start_ms + 1e-6);
            prop_assert!(span.start_ms < shown.end_ms);
            if span.duration_ms() * 1.1 <= scale.duration_ms() {
                prop_assert!(span.end_ms <= shown.end_ms + 1e-6, "a span that fits is shown whole");
            }
            if span.start_ms >= scale.start_ms && span.end_ms <= scale.end_ms {
                prop_assert_eq!(shown, scale, "a visible span does not move the view");
            }
        }
    }
}
