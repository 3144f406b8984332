//! The runs of a page drawn on one time axis, stacked: a sequential run is
//! one long lane, the same work on four workers four short ones, and the
//! difference in length is the lesson. The maths is core's (`timeline`);
//! this only paints, sharp on high-DPI screens.

use leptos::html::Canvas;
use leptos::prelude::*;
use overlap_core::span::{Span, SpanState};
use overlap_core::timeline::{TimeScale, lane_rects, lanes_of, span_at, spans_csv, state_colour, ticks};
use overlap_core::units::format_ms;
use wasm_bindgen::JsCast;

use crate::download::{download_text, download_url};

/// One run as the timeline draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRun {
    pub title: String,
    pub spans: Vec<Span>,
    /// The name of each lane, by lane index.
    pub lane_names: Vec<String>,
}

const LABEL_WIDTH_PX: f64 = 96.0;
const AXIS_HEIGHT_PX: f64 = 22.0;
const HEADER_HEIGHT_PX: f64 = 20.0;
const LANE_HEIGHT_PX: f64 = 14.0;
const LANE_GAP_PX: f64 = 3.0;
const RUN_GAP_PX: f64 = 10.0;

fn height_px(runs: &[TimelineRun]) -> f64 {
    AXIS_HEIGHT_PX
        + runs
            .iter()
            .map(|run| {
                HEADER_HEIGHT_PX
                    + lanes_of(&run.spans).len() as f64 * (LANE_HEIGHT_PX + LANE_GAP_PX)
                    + RUN_GAP_PX
            })
            .sum::<f64>()
}

/// What the picture says, for screen readers.
fn summary(runs: &[TimelineRun]) -> String {
    let parts: Vec<String> = runs
        .iter()
        .map(|run| {
            let makespan_ms = run.spans.iter().map(|span| span.end_ms).fold(0.0, f64::max);
            let lanes = lanes_of(&run.spans).len();
            let unit = if lanes == 1 { "lane" } else { "lanes" };
            format!("{}: {} on {lanes} {unit}", run.title, format_ms(makespan_ms))
        })
        .collect();
    format!("Timeline of {} runs on one time axis. {}.", runs.len(), parts.join("; "))
}

/// Where each lane's row starts, top to bottom: `(run index, lane, y)`,
/// laid out exactly as `draw` paints them.
fn lane_rows(runs: &[TimelineRun]) -> Vec<(usize, u32, f64)> {
    let mut rows = Vec::new();
    let mut y = AXIS_HEIGHT_PX;
    for (index, run) in runs.iter().enumerate() {
        y += HEADER_HEIGHT_PX;
        for lane in lanes_of(&run.spans) {
            rows.push((index, lane, y));
            y += LANE_HEIGHT_PX + LANE_GAP_PX;
        }
        y += RUN_GAP_PX;
    }
    rows
}

/// The words for the span under the pointer.
fn describe_span(run: &TimelineRun, span: &Span) -> String {
    let task = span.task.map_or_else(|| "worker start-up".to_string(), |task| format!("task {task}"));
    let lane = span.lane.and_then(|lane| run.lane_names.get(lane as usize).cloned()).unwrap_or_default();
    format!(
        "{}: {task} on {lane}, {}, from {} for {}",
        run.title,
        span.state.name(),
        format_ms(span.start_ms),
        format_ms(span.duration_ms())
    )
}

/// The time range every run fits in: from the runs' start to the last end.
fn fitted_range_ms(runs: &[TimelineRun]) -> (f64, f64) {
    // From each run's start: warm-up before it is outside the measured run
    // (the span table and the trace keep it).
    let end_ms = runs.iter().flat_map(|run| &run.spans).map(|span| span.end_ms).fold(0.0, f64::max);
    (0.0, end_ms)
}

fn plot_width_px(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    f64::from(canvas.client_width().max(320)) - LABEL_WIDTH_PX - 8.0
}

