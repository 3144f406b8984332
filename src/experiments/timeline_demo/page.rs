//! `?exp=timeline-demo&fixture=<name>`: the timeline drawing a fixed trace,
//! for tests and screenshots that must not depend on this machine's speed,
//! and for learners reading a timeline before they run anything.

use leptos::prelude::*;
use overlap_core::experiments::timeline_demo::Fixture;

use crate::i18n::{t, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::{Timeline, TimelineRun};

#[component]
pub fn TimelineDemoPage(fixture: Fixture) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let runs = Memo::new(move |_| {
        fixture
            .runs(lang.get())
            .into_iter()
            .map(|run| TimelineRun {
                title: run.title,
                spans: run.spans,
                lane_names: run.lane_names,
                in_progress: false,
                complete: true,
                work: <&str>::from(fixture).to_string(),
            })
            .collect::<Vec<TimelineRun>>()
    });
    view! {
        <article class="experiment" data-testid="timeline-demo">
            <h2>{t!(i18n, timeline_demo.heading)}</h2>
            <p>{t!(i18n, timeline_demo.made_up)}</p>
            <p>{t!(i18n, timeline_demo.how_to_read)}</p>
            <Timeline runs=runs.into() />
        </article>
    }
}
