//! A sweep's numbers from its measurements: speedup per k (median and
//! spread), efficiency, the ceiling the work allows, the Amdahl fit, the
//! Karp–Flatt metric, for requests the blocking fraction and the pool-sizing
//! rule, and the reading of it all in a sentence.

use crate::experiments::sweep::fit::{amdahl_ceiling, amdahl_serial_fraction, karp_flatt};
use crate::experiments::sweep::params::SweepOf;
use crate::lang::Said;
use crate::records::results::Figure;
use crate::records::run_stats::{ideal_makespan_ms, speedup};
use crate::records::units::format_ms;

/// One timed run of the sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    pub k: u32,
    /// Which round of the sweep (0-based): round r measures every k once.
    pub repetition: u32,
    pub makespan_ms: f64,
}

/// What the figures are computed from.
#[derive(Clone, Copy, Debug)]
pub struct SweepFacts<'a> {
    pub of: SweepOf,
    pub measurements: &'a [Measurement],
    /// Each task's time alone: for CPU as measured on one thread, for
    /// requests the latency the server was asked for. The ceiling comes from it.
    pub task_durations_ms: &'a [f64],
    /// `navigator.hardwareConcurrency`, where the browser says it.
    pub logical_processors: Option<u32>,
    /// Requests: the time spent awaiting the network and the time in
    /// tasks, summed over every request measured.
    pub waiting_and_task_ms: Option<(f64, f64)>,
    /// How many requests the browser keeps in flight to the server: six
    /// connections per host for one over the network, none for the
    /// service worker's (it answers without a connection).
    pub connections: Option<u32>,
}

