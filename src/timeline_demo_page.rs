//! `?exp=timeline-demo&fixture=<name>`: the timeline drawing a fixed trace,
//! for tests and screenshots that must not depend on this machine's speed,
//! and for tutorials that want a picture without running anything.

use leptos::prelude::*;
use overlap_core::timeline_fixtures::Fixture;

use crate::timeline_view::{Timeline, TimelineRun};

#[component]
pub fn TimelineDemoPage(fixture: Fixture) -> impl IntoView {
    let runs: Vec<TimelineRun> = fixture
        .runs()
        .into_iter()
        .map(|run| TimelineRun {
            title: run.title,
            spans: run.spans,
            lane_names: run.lane_names,
            in_progress: false,
            complete: true,
            work: fixture.query_value().to_string(),
        })
        .collect();
    view! {
        <article class="experiment" data-testid="timeline-demo">
            <h2>"Timeline: a fixed trace"</h2>
            <p>
                "These spans are made up, not measured: the same picture every time, to show how the timeline \
                 draws runs side by side on one time axis. The experiments draw their real runs the same way."
            </p>
            <Timeline runs=Signal::stored(runs) />
        </article>
    }
}
