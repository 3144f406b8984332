//! The one list of experiments. Adding an experiment is its two folders
//! (`experiments/<name>/` here and in the app), one line below, and its
//! messages in both languages; everything that walks experiments (decoding,
//! encoding, the front page's cards, the navigation) walks this list.

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::QueryProblem;
use crate::experiments::{
    asyncio, cpu, deadlock, fetch, futures, home, load, lockstep, queue, race, sweep, thread_local,
    timeline_demo,
};

macro_rules! registry {
    ($($variant:ident => $params:ty),* $(,)?) => {
        /// Which experiment the page shows, with its parameters.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Experiment {
            $($variant($params)),*
        }

        $(
            impl From<$params> for Experiment {
                fn from(params: $params) -> Self {
                    Experiment::$variant(params)
                }
            }

            impl TryFrom<Experiment> for $params {
                type Error = Experiment;

                fn try_from(experiment: Experiment) -> Result<Self, Experiment> {
                    match experiment {
                        Experiment::$variant(params) => Ok(params),
                        #[allow(unreachable_patterns)]
                        other => Err(other),
                    }
                }
            }
        )*

        impl Experiment {
            /// Every value of `exp`, in the registry's order.
            pub fn keys() -> Vec<&'static str> {
                vec![$(<$params as ExperimentParams>::KEY),*]
            }

            /// The experiment `exp=key` names, with default parameters.
            pub fn named(key: &str) -> Option<Experiment> {
                $(if key == <$params as ExperimentParams>::KEY {
                    return Some(Experiment::$variant(<$params>::default()));
                })*
                None
            }

            /// Its value of `exp`.
            pub fn key(&self) -> &'static str {
                match self { $(Experiment::$variant(_) => <$params as ExperimentParams>::KEY),* }
            }

            /// The keys its parameters take.
            pub fn own_keys(&self) -> &'static [&'static str] {
                match self { $(Experiment::$variant(_) => <$params as ExperimentParams>::KEYS),* }
            }

            pub fn first_keys(&self) -> &'static [&'static str] {
                match self { $(Experiment::$variant(_) => <$params as ExperimentParams>::FIRST_KEYS),* }
            }

            pub fn runs(&self) -> bool {
                match self { $(Experiment::$variant(_) => <$params as ExperimentParams>::RUNS),* }
            }

            pub fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
                match self { $(Experiment::$variant(params) => params.apply(key, value)),* }
            }

            pub fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
                match self { $(Experiment::$variant(params) => params.encode(pairs)),* }
            }

            pub fn fields_reset_by(&self, key: &str) -> &'static [&'static str] {
                match self { $(Experiment::$variant(_) => <$params as ExperimentParams>::fields_reset_by(key)),* }
            }

            /// Every experiment's card, in the order of the suggested path.
            pub fn cards() -> Vec<Card<Experiment>> {
                let mut cards: Vec<Card<Experiment>> = Vec::new();
                $(if let Some(card) = <$params as ExperimentParams>::card() {
                    let Card { title, summary, lesson, idea, step, ready } = card;
                    cards.push(Card { title, summary, lesson, idea, step, ready: Experiment::$variant(ready) });
                })*
                cards.sort_by_key(|card| card.step);
                cards
            }
        }
    };
}

registry! {
    Home => home::HomeParams,
    Cpu => cpu::CpuParams,
    Fetch => fetch::FetchParams,
    Futures => futures::FuturesParams,
    Asyncio => asyncio::AsyncioParams,
    Race => race::RaceParams,
    Lockstep => lockstep::LockstepParams,
    Deadlock => deadlock::DeadlockParams,
    ThreadLocal => thread_local::ThreadLocalParams,
    Queue => queue::QueueParams,
    Sweep => sweep::SweepParams,
    Load => load::LoadParams,
    TimelineDemo => timeline_demo::TimelineDemoParams,
}

impl Default for Experiment {
    fn default() -> Self {
        Experiment::Home(home::HomeParams)
    }
}