/// The figures of one k.
#[derive(Clone, Debug, PartialEq)]
pub struct KFigures {
    pub k: u32,
    pub runs: usize,
    pub median_ms: f64,
    pub median_speedup: f64,
    pub min_speedup: f64,
    pub max_speedup: f64,
    /// Median speedup per worker.
    pub efficiency: f64,
    /// The best speedup the work allows k workers (for requests, at most
    /// six connections per host).
    pub ceiling: Option<f64>,
    /// `None` for k = 1.
    pub karp_flatt: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SweepFigures {
    /// The median makespan with one worker: every speedup's numerator.
    pub baseline_ms: f64,
    /// Ascending k, only those measured.
    pub per_k: Vec<KFigures>,
    pub amdahl_serial_fraction: Option<f64>,
    pub amdahl_ceiling: Option<f64>,
    /// Requests: time awaiting the network over time in tasks.
    pub blocking_fraction: Option<f64>,
    /// The notes' pool-sizing rule: logical processors / (1 − blocking fraction).
    pub rule_k: Option<f64>,
    /// The fewest workers within `BEST_WITHIN` of the highest median speedup.
    pub best_k: u32,
    pub logical_processors: Option<u32>,
    pub reading: Reading,
}

/// What the measurements say, as data; `said` words it.
#[derive(Clone, Debug, PartialEq)]
pub enum Reading {
    /// Requests stop gaining at the browser's connections per host
    /// (`at_k`: the first k measured at or past them).
    ConnectionsPerHost { connections: u32, at_k: u32, speedup_at: f64, best_past: f64 },
    /// CPU work stops gaining past the logical processors.
    PastProcessors { processors: u32, at_k: u32, speedup_at: f64, best_past: f64 },
    /// Karp–Flatt grows with k: overhead, not serial work.
    OverheadGrows { first_k: u32, first_e: f64, last_k: u32, last_e: f64 },
    /// Karp–Flatt stays near the fitted f: serial work, as Amdahl models it.
    SerialWork { serial_fraction: f64 },
    /// No k gained anything worth saying.
    NoGain { k: u32, speedup: f64 },
    /// None of the above: the best measured.
    Best { k: u32, speedup: f64 },
    /// Only one worker count measured: nothing to compare yet.
    OneK,
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        count if count % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

/// How many tasks can run at once with k workers on this work.
fn slots(facts: &SweepFacts<'_>, k: u32) -> u32 {
    facts.connections.map_or(k, |connections| k.min(connections))
}

/// `None` until a run with one worker is measured: without it there is no speedup.
pub fn sweep_figures(facts: &SweepFacts<'_>) -> Option<SweepFigures> {
    let makespans_of = |k: u32| -> Vec<f64> {
        facts.measurements.iter().filter(|m| m.k == k && m.makespan_ms > 0.0).map(|m| m.makespan_ms).collect()
    };
    let baseline_ms = median(&makespans_of(1))?;
    let mut ks: Vec<u32> = facts.measurements.iter().map(|m| m.k).collect();
    ks.sort_unstable();
    ks.dedup();
    let alone_ms = ideal_makespan_ms(facts.task_durations_ms, 1);
    let per_k: Vec<KFigures> = ks
        .iter()
        .filter_map(|&k| {
            let makespans = makespans_of(k);
            let speedups: Vec<f64> = makespans.iter().filter_map(|ms| speedup(baseline_ms, *ms)).collect();
            let median_speedup = median(&speedups)?;
            Some(KFigures {
                k,
                runs: makespans.len(),
                median_ms: median(&makespans)?,
                median_speedup,
                min_speedup: speedups.iter().copied().fold(f64::INFINITY, f64::min),
                max_speedup: speedups.iter().copied().fold(0.0, f64::max),
                efficiency: median_speedup / f64::from(k),
                ceiling: speedup(alone_ms, ideal_makespan_ms(facts.task_durations_ms, slots(facts, k))),
                karp_flatt: karp_flatt(k, median_speedup),
            })
        })
        .collect();
    let points: Vec<(u32, f64)> = per_k.iter().map(|k| (k.k, k.median_speedup)).collect();
    let amdahl_serial_fraction = amdahl_serial_fraction(&points);
    // The fewest workers within a few percent of the highest speedup: past
    // a plateau, more workers only add noise, not speed.
    let highest = per_k.iter().map(|k| k.median_speedup).fold(0.0, f64::max);
    let best = per_k.iter().find(|k| k.median_speedup >= highest * BEST_WITHIN)?;
    let blocking_fraction = facts
        .waiting_and_task_ms
        .filter(|(_, task_ms)| *task_ms > 0.0)
        .map(|(waiting_ms, task_ms)| (waiting_ms / task_ms).clamp(0.0, 1.0));
    let rule_k = match (blocking_fraction, facts.logical_processors) {
        (Some(blocking), Some(processors)) if blocking < 1.0 => {
            Some(f64::from(processors) / (1.0 - blocking))
        }
        _ => None,
    };
    Some(SweepFigures {
        baseline_ms,
        amdahl_ceiling: amdahl_serial_fraction.and_then(amdahl_ceiling),
        amdahl_serial_fraction,
        blocking_fraction,
        rule_k,
        best_k: best.k,
        logical_processors: facts.logical_processors,
        reading: reading(facts, &per_k, amdahl_serial_fraction),
        per_k,
    })
}

/// Past a limit, "nothing is gained" means within this factor of the
/// speedup at the limit: twice the workers past it would, unlimited, give
/// close to twice the speedup.
const FLAT_PAST_LIMIT: f64 = 1.2;
/// Below this best speedup, more workers gained nothing worth a reading.
const NO_GAIN: f64 = 1.1;
/// "Scaled up to the limit": a speedup of at least this share of it.
const REACHED_LIMIT: f64 = 0.5;
/// A k is as good as the best when its median speedup is within this share of it.
pub const BEST_WITHIN: f64 = 0.95;
/// Karp–Flatt values within this of each other are "constant".
const E_STEADY: f64 = 0.05;

fn reading(facts: &SweepFacts<'_>, per_k: &[KFigures], serial_fraction: Option<f64>) -> Reading {
    // The limit the work meets: the browser's connections for requests
    // over the network, the logical processors for CPU.
    let limit = match facts.of {
        SweepOf::Fetch => facts.connections,
        SweepOf::Cpu => facts.logical_processors,
    };
    if let Some(limit) = limit
        && let Some(at) = per_k.iter().find(|figures| figures.k >= limit)
        && let Some(best_past) =
            per_k.iter().filter(|figures| figures.k > at.k).map(|figures| figures.median_speedup).reduce(f64::max)
        // It scaled up to the limit (so the limit, not something else, is
        // what stops it), and gained little past it.
        && at.median_speedup >= REACHED_LIMIT * f64::from(limit)
        && best_past <= at.median_speedup * FLAT_PAST_LIMIT
    {
        let (at_k, speedup_at) = (at.k, at.median_speedup);
        return match facts.of {
            SweepOf::Fetch => Reading::ConnectionsPerHost { connections: limit, at_k, speedup_at, best_past },
            SweepOf::Cpu => Reading::PastProcessors { processors: limit, at_k, speedup_at, best_past },
        };
    }
    let best = per_k
        .iter()
        .filter(|figures| figures.k > 1)
        .max_by(|a, b| a.median_speedup.total_cmp(&b.median_speedup));
    if let Some(best) = best
        && best.median_speedup < NO_GAIN
    {
        return Reading::NoGain { k: best.k, speedup: best.median_speedup };
    }
    let metrics: Vec<(u32, f64)> =
        per_k.iter().filter_map(|figures| figures.karp_flatt.map(|e| (figures.k, e))).collect();
    if let (Some(&(first_k, first_e)), Some(&(last_k, last_e))) = (metrics.first(), metrics.last())
        && metrics.len() >= 2
    {
        if last_e - first_e > E_STEADY {
            return Reading::OverheadGrows { first_k, first_e, last_k, last_e };
        }
        let (low, high) = metrics
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), (_, e)| (low.min(*e), high.max(*e)));
        if let Some(serial_fraction) = serial_fraction
            && high - low <= E_STEADY
        {
            return Reading::SerialWork { serial_fraction };
        }
    }
    match best {
        Some(best) => Reading::Best { k: best.k, speedup: best.median_speedup },
        None => Reading::OneK,
    }
}

