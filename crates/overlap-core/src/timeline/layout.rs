//! Where everything sits on the timeline, top to bottom: the axis, then for
//! each run a header and one row per lane. Computed once per change of the
//! runs, so that a frame (a pan, a zoom) only looks up what is visible: each
//! row keeps its spans sorted, and on a lane they never overlap, so the
//! visible ones are found by binary search.

use std::ops::Range;

use crate::records::span::Span;
use crate::timeline::scale::{TimeScale, lanes_of, span_at};

pub const AXIS_HEIGHT_PX: f64 = 22.0;
pub const HEADER_HEIGHT_PX: f64 = 20.0;
pub const LANE_HEIGHT_PX: f64 = 14.0;
pub const LANE_GAP_PX: f64 = 3.0;
pub const RUN_GAP_PX: f64 = 10.0;
/// The column of lane names left of the plot.
pub const LABEL_WIDTH_PX: f64 = 96.0;

/// One lane of one run: a row of the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneRow {
    /// The run's index in the runs drawn.
    pub run: usize,
    pub lane: u32,
    pub top_px: f64,
    /// The lane's spans, sorted by start.
    pub spans: Vec<Span>,
}

/// One run: its header and the rows of its lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct RunBlock {
    pub header_top_px: f64,
    /// Its rows, as indices into `TimelineLayout::rows`.
    pub rows: Range<usize>,
    /// Where its last span ends.
    pub makespan_ms: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineLayout {
    pub runs: Vec<RunBlock>,
    pub rows: Vec<LaneRow>,
    pub height_px: f64,
}

impl TimelineLayout {
    /// The layout of runs given by their spans, in drawing order. Spans
    /// with no lane (waiting in a queue) are in the data table and the
    /// exports, not on a row.
    pub fn new<'a>(runs: impl IntoIterator<Item = &'a [Span]>) -> Self {
        let mut layout = TimelineLayout::default();
        let mut y_px = AXIS_HEIGHT_PX;
        for (run, spans) in runs.into_iter().enumerate() {
            let header_top_px = y_px;
            y_px += HEADER_HEIGHT_PX;
            let first_row = layout.rows.len();
            for lane in lanes_of(spans) {
                let mut lane_spans: Vec<Span> =
                    spans.iter().filter(|span| span.lane == Some(lane)).copied().collect();
                lane_spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
                layout.rows.push(LaneRow { run, lane, top_px: y_px, spans: lane_spans });
                y_px += LANE_HEIGHT_PX + LANE_GAP_PX;
            }
            let makespan_ms = spans.iter().map(|span| span.end_ms).fold(0.0, f64::max);
            layout.runs.push(RunBlock { header_top_px, rows: first_row..layout.rows.len(), makespan_ms });
            y_px += RUN_GAP_PX;
        }
        layout.height_px = y_px;
        layout
    }

    /// The time range that shows every run whole: from the runs' start (set-up
    /// before it, such as warm-up, is in the table and the trace) to the last end.
    pub fn fitted_range_ms(&self) -> (f64, f64) {
        (0.0, self.runs.iter().map(|run| run.makespan_ms).fold(0.0, f64::max))
    }

    /// The row whose lane rectangle holds `y_px`.
    pub fn row_at(&self, y_px: f64) -> Option<usize> {
        let index = self.rows.partition_point(|row| row.top_px + LANE_HEIGHT_PX <= y_px);
        self.rows.get(index).filter(|row| y_px >= row.top_px).map(|_| index)
    }

    /// The span at a point of the plot (`x_px` from the plot's left edge), as
    /// (row, index in the row), within `tolerance_px` across. Only the spans
    /// near the point are looked at.
    pub fn span_at(&self, scale: &TimeScale, x_px: f64, y_px: f64, tolerance_px: f64) -> Option<SpanRef> {
        let row = self.row_at(y_px)?;
        let spans = &self.rows[row].spans;
        let near = TimeScale::new(
            scale.ms_from_x(x_px - tolerance_px),
            scale.ms_from_x(x_px + tolerance_px),
            2.0 * tolerance_px,
        );
        let candidates = visible_range(spans, &near);
        let nearby = &spans[candidates.clone()];
        let span = span_at(nearby, scale, x_px, tolerance_px)?;
        let offset = nearby.iter().position(|candidate| std::ptr::eq(candidate, span))?;
        Some(SpanRef { row, index: candidates.start + offset })
    }

    pub fn span(&self, at: SpanRef) -> Option<&Span> {
        self.rows.get(at.row)?.spans.get(at.index)
    }

    /// What identifies the span at `at` when runs change: new spans (a live
    /// run's, or warm-up reported at its end) move its index, not this.
    pub fn key_of(&self, at: SpanRef) -> Option<SpanKey> {
        let row = self.rows.get(at.row)?;
        let span = row.spans.get(at.index)?;
        Some(SpanKey { run: row.run, lane: row.lane, start_ms: span.start_ms, task: span.task })
    }

    /// Where the span `key` identifies is now.
    pub fn find(&self, key: &SpanKey) -> Option<SpanRef> {
        let row = self.rows.iter().position(|row| row.run == key.run && row.lane == key.lane)?;
        let spans = &self.rows[row].spans;
        let index = spans.partition_point(|span| span.start_ms < key.start_ms);
        spans
            .get(index)
            .filter(|span| span.start_ms == key.start_ms && span.task == key.task)
            .map(|_| SpanRef { row, index })
    }
}

/// A span named by its run, lane, start and task: on a lane no two spans
/// start at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpanKey {
    pub run: usize,
    pub lane: u32,
    pub start_ms: f64,
    pub task: Option<u32>,
}

