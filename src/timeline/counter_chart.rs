//! A count over time under the timeline's lanes, on the same time axis
//! (zoomed and panned with it): a queue's depth. Draws the outline core's
//! `step_outline` computed, the limit (a capacity) dashed, and what the
//! chart's top stands for.

use leptos::prelude::*;
use overlap_core::timeline::counter::{CountAt, chart_top, step_outline, y_from_count};
use overlap_core::timeline::layout::LABEL_WIDTH_PX;
use overlap_core::timeline::scale::TimeScale;

use crate::timeline::paint::plot_width_px;

/// The chart's plot height, under its title row.
const CHART_HEIGHT_PX: f64 = 56.0;
const TITLE_HEIGHT_PX: f64 = 16.0;

/// One run's count.
#[derive(Clone, Debug, PartialEq)]
pub struct CounterTrack {
    /// "1. Threads … : items in the queue".
    pub title: String,
    pub samples: Vec<CountAt>,
    /// Where the run's record ends.
    pub end_ms: f64,
    /// A bound the count must stay under, drawn dashed, with its words.
    pub limit: Option<(u32, String)>,
    /// "max 5".
    pub top_words: String,
}

#[component]
pub fn CounterCharts(
    tracks: Signal<Vec<CounterTrack>>,
    range_ms: Signal<(f64, f64)>,
    width_px: Signal<Option<f64>>,
) -> impl IntoView {
    move || {
        let Some(width_px) = width_px.get() else { return ().into_any() };
        let (start_ms, end_ms) = range_ms.get();
        let scale = TimeScale::new(start_ms, end_ms, plot_width_px(width_px));
        tracks
            .get()
            .into_iter()
            .map(|track| {
                let top = chart_top(&track.samples, track.limit.as_ref().map(|(limit, _)| *limit));
                let points = step_outline(&track.samples, track.end_ms, &scale, top, CHART_HEIGHT_PX)
                    .into_iter()
                    .map(|(x, y)| format!("{:.1},{:.1}", x + LABEL_WIDTH_PX, y + TITLE_HEIGHT_PX))
                    .collect::<Vec<_>>()
                    .join(" ");
                let max = track.samples.iter().map(|sample| sample.count).max().unwrap_or(0);
                let base_y = TITLE_HEIGHT_PX + CHART_HEIGHT_PX;
                let plot_right = LABEL_WIDTH_PX + scale.width_px;
                let limit = track.limit.map(|(limit, words)| {
                    let y = y_from_count(limit, top, CHART_HEIGHT_PX) + TITLE_HEIGHT_PX;
                    view! {
                        <line class="counter-limit" x1=LABEL_WIDTH_PX y1=y x2=plot_right y2=y></line>
                        <text x=LABEL_WIDTH_PX - 6.0 y=y + 4.0 text-anchor="end">{words}</text>
                    }
                });
                view! {
                    <svg
                        class="counter-chart"
                        data-testid="counter-chart"
                        data-max=max
                        data-samples=track.samples.len()
                        width=width_px
                        height=base_y + 4.0
                        role="img"
                        aria-label=format!("{}: {}", track.title, track.top_words)
                    >
                        <text x=LABEL_WIDTH_PX y=12>{format!("{} ({})", track.title, track.top_words)}</text>
                        <line class="counter-axis" x1=LABEL_WIDTH_PX y1=base_y x2=plot_right y2=base_y></line>
                        {limit}
                        <polygon class="counter-area" points=points></polygon>
                    </svg>
                }
            })
            .collect_view()
            .into_any()
    }
}
