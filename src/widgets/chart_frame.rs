//! Every SVG chart's frame, drawn from core's geometry (`charts`): the
//! grid and labels of both axes' ticks and the two axis lines, inside a
//! figure that scales to the page's width. Each experiment draws its own
//! lines, bars and marks inside it.

use leptos::prelude::*;
use overlap_core::charts::{Frame, PlotBox};

/// `testid` names the drawing for tests, `label` for assistive technology.
#[component]
pub fn ChartFrame(frame: Frame, testid: &'static str, label: String, children: Children) -> impl IntoView {
    let Frame { width_px, height_px, plot, x_ticks, y_ticks } = frame;
    let PlotBox { left_px: left, top_px: top, right_px: right, bottom_px: bottom } = plot;
    let x_ticks = x_ticks
        .into_iter()
        .map(|tick| {
            view! {
                <line class="chart-grid" x1=tick.at_px y1=top x2=tick.at_px y2=bottom></line>
                <text class="chart-tick" x=tick.at_px y=bottom + 16.0 text-anchor="middle">{tick.label}</text>
            }
        })
        .collect_view();
    let y_ticks = y_ticks
        .into_iter()
        .map(|tick| {
            view! {
                <line class="chart-grid" x1=left y1=tick.at_px x2=right y2=tick.at_px></line>
                <text class="chart-tick" x=left - 6.0 y=tick.at_px + 4.0 text-anchor="end">{tick.label}</text>
            }
        })
        .collect_view();
    let title = label.clone();
    view! {
        <figure class="chart">
            <svg data-testid=testid viewBox=format!("0 0 {width_px} {height_px}") role="img" aria-label=label>
                <title>{title}</title>
                {x_ticks}
                {y_ticks}
                <line class="chart-axis" x1=left y1=bottom x2=right y2=bottom></line>
                <line class="chart-axis" x1=left y1=top x2=left y2=bottom></line>
                {children()}
            </svg>
        </figure>
    }
}