/// A span of the layout: its row and its index in that row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanRef {
    pub row: usize,
    pub index: usize,
}

/// The spans of a row (sorted, not overlapping) that reach into the view:
/// found by binary search, so a frame costs what is visible, not the trace.
pub fn visible_range(spans: &[Span], scale: &TimeScale) -> Range<usize> {
    let first = spans.partition_point(|span| span.end_ms < scale.start_ms);
    let last = spans.partition_point(|span| span.start_ms <= scale.end_ms);
    first..last.max(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::run_stats::ideal_schedule;
    use crate::records::span::SpanState;
    use proptest::prelude::*;

    fn on_lane(lane: u32, start_ms: f64, end_ms: f64) -> Span {
        Span { task: Some(0), lane: Some(lane), state: SpanState::Running, start_ms, end_ms }
    }

    #[test]
    fn rows_follow_each_run_header_and_queued_spans_have_none() {
        let queued = Span { lane: None, state: SpanState::Queued, ..on_lane(0, 0.0, 3.0) };
        let first = [queued, on_lane(0, 3.0, 9.0)];
        let second = [on_lane(1, 0.0, 2.0), on_lane(0, 0.0, 4.0)];
        let layout = TimelineLayout::new([&first[..], &second[..]]);
        let rows: Vec<(usize, u32, f64)> =
            layout.rows.iter().map(|row| (row.run, row.lane, row.top_px)).collect();
        assert_eq!(rows, vec![(0, 0, 42.0), (1, 0, 89.0), (1, 1, 106.0)]);
        assert_eq!(layout.runs[1].rows, 1..3);
        assert_eq!(layout.runs[1].header_top_px, 69.0);
        assert_eq!(layout.fitted_range_ms(), (0.0, 9.0));
        assert_eq!(layout.height_px, 133.0);
        assert_eq!(layout.row_at(50.0), Some(0));
        assert_eq!(layout.row_at(57.0), None, "the gap between lanes is no row");
        assert_eq!(layout.row_at(10.0), None, "the axis is no row");
    }

    #[test]
    fn a_span_keeps_its_key_when_spans_arrive_before_it() {
        let before = [on_lane(0, 0.0, 5.0), on_lane(0, 5.0, 9.0)];
        let layout = TimelineLayout::new([&before[..]]);
        let key = layout.key_of(SpanRef { row: 0, index: 1 }).expect("a span");
        // Warm-up, reported at the run's end, sorts first on the lane.
        let warm_up = Span { task: None, state: SpanState::Starting, ..on_lane(0, -3.0, -1.0) };
        let after = [on_lane(0, 0.0, 5.0), on_lane(0, 5.0, 9.0), warm_up];
        let changed = TimelineLayout::new([&after[..]]);
        assert_eq!(changed.find(&key), Some(SpanRef { row: 0, index: 2 }));
        assert_eq!(TimelineLayout::new(std::iter::empty()).find(&key), None);
    }

    proptest! {
        #[test]
        fn lanes_never_overlap_and_hold_only_their_spans(
            runs in proptest::collection::vec(proptest::collection::vec(0.1f64..50.0, 1..40), 1..5),
            workers in 1u32..6,
        ) {
            let traces: Vec<Vec<Span>> = runs.iter().map(|durations| ideal_schedule(durations, workers)).collect();
            let layout = TimelineLayout::new(traces.iter().map(|spans| &spans[..]));
            for pair in layout.rows.windows(2) {
                prop_assert!(pair[0].top_px + LANE_HEIGHT_PX <= pair[1].top_px);
            }
            for (index, run) in layout.runs.iter().enumerate() {
                let spans_in_rows: usize = layout.rows[run.rows.clone()].iter().map(|row| row.spans.len()).sum();
                prop_assert_eq!(spans_in_rows, traces[index].len());
                for row in &layout.rows[run.rows.clone()] {
                    prop_assert_eq!(row.run, index);
                    prop_assert!(row.top_px >= run.header_top_px + HEADER_HEIGHT_PX);
                    prop_assert!(row.spans.iter().all(|span| span.lane == Some(row.lane)));
                    // Every span is inside its lane's rectangle: the point at
                    // its middle finds it.
                    let scale = TimeScale::new(0.0, run.makespan_ms, 800.0);
                    for (at, span) in row.spans.iter().enumerate() {
                        let middle_px = scale.x_from_ms((span.start_ms + span.end_ms) / 2.0);
                        let middle_y_px = row.top_px + LANE_HEIGHT_PX / 2.0;
                        let found = layout.span_at(&scale, middle_px, middle_y_px, 0.0).and_then(|found| layout.span(found));
                        prop_assert!(found.is_some());
                        prop_assert!(found.is_some_and(|found| found.start_ms <= span.end_ms && found.end_ms >= span.start_ms), "span {} of the row", at);
                    }
                }
            }
        }

        #[test]
        fn visible_range_is_exactly_the_spans_that_reach_into_the_view(
            durations in proptest::collection::vec(0.01f64..10.0, 1..200),
            start in -10.0f64..500.0,
            length in 0.1f64..300.0,
        ) {
            let mut spans = Vec::new();
            let mut at = 0.0;
            for duration in durations {
                spans.push(on_lane(0, at, at + duration));
                at += duration;
            }
            let scale = TimeScale::new(start, start + length, 500.0);
            let range = visible_range(&spans, &scale);
            for (index, span) in spans.iter().enumerate() {
                let reaches = span.end_ms >= scale.start_ms && span.start_ms <= scale.end_ms;
                prop_assert_eq!(range.contains(&index), reaches);
            }
        }
    }
}
