//! The runs of a page drawn on one time axis, stacked: a sequential run is
//! one long lane, the same work on four workers four short ones, and the
//! difference in length is the lesson. Core computes the layout, the scale,
//! the words and the keyboard moves; this turns input into view changes and
//! hands frames to `timeline_paint`.

use leptos::html::Canvas;
use leptos::prelude::*;
use overlap_core::records::recorded_runs::RecordedRun;
use overlap_core::records::span::{Span, SpanState};
use overlap_core::records::trace_event::trace_json;
use overlap_core::timeline::focus::{FocusStep, scale_showing, step_focus};
use overlap_core::timeline::layout::{LABEL_WIDTH_PX, SpanKey, SpanRef, TimelineLayout};
use overlap_core::timeline::links::{HandOff, link_segments};
use overlap_core::timeline::scale::{Theme, TimeScale, spans_csv, state_colour};
use overlap_core::timeline::text::{RunHeading, describe_span, run_headers, timeline_summary};

use crate::browser::download::{download_text, download_url};
use crate::browser::element_width::watch_width;
use crate::browser::js_error;
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::counter_chart::{CounterCharts, CounterTrack};
use crate::timeline::paint::{Frame, paint, paint_marker, plot_width_px, span_anchor_px};
use crate::timeline::recorded::Recorded;
use crate::timeline::replay_view::ReplayControls;
use crate::timeline::share::CopyRunsLink;
use crate::timeline::tables::SpanTables;

/// One run as the timeline draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRun {
    /// The run's number, mode and workers: "2. Threads, 4 workers".
    pub title: String,
    pub spans: Vec<Span>,
    /// The name of each lane, by lane index.
    pub lane_names: Vec<String>,
    pub in_progress: bool,
    /// It ran every task or request.
    pub complete: bool,
    /// What it computed or fetched: headers compare runs of the same work.
    pub work: String,
}

impl TimelineRun {
    pub fn lane_name(&self, lane: u32) -> String {
        self.lane_names.get(lane as usize).cloned().unwrap_or_else(|| format!("{}", lane + 1))
    }

    fn heading(&self, makespan_ms: f64) -> RunHeading<'_> {
        RunHeading {
            title: &self.title,
            makespan_ms,
            in_progress: self.in_progress,
            complete: self.complete,
            work: &self.work,
        }
    }
}

impl TimelineRun {
    /// A run shown as it was recorded (a link's, a trace's).
    fn recorded(run: &RecordedRun, title: String) -> Self {
        TimelineRun {
            title,
            spans: run.spans.clone(),
            lane_names: run.lane_names.clone(),
            in_progress: false,
            complete: run.complete,
            work: run.work.clone(),
        }
    }

    fn to_recorded(&self) -> RecordedRun {
        RecordedRun {
            title: self.title.clone(),
            work: self.work.clone(),
            complete: self.complete,
            lane_names: self.lane_names.clone(),
            spans: self.spans.clone(),
        }
    }
}

/// A mark at one time across one run's lanes: a predicted makespan.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineMarker {
    /// The run's index among the runs drawn.
    pub run: usize,
    pub at_ms: f64,
    pub label: String,
}

/// The range that shows every run whole, and a marker past their end.
fn fitted_range_ms(layout: &TimelineLayout, marker: Option<&TimelineMarker>) -> (f64, f64) {
    let (start_ms, end_ms) = layout.fitted_range_ms();
    // A little room past the marker for its label.
    (start_ms, marker.map_or(end_ms, |marker| end_ms.max(marker.at_ms * 1.05)))
}

/// Each run as its header and the summary name it, with the makespan the
/// layout found.
fn headings<'a>(runs: &'a [TimelineRun], layout: &TimelineLayout) -> Vec<RunHeading<'a>> {
    runs.iter().zip(&layout.runs).map(|(run, block)| run.heading(block.makespan_ms)).collect()
}

/// One zoom step: the factor by which + shows less time.
const ZOOM_STEP: f64 = 1.5;
/// One pan step, as a fraction of the view's width.
const PAN_STEP: f64 = 0.1;
/// How far (CSS px) from a thin span the pointer still finds it.
const HOVER_TOLERANCE_PX: f64 = 2.0;

