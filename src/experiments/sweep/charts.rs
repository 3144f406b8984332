//! The sweep's charts, drawn as SVG from the geometry core computed
//! (`experiments::sweep::chart`): lines, measured points with their spread,
//! vertical marks, inside the shared frame. Nothing is computed here but
//! strings.

use leptos::prelude::*;
use overlap_core::charts::PlotBox;
use overlap_core::experiments::sweep::{Chart, Ink};
use overlap_core::lang::Lang;

use crate::widgets::chart_frame::ChartFrame;

fn points_text(points_px: &[(f64, f64)]) -> String {
    points_px.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")
}

fn ink_class(ink: Ink) -> String {
    let name: &'static str = ink.into();
    format!("sweep-{name}")
}

/// One chart; `testid` names it for tests, `label` for assistive technology.
#[component]
pub fn SweepChart(chart: Chart, testid: &'static str, label: String) -> impl IntoView {
    let PlotBox { left_px: left, top_px: top, right_px: right, bottom_px: bottom } = chart.frame.plot;
    let lines = chart
        .lines
        .iter()
        .map(|line| {
            let name: &'static str = line.ink.into();
            // One polyline a piece: a line that leaves the plot and comes back.
            line.pieces_px
                .iter()
                .map(|piece| view! { <polyline class=ink_class(line.ink) data-line=name points=points_text(piece)></polyline> })
                .collect_view()
        })
        .collect_view();
    let marks = chart
        .marks
        .iter()
        .enumerate()
        .map(|(index, mark)| {
            let name: &'static str = mark.ink.into();
            // Labels stack down from the top so two marks at one k stay readable.
            let label_y = top + 12.0 + 13.0 * index as f64;
            let anchor = if mark.x_px > (left + right) / 2.0 { "end" } else { "start" };
            let label_x = if anchor == "end" { mark.x_px - 4.0 } else { mark.x_px + 4.0 };
            view! {
                <line class=ink_class(mark.ink) data-mark=name x1=mark.x_px y1=top x2=mark.x_px y2=bottom></line>
                <text class="sweep-mark-label" x=label_x y=label_y text-anchor=anchor>{mark.label.clone()}</text>
            }
        })
        .collect_view();
    let points = chart
        .points
        .iter()
        .map(|point| {
            let spread = point.spread_px.map(|(high_px, low_px)| {
                view! { <line class="sweep-spread" x1=point.x_px y1=high_px x2=point.x_px y2=low_px></line> }
            });
            view! {
                <g data-testid="sweep-point" data-k=point.k>
                    {spread}
                    <circle class="sweep-point" cx=point.x_px cy=point.y_px r="4">
                        <title>{point.title.clone()}</title>
                    </circle>
                </g>
            }
        })
        .collect_view();
    view! {
        <ChartFrame
            frame=chart.frame.clone()
            testid=testid
            label=label
        >
            <text class="sweep-axis-name" x=left + 4.0 y=top + 2.0 dominant-baseline="hanging">{chart.y_label.clone()}</text>
            <text class="sweep-axis-name" x=right y=chart.frame.height_px - 2.0 text-anchor="end">"k"</text>
            {lines}
            {marks}
            {points}
        </ChartFrame>
    }
}

/// What each ink on the speedup chart stands for.
#[component]
pub fn SweepLegend(inks: Vec<Ink>, lang: Lang) -> impl IntoView {
    let items = inks
        .iter()
        .map(|ink| {
            let ink = *ink;
            view! {
                <li>
                    <svg class="sweep-swatch" viewBox="0 0 24 10" aria-hidden="true">
                        <line class=ink_class(ink) x1="0" y1="5" x2="24" y2="5"></line>
                    </svg>
                    {ink.title().get(lang)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sweep-legend">{items}</ul> }
}
