//! Painting the timeline on a canvas, sharp on high-DPI screens: what core's
//! layout, scale and merging computed, and nothing else. A frame costs what
//! is visible: each row's visible spans are found by binary search and
//! sub-pixel spans are merged before anything is drawn.

use overlap_core::lang::Lang;
use overlap_core::timeline::layout::{
    AXIS_HEIGHT_PX, HEADER_HEIGHT_PX, LABEL_WIDTH_PX, LANE_HEIGHT_PX, SpanRef, TimelineLayout,
};
use overlap_core::timeline::links::LinkSegment;
use overlap_core::timeline::replay::as_of;
use overlap_core::timeline::scale::{Theme, TimeScale, ink, label_colour, lane_rects, state_colour, ticks};
use overlap_core::timeline::text::{fit_label, task_label};
use wasm_bindgen::{JsCast, JsValue};

use crate::timeline::view::TimelineMarker;

/// What one frame shows.
pub struct Frame<'a> {
    pub layout: &'a TimelineLayout,
    /// Each run's header, in the layout's order.
    pub headers: &'a [String],
    /// Each row's lane name, in the layout's order.
    pub lane_names: &'a [String],
    /// Hand-offs between lanes on this frame's scale (core left out the
    /// ones out of view or too dense to tell apart).
    pub links: &'a [LinkSegment],
    pub range_ms: (f64, f64),
    pub highlighted_task: Option<u32>,
    pub focus: Option<SpanRef>,
    /// The replay's cursor: spans drawn as they stood then, and a line there.
    pub cursor_ms: Option<f64>,
    pub theme: Theme,
    /// The language of the labels drawn inside spans.
    pub lang: Lang,
    /// The canvas's CSS width (see `element_width` for why it is not read here).
    pub width_px: f64,
}

/// A task's number drawn inside its span.
struct SpanLabel {
    text: String,
    x_px: f64,
    y_px: f64,
    /// What is left of its span right of `x_px`.
    max_width_px: f64,
    colour: &'static str,
    alpha: f64,
}

/// The context's fill, stroke and alpha, set only when they change: each
/// set is a call into JS with a string to decode, and a frame of a live run
/// sets them for every span (issue 17).
struct Pen<'a> {
    context: &'a web_sys::CanvasRenderingContext2d,
    fill: Option<&'static str>,
    stroke: Option<&'static str>,
    alpha: f64,
}

impl<'a> Pen<'a> {
    /// A pen for a context in its default state, or with the fill, stroke
    /// and alpha given to no other call than this pen's from now on.
    fn new(context: &'a web_sys::CanvasRenderingContext2d) -> Self {
        context.set_global_alpha(1.0);
        Pen { context, fill: None, stroke: None, alpha: 1.0 }
    }

    fn fill(&mut self, colour: &'static str) {
        if self.fill != Some(colour) {
            self.context.set_fill_style_str(colour);
            self.fill = Some(colour);
        }
    }

    fn stroke(&mut self, colour: &'static str) {
        if self.stroke != Some(colour) {
            self.context.set_stroke_style_str(colour);
            self.stroke = Some(colour);
        }
    }

    fn alpha(&mut self, alpha: f64) {
        if self.alpha != alpha {
            self.context.set_global_alpha(alpha);
            self.alpha = alpha;
        }
    }
}

/// The plot's width for a canvas `width_px` wide: what is left of the labels.
pub fn plot_width_px(width_px: f64) -> f64 {
    width_px.max(320.0) - LABEL_WIDTH_PX - 8.0
}

/// Sized text: 10 px, well above the ~5 px below which text is noise.
const SPAN_FONT: &str = "10px system-ui, sans-serif";
/// About how wide a character of `SPAN_FONT` is; labels are fitted with it.
const SPAN_CHAR_WIDTH_PX: f64 = 6.0;

