//! Deterministic traces for the timeline (`?exp=timeline-demo&fixture=`):
//! tests and screenshots that do not depend on how fast this machine is,
//! and a large trace to see that drawing stays smooth.

use strum::{IntoStaticStr, VariantArray};

use crate::lang::{Lang, Words};
use crate::records::run_stats::ideal_schedule;
use crate::records::span::{Span, SpanState};
use crate::records::units::format_count;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum Fixture {
    /// Eight unequal tasks, sequential above and on four workers below.
    #[default]
    #[strum(serialize = "compare")]
    Compare,
    /// Twelve requests of 100 ms on six connections.
    #[strum(serialize = "fetch")]
    Fetch,
    /// 10,000 spans on eight lanes.
    #[strum(serialize = "spans-10k")]
    Spans10k,
    /// 100,000 spans on eight lanes: usable, if not as smooth.
    #[strum(serialize = "spans-100k")]
    Spans100k,
}

/// A run of a fixture: its title, spans and lane names.
pub struct FixtureRun {
    pub title: String,
    pub spans: Vec<Span>,
    pub lane_names: Vec<String>,
}

impl Fixture {
    pub fn runs(self, lang: Lang) -> Vec<FixtureRun> {
        let lanes = |prefix: Words, count: u32| {
            (1..=count).map(|lane| format!("{} {lane}", prefix.get(lang))).collect()
        };
        let thread = Words::new("thread", "线程");
        match self {
            Fixture::Compare => {
                let durations_ms = [40.0, 35.0, 50.0, 30.0, 45.0, 38.0, 42.0, 36.0];
                vec![
                    FixtureRun {
                        title: Words::new("1. Sequential, 1 worker", "1. 顺序执行，1 个工作线程")
                            .get(lang)
                            .to_string(),
                        spans: ideal_schedule(&durations_ms, 1),
                        lane_names: lanes(thread, 1),
                    },
                    FixtureRun {
                        title: Words::new("2. Threads, 4 workers", "2. 多线程，4 个工作线程")
                            .get(lang)
                            .to_string(),
                        spans: ideal_schedule(&durations_ms, 4),
                        lane_names: lanes(thread, 4),
                    },
                ]
            }
            Fixture::Fetch => {
                let spans = ideal_schedule(&[100.0; 12], 6)
                    .into_iter()
                    .flat_map(|span| {
                        let first_byte_ms = span.start_ms + 0.9 * span.duration_ms();
                        [
                            Span { state: SpanState::Waiting, end_ms: first_byte_ms, ..span },
                            Span { state: SpanState::Downloading, start_ms: first_byte_ms, ..span },
                        ]
                    })
                    .collect();
                vec![FixtureRun {
                    title: Words::new("1. Gather, 12 requests", "1. 全部并发（gather），12 个请求")
                        .get(lang)
                        .to_string(),
                    spans,
                    lane_names: lanes(Words::new("slot", "槽位"), 6),
                }]
            }
            Fixture::Spans10k => vec![many_tasks(10_000, lang, lanes(thread, 8))],
            Fixture::Spans100k => vec![many_tasks(100_000, lang, lanes(thread, 8))],
        }
    }
}

/// `tasks` tasks of 0.05 to 2 ms on eight workers.
fn many_tasks(tasks: usize, lang: Lang, lane_names: Vec<String>) -> FixtureRun {
    // A fixed linear congruential sequence: the same trace every time.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let durations_ms: Vec<f64> = (0..tasks)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            0.05 + (seed >> 40) as f64 / (1u64 << 24) as f64 * 2.0
        })
        .collect();
    FixtureRun {
        title: match lang {
            Lang::En => format!("1. Threads, 8 workers, {} tasks", format_count(tasks)),
            Lang::ZhCn => format!("1. 多线程，8 个工作线程，{} 个任务", format_count(tasks)),
        },
        spans: ideal_schedule(&durations_ms, 8),
        lane_names,
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::records::span::overlapping_on_a_lane;

    #[test]
    fn fixtures_are_what_they_say() {
        let counts: Vec<(usize, usize)> = Fixture::VARIANTS
            .iter()
            .map(|fixture| {
                let runs = fixture.runs(Lang::En);
                (runs.len(), runs.iter().map(|run| run.spans.len()).sum())
            })
            .collect();
        assert_eq!(counts, [(2, 16), (1, 24), (1, 10_000), (1, 100_000)]);
        for fixture in Fixture::VARIANTS {
            for run in fixture.runs(Lang::ZhCn) {
                assert_eq!(overlapping_on_a_lane(&run.spans), None, "{}", run.title);
            }
        }
    }
}
