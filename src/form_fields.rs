//! The fields of an experiment's parameter form. Each field's id is its
//! query-string key, and each shows the message for a bad value next to it.

use leptos::prelude::*;

/// The message shown next to a form field, or nothing.
#[component]
pub fn FieldMessage(message: Signal<Option<String>>) -> impl IntoView {
    move || message.get().map(|text| view! { <p class="field-message" role="alert">{text}</p> })
}

/// A choice among fixed values: `(value in the address, label)` pairs.
#[component]
pub fn ChoiceField(
    key: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    value: Signal<&'static str>,
    message: Signal<Option<String>>,
    set_field: impl Fn(&'static str, String) + Copy + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=key>{label}</label>
            <select id=key prop:value=move || value.get() on:change=move |event| set_field(key, event_target_value(&event))>
                {options
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value>{label}</option> })
                    .collect_view()}
            </select>
            <FieldMessage message=message />
        </div>
    }
}

/// A whole number; the codec checks it when it changes.
#[component]
pub fn NumberField(
    key: &'static str,
    label: &'static str,
    value: Signal<u32>,
    #[prop(default = Signal::stored(true))] enabled: Signal<bool>,
    #[prop(optional)] hint: Option<Signal<Option<&'static str>>>,
    message: Signal<Option<String>>,
    set_field: impl Fn(&'static str, String) + Copy + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=key>{label}</label>
            <input
                id=key
                type="number"
                inputmode="numeric"
                prop:value=move || value.get().to_string()
                prop:disabled=move || !enabled.get()
                on:change=move |event| set_field(key, event_target_value(&event))
            />
            {hint.map(|hint| view! { <small class="hint">{move || hint.get()}</small> })}
            <FieldMessage message=message />
        </div>
    }
}