pub fn paint(canvas: &web_sys::HtmlCanvasElement, frame: &Frame<'_>) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
    let css_width_px = frame.width_px.max(320.0);
    let css_height_px = frame.layout.height_px;
    // Sharp on high-DPI screens: as many canvas pixels as device pixels.
    // Resizing clears the canvas, so only when the size changed.
    let ratio = window.device_pixel_ratio().max(1.0);
    let (width, height) = ((css_width_px * ratio) as u32, (css_height_px * ratio) as u32);
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
        let _ = web_sys::HtmlElement::style(canvas).set_property("height", &format!("{css_height_px}px"));
    }
    let _ = context.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    let ink = ink(frame.theme);
    context.set_fill_style_str(ink.background);
    context.fill_rect(0.0, 0.0, css_width_px, css_height_px);

    let (start_ms, end_ms) = frame.range_ms;
    let scale = TimeScale::new(start_ms, end_ms, plot_width_px(css_width_px));
    context.set_font("11px system-ui, sans-serif");
    context.set_text_baseline("middle");

    // The axis, shared by every run.
    context.set_stroke_style_str(ink.grid);
    context.set_fill_style_str(ink.text);
    context.set_line_width(1.0);
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

    // Span labels are drawn after every rectangle, in one font: switching
    // the font for each label cost more than drawing the labels (issue 17,
    // CPU profile of a live run).
    let mut labels: Vec<SpanLabel> = Vec::new();
    let mut pen = Pen::new(&context);
    for (run, header) in frame.layout.runs.iter().zip(frame.headers) {
        pen.fill(ink.text);
        pen.alpha(1.0);
        let _ = context.fill_text(header, 4.0, run.header_top_px + HEADER_HEIGHT_PX / 2.0);
        let rows = &frame.layout.rows[run.rows.clone()];
        for (offset, row) in rows.iter().enumerate() {
            pen.fill(ink.text);
            pen.alpha(1.0);
            let name = frame.lane_names.get(run.rows.start + offset).map_or("", String::as_str);
            let _ = context.fill_text(name, 4.0, row.top_px + LANE_HEIGHT_PX / 2.0);
            let row_index = run.rows.start + offset;
            let (spans, going_on) = match frame.cursor_ms {
                Some(at_ms) => as_of(&row.spans, at_ms),
                None => (&row.spans[..], None),
            };
            let going_on_rects =
                going_on.iter().flat_map(|span| lane_rects(std::slice::from_ref(span), &scale, row_index));
            for rect in lane_rects(spans, &scale, row_index).into_iter().chain(going_on_rects) {
                // Cut at the label column, so zoomed-in spans do not cover labels.
                let x = (LABEL_WIDTH_PX + rect.x_px).max(LABEL_WIDTH_PX);
                let visible_width_px = rect.width_px - (x - (LABEL_WIDTH_PX + rect.x_px));
                // A one-pixel gap between wide neighbours shows where each task ends.
                let width_px =
                    if visible_width_px > 3.0 { visible_width_px - 1.0 } else { visible_width_px.max(0.5) };
                // With a task highlighted, every other span steps back.
                let stands_out = frame.highlighted_task.is_none_or(|task| rect.task == Some(task));
                let alpha = if stands_out { 1.0 } else { 0.25 };
                pen.alpha(alpha);
                pen.fill(state_colour(rect.state, frame.theme));
                context.fill_rect(x, row.top_px, width_px, LANE_HEIGHT_PX);
                if let (Some(edge), true) = (ink.span_edge, width_px > 3.0) {
                    pen.stroke(edge);
                    context.stroke_rect(x + 0.5, row.top_px + 0.5, width_px - 1.0, LANE_HEIGHT_PX - 1.0);
                }
                if let Some(text) = rect.task.and_then(|task| {
                    fit_label(&task_label(task, frame.lang), width_px, SPAN_CHAR_WIDTH_PX, 3.0)
                }) {
                    labels.push(SpanLabel {
                        text,
                        x_px: x + 3.0,
                        max_width_px: width_px - 3.0,
                        y_px: row.top_px + LANE_HEIGHT_PX / 2.0,
                        colour: label_colour(rect.state, frame.theme),
                        alpha,
                    });
                }
            }
        }
        // The run's makespan: where its last span ends.
        let x = LABEL_WIDTH_PX + scale.x_from_ms(run.makespan_ms);
        if let (true, Some(first), Some(last)) = (x >= LABEL_WIDTH_PX, rows.first(), rows.last()) {
            pen.alpha(1.0);
            pen.stroke(ink.makespan);
            context.begin_path();
            context.move_to(x, first.top_px - 4.0);
            context.line_to(x, last.top_px + LANE_HEIGHT_PX + 2.0);
            context.stroke();
        }
    }
    context.set_font(SPAN_FONT);
    for label in &labels {
        pen.alpha(label.alpha);
        pen.fill(label.colour);
        // Never past its span: drawn after every rectangle, a label wider
        // than `fit_label` guessed (Chinese glyphs are wider than
        // SPAN_CHAR_WIDTH_PX) would cover the next span's start.
        let _ = context.fill_text_with_max_width(&label.text, label.x_px, label.y_px, label.max_width_px);
    }
    context.set_font("11px system-ui, sans-serif");
    context.set_global_alpha(1.0);

    // The replay's cursor, across every run.
    if let Some(at_ms) = frame.cursor_ms {
        let x = LABEL_WIDTH_PX + scale.x_from_ms(at_ms);
        if x >= LABEL_WIDTH_PX {
            context.set_stroke_style_str(ink.focus);
            context.set_line_width(2.0);
            context.begin_path();
            context.move_to(x, AXIS_HEIGHT_PX);
            context.line_to(x, css_height_px);
            context.stroke();
            context.set_line_width(1.0);
        }
    }

    // Hand-offs: a line from the lane letting go to the lane going on, with
    // a small head where it arrives.
    context.set_stroke_style_str(ink.focus);
    context.set_fill_style_str(ink.focus);
    context.set_global_alpha(0.8);
    for link in frame.links {
        let (from_x, to_x) = (LABEL_WIDTH_PX + link.from_x_px, LABEL_WIDTH_PX + link.to_x_px);
        let head_y = if link.to_y_px > link.from_y_px { -3.0 } else { 3.0 };
        context.begin_path();
        context.move_to(from_x, link.from_y_px);
        context.line_to(to_x, link.to_y_px);
        context.stroke();
        context.begin_path();
        context.move_to(to_x, link.to_y_px);
        context.line_to(to_x - 2.5, link.to_y_px + head_y);
        context.line_to(to_x + 2.5, link.to_y_px + head_y);
        context.fill();
    }
    context.set_global_alpha(1.0);

    // The span with keyboard focus: an outline that shows even on a thin span.
    if let Some((row, span)) =
        frame.focus.and_then(|focus| Some((frame.layout.rows.get(focus.row)?, frame.layout.span(focus)?)))
    {
        let left_px = LABEL_WIDTH_PX + scale.x_from_ms(span.start_ms);
        let right_px = LABEL_WIDTH_PX + scale.x_from_ms(span.end_ms);
        let left_px = left_px.max(LABEL_WIDTH_PX - 2.0);
        context.set_stroke_style_str(ink.focus);
        context.set_line_width(2.0);
        context.stroke_rect(
            left_px - 1.5,
            row.top_px - 1.5,
            (right_px - left_px).max(1.0) + 3.0,
            LANE_HEIGHT_PX + 3.0,
        );
        context.set_line_width(1.0);
    }
}