impl Reading {
    pub fn said(&self) -> Said {
        match *self {
            Reading::ConnectionsPerHost { connections, at_k, speedup_at, best_past } => Said::new(
                format!(
                    "Speedup stops at {connections} in flight ({speedup_at:.2}× at k = {at_k}; at most {best_past:.2}× \
                     beyond): the browser opens {connections} connections per host, and the other requests wait for \
                     one."
                ),
                format!(
                    "加速比在同时 {connections} 个请求时停止增长（k = {at_k} 时 {speedup_at:.2}×；再多也最多 \
                     {best_past:.2}×）：浏览器对同一主机只开 {connections} 个连接，其余请求要等待连接空出来。"
                ),
            ),
            Reading::PastProcessors { processors, at_k, speedup_at, best_past } => Said::new(
                format!(
                    "Past {processors} workers nothing is gained ({speedup_at:.2}× at k = {at_k}, at most \
                     {best_past:.2}× beyond): this machine has {processors} logical processors."
                ),
                format!(
                    "超过 {processors} 个工作线程后没有收益（k = {at_k} 时 {speedup_at:.2}×，再多也最多 \
                     {best_past:.2}×）：这台机器有 {processors} 个逻辑处理器。"
                ),
            ),
            Reading::OverheadGrows { first_k, first_e, last_k, last_e } => Said::new(
                format!(
                    "e grows with k (from {first_e:.3} at k = {first_k} to {last_e:.3} at k = {last_k}): the loss \
                     is overhead that grows with the workers, not serial work."
                ),
                format!(
                    "e 随 k 增大（k = {first_k} 时 {first_e:.3}，k = {last_k} 时 {last_e:.3}）：损失来自随工作线程\
                     增多的开销，而不是串行部分。"
                ),
            ),
            Reading::SerialWork { serial_fraction } => Said::new(
                format!(
                    "e stays near f = {serial_fraction:.3} for every k: the loss is serial work, as Amdahl's law \
                     models it."
                ),
                format!(
                    "对每个 k，e 都接近 f = {serial_fraction:.3}：损失来自串行部分，正如阿姆达尔定律所描述。"
                ),
            ),
            Reading::NoGain { k, speedup } => Said::new(
                format!(
                    "More workers gained nothing (at most {speedup:.2}× at k = {k}): something other than the \
                     number of workers sets the pace."
                ),
                format!(
                    "增加工作线程没有带来收益（最多 k = {k} 时 {speedup:.2}×）：决定速度的不是工作线程的数量。"
                ),
            ),
            Reading::Best { k, speedup } => Said::new(
                format!("The best speedup measured is {speedup:.2}× at k = {k}."),
                format!("测得的最大加速比是 k = {k} 时的 {speedup:.2}×。"),
            ),
            Reading::OneK => Said::new(
                "Only one worker count was measured: add more to ks to see a speedup.",
                "只测了一种工作线程数：在 ks 中多加几个，才能看到加速比。",
            ),
        }
    }
}

