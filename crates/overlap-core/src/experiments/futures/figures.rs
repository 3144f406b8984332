//! A futures run's numbers, as "Download results" writes them.

use crate::experiments::futures::executor::FutureRecord;
use crate::experiments::futures::program::Program;
use crate::records::results::Figure;

#[derive(Clone, Debug, PartialEq)]
pub struct FuturesFigures {
    /// Every line printed, in order.
    pub log: Vec<String>,
    /// Each future's final state (`finished`, `cancelled`, …).
    pub states: Vec<&'static str>,
    /// Each future's result or exception, as printed (empty if none).
    pub outcomes: Vec<String>,
    /// The lines are CPython's for the same program; `None` for the
    /// sandbox, whose calls no one wrote down before.
    pub printed_as_python: Option<bool>,
    pub time_ms: f64,
}

impl FuturesFigures {
    pub fn of(program: &Program, expected: Option<&[String]>, time_ms: f64) -> Self {
        let log: Vec<String> = program.log.iter().map(|line| line.text.clone()).collect();
        let futures = program.executor.futures();
        FuturesFigures {
            printed_as_python: expected.map(|expected| expected == log.as_slice()),
            log,
            states: futures.iter().map(|record| record.state.name()).collect(),
            outcomes: futures.iter().map(FutureRecord::outcome_text).collect(),
            time_ms,
        }
    }

    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        let texts = |items: Vec<String>| Figure::List(items.into_iter().map(Figure::Text).collect());
        vec![
            ("log", texts(self.log.clone())),
            ("states", texts(self.states.iter().map(|state| state.to_string()).collect())),
            ("outcomes", texts(self.outcomes.clone())),
            ("printed_as_python", self.printed_as_python.map_or(Figure::Missing, Figure::Bool)),
            ("time_ms", self.time_ms.into()),
        ]
    }
}
