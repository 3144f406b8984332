//! The report of a load run, in the layout load testers use (oha, hey,
//! vegeta, k6): success rate, totals, fastest, slowest, average,
//! requests per second, bytes, percentiles from the HDR histogram, status
//! and error counts; the notes' figures (average, maximum minus average);
//! Little's law; and the files: the results' figures, requests per second
//! and the histogram as CSV.

use std::collections::BTreeMap;

use strum::VariantArray;

use crate::experiments::load::recorder::{BIN_MS, Bin, ErrorKind, LoadRecorder};
use crate::lang::Lang;
use crate::records::results::Figure;

/// The percentiles reported, as load testers list them.
pub const PERCENTILES: [(f64, &str); 9] = [
    (10.0, "p10"),
    (25.0, "p25"),
    (50.0, "p50"),
    (75.0, "p75"),
    (90.0, "p90"),
    (95.0, "p95"),
    (99.0, "p99"),
    (99.9, "p99.9"),
    (99.99, "p99.99"),
];

/// The most bars the latency histogram is drawn with.
const MAX_BUCKETS: usize = 40;

/// What a run measured, summed up; latencies in ms.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadSummary {
    /// Whether only successful answers are counted in the latencies.
    pub ok_only: bool,
    pub sent: u64,
    /// Answered, with a status or an error.
    pub answered: u64,
    pub ok: u64,
    pub stopped: u64,
    pub success_rate: Option<f64>,
    /// From the first request sent to the last answer.
    pub total_ms: f64,
    pub fastest_ms: Option<f64>,
    pub slowest_ms: Option<f64>,
    pub mean_ms: Option<f64>,
    pub max_minus_mean_ms: Option<f64>,
    pub requests_per_s: Option<f64>,
    pub bytes: u64,
    pub percentiles: Vec<(&'static str, f64)>,
    pub statuses: BTreeMap<u16, u64>,
    pub errors: BTreeMap<ErrorKind, u64>,
    /// Little's law: L (time-average in flight) and λ × W.
    pub in_flight_mean: Option<f64>,
    pub rate_times_time: Option<f64>,
    pub max_in_flight: u32,
    /// Of L: at the server, and elsewhere (the browser's queue, the wire).
    pub at_server_mean: Option<f64>,
    pub elsewhere_mean: Option<f64>,
    /// The open model: how late the page sent, mean and largest (ms).
    pub send_lag_ms: Option<(f64, f64)>,
}

impl LoadSummary {
    pub fn littles_law_ratio(&self) -> Option<f64> {
        match (self.in_flight_mean, self.rate_times_time) {
            (Some(l), Some(rate_times_time)) if rate_times_time > 0.0 => Some(l / rate_times_time),
            _ => None,
        }
    }

    pub fn percentile_ms(&self, label: &str) -> Option<f64> {
        self.percentiles.iter().find(|(name, _)| *name == label).map(|(_, ms)| *ms)
    }
}

pub fn summarize(recorder: &LoadRecorder, ok_only: bool) -> LoadSummary {
    let histogram = recorder.histogram(ok_only);
    let extremes = recorder.latency_extremes(ok_only);
    let total_ms = recorder.window_ms();
    let percentiles = if histogram.is_empty() {
        Vec::new()
    } else {
        PERCENTILES
            .iter()
            .map(|&(percent, label)| {
                // The top of the value's bucket (hdrhistogram reports so): a
                // percentile is never lower than what was measured, within
                // the three digits kept.
                let us = histogram.value_at_percentile(percent);
                let ms = us as f64 / 1_000.0;
                // Never past the exact slowest answer.
                (label, extremes.map_or(ms, |(_, _, slowest)| ms.min(slowest)))
            })
            .collect()
    };
    let littles_law = recorder.littles_law();
    let at_server = recorder.at_server_and_elsewhere();
    let counted = if ok_only { recorder.ok } else { recorder.answered };
    LoadSummary {
        ok_only,
        sent: recorder.sent,
        answered: recorder.answered,
        ok: recorder.ok,
        stopped: recorder.stopped,
        success_rate: (recorder.answered > 0).then(|| recorder.ok as f64 / recorder.answered as f64),
        total_ms,
        fastest_ms: extremes.map(|(_, fastest, _)| fastest),
        slowest_ms: extremes.map(|(_, _, slowest)| slowest),
        mean_ms: extremes.map(|(mean, _, _)| mean),
        max_minus_mean_ms: extremes.map(|(mean, _, slowest)| slowest - mean),
        requests_per_s: (total_ms > 0.0).then(|| counted as f64 / (total_ms / 1_000.0)),
        bytes: if ok_only { recorder.ok_bytes } else { recorder.bytes },
        percentiles,
        statuses: recorder.statuses.clone(),
        errors: recorder.errors.clone(),
        in_flight_mean: littles_law.map(|(l, _)| l),
        rate_times_time: littles_law.map(|(_, rate_times_time)| rate_times_time),
        max_in_flight: recorder.max_in_flight(),
        at_server_mean: at_server.map(|(at_server, _)| at_server),
        elsewhere_mean: at_server.map(|(_, elsewhere)| elsewhere),
        send_lag_ms: recorder.send_lag_ms(),
    }
}