/// Where the focused span sits on the canvas (CSS pixels), to put its
/// tooltip next to it; `None` while it is out of view.
pub fn span_anchor_px(layout: &TimelineLayout, scale: &TimeScale, focus: SpanRef) -> Option<(f64, f64)> {
    let row = layout.rows.get(focus.row)?;
    let span = layout.span(focus)?;
    let visible = span.end_ms >= scale.start_ms && span.start_ms <= scale.end_ms;
    let x_px = LABEL_WIDTH_PX + scale.x_from_ms(span.start_ms).clamp(0.0, scale.width_px);
    visible.then_some((x_px, row.top_px + LANE_HEIGHT_PX))
}

/// A predicted makespan over the frame `paint` drew: a dashed line across
/// its run's lanes, labelled just under them (the header row above holds the
/// run's own figures). Nothing while it is out of view.
pub fn paint_marker(
    canvas: &web_sys::HtmlCanvasElement,
    layout: &TimelineLayout,
    scale: &TimeScale,
    theme: Theme,
    marker: &TimelineMarker,
) {
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
    let Some(run) = layout.runs.get(marker.run) else { return };
    let x = LABEL_WIDTH_PX + scale.x_from_ms(marker.at_ms);
    if x < LABEL_WIDTH_PX || x > LABEL_WIDTH_PX + scale.width_px {
        return;
    }
    let lanes_top_px = run.header_top_px + HEADER_HEIGHT_PX - 4.0;
    let bottom_px = layout.rows[run.rows.clone()]
        .last()
        .map_or(lanes_top_px + LANE_HEIGHT_PX, |row| row.top_px + LANE_HEIGHT_PX + 2.0);
    let ink = ink(theme);
    let dash = js_sys::Array::of2(&JsValue::from(4.0), &JsValue::from(3.0));
    let _ = context.set_line_dash(&dash);
    context.set_stroke_style_str(ink.focus);
    context.set_line_width(1.5);
    context.begin_path();
    context.move_to(x, lanes_top_px);
    context.line_to(x, bottom_px + 4.0);
    context.stroke();
    let _ = context.set_line_dash(&js_sys::Array::new());
    context.set_line_width(1.0);
    // In the gap under the run's lanes, on the background: the next run's
    // header starts below it.
    context.set_font(SPAN_FONT);
    context.set_text_baseline("middle");
    let label_width_px = marker.label.chars().count() as f64 * SPAN_CHAR_WIDTH_PX;
    let label_y_px = bottom_px + 5.0;
    context.set_fill_style_str(ink.background);
    context.fill_rect(x + 1.0, label_y_px - 5.0, label_width_px + 4.0, 10.0);
    context.set_fill_style_str(ink.focus);
    let _ = context.fill_text(&marker.label, x + 3.0, label_y_px);
}
