//! The fields of an experiment's parameter form. Each field's id is its
//! query-string key; what is typed goes to the form, and the message for a
//! bad value (or a note on a good one) shows next to the field.

use leptos::prelude::*;
use overlap_core::address::query_value::QueryValue;
use overlap_core::lang::{Lang, Words};

use crate::language::use_lang;
use crate::widgets::param_form::ParamForm;

/// The message shown next to a form field, or nothing.
#[component]
pub fn FieldMessage(message: Signal<Option<String>>) -> impl IntoView {
    move || message.get().map(|text| view! { <p class="field-message" role="alert">{text}</p> })
}

/// A labelled control of the form: the form's message for `key` next to
/// it, or else `note`.
#[component]
fn Field(
    form: ParamForm,
    key: &'static str,
    label: Signal<String>,
    note: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang().now;
    let message =
        Signal::derive(move || form.error_for(key, lang.get()).or_else(|| note.and_then(|note| note.get())));
    view! {
        <div class="field">
            <label for=key>{label}</label>
            {children()}
            <FieldMessage message=message />
        </div>
    }
}

/// Every value of an address enum with its title in the page's language:
/// the options of a `ChoiceField`.
pub fn options_of<T: QueryValue>(
    title: fn(T) -> Words,
    lang: Signal<Lang>,
) -> Signal<Vec<(&'static str, String)>> {
    Signal::derive(move || {
        T::VARIANTS.iter().map(|value| (value.text(), title(*value).get(lang.get()).to_string())).collect()
    })
}

/// A choice among fixed values: `(value in the address, label)` pairs.
#[component]
pub fn ChoiceField(
    form: ParamForm,
    key: &'static str,
    label: Signal<String>,
    options: Signal<Vec<(&'static str, String)>>,
    value: Signal<&'static str>,
    /// Said next to the field when its value is good but worth a word.
    #[prop(optional)]
    note: Option<Signal<Option<String>>>,
    #[prop(default = Signal::stored(true))] enabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <Field form=form key=key label=label note=note>
            <select
                id=key
                prop:value=move || {
                    form.track_revision();
                    value.get()
                }
                prop:disabled=move || !enabled.get()
                on:change=move |event| form.set_field(key, &event_target_value(&event))
            >
                {move || {
                    let selected = value.get_untracked();
                    options
                        .get()
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value selected=value == selected>{label}</option> })
                        .collect_view()
                }}
            </select>
        </Field>
    }
}

/// A whole number; the codec checks it when it changes.
#[component]
pub fn NumberField(
    form: ParamForm,
    key: &'static str,
    label: Signal<String>,
    value: Signal<u32>,
    #[prop(default = Signal::stored(true))] enabled: Signal<bool>,
    #[prop(optional)] hint: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let value = Signal::derive(move || value.get().to_string());
    view! { <InputField form=form key=key label=label value=value enabled=enabled hint=hint kind=InputKind::Number /> }
}

/// A line of text (a list of numbers); the codec checks it when it changes.
#[component]
pub fn TextField(
    form: ParamForm,
    key: &'static str,
    label: Signal<String>,
    value: Signal<String>,
    #[prop(default = Signal::stored(true))] enabled: Signal<bool>,
    #[prop(optional)] hint: Option<Signal<Option<String>>>,
) -> impl IntoView {
    view! { <InputField form=form key=key label=label value=value enabled=enabled hint=hint kind=InputKind::Text /> }
}

#[derive(Clone, Copy, PartialEq)]
enum InputKind {
    Number,
    Text,
}

/// The input both fields are: what is typed goes to the form on change.
#[component]
fn InputField(
    form: ParamForm,
    key: &'static str,
    label: Signal<String>,
    value: Signal<String>,
    enabled: Signal<bool>,
    hint: Option<Signal<Option<String>>>,
    kind: InputKind,
) -> impl IntoView {
    let (input_type, inputmode) = match kind {
        InputKind::Number => ("number", "numeric"),
        InputKind::Text => ("text", "text"),
    };
    view! {
        <Field form=form key=key label=label note=None>
            <input
                id=key
                type=input_type
                inputmode=inputmode
                spellcheck="false"
                prop:value=move || {
                    form.track_revision();
                    value.get()
                }
                prop:disabled=move || !enabled.get()
                on:change=move |event| form.set_field(key, &event_target_value(&event))
            />
            {hint.map(|hint| view! { <small class="hint">{move || hint.get()}</small> })}
        </Field>
    }
}
