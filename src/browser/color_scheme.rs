//! The system's colour scheme, followed live: the style sheet switches with
//! `prefers-color-scheme`, and the canvas, which CSS does not reach, draws
//! with the matching ink.

use leptos::prelude::*;
use overlap_core::timeline::scale::Theme;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// The theme now, updated when the system setting changes. Called once per
/// page (the app provides it as context).
pub fn watch() -> ReadSignal<Theme> {
    let theme_of = |dark: bool| if dark { Theme::Dark } else { Theme::Light };
    let query = web_sys::window().and_then(|window| window.match_media(DARK_QUERY).ok().flatten());
    let (theme, set_theme) = signal(query.as_ref().map_or(Theme::Light, |query| theme_of(query.matches())));
    if let Some(query) = query {
        let on_change = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |event: web_sys::MediaQueryListEvent| {
                set_theme.set(theme_of(event.matches()));
            },
        );
        // Without the listener the canvas keeps the colours it loaded with,
        // which still read well: nothing to report.
        let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        // The page lives as long as the listener must.
        on_change.forget();
    }
    theme
}