/// "Download results" figures (the README lists them), from the summary of
/// every answer.
pub fn results_figures(summary: &LoadSummary) -> Vec<(&'static str, Figure)> {
    let count = |count: u64| Figure::Number(count as f64);
    let status = summary.statuses.iter().map(|(status, n)| (status.to_string(), count(*n))).collect();
    let errors = ErrorKind::VARIANTS
        .iter()
        .map(|kind| {
            (<&'static str>::from(*kind).to_string(), count(summary.errors.get(kind).copied().unwrap_or(0)))
        })
        .collect();
    vec![
        ("requests", count(summary.answered)),
        ("sent", count(summary.sent)),
        ("stopped", count(summary.stopped)),
        ("ok", count(summary.ok)),
        ("status", Figure::Object(status)),
        ("errors", Figure::Object(errors)),
        ("rps", summary.requests_per_s.into()),
        ("total_ms", summary.total_ms.into()),
        ("fastest_ms", summary.fastest_ms.into()),
        ("slowest_ms", summary.slowest_ms.into()),
        ("mean_ms", summary.mean_ms.into()),
        ("max_minus_mean_ms", summary.max_minus_mean_ms.into()),
        ("p50_ms", summary.percentile_ms("p50").into()),
        ("p90_ms", summary.percentile_ms("p90").into()),
        ("p99_ms", summary.percentile_ms("p99").into()),
        ("p999_ms", summary.percentile_ms("p99.9").into()),
        ("bytes", count(summary.bytes)),
        ("in_flight_mean", summary.in_flight_mean.into()),
        ("littles_law_ratio", summary.littles_law_ratio().into()),
    ]
}

/// One bar of the latency histogram: answers with a latency in
/// `[from_ms, to_ms)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    pub from_ms: f64,
    pub to_ms: f64,
    pub count: u64,
}

/// The histogram as at most 40 bars of equal width on a log axis, from the
/// fastest answer's bucket to the slowest's. Every recorded value falls in
/// exactly one bar.
pub fn histogram_buckets(recorder: &LoadRecorder, ok_only: bool) -> Vec<Bucket> {
    let histogram = recorder.histogram(ok_only);
    if histogram.is_empty() {
        return Vec::new();
    }
    let low_us = histogram.lowest_equivalent(histogram.min()).max(1) as f64;
    let high_us = histogram.highest_equivalent(histogram.max()) as f64 + 1.0;
    // Four bars a doubling, fewer where the range is wide.
    let doublings = (high_us / low_us).log2().max(0.25);
    let count = ((doublings * 4.0).ceil() as usize).clamp(1, MAX_BUCKETS);
    let ratio = (high_us / low_us).powf(1.0 / count as f64);
    let edge_us = |index: usize| if index == count { high_us } else { low_us * ratio.powi(index as i32) };
    let mut buckets: Vec<Bucket> = (0..count)
        .map(|index| Bucket {
            from_ms: edge_us(index) / 1_000.0,
            to_ms: edge_us(index + 1) / 1_000.0,
            count: 0,
        })
        .collect();
    for value in histogram.iter_recorded() {
        let us = value.value_iterated_to() as f64;
        let index = (((us / low_us).ln() / ratio.ln()).floor().max(0.0) as usize).min(count - 1);
        buckets[index].count += value.count_at_value() as u64;
    }
    buckets
}

/// `from_ms,to_ms,count`, one line a bar.
pub fn histogram_csv(buckets: &[Bucket]) -> String {
    let mut csv = String::from("from_ms,to_ms,count\n");
    for bucket in buckets {
        csv.push_str(&format!("{:.3},{:.3},{}\n", bucket.from_ms, bucket.to_ms, bucket.count));
    }
    csv
}

/// One second of the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Second {
    pub second: usize,
    pub sent: u32,
    pub answered: u32,
    pub ok: u32,
    pub in_flight_mean: f64,
}

/// The run's first second alone, from its first bins.
pub fn first_second(bins: &[Bin]) -> Option<Second> {
    let bins_per_second = (1_000.0 / BIN_MS) as usize;
    per_second(&bins[..bins.len().min(bins_per_second)]).into_iter().next()
}

/// The run second by second, from its bins. The last second may be cut
/// short: its mean in flight is over the bins it has.
pub fn per_second(bins: &[Bin]) -> Vec<Second> {
    let bins_per_second = (1_000.0 / BIN_MS) as usize;
    bins.chunks(bins_per_second)
        .enumerate()
        .map(|(second, bins)| Second {
            second,
            sent: bins.iter().map(|bin| bin.sent).sum(),
            answered: bins.iter().map(|bin| bin.answered).sum(),
            ok: bins.iter().map(|bin| bin.ok).sum(),
            in_flight_mean: bins.iter().map(|bin| bin.in_flight_area).sum::<f64>()
                / (bins.len() as f64 * BIN_MS),
        })
        .collect()
}

