//! Predict, then run: the panel every experiment page mounts under its
//! form. It asks the page's one question (core's, for the parameters as they
//! stand), keeps the answer once committed, and when a run after the commit
//! answers it, shows what was predicted against what was measured, with the
//! experiment's one line on why, and marks a predicted makespan on the
//! timeline. With `predict=1` Run waits for a committed prediction. Nothing
//! leaves the page.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use overlap_core::prediction::{Answer, Ask, Comparison, Measured, Question, compare};
use overlap_core::records::units::format_ms;

use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::language::use_lang;
use crate::timeline::view::TimelineMarker;

/// A prediction committed for one question.
#[derive(Clone, Debug, PartialEq)]
struct Committed {
    /// The question as it was asked: parameters that change it before a run
    /// answered it let the prediction go.
    question: Question,
    answer: Answer,
    /// The latest run that answered the question when the prediction was
    /// committed: only a later one answers this prediction.
    after_run: Option<u32>,
    /// The run that answered it, and how the prediction fared.
    result: Option<(u32, Comparison)>,
}

/// One page's prediction: its question, the answer committed, the result.
#[derive(Clone, Copy)]
pub struct Prediction {
    /// `predict=1`: Run waits for a committed prediction.
    required: bool,
    question: Memo<Option<Question>>,
    committed: RwSignal<Option<Committed>>,
    /// What is typed, chosen or slid before committing, as text.
    draft: RwSignal<String>,
    running: Signal<bool>,
    /// The latest run that has answered any question of this page.
    latest_seen: StoredValue<Option<u32>>,
    i18n: I18nContext<Locale>,
}

impl Prediction {
    /// `question`: the page's question for its parameters now (none where
    /// they have none); `measured`: the latest run that answers it, by its
    /// number, with what it measured; `running`: a run is in flight (a
    /// prediction is committed before a run, not during one).
    pub fn new(
        required: bool,
        question: impl Fn() -> Option<Question> + Send + Sync + 'static,
        measured: impl Fn() -> Option<(u32, Measured)> + Send + Sync + 'static,
        running: Signal<bool>,
    ) -> Self {
        let question = Memo::new(move |_| question());
        let measured = Memo::new(move |_| measured());
        let committed = RwSignal::new(None::<Committed>);
        let draft = RwSignal::new(String::new());
        let latest_seen = StoredValue::new(None::<u32>);
        // A prediction is for the question as it was asked: once the
        // parameters ask another, an unanswered one is let go (and a slider
        // starts again where the new question's does).
        Effect::new(move |_| {
            let now = question.get();
            let stale = committed.with_untracked(|committed| {
                committed.as_ref().is_some_and(|committed| {
                    committed.result.is_none() && now.as_ref() != Some(&committed.question)
                })
            });
            if stale {
                committed.set(None);
            }
            if let Some(Ask::Fraction { max, .. }) = now.as_ref().map(|question| &question.ask)
                && draft.with_untracked(|draft| !matches!(draft.parse::<f64>(), Ok(value) if value <= *max))
            {
                draft.set("0.5".to_string());
            }
        });
        // The first run after the commit that answers the question is the
        // prediction's: later runs do not change it.
        Effect::new(move |_| {
            let Some((run, measured)) = measured.get() else { return };
            // Every run that ever answered, under any parameters: parameters
            // changed back after a commit must not let an older run answer.
            latest_seen.update_value(|latest| *latest = (*latest).max(Some(run)));
            let Some(pending) = committed.with_untracked(|committed| {
                committed.clone().filter(|committed| {
                    committed.result.is_none() && committed.after_run.is_none_or(|after| run > after)
                })
            }) else {
                return;
            };
            let comparison = compare(&pending.question, pending.answer, &measured);
            committed.set(Some(Committed { result: Some((run, comparison)), ..pending }));
        });
        Prediction { required, question, committed, draft, running, latest_seen, i18n: use_i18n() }
    }