impl SweepFigures {
    /// "Download results" figures; lists follow `ks`.
    pub fn results(&self, repeat: u32) -> Vec<(&'static str, Figure)> {
        let list = |value: fn(&KFigures) -> Figure| Figure::List(self.per_k.iter().map(value).collect());
        let mut figures = vec![
            ("ks", list(|k| Figure::Number(f64::from(k.k)))),
            ("median_speedup", list(|k| Figure::Number(k.median_speedup))),
            ("min_speedup", list(|k| Figure::Number(k.min_speedup))),
            ("max_speedup", list(|k| Figure::Number(k.max_speedup))),
            ("efficiency", list(|k| Figure::Number(k.efficiency))),
            ("ceiling", list(|k| Figure::from(k.ceiling))),
            ("median_ms", list(|k| Figure::Number(k.median_ms))),
            ("amdahl_serial_fraction", Figure::from(self.amdahl_serial_fraction)),
            ("amdahl_ceiling", Figure::from(self.amdahl_ceiling)),
            ("karp_flatt", list(|k| Figure::from(k.karp_flatt))),
            ("repeat", Figure::Number(f64::from(repeat))),
            ("baseline_ms", Figure::Number(self.baseline_ms)),
            ("best_k", Figure::Number(f64::from(self.best_k))),
            ("logical_processors", Figure::from(self.logical_processors.map(f64::from))),
        ];
        if self.blocking_fraction.is_some() {
            figures.push(("blocking_fraction", Figure::from(self.blocking_fraction)));
            figures.push(("rule_k", Figure::from(self.rule_k)));
        }
        figures
    }
}

/// The table of every measurement as CSV: `k,run,makespan_ms,speedup`.
pub fn measurements_csv(measurements: &[Measurement], baseline_ms: Option<f64>) -> String {
    let mut csv = String::from("k,run,makespan_ms,speedup\n");
    for measurement in measurements {
        let speedup = baseline_ms
            .and_then(|baseline_ms| speedup(baseline_ms, measurement.makespan_ms))
            .map_or_else(String::new, |speedup| format!("{speedup:.4}"));
        csv.push_str(&format!(
            "{},{},{:.3},{speedup}\n",
            measurement.k,
            measurement.repetition + 1,
            measurement.makespan_ms
        ));
    }
    csv
}

