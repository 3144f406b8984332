//! The time cursor over the runs on the timeline: a slider (dragged, or
//! stepped with the keyboard), playback at a tenth, a quarter or the runs'
//! own pace, and what each lane was doing at the cursor, in words. Core
//! says what happened when (`timeline::replay`); this only asks it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::timeline::layout::TimelineLayout;
use overlap_core::timeline::replay::{
    SPEEDS, count_at, cursor_words, lane_words, played, span_at, state_counts,
};

use crate::browser::clock::epoch_ms;
use crate::browser::next_paint::after_next_paint;
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::counter_chart::CounterTrack;
use crate::timeline::view::TimelineRun;

thread_local! {
    /// Numbers each cursor's ids: a page may show two timelines (the race's
    /// evidence), and a label must find its own slider.
    static NEXT_CURSOR: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The slider's steps across the runs: fine enough to stop inside a short
/// span, few enough that a key press moves visibly.
const STEPS: f64 = 500.0;

#[component]
pub fn ReplayControls(
    cursor_ms: RwSignal<Option<f64>>,
    runs: Signal<Vec<TimelineRun>>,
    layout: Memo<TimelineLayout>,
    counters: Option<Signal<Vec<CounterTrack>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    // Where the latest of the runs ends.
    let end_ms = Memo::new(move |_| layout.with(TimelineLayout::fitted_range_ms).1);
    let playing = RwSignal::new(false);
    // Each Play starts a loop; a loop whose Play is not the latest ends, so
    // Pause then Play within one frame cannot leave two playing.
    let plays = StoredValue::new(0u64);
    let number = NEXT_CURSOR.with(|next| {
        next.set(next.get() + 1);
        next.get()
    });
    let (slider_id, label_id) = (format!("replay-cursor-{number}"), format!("replay-label-{number}"));
    let (group_label_id, label_for) = (label_id.clone(), slider_id.clone());
    let speed_index = RwSignal::new(0usize);
    let step_ms = move || (end_ms.get() / STEPS).max(0.001);

    let play = move |_| {
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        let end = end_ms.get_untracked();
        if cursor_ms.get_untracked().is_none_or(|at_ms| at_ms >= end) {
            cursor_ms.set(Some(0.0));
        }
        playing.set(true);
        plays.update_value(|plays| *plays += 1);
        let this_play = plays.get_value();
        spawn_local(async move {
            let mut last_ms = epoch_ms();
            loop {
                after_next_paint().await;
                // Paused, played again, the cursor taken away, or the page gone.
                if !playing.try_get_untracked().unwrap_or(false) || plays.try_get_value() != Some(this_play) {
                    return;
                }
                let Some(at_ms) = cursor_ms.get_untracked() else {
                    playing.set(false);
                    return;
                };
                let now_ms = epoch_ms();
                let speed = SPEEDS.get(speed_index.get_untracked()).copied().unwrap_or(1.0);
                let (next_ms, ended) = played(at_ms, now_ms - last_ms, speed, end_ms.get_untracked());
                last_ms = now_ms;
                cursor_ms.set(Some(next_ms));
                if ended {
                    playing.set(false);
                    return;
                }
            }
        });
    };

    // What each lane was doing at the cursor. Drawn anew at every move of
    // it, so its words are text (`t_string!`), not closures.
    let at_cursor = move || {
        let at_ms = cursor_ms.get()?;
        let lang = lang.get();
        let sections = runs.with(|runs| {
            layout.with(|layout| {
                layout
                    .runs
                    .iter()
                    .enumerate()
                    .filter_map(|(index, block)| {
                        let run = runs.get(index)?;
                        let lanes: Vec<(u32, String, &'static str)> = layout.rows[block.rows.clone()]
                            .iter()
                            .map(|row| {
                                let span = span_at(&row.spans, at_ms);
                                let state = span.map_or("idle", |span| span.state.name());
                                (row.lane, lane_words(&run.lane_name(row.lane), span, lang), state)
                            })
                            .collect();
                        Some((index, run.title.clone(), state_counts(&run.spans, at_ms, lang), lanes))
                    })
                    .collect::<Vec<_>>()
            })
        });
        let counts: Vec<String> = counters
            .map(|tracks| {
                tracks.with(|tracks| {
                    tracks
                        .iter()
                        .map(|track| format!("{}: {}", track.title, count_at(&track.samples, at_ms)))
                        .collect()
                })
            })
            .unwrap_or_default();
        Some(view! {
            <div class="replay-at" data-testid="replay-at" data-at-ms=at_ms>
                <p><strong>{cursor_words(at_ms, lang)}</strong></p>
                {sections.into_iter().map(|(index, title, counts, lanes)| view! {
                    <section data-run=index>
                        <p>{format!("{title} — {counts}")}</p>
                        <ul>
                            {lanes.into_iter().map(|(lane, words, state)| view! {
                                <li data-lane=lane data-state=state>{words}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                }).collect_view()}
                {(!counts.is_empty()).then(|| view! { <ul>{counts.into_iter().map(|count| view! { <li>{count}</li> }).collect_view()}</ul> })}
            </div>
        })
    };

    view! {
        <div class="replay" role="group" aria-labelledby=group_label_id>
            <label id=label_id for=label_for>{t!(i18n, common.timeline.cursor)}</label>
            <input
                id=slider_id
                type="range"
                data-testid="replay-cursor"
                min="0"
                max=move || end_ms.get()
                step=step_ms
                prop:value=move || cursor_ms.get().unwrap_or_else(|| end_ms.get())
                aria-valuetext=move || cursor_ms.get().map(|at_ms| cursor_words(at_ms, lang.get())).unwrap_or_else(|| t_string!(i18n, common.timeline.whole_runs).to_string())
                on:input=move |event| {
                    if let Ok(at_ms) = event_target_value(&event).parse::<f64>() {
                        cursor_ms.set(Some(at_ms));
                    }
                }
            />
            <button type="button" data-testid="replay-play" aria-pressed=move || playing.get().to_string() on:click=play>
                {move || if playing.get() { t_string!(i18n, common.timeline.pause).to_string() } else { t_string!(i18n, common.timeline.play).to_string() }}
            </button>
            <label>
                {t!(i18n, common.timeline.speed)}
                " "
                <select data-testid="replay-speed" on:change=move |event| {
                    if let Ok(index) = event_target_value(&event).parse::<usize>() {
                        speed_index.set(index.min(SPEEDS.len() - 1));
                    }
                }>
                    <option value="0" selected=true>"1/10"</option>
                    <option value="1">"1/4"</option>
                    <option value="2">"1"</option>
                </select>
            </label>
            <button type="button" data-testid="replay-clear" prop:disabled=move || cursor_ms.get().is_none() on:click=move |_| {
                playing.set(false);
                cursor_ms.set(None);
            }>
                {t!(i18n, common.timeline.whole_runs)}
            </button>
        </div>
        <p class="hint">{t!(i18n, common.timeline.replay_hint)}</p>
        {at_cursor}
    }
}
