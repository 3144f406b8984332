//! An experiment's parameter form: the page state it edits, and the
//! message next to each field whose text could not be used. A bad value
//! keeps its text in the field and the last good value in the state; a good
//! one goes into the state and the address.

use leptos::prelude::*;
use overlap_core::page_state::{self, PageState, QueryProblem};

use crate::page_address;

#[derive(Clone, Copy)]
pub struct ParamForm {
    pub state: RwSignal<PageState>,
    /// `(key, message)` for each field that holds a bad value.
    errors: RwSignal<Vec<(String, String)>>,
}

impl ParamForm {
    /// Starts from the decoded address; its problems with `keys` show next to
    /// their fields.
    pub fn new(initial: PageState, problems: &[QueryProblem], keys: &[&str]) -> Self {
        let errors = problems
            .iter()
            .filter(|problem| keys.contains(&problem.key()))
            .map(|problem| (problem.key().to_string(), problem.to_string()))
            .collect();
        ParamForm { state: RwSignal::new(initial), errors: RwSignal::new(errors) }
    }

    pub fn error_for(self, key: &str) -> Option<String> {
        self.errors.with(|errors| errors.iter().find(|(k, _)| k == key).map(|(_, message)| message.clone()))
    }

    pub fn first_error(self) -> Option<String> {
        self.errors.with(|errors| errors.first().map(|(_, message)| message.clone()))
    }

    /// Applies what was typed into the field `key`.
    pub fn set_field(self, key: &'static str, text: &str) {
        match page_state::with_field(&self.state.get_untracked(), key, text) {
            Ok(changed) => {
                // The fields it reset hold good values again.
                let reset = page_state::fields_reset_by(key);
                self.errors.update(|errors| errors.retain(|(k, _)| k != key && !reset.contains(&k.as_str())));
                page_address::write(&changed);
                self.state.set(changed);
            }
            Err(problem) => self.errors.update(|errors| {
                errors.retain(|(k, _)| k != key);
                errors.push((key.to_string(), problem.field_message()));
            }),
        }
    }
}
