//! The message shown next to a form field, or nothing.

use leptos::prelude::*;

#[component]
pub fn FieldMessage(message: Signal<Option<String>>) -> impl IntoView {
    move || message.get().map(|text| view! { <p class="field-message" role="alert">{text}</p> })
}
