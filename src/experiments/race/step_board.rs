//! Step mode's board: each thread's program with its next step, its own
//! copy of the value and whether it can move; the shared value; the
//! schedule so far, in the address; Undo and Reset, which replay from the
//! start on fresh threads (real threads cannot step back).

use leptos::prelude::*;
use leptos::task::spawn_local;
use overlap_core::address::experiment::ExperimentParams;
use overlap_core::address::query_value::QueryValue;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::experiments::race::{RaceParams, SCHEDULE_KEY, STEP_THREADS, Schedule, StepModel, Variant};
use overlap_core::lang::{Lang, Said};
use overlap_core::records::results::{Figure, ResultsRun};

use crate::experiments::race::stepper::{StepReport, StepThreads};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::use_lang;
use crate::pool::pool_context::PoolContext;
use crate::pool::thread_pool::Pool;
use crate::widgets::param_form::ParamForm;
use crate::widgets::results_download::DownloadResults;
use crate::widgets::run_control::pool_unavailable;
use overlap_core::timeline::text::thread_label;

/// What the threads last reported: each one's own copy, and the shared value.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Seen {
    locals: [Option<i64>; STEP_THREADS],
    shared: i64,
}

impl Seen {
    fn after(mut self, thread: usize, report: StepReport) -> Seen {
        self.locals[thread] = report.local;
        self.shared = report.shared;
        self
    }
}

/// Grants `thread` its next step in the model and on the real thread, and
/// checks that the thread saw what the model says it would.
async fn take_step(
    threads: &mut StepThreads,
    model: &mut StepModel,
    thread: usize,
) -> Result<StepReport, Said> {
    model.take(thread).map_err(|blocked| {
        Said::new(
            format!("thread {} cannot move: {}", thread + 1, blocked.text(Lang::En)),
            format!("线程 {} 不能前进：{}", thread + 1, blocked.text(Lang::ZhCn)),
        )
    })?;
    let report = threads.step(thread).await?;
    let (local, shared) = (model.thread(thread).local, model.shared());
    if (report.local, report.shared) != (local, shared) {
        let (seen_local, local) = (local_text(report.local), local_text(local));
        let seen_shared = report.shared;
        return Err(Said::new(
            format!(
                "thread {} saw local = {seen_local} and n = {seen_shared} where the model says local = {local} and n = {shared}",
                thread + 1,
            ),
            format!(
                "线程 {} 看到 local = {seen_local}、n = {seen_shared}，而模型给出的是 local = {local}、n = {shared}",
                thread + 1,
            ),
        ));
    }
    Ok(report)
}

/// A thread's own copy as the board writes it: "—" before its first read.
fn local_text(local: Option<i64>) -> String {
    local.map_or_else(|| "—".to_string(), |value| value.to_string())
}

/// Fresh threads with `schedule` played on them.
async fn play(
    pool: Pool,
    variant: Variant,
    schedule: Schedule,
) -> Result<(StepThreads, StepModel, Seen), Said> {
    let mut threads = StepThreads::start(pool, variant).await?;
    let mut model = StepModel::new(variant);
    let mut seen = Seen::default();
    for thread in schedule.threads() {
        let report = take_step(&mut threads, &mut model, *thread).await?;
        seen = seen.after(*thread, report);
    }
    Ok((threads, model, seen))
}