/// `second,sent,answered,ok,in_flight_mean`: the requests per second.
pub fn per_second_csv(seconds: &[Second]) -> String {
    let mut csv = String::from("second,sent,answered,ok,in_flight_mean\n");
    for second in seconds {
        csv.push_str(&format!(
            "{},{},{},{},{:.3}\n",
            second.second, second.sent, second.answered, second.ok, second.in_flight_mean
        ));
    }
    csv
}

/// "2 of 3 answered (66.7%)": a status or error row's share.
pub fn share_text(count: u64, of: u64, lang: Lang) -> String {
    let percent = if of == 0 { 0.0 } else { count as f64 / of as f64 * 100.0 };
    match lang {
        Lang::En => format!("{count} ({percent:.1}%)"),
        Lang::ZhCn => format!("{count}（{percent:.1}%）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::load::recorder::{Answer, Ending};
    use crate::records::percentile::percentile;
    use proptest::prelude::*;

    fn recorded(latencies_ms: &[f64]) -> LoadRecorder {
        // Events come in time order, as on the page: every request sent at
        // 0, then the answers as they end.
        let mut recorder = LoadRecorder::new().expect("a histogram");
        for index in 0..latencies_ms.len() {
            recorder.sent(index as u32, 0, 0.0, 0.0);
        }
        let mut ending: Vec<(usize, f64)> = latencies_ms.iter().copied().enumerate().collect();
        ending.sort_by(|a, b| a.1.total_cmp(&b.1));
        for (index, latency_ms) in ending {
            let index = index as u32;
            recorder.answered(&Answer {
                index,
                due_ms: 0.0,
                sent_ms: 0.0,
                end_ms: latency_ms,
                ending: if index % 4 == 3 { Ending::Status(500) } else { Ending::Status(200) },
                bytes: 1,
                server_queue_ms: None,
                server_work_ms: None,
            });
        }
        recorder
    }

    proptest! {
        #[test]
        fn percentiles_match_exact_ones_within_the_histograms_precision(
            latencies in proptest::collection::vec(0.01f64..60_000.0, 1..400),
        ) {
            let summary = summarize(&recorded(&latencies), false);
            for (percent, label) in PERCENTILES {
                let exact = percentile(&latencies, percent).unwrap_or_default();
                let reported = summary.percentile_ms(label).unwrap_or_default();
                // Three significant digits, and the microsecond it is recorded in.
                let tolerance = exact * 2e-3 + 1e-3;
                prop_assert!((reported - exact).abs() <= tolerance, "{label}: {reported} against {exact}");
            }
            let buckets = histogram_buckets(&recorded(&latencies), false);
            prop_assert_eq!(buckets.iter().map(|bucket| bucket.count).sum::<u64>(), latencies.len() as u64);
        }
    }

    #[test]
    fn the_report_of_a_known_run() {
        let latencies: Vec<f64> = (1..=100).map(f64::from).collect();
        let recorder = recorded(&latencies);
        let summary = summarize(&recorder, false);
        // Reported as the top of the histogram's bucket: within 0.1%.
        let near = |label: &str, exact: f64| {
            summary.percentile_ms(label).is_some_and(|ms| ms >= exact && ms <= exact * 1.001)
        };
        assert!(near("p50", 50.0) && near("p99", 99.0) && near("p99.99", 100.0), "{:?}", summary.percentiles);
        assert_eq!(summary.mean_ms, Some(50.5));
        assert_eq!(summary.max_minus_mean_ms, Some(49.5));
        assert_eq!(summary.success_rate, Some(0.75));
        assert_eq!(summary.statuses, BTreeMap::from([(200, 75), (500, 25)]));
        let ok_only = summarize(&recorder, true);
        assert_eq!(ok_only.slowest_ms, Some(99.0));
        let figures: Vec<String> =
            results_figures(&summary).iter().map(|(name, figure)| format!("{name}: {figure:?}")).collect();
        expect_test::expect![[r#"
            requests: Number(100.0)
            sent: Number(100.0)
            stopped: Number(0.0)
            ok: Number(75.0)
            status: Object([("200", Number(75.0)), ("500", Number(25.0))])
            errors: Object([("timeout", Number(0.0)), ("network", Number(0.0)), ("queue_full", Number(0.0)), ("server_error", Number(25.0)), ("client_error", Number(0.0))])
            rps: Number(1000.0)
            total_ms: Number(100.0)
            fastest_ms: Number(1.0)
            slowest_ms: Number(100.0)
            mean_ms: Number(50.5)
            max_minus_mean_ms: Number(49.5)
            p50_ms: Number(50.015)
            p90_ms: Number(90.047)
            p99_ms: Number(99.007)
            p999_ms: Number(100.0)
            bytes: Number(100.0)
            in_flight_mean: Number(50.5)
            littles_law_ratio: Number(1.0)"#]]
        .assert_eq(&figures.join("\n"));
        let seconds = per_second(&recorder.bins);
        expect_test::expect![[r#"
            second,sent,answered,ok,in_flight_mean
            0,100,100,75,25.250
        "#]]
        .assert_eq(&per_second_csv(&seconds));
    }
}