    /// Why Run cannot start yet: `predict=1` and no prediction committed.
    pub fn blocked(self) -> Option<String> {
        let i18n = self.i18n;
        let waiting =
            self.required && self.question.with(Option::is_some) && self.committed.with(Option::is_none);
        waiting.then(|| t_string!(i18n, common.prediction.required).to_string())
    }

    /// Whether a run may start on its own (`run=1`): not before a required
    /// prediction is committed.
    pub fn ready(self) -> bool {
        self.blocked().is_none()
    }

    /// The predicted makespan on the timeline, for a question about one:
    /// `index_of` finds the answering run's place among the runs drawn. A
    /// memo: the runs change at every draw of a run, the marker seldom.
    pub fn marker(
        self,
        index_of: impl Fn(u32) -> Option<usize> + Send + Sync + 'static,
    ) -> Signal<Option<TimelineMarker>> {
        let (i18n, lang) = (self.i18n, use_lang().now);
        let marker = Memo::new(move |_| {
            lang.track();
            let (run, at_ms) = self.committed.with(|committed| {
                let (run, comparison) = committed.as_ref()?.result.as_ref()?;
                Some((*run, comparison.predicted_makespan_ms?))
            })?;
            let label = t_string!(i18n, common.prediction.marker, time = format_ms(at_ms)).to_string();
            Some(TimelineMarker { run: index_of(run)?, at_ms, label })
        });
        marker.into()
    }

    fn commit(self) {
        let Some(question) = self.question.get_untracked() else { return };
        let Ok(answer) = question.read(&self.draft.get_untracked()) else { return };
        // What answered so far was measured before this prediction: the
        // measured effect has seen every run that ever answered, the one
        // answering now among them.
        let after_run = self.latest_seen.get_value();
        self.committed.set(Some(Committed { question, answer, after_run, result: None }));
    }
}