#[component]
pub fn StepBoard(variant: Variant, form: ParamForm) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let pool = expect_context::<PoolContext>();
    let model = RwSignal::new(StepModel::new(variant));
    let seen = RwSignal::new(Seen::default());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Said>);
    // The live threads; dropping them (a replay, leaving the page) stops them.
    let session = StoredValue::new_local(None::<StepThreads>);
    // Whether `session` holds threads waiting at their gates now.
    let live = RwSignal::new(false);

    let write_schedule = move |schedule: &Schedule| form.set_field(SCHEDULE_KEY, &schedule.text());

    let replay = move |schedule: Schedule| {
        let Some(pool_handle) = pool.pool.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        session.update_value(|session| *session = None);
        live.set(false);
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match play(pool_handle, variant, schedule).await {
                Ok((threads, played, now_seen)) => {
                    // Gone if the page was left meanwhile: the threads are dropped, and stop.
                    if session.try_update_value(|session| *session = Some(threads)).is_some() {
                        live.set(true);
                        write_schedule(played.schedule());
                        model.set(played);
                        seen.set(now_seen);
                    }
                }
                Err(said) => {
                    if failure.try_set(Some(said)).is_none() {
                        // The board starts over; the address keeps the schedule
                        // it was given, so a link survives a passing failure.
                        model.set(StepModel::new(variant));
                        seen.set(Seen::default());
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let step = move |thread: usize| {
        if busy.get_untracked() || model.with_untracked(|model| model.blocked(thread).is_some()) {
            return;
        }
        let Some(mut threads) = session.try_update_value(Option::take).flatten() else { return };
        live.set(false);
        busy.set(true);
        spawn_local(async move {
            let mut next = model.get_untracked();
            match take_step(&mut threads, &mut next, thread).await {
                Ok(report) => {
                    if session.try_update_value(|session| *session = Some(threads)).is_some() {
                        live.set(true);
                        write_schedule(next.schedule());
                        model.set(next);
                        seen.update(|seen| *seen = seen.after(thread, report));
                    }
                }
                // The threads are dropped here, and stop; Reset starts again.
                Err(said) => {
                    let _ = failure.try_set(Some(said));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    // Once the pool is ready: fresh threads, with the address's schedule played.
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if matches!(pool.state.get(), PoolState::Ready { .. }) && !started.get_value() {
            started.set_value(true);
            let params = RaceParams::try_from(form.state.get_untracked().experiment).unwrap_or_default();
            replay(params.schedule);
        }
    });
    on_cleanup(move || {
        let _ = session.try_update_value(|session| *session = None);
    });

    // The step run as "Download results" records it, in the page's language.
    let results_runs = Callback::new(move |lang: Lang| {
        let model = model.get_untracked();
        let seen = seen.get_untracked();
        let mut params = Vec::new();
        RaceParams { variant, step: true, schedule: model.schedule().clone(), ..RaceParams::default() }
            .encode(&mut params);
        vec![ResultsRun {
            title: t_string!(i18n, race.step_title, variant = variant.title().get(lang)).to_string(),
            params,
            complete: model.finished(),
            figures: vec![
                ("schedule", Figure::Text(model.schedule().text())),
                (
                    "final",
                    if model.finished() { Figure::Number(seen.shared as f64) } else { Figure::Missing },
                ),
                ("solved", Figure::Bool(model.solved())),
            ],
        }]
    });

    let unavailable = move || pool_unavailable(&pool.state.get(), i18n, lang.get());
    let thread_column = move |thread: usize| {
        let state = move || {
            model.with(|model| match model.blocked(thread) {
                None => "ready",
                Some(overlap_core::experiments::race::Blocked::Finished) => "finished",
                Some(overlap_core::experiments::race::Blocked::WaitsForLock { .. }) => "blocked",
            })
        };
        let steps = move || {
            let lang = lang.get();
            model.with(|model| {
                let next = model.thread(thread).next;
                model
                    .program(thread)
                    .iter()
                    .enumerate()
                    .map(|(index, op)| {
                        let is_next = index == next;
                        view! {
                            <li class:done=index < next class:next=is_next aria-current=is_next.then_some("step")>
                                {op.text(lang)}
                            </li>
                        }
                    })
                    .collect_view()
            })
        };
        let local = move || match seen.get().locals[thread] {
            Some(value) => value.to_string(),
            None => "—".to_string(),
        };
        view! {
            <div class="step-thread" data-testid=format!("thread-{}", thread + 1) data-state=state>
                <h4>{move || thread_label(thread as u32, lang.get())}</h4>
                <ol>{steps}</ol>
                <p>
                    "local = " <output data-testid=format!("local-{}", thread + 1)>{local}</output>
                </p>
                <p class="hint">{move || model.with(|model| model.blocked(thread)).map(|blocked| blocked.text(lang.get()))}</p>
                <button
                    type="button"
                    data-testid=format!("step-{}", thread + 1)
                    prop:disabled=move || !live.get() || busy.get() || model.with(|model| model.blocked(thread).is_some())
                    on:click=move |_| step(thread)
                >
                    {move || t_string!(i18n, race.step_button, thread = thread + 1).to_string()}
                </button>
            </div>
        }
    };

    view! {
        <section class="panel step-board" data-testid="step-board" data-variant=variant.text() aria-labelledby="step-heading">
            <h3 id="step-heading">{t!(i18n, race.step_heading)}</h3>
            <p class="goal" data-testid="goal">{move || model.with(|model| model.goal(lang.get()))}</p>
            {move || {
                unavailable()
                    .map(|reason| view! { <p class="field-message" role="status">{t_string!(i18n, common.run_unavailable, reason).to_string()}</p> })
            }}
            <p class="shared">
                "n = " <output data-testid="shared-value">{move || seen.get().shared}</output>
                {move || busy.get().then(|| view! { <span class="hint">{t!(i18n, race.threads_moving)}</span> })}
            </p>
            <div class="step-threads">{thread_column(0)}{thread_column(1)}</div>
            <p>
                {t!(i18n, race.schedule_label)}
                " " <code data-testid="schedule">{move || model.with(|model| model.schedule().text())}</code>
            </p>
            <div class="actions">
                <button
                    type="button"
                    data-testid="undo"
                    prop:disabled=move || busy.get() || unavailable().is_some() || model.with(|model| model.schedule().is_empty())
                    on:click=move |_| replay(model.get_untracked().schedule().without_last())
                >
                    {t!(i18n, race.undo)}
                </button>
                <button
                    type="button"
                    data-testid="reset"
                    prop:disabled=move || busy.get() || unavailable().is_some()
                    on:click=move |_| replay(Schedule::default())
                >
                    {t!(i18n, race.reset)}
                </button>
                <DownloadResults experiment=RaceParams::KEY state=form.state runs=results_runs has_runs=Signal::derive(move || !model.with(|model| model.schedule().is_empty())) />
            </div>
            <p data-testid="verdict" role="status" data-solved=move || model.with(|model| model.solved()).to_string()>
                {move || model.with(|model| model.verdict(lang.get()))}
                " "
                {move || model.with(|model| model.why_safe(lang.get()))}
            </p>
            {move || {
                failure
                    .get()
                    .map(|said| view! { <p class="field-message" role="alert" data-testid="step-failure">{t_string!(i18n, race.step_failed, message = said.get(lang.get()).to_string()).to_string()}</p> })
            }}
        </section>
    }
}
