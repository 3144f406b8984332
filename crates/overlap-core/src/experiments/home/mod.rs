//! The front page (`?exp=home`): the map of every experiment and what this
//! browser can do. It takes no parameters.

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::QueryProblem;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HomeParams;

impl ExperimentParams for HomeParams {
    const KEY: &'static str = "home";
    const KEYS: &'static [&'static str] = &[];
    const RUNS: bool = false;

    fn apply(&mut self, _key: &'static str, _value: &str) -> Result<(), QueryProblem> {
        Ok(())
    }

    fn encode(&self, _pairs: &mut Vec<(&'static str, String)>) {}

    fn card() -> Option<Card<Self>> {
        None
    }
}