#[component]
pub fn Timeline(runs: Signal<Vec<TimelineRun>>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    // The visible range; `None` shows every run whole.
    let view_range = RwSignal::new(None::<(f64, f64)>);
    let drag_from_x = StoredValue::new(None::<f64>);
    let scale_now = move || -> Option<TimeScale> {
        let canvas = canvas.get_untracked()?;
        let (start_ms, end_ms) =
            view_range.get_untracked().unwrap_or_else(|| runs.with_untracked(|runs| fitted_range_ms(runs)));
        Some(TimeScale::new(start_ms, end_ms, plot_width_px(&canvas)))
    };
    let change = move |update: &dyn Fn(TimeScale) -> TimeScale| {
        if let Some(scale) = scale_now() {
            let changed = update(scale);
            view_range.set(Some((changed.start_ms, changed.end_ms)));
        }
    };
    let zoom_at_centre = move |factor: f64| change(&|scale| scale.zoomed(factor, scale.width_px / 2.0));
    let pan_by_fraction = move |fraction: f64| change(&|scale| scale.panned(scale.width_px * fraction));
    // The task clicked last: its spans stand out in every run.
    let highlighted_task = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        let runs = runs.get();
        let range = view_range.get();
        let highlighted = highlighted_task.get();
        if let Some(canvas) = canvas.get() {
            draw(&canvas, &runs, range.unwrap_or_else(|| fitted_range_ms(&runs)), highlighted);
        }
    });
    let on_key = move |event: web_sys::KeyboardEvent| {
        let handled = match event.key().as_str() {
            "+" | "=" => {
                zoom_at_centre(ZOOM_STEP);
                true
            }
            "-" | "_" => {
                zoom_at_centre(1.0 / ZOOM_STEP);
                true
            }
            "ArrowLeft" => {
                pan_by_fraction(-PAN_STEP);
                true
            }
            "ArrowRight" => {
                pan_by_fraction(PAN_STEP);
                true
            }
            "0" | "Home" => {
                view_range.set(None);
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    };
    let on_wheel = move |event: web_sys::WheelEvent| {
        event.prevent_default();
        let anchor_px = f64::from(event.offset_x()) - LABEL_WIDTH_PX;
        let factor = if event.delta_y() < 0.0 { ZOOM_STEP } else { 1.0 / ZOOM_STEP };
        change(&|scale| scale.zoomed(factor, anchor_px.clamp(0.0, scale.width_px)));
    };
    let pressed_at_x = StoredValue::new(None::<f64>);
    let on_pointer_down = move |event: web_sys::PointerEvent| {
        drag_from_x.set_value(Some(f64::from(event.client_x())));
        pressed_at_x.set_value(Some(f64::from(event.client_x())));
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        if let Some(from_x) = drag_from_x.get_value() {
            let x = f64::from(event.client_x());
            drag_from_x.set_value(Some(x));
            change(&|scale| scale.panned(from_x - x));
        }
    };
    let end_drag = move |_: web_sys::PointerEvent| drag_from_x.set_value(None);
    // The span at a point of the canvas, with the words that describe it.
    let span_under = move |x: f64, y: f64| -> Option<(Span, String)> {
        let scale = scale_now()?;
        runs.with_untracked(|runs| {
            let (run_index, lane, _) =
                lane_rows(runs).into_iter().find(|(_, _, top)| y >= *top && y < top + LANE_HEIGHT_PX)?;
            let run = runs.get(run_index)?;
            let lane_spans: Vec<Span> =
                run.spans.iter().filter(|span| span.lane == Some(lane)).copied().collect();
            span_at(&lane_spans, &scale, x - LABEL_WIDTH_PX, 2.0)
                .map(|span| (*span, describe_span(run, span)))
        })
    };
    // A click (a press that did not drag) on a span highlights its task.
    let on_release = move |event: web_sys::PointerEvent| {
        let pressed_at = pressed_at_x.get_value();
        pressed_at_x.set_value(None);
        if pressed_at.is_some_and(|x| (f64::from(event.client_x()) - x).abs() < 3.0) {
            let task = span_under(f64::from(event.offset_x()), f64::from(event.offset_y()))
                .and_then(|(span, _)| span.task);
            highlighted_task.update(|current| *current = if *current == task { None } else { task });
        }
    };
    // The span under the pointer, and where to show its description.
    let tooltip = RwSignal::new(None::<(f64, f64, String)>);
    let on_hover = move |event: web_sys::PointerEvent| {
        if drag_from_x.get_value().is_some() {
            return;
        }
        let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
        tooltip.set(span_under(x, y).map(|(_, text)| (x, y, text)));
    };
    let export_error = RwSignal::new(None::<String>);
    let save_csv = move |_| {
        let csv = runs.with(|runs| spans_csv(runs.iter().map(|run| (run.title.as_str(), &run.spans[..]))));
        export_error.set(download_text("overlap-spans.csv", "text/csv", &csv).err());
    };
    let save_png = move |_| {
        let saved = canvas
            .get_untracked()
            .ok_or_else(|| "the timeline is not shown".to_string())
            .and_then(|canvas| canvas.to_data_url().map_err(|error| crate::js_error::describe(&error)))
            .and_then(|url| download_url("overlap-timeline.png", &url));
        export_error.set(saved.err());
    };
    let legend = [
        SpanState::Running,
        SpanState::Queued,
        SpanState::WaitingForLock,
        SpanState::Starting,
        SpanState::Serialising,
        SpanState::Waiting,
        SpanState::Downloading,
        SpanState::Failed,
    ];
    let visible_range = move || view_range.get().unwrap_or_else(|| runs.with(|runs| fitted_range_ms(runs)));
    view! {
        <Show when=move || runs.with(|runs| !runs.is_empty())>
            <figure class="panel timeline" data-testid="timeline">
                <div class="timeline-controls" role="group" aria-label="Timeline view">
                    <button type="button" on:click=move |_| zoom_at_centre(ZOOM_STEP) aria-label="Zoom in">"+"</button>
                    <button type="button" on:click=move |_| zoom_at_centre(1.0 / ZOOM_STEP) aria-label="Zoom out">"−"</button>
                    <button type="button" on:click=move |_| view_range.set(None)>"Show all"</button>
                    <button type="button" data-testid="save-png" on:click=save_png>"Save PNG"</button>
                    <button type="button" data-testid="save-csv" on:click=save_csv>"Download CSV"</button>
                    <span class="hint">"Wheel or + / − to zoom, drag or ← / → to move, 0 to show all."</span>
                </div>
                <canvas
                    node_ref=canvas
                    tabindex="0"
                    role="img"
                    aria-label=move || runs.with(|runs| summary(runs))
                    data-runs=move || runs.with(Vec::len)
                    data-lanes=move || runs.with(|runs| runs.iter().map(|run| lanes_of(&run.spans).len()).sum::<usize>())
                    data-view-start=move || visible_range().0
                    data-view-end=move || visible_range().1
                    on:keydown=on_key
                    on:wheel=on_wheel
                    on:pointerdown=on_pointer_down
                    on:pointermove=move |event: web_sys::PointerEvent| {
                        on_pointer_move(event.clone());
                        on_hover(event);
                    }
                    on:pointerup=move |event: web_sys::PointerEvent| {
                        on_release(event.clone());
                        end_drag(event);
                    }
                    data-highlight-task=move || highlighted_task.get().map(|task| task.to_string()).unwrap_or_default()
                    on:pointerleave=move |event| {
                        end_drag(event);
                        tooltip.set(None);
                    }
                ></canvas>
                {move || {
                    tooltip
                        .get()
                        .map(|(x, y, text)| {
                            view! {
                                <div
                                    class="timeline-tooltip"
                                    role="tooltip"
                                    data-testid="timeline-tooltip"
                                    style=format!("left:{}px;top:{}px", x + 12.0, y + 40.0)
                                >
                                    {text}
                                </div>
                            }
                        })
                }}
                {move || export_error.get().map(|error| view! { <p class="field-message" role="alert">{format!("Could not save: {error}")}</p> })}
                <figcaption>
                    <ul class="legend">
                        {legend
                            .iter()
                            .map(|state| {
                                view! {
                                    <li>
                                        <span class="swatch" style=format!("background:{}", state_colour(*state))></span>
                                        {state.name()}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </figcaption>
            </figure>
        </Show>
    }
}

/// One zoom step: the factor by which + shows less time.
const ZOOM_STEP: f64 = 1.5;
/// One pan step, as a fraction of the view's width.
const PAN_STEP: f64 = 0.1;

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    runs: &[TimelineRun],
    (start_ms, end_ms): (f64, f64),
    highlighted_task: Option<u32>,
) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
    let css_width_px = f64::from(canvas.client_width().max(320));
    let css_height_px = height_px(runs);
    // Sharp on high-DPI screens: as many canvas pixels as device pixels.
    let ratio = window.device_pixel_ratio().max(1.0);
    canvas.set_width((css_width_px * ratio) as u32);
    canvas.set_height((css_height_px * ratio) as u32);
    let _ = web_sys::HtmlElement::style(canvas).set_property("height", &format!("{css_height_px}px"));
    let _ = context.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    context.clear_rect(0.0, 0.0, css_width_px, css_height_px);

    let scale = TimeScale::new(start_ms, end_ms, plot_width_px(canvas));
    let text_colour = "#64748b";
    context.set_font("11px system-ui, sans-serif");
    context.set_text_baseline("middle");

    // The axis, shared by every run.
    context.set_stroke_style_str("#cbd5e1");
    context.set_fill_style_str(text_colour);
    for tick in ticks(&scale, 70.0) {
        let x = LABEL_WIDTH_PX + tick.x_px;
        if x < LABEL_WIDTH_PX {
            continue;
        }
        context.begin_path();
        context.move_to(x, AXIS_HEIGHT_PX - 4.0);
        context.line_to(x, css_height_px);
        context.stroke();
        let _ = context.fill_text(&tick.label, x + 3.0, AXIS_HEIGHT_PX / 2.0);
    }

    let mut y = AXIS_HEIGHT_PX;
    for run in runs {
        let makespan_ms = run.spans.iter().map(|span| span.end_ms).fold(0.0, f64::max);
        context.set_fill_style_str(text_colour);
        let _ = context.fill_text(
            &format!("{} — {}", run.title, format_ms(makespan_ms)),
            4.0,
            y + HEADER_HEIGHT_PX / 2.0,
        );
        y += HEADER_HEIGHT_PX;
        let top = y;
        for (row, lane) in lanes_of(&run.spans).into_iter().enumerate() {
            let lane_spans: Vec<Span> =
                run.spans.iter().filter(|span| span.lane == Some(lane)).copied().collect();
            context.set_fill_style_str(text_colour);
            let name =
                run.lane_names.get(lane as usize).cloned().unwrap_or_else(|| format!("lane {}", lane + 1));
            let _ = context.fill_text(&name, 4.0, y + LANE_HEIGHT_PX / 2.0);
            for rect in lane_rects(&lane_spans, &scale, row) {
                context.set_fill_style_str(state_colour(rect.state));
                // Cut at the label column, so zoomed-in spans do not cover labels.
                let x = (LABEL_WIDTH_PX + rect.x_px).max(LABEL_WIDTH_PX);
                let visible_width_px = rect.width_px - (x - (LABEL_WIDTH_PX + rect.x_px));
                // A one-pixel gap between wide neighbours shows where each task ends.
                let width_px =
                    if visible_width_px > 3.0 { visible_width_px - 1.0 } else { visible_width_px.max(0.5) };
                // With a task highlighted, every other span steps back.
                let stands_out = highlighted_task.is_none_or(|task| rect.task == Some(task));
                context.set_global_alpha(if stands_out { 1.0 } else { 0.25 });
                context.fill_rect(x, y, width_px, LANE_HEIGHT_PX);
                context.set_global_alpha(1.0);
            }
            y += LANE_HEIGHT_PX + LANE_GAP_PX;
        }
        // The run's makespan: where its last span ends.
        let x = LABEL_WIDTH_PX + scale.x_from_ms(makespan_ms);
        if x >= LABEL_WIDTH_PX {
            context.set_stroke_style_str("#dc2626");
            context.begin_path();
            context.move_to(x, top - 4.0);
            context.line_to(x, y);
            context.stroke();
        }
        context.set_stroke_style_str("#cbd5e1");
        y += RUN_GAP_PX;
    }
}
