//! What every experiment declares to the address: its key (`exp=`), its own
//! parameters (their keys, decoding with problems, encoding), and its card
//! for the front page. The registry (`registry.rs`) lists them; the page
//! state delegates to them.

use std::fmt::Debug;

use crate::address::problem::QueryProblem;
use crate::lang::Words;

pub trait ExperimentParams: Clone + Debug + Default + PartialEq + 'static {
    /// Its value of `exp`.
    const KEY: &'static str;
    /// Its own keys, in the order the address writes them.
    const KEYS: &'static [&'static str];
    /// Keys read before the others because they decide what the others mean
    /// (a CPU workload decides the bounds of its size).
    const FIRST_KEYS: &'static [&'static str] = &[];
    /// Whether the page runs something, so that `run=1` means something.
    const RUNS: bool = true;

    /// Sets one parameter from its text.
    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem>;

    /// Its parameters as address pairs; defaults may be left out.
    fn encode(&self, pairs: &mut Vec<(&'static str, String)>);

    /// The fields a change of `key` sets back to their defaults (their old
    /// values, and any message about them, no longer apply).
    fn fields_reset_by(_key: &str) -> &'static [&'static str] {
        &[]
    }

    /// How the front page and the navigation show it; `None` for a page that
    /// is no experiment (the front page itself).
    fn card() -> Option<Card<Self>>;
}

/// An experiment as the front page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Card<P> {
    pub title: Words,
    /// What it runs, in a sentence.
    pub summary: Words,
    /// What it teaches, in one sentence.
    pub lesson: Words,
    /// The notes' idea it comes from.
    pub idea: Words,
    /// Its place on the suggested path, in the notes' order.
    pub step: u8,
    /// The parameters its link opens with, ready to run.
    pub ready: P,
}