const LEGEND: [SpanState; 15] = [
    SpanState::Running,
    SpanState::Queued,
    SpanState::WaitingForLock,
    SpanState::WaitingForTurn,
    SpanState::WaitingForResult,
    SpanState::BlockedOnFull,
    SpanState::BlockedOnEmpty,
    SpanState::Starting,
    SpanState::Serialising,
    SpanState::Waiting,
    SpanState::Downloading,
    SpanState::Awaiting,
    SpanState::ReadyForLoop,
    SpanState::Failed,
    SpanState::Cancelled,
];

#[component]
pub fn Timeline(
    runs: Signal<Vec<TimelineRun>>,
    /// Each run's hand-offs between lanes, drawn as arrows (`hand_offs[run]`).
    #[prop(optional)]
    hand_offs: Option<Signal<Vec<Vec<HandOff>>>>,
    /// Counts drawn under the lanes on the same time axis (a queue's depth).
    #[prop(optional)]
    counters: Option<Signal<Vec<CounterTrack>>>,
    /// The replay's cursor, for a page that shows its own state at it
    /// (the deadlock's wait-for graph); the timeline keeps one otherwise.
    #[prop(optional)]
    cursor: Option<RwSignal<Option<f64>>>,
    /// A predicted makespan, drawn dashed across its run's lanes.
    #[prop(optional)]
    marker: Option<Signal<Option<TimelineMarker>>>,
    /// A second timeline of a page (the race's evidence): the page's runs
    /// alone, without the recorded ones, which the first already shows.
    #[prop(optional)]
    own_runs_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let theme = use_context::<ReadSignal<Theme>>().map_or_else(|| Signal::stored(Theme::Light), Signal::from);
    // Runs shown as recorded (a link's, a trace's) come first, then the page's.
    let recorded = use_context::<Recorded>().filter(|_| !own_runs_only);
    let page_runs = runs;
    let page_hand_offs = hand_offs;
    // Built once per change of the recorded runs or the language, not at
    // every draw of a live run.
    let recorded_runs = Memo::new(move |_| {
        recorded
            .map(|recorded| {
                recorded.runs.with(|runs| {
                    runs.iter()
                        .map(|run| {
                            let title = run.title.clone();
                            TimelineRun::recorded(
                                run,
                                t_string!(i18n, common.timeline.recorded_title, title).to_string(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    });
    let runs: Signal<Vec<TimelineRun>> = Memo::new(move |_| {
        let mut all = recorded_runs.get();
        page_runs.with(|runs| all.extend(runs.iter().cloned()));
        all
    })
    .into();
    // The recorded runs under their own titles, then the page's: what a
    // link or a trace carries.
    let runs_to_share = Callback::new(move |()| {
        let mut all: Vec<RecordedRun> =
            recorded.map(|recorded| recorded.runs.get_untracked()).unwrap_or_default();
        page_runs.with_untracked(|runs| all.extend(runs.iter().map(TimelineRun::to_recorded)));
        all
    });
    // The page names its runs by place among its own (the marker's run,
    // hand_offs[run]): the recorded runs come before them.
    let recorded_count = Memo::new(move |_| recorded.map_or(0, |recorded| recorded.runs.with(Vec::len)));
    let marker: Option<Signal<Option<TimelineMarker>>> = marker.map(|marker| {
        Signal::derive(move || {
            marker.get().map(|marker| TimelineMarker { run: marker.run + recorded_count.get(), ..marker })
        })
    });
    // The replay's time cursor: `None` draws the runs whole. A run going
    // on is drawn whole: the cursor is let go when one starts.
    let cursor_ms = cursor.unwrap_or_else(|| RwSignal::new(None::<f64>));
    Effect::new(move |_| {
        let live = page_runs.with(|runs| runs.iter().any(|run| run.in_progress));
        if live && cursor_ms.get_untracked().is_some() {
            cursor_ms.set(None);
        }
    });
    let canvas = NodeRef::<Canvas>::new();
    // The canvas's CSS width, watched rather than read (`element_width`).
    let width_px = RwSignal::new(None::<f64>);
    // Runs again (after cleaning up the last watch) only if the canvas changes.
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get() {
            watch_width(&canvas, width_px);
        }
    });
    let layout =
        Memo::new(move |_| runs.with(|runs| TimelineLayout::new(runs.iter().map(|run| &run.spans[..]))));
    let headers = Memo::new(move |_| {
        let lang = lang.get();
        runs.with(|runs| layout.with(|layout| run_headers(&headings(runs, layout), lang)))
    });
    let lane_names = Memo::new(move |_| {
        runs.with(|runs| {
            layout.with(|layout| {
                layout
                    .rows
                    .iter()
                    .map(|row| runs.get(row.run).map(|run| run.lane_name(row.lane)).unwrap_or_default())
                    .collect::<Vec<String>>()
            })
        })
    });
    let summary = move || {
        runs.with(|runs| {
            layout.with(|layout| {
                let lanes: Vec<usize> = layout.runs.iter().map(|block| block.rows.len()).collect();
                timeline_summary(&headings(runs, layout), &lanes, lang.get())
            })
        })
    };

    // The visible range; `None` shows every run whole.
    let view_range = RwSignal::new(None::<(f64, f64)>);
    let visible_range = move || {
        view_range.get().unwrap_or_else(|| {
            let marker = marker.and_then(|marker| marker.get());
            layout.with(|layout| fitted_range_ms(layout, marker.as_ref()))
        })
    };
    let scale_now = move || -> Option<TimeScale> {
        let width_px = width_px.get_untracked()?;
        let (start_ms, end_ms) = view_range.get_untracked().unwrap_or_else(|| {
            let marker = marker.and_then(|marker| marker.get_untracked());
            layout.with_untracked(|layout| fitted_range_ms(layout, marker.as_ref()))
        });
        Some(TimeScale::new(start_ms, end_ms, plot_width_px(width_px)))
    };
    // The span under the pointer, where it was pointed at, and its words.
    let hover_tip = RwSignal::new(None::<(f64, f64, String)>);
    let change = move |update: &dyn Fn(TimeScale) -> TimeScale| {
        let Some(scale) = scale_now() else { return };
        let changed = update(scale);
        // Unchanged, a view that fits every run keeps fitting them as a live run grows.
        if changed != scale {
            view_range.set(Some((changed.start_ms, changed.end_ms)));
            // What was under the pointer has moved.
            hover_tip.set(None);
        }
    };
    let zoom_at_centre = move |factor: f64| change(&|scale| scale.zoomed(factor, scale.width_px / 2.0));
    let pan_by_fraction = move |fraction: f64| change(&|scale| scale.panned(scale.width_px * fraction));

    // The task clicked (or chosen with Enter) last: its spans stand out in every run.
    let highlighted_task = RwSignal::new(None::<u32>);
    // The span with keyboard focus, kept by what it is: spans that arrive
    // (a live run's, warm-up reported at the end) move it in its row.
    let focus_key = RwSignal::new(None::<SpanKey>);
    let focus = Memo::new(move |_| focus_key.get().and_then(|key| layout.with(|layout| layout.find(&key))));
    let words_for = move |at: SpanRef| -> Option<String> {
        runs.with_untracked(|runs| {
            layout.with_untracked(|layout| {
                let row = layout.rows.get(at.row)?;
                let run = runs.get(row.run)?;
                Some(describe_span(
                    &run.title,
                    &run.lane_name(row.lane),
                    layout.span(at)?,
                    lang.get_untracked(),
                ))
            })
        })
    };
    let move_focus = move |step: FocusStep| {
        let Some(view) = scale_now() else { return };
        let moved = layout.with_untracked(|layout| step_focus(layout, focus.get_untracked(), step, &view));
        focus_key.set(moved.and_then(|at| layout.with_untracked(|layout| layout.key_of(at))));
        let Some(moved) = moved else { return };
        if let Some(span) = layout.with_untracked(|layout| layout.span(moved).copied()) {
            change(&|scale| scale_showing(&scale, &span));
        }
    };
    // The tooltip: the span under the pointer, or else the focused span,
    // next to it wherever the view has moved it.
    let tooltip = move || -> Option<(f64, f64, String)> {
        hover_tip.get().or_else(|| {
            // Reworded when the language changes.
            lang.track();
            let at = focus.get()?;
            let (start_ms, end_ms) = visible_range();
            let scale = TimeScale::new(start_ms, end_ms, plot_width_px(width_px.get()?));
            let (x, y) = layout.with(|layout| span_anchor_px(layout, &scale, at))?;
            Some((x, y, words_for(at)?))
        })
    };

    Effect::new(move |_| {
        let range = visible_range();
        let highlighted_task = highlighted_task.get();
        let focus = focus.get();
        let cursor_ms = cursor_ms.get();
        let theme = theme.get();
        let lang = lang.get();
        let (Some(canvas), Some(width_px)) = (canvas.get(), width_px.get()) else { return };
        let mut hand_offs: Vec<Vec<HandOff>> = vec![Vec::new(); recorded_count.get()];
        hand_offs.extend(page_hand_offs.map(|hand_offs| hand_offs.get()).unwrap_or_default());
        let marker = marker.and_then(|marker| marker.get());
        layout.with(|layout| {
            let scale = TimeScale::new(range.0, range.1, plot_width_px(width_px));
            let links = link_segments(layout, &hand_offs, &scale);
            headers.with(|headers| {
                lane_names.with(|lane_names| {
                    paint(
                        &canvas,
                        &Frame {
                            layout,
                            headers,
                            lane_names,
                            links: &links,
                            range_ms: range,
                            highlighted_task,
                            width_px,
                            focus,
                            cursor_ms,
                            theme,
                            lang,
                        },
                    );
                })
            });
            if let Some(marker) = &marker {
                paint_marker(&canvas, layout, &scale, theme, marker);
            }
        });
    });

    let on_key = move |event: web_sys::KeyboardEvent| {
        match event.key().as_str() {
            "+" | "=" => zoom_at_centre(ZOOM_STEP),
            "-" | "_" => zoom_at_centre(1.0 / ZOOM_STEP),
            "ArrowLeft" => pan_by_fraction(-PAN_STEP),
            "ArrowRight" => pan_by_fraction(PAN_STEP),
            "0" | "Home" => view_range.set(None),
            "]" => move_focus(FocusStep::Next),
            "[" => move_focus(FocusStep::Previous),
            "ArrowDown" => move_focus(FocusStep::LaneBelow),
            "ArrowUp" => move_focus(FocusStep::LaneAbove),
            "Enter" | " " => {
                let task = focus
                    .get_untracked()
                    .and_then(|at| layout.with_untracked(|layout| layout.span(at)?.task));
                highlighted_task.update(|current| *current = if *current == task { None } else { task });
            }
            "Escape" => {
                focus_key.set(None);
                hover_tip.set(None);
                highlighted_task.set(None);
            }
            _ => return,
        }
        event.prevent_default();
    };
    let on_wheel = move |event: web_sys::WheelEvent| {
        event.prevent_default();
        let anchor_px = f64::from(event.offset_x()) - LABEL_WIDTH_PX;
        let factor = if event.delta_y() < 0.0 { ZOOM_STEP } else { 1.0 / ZOOM_STEP };
        change(&|scale| scale.zoomed(factor, anchor_px.clamp(0.0, scale.width_px)));
    };

    // Pointers down on the canvas, by id, with their last x: one drags
    // (pans), two pinch (zoom about their middle).
    let pointers = StoredValue::new(Vec::<(i32, f64)>::new());
    let pressed_at_x = StoredValue::new(None::<f64>);
    let canvas_left_px =
        move || canvas.get_untracked().map_or(0.0, |canvas| canvas.get_bounding_client_rect().left());
    let on_pointer_down = move |event: web_sys::PointerEvent| {
        let x = f64::from(event.client_x());
        pointers.update_value(|pointers| {
            pointers.retain(|(id, _)| *id != event.pointer_id());
            pointers.push((event.pointer_id(), x));
        });
        let single = pointers.with_value(Vec::len) == 1;
        pressed_at_x.set_value(single.then_some(x));
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        let x = f64::from(event.client_x());
        let before = pointers.get_value();
        let Some(index) = before.iter().position(|(id, _)| *id == event.pointer_id()) else { return };
        pointers.update_value(|pointers| pointers[index].1 = x);
        match before[..] {
            [(_, from_x)] => change(&|scale| scale.panned(from_x - x)),
            [(_, a), (_, b)] => {
                let (a_now, b_now) = if index == 0 { (x, b) } else { (a, x) };
                let (span_before, span_now) = ((a - b).abs(), (a_now - b_now).abs());
                if span_before > 1.0 && span_now > 1.0 {
                    // The time under the fingers' middle follows the middle:
                    // a finger that stays still keeps its time under it.
                    let plot_left_px = canvas_left_px() + LABEL_WIDTH_PX;
                    let (middle_before_px, middle_now_px) =
                        ((a + b) / 2.0 - plot_left_px, (a_now + b_now) / 2.0 - plot_left_px);
                    change(&|scale| {
                        scale
                            .zoomed(span_now / span_before, middle_before_px)
                            .panned(middle_before_px - middle_now_px)
                    });
                }
                // A pinch is no click.
                pressed_at_x.set_value(None);
            }
            _ => {}
        }
    };
    let lift = move |event: &web_sys::PointerEvent| {
        pointers.update_value(|pointers| pointers.retain(|(id, _)| *id != event.pointer_id()));
    };
    // The span at a point of the canvas.
    let span_under = move |x_px: f64, y_px: f64| -> Option<SpanRef> {
        let scale = scale_now()?;
        layout
            .with_untracked(|layout| layout.span_at(&scale, x_px - LABEL_WIDTH_PX, y_px, HOVER_TOLERANCE_PX))
    };
    // A click (a press that did not drag) on a span highlights its task.
    let on_release = move |event: web_sys::PointerEvent| {
        lift(&event);
        let pressed_at = pressed_at_x.get_value();
        pressed_at_x.set_value(None);
        if pressed_at.is_some_and(|x| (f64::from(event.client_x()) - x).abs() < 3.0) {
            let task = span_under(f64::from(event.offset_x()), f64::from(event.offset_y()))
                .and_then(|at| layout.with_untracked(|layout| layout.span(at)?.task));
            highlighted_task.update(|current| *current = if *current == task { None } else { task });
        }
    };
    let on_hover = move |event: web_sys::PointerEvent| {
        if !pointers.with_value(Vec::is_empty) {
            return;
        }
        let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
        hover_tip.set(span_under(x, y).and_then(words_for).map(|text| (x, y, text)));
    };

    let export_error = RwSignal::new(None::<String>);
    let save_csv = move |_| {
        let csv = runs.with(|runs| spans_csv(runs.iter().map(|run| (run.title.as_str(), &run.spans[..]))));
        export_error.set(download_text("overlap-spans.csv", "text/csv", &csv).err());
    };
    let save_trace = move |_| {
        let json = trace_json(&runs_to_share.run(()));
        export_error.set(download_text("overlap-trace.json", "application/json", &json).err());
    };
    let save_png = move |_| {
        let saved = canvas
            .get_untracked()
            .ok_or_else(|| t_string!(i18n, common.timeline.not_shown).to_string())
            .and_then(|canvas| canvas.to_data_url().map_err(|error| js_error::describe(&error)))
            .and_then(|url| download_url("overlap-timeline.png", &url));
        export_error.set(saved.err());
    };
    let tables_shown = RwSignal::new(false);
    // The tooltip sits next to the pointer or the focused span, inside the figure.
    let canvas_offset = move || {
        canvas
            .get()
            .map_or((0.0, 0.0), |canvas| (f64::from(canvas.offset_left()), f64::from(canvas.offset_top())))
    };
    view! {
        <Show when=move || runs.with(|runs| !runs.is_empty())>
            <figure class="panel timeline" data-testid="timeline">
                <div class="timeline-controls" role="group" aria-label=move || t_string!(i18n, common.timeline.controls)>
                    <button type="button" on:click=move |_| zoom_at_centre(ZOOM_STEP) aria-label=move || t_string!(i18n, common.timeline.zoom_in)>"+"</button>
                    <button type="button" on:click=move |_| zoom_at_centre(1.0 / ZOOM_STEP) aria-label=move || t_string!(i18n, common.timeline.zoom_out)>"−"</button>
                    <button type="button" on:click=move |_| view_range.set(None)>{t!(i18n, common.timeline.show_all)}</button>
                    <button
                        type="button"
                        data-testid="show-table"
                        aria-pressed=move || tables_shown.get().to_string()
                        on:click=move |_| tables_shown.update(|shown| *shown = !*shown)
                    >
                        {t!(i18n, common.timeline.data_table)}
                    </button>
                    <button type="button" data-testid="save-png" on:click=save_png>{t!(i18n, common.timeline.save_png)}</button>
                    <button type="button" data-testid="save-csv" on:click=save_csv>{t!(i18n, common.timeline.download_csv)}</button>
                    <button type="button" data-testid="download-trace" on:click=save_trace>{t!(i18n, common.timeline.download_trace)}</button>
                    {(!own_runs_only).then(|| view! { <CopyRunsLink runs=runs_to_share /> })}
                </div>
                <p class="hint">{t!(i18n, common.timeline.hint)}</p>
                <canvas
                    node_ref=canvas
                    tabindex="0"
                    // It takes keys: screen readers pass them on to an application.
                    role="application"
                    aria-roledescription=move || t_string!(i18n, common.timeline.role)
                    aria-keyshortcuts="+ - 0 ArrowLeft ArrowRight ArrowUp ArrowDown [ ] Enter Escape"
                    aria-label=summary
                    data-runs=move || runs.with(Vec::len)
                    data-lanes=move || layout.with(|layout| layout.rows.len())
                    data-view-start=move || visible_range().0
                    data-view-end=move || visible_range().1
                    data-highlight-task=move || highlighted_task.get().map(|task| task.to_string()).unwrap_or_default()
                    data-focus=move || focus.get().map(|at| format!("{}:{}", at.row, at.index)).unwrap_or_default()
                    data-marker-ms=move || marker.and_then(|marker| marker.get()).map(|marker| marker.at_ms)
                    on:keydown=on_key
                    on:wheel=on_wheel
                    on:pointerdown=on_pointer_down
                    on:pointermove=move |event: web_sys::PointerEvent| {
                        on_pointer_move(event.clone());
                        on_hover(event);
                    }
                    on:pointerup=on_release
                    on:pointercancel=move |event| lift(&event)
                    on:pointerleave=move |event| {
                        lift(&event);
                        hover_tip.set(None);
                    }
                ></canvas>
                {counters.map(|tracks| view! {
                    <CounterCharts tracks=tracks range_ms=Signal::derive(visible_range) width_px=width_px.into() />
                })}
                <ReplayControls cursor_ms=cursor_ms runs=runs layout=layout counters=counters />
                {move || {
                    tooltip()
                        .map(|(x, y, text)| {
                            let (left_px, top_px) = canvas_offset();
                            view! {
                                <div
                                    class="timeline-tooltip"
                                    role="tooltip"
                                    data-testid="timeline-tooltip"
                                    // Set through the CSSOM, which `style-src 'self'` allows; a
                                    // style attribute it would block.
                                    style:left=format!("{}px", left_px + x + 12.0)
                                    style:top=format!("{}px", top_px + y + 8.0)
                                >
                                    {text}
                                </div>
                            }
                        })
                }}
                <p class="visually-hidden" aria-live="polite">
                    {move || {
                        lang.track();
                        focus.get().and_then(words_for)
                    }}
                </p>
                {move || export_error.get().map(|error| view! { <p class="field-message" role="alert">{t!(i18n, common.timeline.could_not_save, error)}</p> })}
                <figcaption>
                    <ul class="legend">
                        {LEGEND
                            .iter()
                            .map(|state| {
                                view! {
                                    <li>
                                        <span class="swatch" style:background=move || state_colour(*state, theme.get())></span>
                                        {move || state.label().get(lang.get())}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </figcaption>
                <Show when=move || tables_shown.get()>
                    <SpanTables runs=runs />
                </Show>
            </figure>
        </Show>
    }
}
