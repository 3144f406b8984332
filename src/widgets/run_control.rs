//! What the pool experiments' Run, Compare and Cancel share: one run at a
//! time, a fresh number for each, Cancel as a flag the workers read, the
//! reasons no run can start now, and runs kept up to date in their list
//! (the latest `KEPT_RUNS` of them).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use overlap_core::address::page_state::PageState;
use overlap_core::browser::pool_state::PoolState;
use overlap_core::lang::Lang;
use overlap_core::records::kept_runs::{NumberedRun, keep_run, kept_run_mut};
use overlap_core::records::results::ResultsRun;

use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::pool::pool_context::PoolContext;
use crate::widgets::param_form::ParamForm;
use crate::widgets::prediction::Prediction;
use crate::widgets::results_download::DownloadResults;

/// Why threads sharing memory cannot run now, if they cannot.
pub fn pool_unavailable(pool: &PoolState, i18n: I18nContext<Locale>, lang: Lang) -> Option<String> {
    match pool {
        PoolState::Ready { .. } => None,
        PoolState::Off(reason) => {
            Some(t_string!(i18n, common.needs_threads, reason = reason.message(lang)).to_string())
        }
        PoolState::Starting { .. } => Some(t_string!(i18n, common.waiting_for_pool).to_string()),
    }
}

/// Why the pool cannot run `threads` threads at once now, if it cannot.
fn pool_short(pool: PoolContext, threads: u32, i18n: I18nContext<Locale>, lang: Lang) -> Option<String> {
    if let Some(reason) = pool_unavailable(&pool.state.get(), i18n, lang) {
        return Some(reason);
    }
    let pool_threads = pool.pool.get().map_or(0, |pool| pool.threads());
    (threads as usize > pool_threads)
        .then(|| t_string!(i18n, common.more_threads_than_pool, threads, pool_threads).to_string())
}

/// What one run of a sequence is given: its number, where to count its
/// progress, and the Cancel flag its workers read.
#[derive(Clone)]
pub struct RunTicket {
    pub id: u32,
    pub progress: RwSignal<usize>,
    pub cancelled: Arc<AtomicBool>,
}

#[derive(Clone, Copy)]
pub struct RunControl {
    pub running: RwSignal<bool>,
    /// What the run in flight has counted so far. Kept apart from the runs
    /// so that a draw's progress does not rebuild their tables and timeline.
    pub progress: RwSignal<usize>,
    cancelled: StoredValue<Arc<AtomicBool>>,
    next_id: StoredValue<u32>,
    /// The page's prediction, which `predict=1` asks for before Run.
    prediction: StoredValue<Option<Prediction>>,
}

impl RunControl {
    pub fn new() -> Self {
        RunControl {
            running: RwSignal::new(false),
            progress: RwSignal::new(0),
            cancelled: StoredValue::new(Arc::new(AtomicBool::new(false))),
            next_id: StoredValue::new(1),
            prediction: StoredValue::new(None),
        }
    }

    /// Runs wait for `prediction` where the page requires one (`predict=1`):
    /// every reason this control gives starts with it.
    pub fn predicting(self, prediction: Prediction) {
        self.prediction.set_value(Some(prediction));
    }

    pub fn cancel(self) {
        self.cancelled.get_value().store(true, Ordering::Relaxed);
    }

