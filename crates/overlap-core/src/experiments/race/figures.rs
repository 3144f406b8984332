//! A race run's numbers: what the shared value should have ended at, what
//! it did, how many updates were lost, how long it took, and what
//! correctness cost against the unprotected run of the same size.

use crate::experiments::race::variant::Variant;
use crate::records::results::Figure;

/// What a finished run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceFacts {
    pub variant: Variant,
    pub threads: u32,
    pub increments: u32,
    /// The shared value when every thread had finished.
    pub final_value: i64,
    /// From the moment every thread was released to the last one's end.
    pub time_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceFigures {
    pub expected: i64,
    pub final_value: i64,
    /// Counters only: how many of the k·m increments did not count.
    pub lost_updates: Option<i64>,
    /// `lost_updates` over k·m.
    pub lost_share: Option<f64>,
    /// The bank only: how far the balance ended from 0.
    pub balance_error: Option<i64>,
    pub time_ms: f64,
    /// Time over every update the threads made (the bank makes two per round).
    pub ns_per_update: f64,
    /// This run's time over the unprotected run's of the same threads and size.
    pub cost_vs_unsafe: Option<f64>,
}

/// The figures of `facts`, against `unsafe_time_ms`, the time of an
/// unprotected run of the same threads and size, if there is one.
pub fn race_figures(facts: RaceFacts, unsafe_time_ms: Option<f64>) -> RaceFigures {
    let RaceFacts { variant, threads, increments, final_value, time_ms } = facts;
    let expected = variant.expected_final(threads, increments);
    let lost_updates = variant.counts().then_some(expected - final_value);
    let updates_per_round = if variant.counts() { 1.0 } else { 2.0 };
    let updates = f64::from(threads) * f64::from(increments) * updates_per_round;
    RaceFigures {
        expected,
        final_value,
        lost_updates,
        lost_share: lost_updates.filter(|_| expected > 0).map(|lost| lost as f64 / expected as f64),
        balance_error: (!variant.counts()).then_some(final_value - expected),
        time_ms,
        ns_per_update: if updates > 0.0 { time_ms * 1e6 / updates } else { 0.0 },
        cost_vs_unsafe: unsafe_time_ms
            .filter(|unsafe_ms| *unsafe_ms > 0.0 && variant != Variant::Unsafe)
            .map(|unsafe_ms| time_ms / unsafe_ms),
    }
}

impl RaceFigures {
    /// The figures as "Download results" names them.
    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        let whole = |value: i64| Figure::Number(value as f64);
        vec![
            ("expected", whole(self.expected)),
            ("final", whole(self.final_value)),
            ("lost_updates", self.lost_updates.map_or(Figure::Missing, whole)),
            ("lost_share", self.lost_share.into()),
            ("balance_error", self.balance_error.map_or(Figure::Missing, whole)),
            ("time_ms", self.time_ms.into()),
            ("ns_per_update", self.ns_per_update.into()),
            ("cost_vs_unsafe", self.cost_vs_unsafe.into()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::lang::Lang;
    use crate::records::results::{ResultsFile, ResultsRun, results_json};

    #[test]
    fn counts_what_was_lost_and_what_correctness_cost() {
        let facts = |variant, final_value, time_ms| RaceFacts {
            variant,
            threads: 2,
            increments: 1000,
            final_value,
            time_ms,
        };
        let runs = [
            race_figures(facts(Variant::Unsafe, 1500, 2.0), Some(2.0)),
            race_figures(facts(Variant::Lock, 2000, 10.0), Some(2.0)),
            race_figures(facts(Variant::Atomic, 2000, 4.0), None),
            race_figures(facts(Variant::Bank, -13, 8.0), Some(2.0)),
        ];
        let file = ResultsFile {
            address: "?exp=race".to_string(),
            experiment: "race",
            lang: Lang::En,
            runs: runs
                .iter()
                .enumerate()
                .map(|(index, figures)| ResultsRun {
                    title: format!("{}", index + 1),
                    params: Vec::new(),
                    complete: true,
                    figures: figures.results(),
                })
                .collect(),
        };
        expect![[r#"
            {"overlap": 1, "address": "?exp=race", "experiment": "race", "lang": "en", "runs": [
                {"title": "1", "params": {}, "complete": true, "figures": {"expected": 2000, "final": 1500, "lost_updates": 500, "lost_share": 0.25, "balance_error": null, "time_ms": 2, "ns_per_update": 1000, "cost_vs_unsafe": null}},
                {"title": "2", "params": {}, "complete": true, "figures": {"expected": 2000, "final": 2000, "lost_updates": 0, "lost_share": 0, "balance_error": null, "time_ms": 10, "ns_per_update": 5000, "cost_vs_unsafe": 5}},
                {"title": "3", "params": {}, "complete": true, "figures": {"expected": 2000, "final": 2000, "lost_updates": 0, "lost_share": 0, "balance_error": null, "time_ms": 4, "ns_per_update": 2000, "cost_vs_unsafe": null}},
                {"title": "4", "params": {}, "complete": true, "figures": {"expected": 0, "final": -13, "lost_updates": null, "lost_share": null, "balance_error": -13, "time_ms": 8, "ns_per_update": 2000, "cost_vs_unsafe": 4}}
            ]}
        "#]].assert_eq(&results_json(&file));
    }
}
