//! An experiment's parameter form: the page state it edits, and the
//! message next to each field whose text could not be used. A bad value
//! keeps its text in the field and the last good value in the state; a good
//! one goes into the state and the address. Problems are kept as data and
//! worded when shown, so a language switch rewords them.

use leptos::prelude::*;
use overlap_core::address::page_state::{self, PageState};
use overlap_core::address::problem::QueryProblem;
use overlap_core::lang::Lang;

use crate::address::page_address;

/// A field's problem: from the address (worded in full, saying what is used
/// instead) or typed into the form (the value stays in the field).
#[derive(Clone, Debug, PartialEq)]
struct FieldError {
    key: String,
    problem: QueryProblem,
    from_address: bool,
}

impl FieldError {
    fn message(&self, lang: Lang) -> String {
        if self.from_address { self.problem.message(lang) } else { self.problem.field_message(lang) }
    }
}

#[derive(Clone, Copy)]
pub struct ParamForm {
    pub state: RwSignal<PageState>,
    errors: RwSignal<Vec<FieldError>>,
    /// Bumped when every field is set at once (a preset), so that a field
    /// still showing rejected text shows its value again, though the value
    /// itself did not change.
    revision: RwSignal<u32>,
}

impl ParamForm {
    /// Starts from the decoded address; its problems with the experiment's
    /// own keys show next to their fields.
    pub fn new(initial: PageState, problems: &[QueryProblem]) -> Self {
        let keys = initial.form_keys();
        let errors = problems
            .iter()
            .filter(|problem| keys.contains(&problem.key()))
            .map(|problem| FieldError {
                key: problem.key().to_string(),
                problem: problem.clone(),
                from_address: true,
            })
            .collect();
        ParamForm { state: RwSignal::new(initial), errors: RwSignal::new(errors), revision: RwSignal::new(0) }
    }

    pub fn error_for(self, key: &str, lang: Lang) -> Option<String> {
        self.errors
            .with(|errors| errors.iter().find(|error| error.key == key).map(|error| error.message(lang)))
    }

    pub fn first_error(self, lang: Lang) -> Option<String> {
        self.errors.with(|errors| errors.first().map(|error| error.message(lang)))
    }

    /// Replaces every parameter (a preset): no field holds a bad value after.
    pub fn set_experiment(self, experiment: overlap_core::address::registry::Experiment) {
        let mut changed = self.state.get_untracked();
        changed.experiment = experiment;
        self.errors.set(Vec::new());
        page_address::write(&changed);
        self.state.set(changed);
        self.revision.update(|revision| *revision += 1);
    }

    /// Makes a field's shown value follow `set_experiment` too.
    pub fn track_revision(self) {
        self.revision.track();
    }

    /// Applies what was typed into the field `key`.
    pub fn set_field(self, key: &'static str, text: &str) {
        let state = self.state.get_untracked();
        match page_state::with_field(&state, key, text) {
            Ok(changed) => {
                // The fields it reset hold good values again.
                let reset = page_state::fields_reset_by(&state, key);
                self.errors.update(|errors| {
                    errors.retain(|error| error.key != key && !reset.contains(&error.key.as_str()))
                });
                page_address::write(&changed);
                self.state.set(changed);
            }
            Err(problem) => self.errors.update(|errors| {
                errors.retain(|error| error.key != key);
                errors.push(FieldError { key: key.to_string(), problem, from_address: false });
            }),
        }
    }
}