/// The panel: the question and a way to answer it, then the answer kept,
/// then predicted against measured. Drawn anew only when the question, the
/// commit or the language change.
#[component]
pub fn PredictionPanel(prediction: Prediction) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang().now;
    let Prediction { required, question, committed, draft, running, .. } = prediction;
    let state = move || {
        committed.with(|committed| match committed {
            None => "draft",
            Some(Committed { result: None, .. }) => "committed",
            Some(Committed { result: Some(_), .. }) => "answered",
        })
    };
    // What is typed, read: the answer, or why it is none.
    let read =
        move || question.with(|question| question.as_ref().map(|question| question.read(&draft.get())));
    let problem = move || {
        draft.with(String::is_empty).then_some(()).map_or_else(
            || read().and_then(Result::err).map(|said| said.get(lang.get()).to_string()),
            |()| None,
        )
    };
    let can_commit = move || !running.get() && matches!(read(), Some(Ok(_)));

    let answer_form = move |question: Question| {
        let lang_now = lang.get();
        let input = match &question.ask {
            Ask::Choice(options) => {
                let options = options
                    .iter()
                    .enumerate()
                    .map(|(index, option)| {
                        let value = index.to_string();
                        let checked = value.clone();
                        view! {
                            <label class="prediction-option">
                                <input
                                    type="radio"
                                    name="prediction"
                                    data-testid="prediction-option"
                                    value=value.clone()
                                    prop:checked=move || draft.with(|draft| *draft == checked)
                                    on:change=move |_| draft.set(value.clone())
                                />
                                " "
                                {option.get(lang_now).to_string()}
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="prediction-options">
                        <legend class="visually-hidden">{question.asks.get(lang_now).to_string()}</legend>
                        {options}
                    </fieldset>
                }
                .into_any()
            }
            Ask::Fraction { max, step } => {
                let shown = question.clone();
                let said = move || {
                    draft
                        .with(|draft| draft.parse::<f64>().ok())
                        .map(|value| shown.say(Answer::Value(value)).get(lang.get()).to_string())
                };
                // The slider's value in words, as its output shows it.
                let value_text = said.clone();
                view! {
                    <label class="prediction-slider">
                        {t_string!(i18n, common.prediction.your_answer).to_string()}
                        " "
                        <input
                            type="range"
                            data-testid="prediction-slider"
                            min="0"
                            max=max.to_string()
                            step=step.to_string()
                            prop:value=move || draft.get()
                            aria-valuetext=move || value_text().unwrap_or_default()
                            on:input=move |event| draft.set(event_target_value(&event))
                        />
                        " "
                        <output data-testid="prediction-value">{said}</output>
                    </label>
                }
                .into_any()
            }
            Ask::Number { min, max, step, unit } => {
                let unit = unit.name().get(lang_now);
                view! {
                    <label class="prediction-number">
                        {t_string!(i18n, common.prediction.your_answer_in, unit).to_string()}
                        " "
                        <input
                            type="number"
                            data-testid="prediction-number"
                            min=min.to_string()
                            max=max.to_string()
                            step=step.to_string()
                            prop:value=move || draft.get()
                            on:input=move |event| draft.set(event_target_value(&event))
                        />
                    </label>
                    {move || problem().map(|text| view! { <p class="field-message" role="alert">{text}</p> })}
                }
                .into_any()
            }
        };
        view! {
            {input}
            <div class="actions">
                <button
                    type="button"
                    data-testid="commit-prediction"
                    prop:disabled=move || !can_commit()
                    on:click=move |_| prediction.commit()
                >
                    {t_string!(i18n, common.prediction.commit).to_string()}
                </button>
            </div>
            <p class="hint">{question.answered_by.get(lang_now).to_string()}</p>
        }
        .into_any()
    };

    let body = move || {
        let lang_now = lang.get();
        let question_now = question.get()?;
        let shown = committed.get();
        // Once committed, the question as it was asked: the parameters may
        // have moved on since a run answered it.
        let asked =
            shown.as_ref().map_or_else(|| question_now.asks.clone(), |shown| shown.question.asks.clone());
        let part = match shown {
            None => answer_form(question_now.clone()),
            Some(Committed { question, answer, result: None, .. }) => view! {
                <p data-testid="prediction-committed">
                    {t_string!(i18n, common.prediction.committed, answer = question.say(answer).get(lang_now).to_string()).to_string()}
                </p>
                <p class="hint">{question.answered_by.get(lang_now).to_string()}</p>
                <div class="actions">
                    <button type="button" data-testid="change-prediction" prop:disabled=move || running.get() on:click=move |_| committed.set(None)>
                        {t_string!(i18n, common.prediction.change).to_string()}
                    </button>
                </div>
            }
            .into_any(),
            Some(Committed { result: Some((run, comparison)), .. }) => view! {
                <h4>{t_string!(i18n, common.prediction.result_heading, run).to_string()}</h4>
                <p
                    data-testid="prediction-result"
                    role="status"
                    data-verdict=comparison.verdict.name()
                    data-run=run
                    data-predicted=comparison.predicted.get(lang_now).to_string()
                    data-measured=comparison.measured.get(lang_now).to_string()
                    data-predicted-makespan-ms=comparison.predicted_makespan_ms
                >
                    {comparison.said.get(lang_now).to_string()}
                </p>
                <p data-testid="prediction-why">{comparison.why.get(lang_now).to_string()}</p>
                <div class="actions">
                    <button type="button" data-testid="predict-again" prop:disabled=move || running.get() on:click=move |_| committed.set(None)>
                        {t_string!(i18n, common.prediction.again).to_string()}
                    </button>
                </div>
            }
            .into_any(),
        };
        Some(view! {
            <p data-testid="prediction-question">{asked.get(lang_now).to_string()}</p>
            {part}
        })
    };

    view! {
        <Show when=move || question.with(Option::is_some)>
            <section
                class="panel prediction"
                data-testid="prediction"
                data-state=state
                data-required=required.to_string()
                aria-labelledby="prediction-heading"
            >
                <h3 id="prediction-heading">{t!(i18n, common.prediction.heading)}</h3>
                <p class="hint">
                    {move || if required {
                        t_string!(i18n, common.prediction.required_hint).to_string()
                    } else {
                        t_string!(i18n, common.prediction.optional_hint).to_string()
                    }}
                </p>
                {body}
            </section>
        </Show>
    }
}