    /// As `cancel`, from a page's cleanup, when the page may be going away.
    pub fn try_cancel(self) {
        if let Some(flag) = self.cancelled.try_get_value() {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Why no run can start now on the page alone: one is in flight, a
    /// prediction is required first, or a field is bad.
    pub fn blocked_on_page(self, form: ParamForm, i18n: I18nContext<Locale>, lang: Lang) -> Option<String> {
        if self.running.get() {
            return Some(t_string!(i18n, common.run_in_progress).to_string());
        }
        if let Some(reason) = self.prediction.get_value().and_then(Prediction::blocked) {
            return Some(reason);
        }
        form.first_error(lang).map(|message| t_string!(i18n, common.fix_parameters, message).to_string())
    }

    /// Why no run can start now: as `blocked_on_page`, or the pool is off
    /// or starting, or it has fewer threads than the run would hold at once
    /// (`threads`: each waits for the others).
    pub fn blocked(
        self,
        form: ParamForm,
        pool: PoolContext,
        threads: u32,
        i18n: I18nContext<Locale>,
        lang: Lang,
    ) -> Option<String> {
        self.blocked_on_page(form, i18n, lang).or_else(|| pool_short(pool, threads, i18n, lang))
    }

    /// Runs `each` for every item in turn, each with a fresh number and the
    /// Cancel flag, until all ran or Cancel was pressed.
    pub fn start<I: 'static, F: Future<Output = ()> + 'static>(
        self,
        items: Vec<I>,
        each: impl Fn(I, RunTicket) -> F + 'static,
    ) {
        let flag = Arc::new(AtomicBool::new(false));
        self.cancelled.set_value(flag.clone());
        self.running.set(true);
        spawn_local(async move {
            for item in items {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                let id = self.next_id.get_value();
                self.next_id.set_value(id + 1);
                self.progress.set(0);
                each(item, RunTicket { id, progress: self.progress, cancelled: flag.clone() }).await;
            }
            self.running.set(false);
        });
    }
}

/// Appends `record` to `runs`, letting the oldest go beyond `KEPT_RUNS`.
pub fn push_run<R: Send + Sync + 'static>(runs: RwSignal<Vec<R>>, record: R) {
    runs.update(|runs| keep_run(runs, record));
}

/// Changes the run numbered `id`, if the page still keeps it.
pub fn update_run<R: NumberedRun + Send + Sync + 'static>(
    runs: RwSignal<Vec<R>>,
    id: u32,
    change: impl FnOnce(&mut R),
) {
    runs.update(|runs| {
        if let Some(run) = kept_run_mut(runs, id) {
            change(run);
        }
    });
}

/// The row under a run form that most pages share: Run, the page's
/// Compare, any buttons of its own, Cancel and "Download results", and
/// under it why no run can start now.
#[component]
pub fn RunActions(
    control: RunControl,
    /// Why Run cannot start now, if it cannot.
    blocked: Signal<Option<String>>,
    /// Why Compare cannot start now; where it runs no more than Run, as `blocked`.
    #[prop(optional)]
    compare_blocked: Option<Signal<Option<String>>>,
    #[prop(into)] on_run: Callback<()>,
    #[prop(into)] on_compare: Callback<()>,
    compare_label: Signal<String>,
    /// The experiment's `exp=` key, for the results file.
    experiment: &'static str,
    state: RwSignal<PageState>,
    results: Callback<Lang, Vec<ResultsRun>>,
    has_runs: Signal<bool>,
    /// Buttons of the page's own, between Compare and Cancel.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let compare_blocked = compare_blocked.unwrap_or(blocked);
    let running = control.running;
    view! {
        <div class="actions">
            <button type="button" data-testid="run" prop:disabled=move || blocked.get().is_some() on:click=move |_| on_run.run(())>
                {t!(i18n, common.run)}
            </button>
            <button type="button" data-testid="compare" prop:disabled=move || compare_blocked.get().is_some() on:click=move |_| on_compare.run(())>
                {compare_label}
            </button>
            {children.map(|children| children())}
            <button type="button" data-testid="cancel" prop:disabled=move || !running.get() on:click=move |_| control.cancel()>
                {t!(i18n, common.cancel)}
            </button>
            <DownloadResults experiment=experiment state=state runs=results has_runs=has_runs />
        </div>
        <p class="field-message" role="status">
            {move || {
                blocked
                    .get()
                    .or_else(|| compare_blocked.get())
                    .filter(|_| !running.get())
                    .map(|reason| t_string!(i18n, common.run_unavailable, reason).to_string())
            }}
        </p>
    }
}