/// "1.84 s, 1.02×".
pub fn measurement_text(measurement: &Measurement, baseline_ms: Option<f64>) -> String {
    match baseline_ms.and_then(|baseline_ms| speedup(baseline_ms, measurement.makespan_ms)) {
        Some(speedup) => format!("{}, {speedup:.2}×", format_ms(measurement.makespan_ms)),
        None => format_ms(measurement.makespan_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::sweep::fit::amdahl_speedup;
    use crate::lang::Lang;
    use expect_test::expect;

    /// Measurements whose speedups are `speedup(k)` exactly, `repeat` times.
    fn measured(ks: &[u32], speedup: impl Fn(u32) -> f64) -> Vec<Measurement> {
        let baseline_ms = 1200.0;
        (0..2)
            .flat_map(|repetition| {
                ks.iter().map(move |&k| Measurement { k, repetition, makespan_ms: baseline_ms })
            })
            .map(|m| Measurement { makespan_ms: m.makespan_ms / speedup(m.k), ..m })
            .collect()
    }

    fn read(of: SweepOf, ks: &[u32], speedup: impl Fn(u32) -> f64, processors: Option<u32>) -> String {
        let measurements = measured(ks, speedup);
        let facts = SweepFacts {
            of,
            measurements: &measurements,
            task_durations_ms: &[100.0; 24],
            logical_processors: processors,
            waiting_and_task_ms: None,
            connections: (of == SweepOf::Fetch).then_some(6),
        };
        match sweep_figures(&facts) {
            Some(figures) => {
                let said = figures.reading.said();
                format!("{:?}\n  {}\n  {}", figures.reading, said.get(Lang::En), said.get(Lang::ZhCn))
            }
            None => "no figures".to_string(),
        }
    }

    #[test]
    fn the_reading_picks_the_sentence_the_data_supports() {
        let connections = |k: u32| f64::from(k.min(6)) * 0.95;
        let processors = |k: u32| f64::from(k.min(2)) * 0.9;
        let overhead = |k: u32| f64::from(k) / (1.0 + 0.02 * f64::from(k * k));
        let amdahl = |k: u32| amdahl_speedup(0.1, f64::from(k));
        let cases = [
            read(SweepOf::Fetch, &[1, 2, 4, 6, 8, 12, 20, 40], connections, Some(2)),
            read(SweepOf::Fetch, &[1, 4, 8, 20, 40], connections, Some(2)),
            read(SweepOf::Fetch, &[1, 2, 6, 12], |_| 1.0, Some(2)),
            read(SweepOf::Cpu, &[1, 2, 3, 4], processors, Some(2)),
            read(SweepOf::Cpu, &[1, 4, 8], processors, Some(2)),
            read(SweepOf::Cpu, &[1, 2, 4, 8], overhead, Some(16)),
            read(SweepOf::Cpu, &[1, 2, 4, 8, 16], amdahl, Some(16)),
            read(SweepOf::Cpu, &[1, 2], |k| f64::from(k) * 0.9, Some(2)),
            read(SweepOf::Cpu, &[1], |_| 1.0, Some(2)),
            read(SweepOf::Cpu, &[2, 4], f64::from, Some(2)),
        ];
        expect![[r#"
            ConnectionsPerHost { connections: 6, at_k: 6, speedup_at: 5.999999999999999, best_past: 5.999999999999999 }
              Speedup stops at 6 in flight (6.00× at k = 6; at most 6.00× beyond): the browser opens 6 connections per host, and the other requests wait for one.
              加速比在同时 6 个请求时停止增长（k = 6 时 6.00×；再多也最多 6.00×）：浏览器对同一主机只开 6 个连接，其余请求要等待连接空出来。
            ConnectionsPerHost { connections: 6, at_k: 8, speedup_at: 5.999999999999999, best_past: 5.999999999999999 }
              Speedup stops at 6 in flight (6.00× at k = 8; at most 6.00× beyond): the browser opens 6 connections per host, and the other requests wait for one.
              加速比在同时 6 个请求时停止增长（k = 8 时 6.00×；再多也最多 6.00×）：浏览器对同一主机只开 6 个连接，其余请求要等待连接空出来。
            NoGain { k: 12, speedup: 1.0 }
              More workers gained nothing (at most 1.00× at k = 12): something other than the number of workers sets the pace.
              增加工作线程没有带来收益（最多 k = 12 时 1.00×）：决定速度的不是工作线程的数量。
            PastProcessors { processors: 2, at_k: 2, speedup_at: 2.0, best_past: 2.0 }
              Past 2 workers nothing is gained (2.00× at k = 2, at most 2.00× beyond): this machine has 2 logical processors.
              超过 2 个工作线程后没有收益（k = 2 时 2.00×，再多也最多 2.00×）：这台机器有 2 个逻辑处理器。
            PastProcessors { processors: 2, at_k: 4, speedup_at: 2.0, best_past: 2.0 }
              Past 2 workers nothing is gained (2.00× at k = 4, at most 2.00× beyond): this machine has 2 logical processors.
              超过 2 个工作线程后没有收益（k = 4 时 2.00×，再多也最多 2.00×）：这台机器有 2 个逻辑处理器。
            OverheadGrows { first_k: 2, first_e: 0.05882352941176494, last_k: 8, last_e: 0.17647058823529413 }
              e grows with k (from 0.059 at k = 2 to 0.176 at k = 8): the loss is overhead that grows with the workers, not serial work.
              e 随 k 增大（k = 2 时 0.059，k = 8 时 0.176）：损失来自随工作线程增多的开销，而不是串行部分。
            SerialWork { serial_fraction: 0.10000000000000002 }
              e stays near f = 0.100 for every k: the loss is serial work, as Amdahl's law models it.
              对每个 k，e 都接近 f = 0.100：损失来自串行部分，正如阿姆达尔定律所描述。
            Best { k: 2, speedup: 2.0 }
              The best speedup measured is 2.00× at k = 2.
              测得的最大加速比是 k = 2 时的 2.00×。
            OneK
              Only one worker count was measured: add more to ks to see a speedup.
              只测了一种工作线程数：在 ks 中多加几个，才能看到加速比。
            no figures"#]].assert_eq(&cases.join("\n"));
    }

    #[test]
    fn figures_follow_the_measurements() {
        let measurements = [
            Measurement { k: 1, repetition: 0, makespan_ms: 1000.0 },
            Measurement { k: 2, repetition: 0, makespan_ms: 600.0 },
            Measurement { k: 1, repetition: 1, makespan_ms: 1200.0 },
            Measurement { k: 2, repetition: 1, makespan_ms: 500.0 },
            Measurement { k: 1, repetition: 2, makespan_ms: 1100.0 },
            Measurement { k: 2, repetition: 2, makespan_ms: 550.0 },
        ];
        let facts = SweepFacts {
            of: SweepOf::Fetch,
            measurements: &measurements,
            task_durations_ms: &[100.0; 3],
            logical_processors: Some(2),
            waiting_and_task_ms: Some((990.0, 1000.0)),
            connections: Some(6),
        };
        let figures = sweep_figures(&facts).map(|figures| {
            let results: Vec<String> =
                figures.results(3).iter().map(|(name, figure)| format!("{name}: {figure:?}")).collect();
            results.join("\n")
        });
        expect![[r#"
            ks: List([Number(1.0), Number(2.0)])
            median_speedup: List([Number(1.0), Number(2.0)])
            min_speedup: List([Number(0.9166666666666666), Number(1.8333333333333333)])
            max_speedup: List([Number(1.1), Number(2.2)])
            efficiency: List([Number(1.0), Number(1.0)])
            ceiling: List([Number(1.0), Number(1.5)])
            median_ms: List([Number(1100.0), Number(550.0)])
            amdahl_serial_fraction: Number(0.0)
            amdahl_ceiling: Missing
            karp_flatt: List([Missing, Number(0.0)])
            repeat: Number(3.0)
            baseline_ms: Number(1100.0)
            best_k: Number(2.0)
            logical_processors: Number(2.0)
            blocking_fraction: Number(0.99)
            rule_k: Number(199.99999999999983)"#]]
        .assert_eq(&figures.unwrap_or_default());
        expect![[r#"
            k,run,makespan_ms,speedup
            1,1,1000.000,1.1000
            2,1,600.000,1.8333
        "#]]
        .assert_eq(&measurements_csv(&measurements[..2], Some(1100.0)));
    }
}
