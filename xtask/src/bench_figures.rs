//! From raw measurements to the benchmark's figures: medians of the
//! repetitions, ratios of runs measured side by side (paired, in the same
//! command), each figure with its unit and how many repetitions it rests on.
//! The keys are stable: the README lists them.

use std::collections::BTreeMap;

use overlap_core::records::percentile::percentile;
use serde::Deserialize;

use crate::bench_native::NativeRuns;
use crate::bench_sizes::{FirstLoad, Sizes};

/// What `tests/bench/bench.mjs` measured in the browser, every repetition.
#[derive(Debug, Deserialize)]
pub struct BrowserRuns {
    pub quick: bool,
    pub pool_threads: u32,
    pub load: LoadRuns,
    pub cpu: BTreeMap<String, Vec<CpuRun>>,
    /// Workload → runs on every pool thread with Chromium's CPU time by role.
    pub cpu_share: BTreeMap<String, Vec<ShareRun>>,
    pub workers: BTreeMap<String, Vec<WorkersRun>>,
    pub recording: RecordingRuns,
    /// Target (`server`, `sw`) → `n12`/`n60` → mode → runs.
    pub fetch: BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<FetchRun>>>>,
    pub timeline: BTreeMap<String, TimelineRun>,
}

#[derive(Debug, Deserialize)]
pub struct LoadRuns {
    pub samples: Vec<LoadSample>,
    pub fetched_paths: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoadSample {
    pub first_paint_ms: Option<f64>,
    pub first_contentful_paint_ms: Option<f64>,
    pub dom_content_loaded_ms: Option<f64>,
    pub interactive_ms: Option<f64>,
    pub pool_ready_ms: Option<f64>,
    pub longest_task_ms: f64,
}

/// The main thread while a run went on.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Watched {
    /// The longest task (Long Tasks API: 50 ms and over; 0 when none).
    pub longest_task_ms: f64,
    /// The longest interval between animation frames.
    pub longest_frame_ms: f64,
}

#[derive(Debug, Deserialize)]
pub struct CpuRun {
    pub k: u32,
    pub sequential_ms: f64,
    pub threads_ms: f64,
    /// Every task's running time, summed, in each run: the same tasks.
    pub sequential_busy_ms: f64,
    pub threads_busy_ms: f64,
    pub ceiling: f64,
    #[serde(flatten)]
    pub watched: Watched,
}

/// Runs one after another on every pool thread, and the CPU time
/// Chromium's threads used meanwhile (`tests/bench/process_cpu.mjs`).
#[derive(Debug, Deserialize)]
pub struct ShareRun {
    /// How many runs the window held.
    pub runs: usize,
    /// The runs' makespans and their tasks' running times, summed.
    pub makespan_ms: f64,
    pub busy_ms: f64,
    /// From before the first click to after the last run's end, warm-ups
    /// included: the time over which `cpu_ms` was measured.
    pub window_ms: f64,
    /// By role (`workers`, `page_main`, …); `None` where there is no /proc.
    pub cpu_ms: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Deserialize)]
pub struct WorkersRun {
    pub sequential_ms: f64,
    pub workers_ms: f64,
    pub starting_ms: f64,
    pub serialising_ms: f64,
    #[serde(flatten)]
    pub watched: Watched,
}

#[derive(Debug, Deserialize)]
pub struct RecordingRuns {
    pub query: String,
    pub runs: Vec<RecordingRun>,
}

#[derive(Debug, Deserialize)]
pub struct RecordingRun {
    pub on_ms: f64,
    pub off_ms: f64,
    #[serde(flatten)]
    pub watched: Watched,
}

#[derive(Debug, Deserialize)]
pub struct FetchRun {
    pub makespan_ms: f64,
    pub ideal_ms: f64,
    #[serde(flatten)]
    pub watched: Watched,
}

#[derive(Debug, Deserialize)]
pub struct TimelineRun {
    pub frame_ms: Vec<f64>,
    pub work_ms: Vec<f64>,
    pub longest_task_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Ms,
    Bytes,
    /// A ratio, a speedup or an efficiency.
    Ratio,
    Count,
}

/// One figure: `cpu.sum.speedup.k2 = 1.91 (3 repetitions)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub key: String,
    pub value: f64,
    pub unit: Unit,
    /// How many measurements it rests on (frames, for the timeline).
    pub repetitions: usize,
}

/// Everything measured, as figures in a fixed order.
pub fn figures(
    browser: &BrowserRuns,
    native: &BTreeMap<String, NativeRuns>,
    first_load: &FirstLoad,
) -> Vec<Figure> {
    let mut out = Figures::default();
    out.push("meta.pool_threads", f64::from(browser.pool_threads), Unit::Count, 1);
    out.push("meta.quick", if browser.quick { 1.0 } else { 0.0 }, Unit::Count, 1);
    cpu_figures(&mut out, browser, native);
    cpu_share_figures(&mut out, browser);
    workers_figures(&mut out, browser);
    fetch_figures(&mut out, browser);
    load_figures(&mut out, browser, first_load);
    timeline_figures(&mut out, browser);
    recording_figures(&mut out, browser);
    main_thread_figures(&mut out, browser);
    out.0
}

#[derive(Default)]
struct Figures(Vec<Figure>);

impl Figures {
    fn push(&mut self, key: &str, value: f64, unit: Unit, repetitions: usize) {
        self.0.push(Figure { key: key.to_string(), value, unit, repetitions });
    }

    /// The median of `values`, if there are any.
    fn median(&mut self, key: &str, values: &[f64], unit: Unit) {
        if let Some(median) = percentile(values, 50.0) {
            self.push(key, median, unit, values.len());
        }
    }

    /// The median of `a` over the median of `b`: for samples that were not
    /// measured in pairs (native and wasm, workers and threads). It rests on
    /// as many repetitions as the smaller sample.
    fn ratio_of_medians(&mut self, key: &str, a: &[f64], b: &[f64]) {
        if let (Some(a_median), Some(b_median)) = (percentile(a, 50.0), percentile(b, 50.0)) {
            self.push(key, a_median / b_median, Unit::Ratio, a.len().min(b.len()));
        }
    }
}

/// Paired ratios `a / b`, one per repetition.
fn ratios(pairs: impl IntoIterator<Item = (f64, f64)>) -> Vec<f64> {
    pairs.into_iter().filter(|(_, b)| *b > 0.0).map(|(a, b)| a / b).collect()
}

fn cpu_figures(out: &mut Figures, browser: &BrowserRuns, native: &BTreeMap<String, NativeRuns>) {
    for (workload, runs) in &browser.cpu {
        let at = |name: &str| format!("cpu.{workload}.{name}");
        let sequential: Vec<f64> = runs.iter().map(|run| run.sequential_ms).collect();
        out.median(&at("sequential_ms"), &sequential, Unit::Ms);
        let native_runs = native.get(workload);
        if let Some(native_runs) = native_runs {
            out.median(&at("native_sequential_ms"), &native_runs.sequential_ms, Unit::Ms);
            out.ratio_of_medians(&at("wasm_native_ratio"), &sequential, &native_runs.sequential_ms);
        }
        for k in 1..=browser.pool_threads {
            let with_k: Vec<&CpuRun> = runs.iter().filter(|run| run.k == k).collect();
            let threads: Vec<f64> = with_k.iter().map(|run| run.threads_ms).collect();
            out.median(&at(&format!("threads_ms.k{k}")), &threads, Unit::Ms);
            let speedups = ratios(with_k.iter().map(|run| (run.sequential_ms, run.threads_ms)));
            out.median(&at(&format!("speedup.k{k}")), &speedups, Unit::Ratio);
            let efficiencies: Vec<f64> = speedups.iter().map(|speedup| speedup / f64::from(k)).collect();
            out.median(&at(&format!("efficiency.k{k}")), &efficiencies, Unit::Ratio);
            let busy_ratios = ratios(with_k.iter().map(|run| (run.threads_busy_ms, run.sequential_busy_ms)));
            out.median(&at(&format!("busy_ratio.k{k}")), &busy_ratios, Unit::Ratio);
            let ceilings: Vec<f64> = with_k.iter().map(|run| run.ceiling).collect();
            out.median(&at(&format!("ceiling.k{k}")), &ceilings, Unit::Ratio);
            let Some(native_runs) = native_runs else { continue };
            let native_threads: Vec<f64> = native_runs
                .threads_ms
                .iter()
                .filter(|(native_k, _)| *native_k == k)
                .map(|(_, ms)| *ms)
                .collect();
            out.median(&at(&format!("native_threads_ms.k{k}")), &native_threads, Unit::Ms);
            let native_speedups = ratios(native_runs.sequential_ms.iter().copied().zip(native_threads));
            out.median(&at(&format!("native_speedup.k{k}")), &native_speedups, Unit::Ratio);
            out.ratio_of_medians(&at(&format!("speedup_vs_native.k{k}")), &speedups, &native_speedups);
            // The same tasks natively, k at a time against one at a time:
            // what the machine itself adds to each task (shared caches,
            // memory), which the page's busy_ratio.k holds too.
            let native_busy = native_runs.threads_busy_ms.iter().filter(|(native_k, _)| *native_k == k);
            let native_busy_ratios =
                ratios(native_busy.map(|(_, ms)| *ms).zip(native_runs.sequential_busy_ms.iter().copied()));
            out.median(&at(&format!("native_busy_ratio.k{k}")), &native_busy_ratios, Unit::Ratio);
        }
    }
}

/// How many cores each role of Chromium's took while a run on every pool
/// thread went on (its CPU time over the window it was read in):
/// `workers_cores` is what the work got, the rest what the page and the
/// browser took beside it.
fn cpu_share_figures(out: &mut Figures, browser: &BrowserRuns) {
    for (workload, runs) in &browser.cpu_share {
        let at = |name: &str| format!("cpu_share.{workload}.{name}");
        // A run's makespan: windows hold different numbers of runs.
        let makespans: Vec<f64> =
            runs.iter().filter(|run| run.runs > 0).map(|run| run.makespan_ms / run.runs as f64).collect();
        out.median(&at("makespan_ms"), &makespans, Unit::Ms);
        let windows: Vec<f64> = runs.iter().map(|run| run.window_ms).collect();
        out.median(&at("window_ms"), &windows, Unit::Ms);
        let busy_cores = ratios(runs.iter().map(|run| (run.busy_ms, run.makespan_ms)));
        out.median(&at("busy_cores"), &busy_cores, Unit::Ratio);
        let measured: Vec<(&ShareRun, &BTreeMap<String, f64>)> =
            runs.iter().filter_map(|run| Some((run, run.cpu_ms.as_ref()?))).collect();
        let cores = |pick: &dyn Fn(&BTreeMap<String, f64>) -> f64| -> Vec<f64> {
            ratios(measured.iter().map(|(run, cpu_ms)| (pick(cpu_ms), run.window_ms)))
        };
        let role = |cpu_ms: &BTreeMap<String, f64>, name: &str| cpu_ms.get(name).copied().unwrap_or(0.0);
        // The roles are the ones `process_cpu.mjs` measured: one list, there.
        let names: std::collections::BTreeSet<&String> =
            measured.iter().flat_map(|(_, cpu_ms)| cpu_ms.keys()).collect();
        for name in names {
            out.median(&at(&format!("{name}_cores")), &cores(&|cpu_ms| role(cpu_ms, name)), Unit::Ratio);
        }
        out.median(&at("chromium_cores"), &cores(&|cpu_ms| cpu_ms.values().sum()), Unit::Ratio);
        out.median(
            &at("beside_workers_cores"),
            &cores(&|cpu_ms| cpu_ms.values().sum::<f64>() - role(cpu_ms, "workers")),
            Unit::Ratio,
        );
    }
}

fn workers_figures(out: &mut Figures, browser: &BrowserRuns) {
    for (workload, runs) in &browser.workers {
        let at = |name: &str| format!("workers.{workload}.{name}");
        let workers: Vec<f64> = runs.iter().map(|run| run.workers_ms).collect();
        out.median(&at("workers_ms"), &workers, Unit::Ms);
        let threads: Vec<f64> = browser
            .cpu
            .get(workload)
            .map(|cpu| {
                cpu.iter().filter(|run| run.k == browser.pool_threads).map(|run| run.threads_ms).collect()
            })
            .unwrap_or_default();
        out.median(&at("threads_ms"), &threads, Unit::Ms);
        out.ratio_of_medians(&at("workers_over_threads"), &workers, &threads);
        let speedups = ratios(runs.iter().map(|run| (run.sequential_ms, run.workers_ms)));
        out.median(&at("speedup"), &speedups, Unit::Ratio);
        let starting: Vec<f64> = runs.iter().map(|run| run.starting_ms).collect();
        out.median(&at("startup_ms"), &starting, Unit::Ms);
        let serialising: Vec<f64> = runs.iter().map(|run| run.serialising_ms).collect();
        out.median(&at("serialising_ms"), &serialising, Unit::Ms);
    }
}

fn fetch_figures(out: &mut Figures, browser: &BrowserRuns) {
    for (target, by_n) in &browser.fetch {
        // The dev server's figures at `fetch.n60…`, the service worker's at `fetch.sw.n60…`.
        let prefix = if target == "server" { "fetch".to_string() } else { format!("fetch.{target}") };
        for (n, by_mode) in by_n {
            for (mode, runs) in by_mode {
                let at = |name: &str| format!("{prefix}.{n}.{mode}.{name}");
                let makespans: Vec<f64> = runs.iter().map(|run| run.makespan_ms).collect();
                out.median(&at("makespan_ms"), &makespans, Unit::Ms);
                let ideals: Vec<f64> = runs.iter().map(|run| run.ideal_ms).collect();
                out.median(&at("ideal_ms"), &ideals, Unit::Ms);
                let over = ratios(runs.iter().map(|run| (run.makespan_ms, run.ideal_ms)));
                out.median(&at("makespan_over_ideal"), &over, Unit::Ratio);
            }
        }
    }
}

fn load_figures(out: &mut Figures, browser: &BrowserRuns, first_load: &FirstLoad) {
    let sizes = |out: &mut Figures, name: &str, sizes: Sizes| {
        out.push(&format!("load.{name}_raw_bytes"), sizes.raw_bytes as f64, Unit::Bytes, 1);
        out.push(&format!("load.{name}_gzip_bytes"), sizes.gzip_bytes as f64, Unit::Bytes, 1);
        out.push(&format!("load.{name}_brotli_bytes"), sizes.brotli_bytes as f64, Unit::Bytes, 1);
    };
    sizes(out, "first_load", first_load.total());
    sizes(out, "wasm", first_load.wasm);
    sizes(out, "js", first_load.js);
    sizes(out, "css", first_load.css);
    let samples = &browser.load.samples;
    let timing = |pick: fn(&LoadSample) -> Option<f64>| samples.iter().filter_map(pick).collect::<Vec<f64>>();
    out.median("load.first_paint_ms", &timing(|sample| sample.first_paint_ms), Unit::Ms);
    out.median(
        "load.first_contentful_paint_ms",
        &timing(|sample| sample.first_contentful_paint_ms),
        Unit::Ms,
    );
    out.median("load.dom_content_loaded_ms", &timing(|sample| sample.dom_content_loaded_ms), Unit::Ms);
    out.median("load.interactive_ms", &timing(|sample| sample.interactive_ms), Unit::Ms);
    out.median("load.pool_ready_ms", &timing(|sample| sample.pool_ready_ms), Unit::Ms);
}

fn timeline_figures(out: &mut Figures, browser: &BrowserRuns) {
    for (size, run) in &browser.timeline {
        let at = |name: &str| format!("timeline.{size}.{name}");
        for (name, values) in [("frame_ms", &run.frame_ms), ("work_ms", &run.work_ms)] {
            for percent in [50.0, 95.0] {
                if let Some(value) = percentile(values, percent) {
                    out.push(&at(&format!("p{percent}_{name}")), value, Unit::Ms, values.len());
                }
            }
        }
        if let Some(p50) = percentile(&run.frame_ms, 50.0).filter(|p50| *p50 > 0.0) {
            out.push(&at("fps_p50"), 1000.0 / p50, Unit::Ratio, run.frame_ms.len());
        }
    }
}

fn recording_figures(out: &mut Figures, browser: &BrowserRuns) {
    let runs = &browser.recording.runs;
    out.median("recording.on_ms", &runs.iter().map(|run| run.on_ms).collect::<Vec<f64>>(), Unit::Ms);
    out.median("recording.off_ms", &runs.iter().map(|run| run.off_ms).collect::<Vec<f64>>(), Unit::Ms);
    let overheads = ratios(runs.iter().map(|run| (run.on_ms, run.off_ms)));
    out.median("recording.overhead_ratio", &overheads, Unit::Ratio);
}

fn main_thread_figures(out: &mut Figures, browser: &BrowserRuns) {
    let mut sections: Vec<(&str, Vec<Watched>)> = vec![
        ("cpu", browser.cpu.values().flatten().map(|run| run.watched).collect()),
        ("workers", browser.workers.values().flatten().map(|run| run.watched).collect()),
        ("recording", browser.recording.runs.iter().map(|run| run.watched).collect()),
        (
            "fetch",
            browser
                .fetch
                .values()
                .flat_map(|by_n| by_n.values())
                .flat_map(|by_mode| by_mode.values())
                .flatten()
                .map(|run| run.watched)
                .collect(),
        ),
    ];
    let load: Vec<Watched> = browser
        .load
        .samples
        .iter()
        .map(|sample| Watched { longest_task_ms: sample.longest_task_ms, longest_frame_ms: 0.0 })
        .collect();
    let timeline: Vec<Watched> = browser
        .timeline
        .values()
        .map(|run| Watched {
            longest_task_ms: run.longest_task_ms,
            longest_frame_ms: run.frame_ms.iter().copied().fold(0.0, f64::max),
        })
        .collect();
    sections.push(("load", load));
    sections.push(("timeline", timeline));
    let all: Vec<Watched> = sections.iter().flat_map(|(_, watched)| watched.iter().copied()).collect();
    let longest =
        |watched: &[Watched], pick: fn(&Watched) -> f64| watched.iter().map(pick).fold(0.0, f64::max);
    out.push("main_thread.longest_task_ms", longest(&all, |w| w.longest_task_ms), Unit::Ms, all.len());
    for (section, watched) in &sections {
        out.push(
            &format!("main_thread.{section}.longest_task_ms"),
            longest(watched, |w| w.longest_task_ms),
            Unit::Ms,
            watched.len(),
        );
        if *section != "load" {
            out.push(
                &format!("main_thread.{section}.longest_frame_ms"),
                longest(watched, |w| w.longest_frame_ms),
                Unit::Ms,
                watched.len(),
            );
        }
    }
}

/// The figures as one JSON object: each dotted key nested
/// (`cpu.sum.speedup.k2` → `{"cpu":{"sum":{"speedup":{"k2":…}}}}`), and
/// under `repetitions` the same keys with the count each rests on.
pub fn to_json(figures: &[Figure]) -> serde_json::Value {
    let mut root = serde_json::Map::new();
    let mut repetitions = serde_json::Map::new();
    for figure in figures {
        insert(&mut root, &figure.key, serde_json::json!(figure.value));
        insert(&mut repetitions, &figure.key, serde_json::json!(figure.repetitions));
    }
    root.insert("repetitions".to_string(), serde_json::Value::Object(repetitions));
    serde_json::Value::Object(root)
}

/// Writes `figures` as `to_json` gives them to `path`, and says so.
pub fn write_json(path: &std::path::Path, figures: &[Figure]) -> crate::process::Result<()> {
    let json = serde_json::to_string_pretty(&to_json(figures))
        .map_err(|error| crate::process::XtaskError::Setup(format!("the figures as JSON: {error}")))?;
    crate::process::write_text(path, &json)?;
    println!("figures written to {}", path.display());
    Ok(())
}

fn insert(object: &mut serde_json::Map<String, serde_json::Value>, key: &str, value: serde_json::Value) {
    match key.split_once('.') {
        None => {
            object.insert(key.to_string(), value);
        }
        Some((head, rest)) => {
            let child = object
                .entry(head.to_string())
                .or_insert_with(|| serde_json::Value::Object(Default::default()));
            if let serde_json::Value::Object(child) = child {
                insert(child, rest, value);
            }
        }
    }
}

/// The figures as a table for the terminal.
pub fn to_table(figures: &[Figure]) -> String {
    let width = figures.iter().map(|figure| figure.key.len()).max().unwrap_or(0);
    let mut table = format!("{:width$}  {:>14}  repetitions\n", "figure", "value");
    let mut group = "";
    for figure in figures {
        let this_group = figure.key.split('.').next().unwrap_or("");
        if this_group != group && !group.is_empty() {
            table.push('\n');
        }
        group = this_group;
        table.push_str(&format!("{:width$}  {:>14}  {}\n", figure.key, shown(figure), figure.repetitions));
    }
    table
}

fn shown(figure: &Figure) -> String {
    match figure.unit {
        Unit::Ms => format!("{:.1} ms", figure.value),
        Unit::Bytes => format!("{:.1} KB", figure.value / 1024.0),
        Unit::Ratio => format!("{:.2}", figure.value),
        Unit::Count => format!("{}", figure.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn browser_runs() -> BrowserRuns {
        let raw = r#"{
            "quick": true, "pool_threads": 2,
            "load": { "samples": [
                { "first_paint_ms": 100, "first_contentful_paint_ms": 200, "dom_content_loaded_ms": 110, "interactive_ms": 150, "pool_ready_ms": 400, "longest_task_ms": 0 },
                { "first_paint_ms": 120, "first_contentful_paint_ms": 220, "dom_content_loaded_ms": 130, "interactive_ms": 170, "pool_ready_ms": 380, "longest_task_ms": 55 }
            ], "fetched_paths": ["/app.js"] },
            "cpu": { "sum": [
                { "k": 1, "sequential_ms": 100, "threads_ms": 102, "sequential_busy_ms": 99, "threads_busy_ms": 101, "ceiling": 1, "longest_task_ms": 0, "longest_frame_ms": 17 },
                { "k": 2, "sequential_ms": 104, "threads_ms": 52, "sequential_busy_ms": 100, "threads_busy_ms": 103, "ceiling": 1.96, "longest_task_ms": 60, "longest_frame_ms": 66 }
            ] },
            "cpu_share": { "sum": [
                { "runs": 2, "makespan_ms": 100, "busy_ms": 190, "window_ms": 200, "cpu_ms": { "workers": 180, "page_main": 20, "renderer_other": 10, "gpu": 4, "browser": 6, "other": 0 } },
                { "runs": 1, "makespan_ms": 60, "busy_ms": 108, "window_ms": 120, "cpu_ms": null }
            ] },
            "workers": { "sum": [ { "sequential_ms": 100, "workers_ms": 80, "starting_ms": 150, "serialising_ms": 3, "longest_task_ms": 0, "longest_frame_ms": 33 } ] },
            "recording": { "query": "workload=sum", "runs": [
                { "on_ms": 101, "off_ms": 100, "longest_task_ms": 0, "longest_frame_ms": 17 },
                { "on_ms": 99, "off_ms": 100, "longest_task_ms": 0, "longest_frame_ms": 17 }
            ] },
            "fetch": { "server": { "n12": { "gather": [ { "makespan_ms": 230, "ideal_ms": 200, "longest_task_ms": 0, "longest_frame_ms": 17 } ] } },
                       "sw": { "n12": { "gather": [ { "makespan_ms": 210, "ideal_ms": 200, "longest_task_ms": 0, "longest_frame_ms": 17 } ] } } },
            "timeline": { "k10": { "frame_ms": [16, 17, 16, 33], "work_ms": [3, 4, 5, 12], "longest_task_ms": 0 } }
        }"#;
        serde_json::from_str(raw).expect("the shape bench.mjs writes")
    }

    #[test]
    fn figures_from_a_small_measurement() {
        let native = BTreeMap::from([(
            "sum".to_string(),
            NativeRuns {
                sequential_ms: vec![20.0],
                threads_ms: vec![(1, 20.0), (2, 10.5)],
                sequential_busy_ms: vec![19.8],
                threads_busy_ms: vec![(1, 19.9), (2, 20.6)],
            },
        )]);
        let sizes = Sizes { raw_bytes: 2048, gzip_bytes: 1024, brotli_bytes: 900 };
        let first_load = FirstLoad { wasm: sizes, js: sizes, css: Sizes::default() };
        let figures = figures(&browser_runs(), &native, &first_load);
        expect![[r#"
            figure                                            value  repetitions
            meta.pool_threads                                     2  1
            meta.quick                                            1  1

            cpu.sum.sequential_ms                          100.0 ms  2
            cpu.sum.native_sequential_ms                    20.0 ms  1
            cpu.sum.wasm_native_ratio                          5.00  1
            cpu.sum.threads_ms.k1                          102.0 ms  1
            cpu.sum.speedup.k1                                 0.98  1
            cpu.sum.efficiency.k1                              0.98  1
            cpu.sum.busy_ratio.k1                              1.02  1
            cpu.sum.ceiling.k1                                 1.00  1
            cpu.sum.native_threads_ms.k1                    20.0 ms  1
            cpu.sum.native_speedup.k1                          1.00  1
            cpu.sum.speedup_vs_native.k1                       0.98  1
            cpu.sum.native_busy_ratio.k1                       1.01  1
            cpu.sum.threads_ms.k2                           52.0 ms  1
            cpu.sum.speedup.k2                                 2.00  1
            cpu.sum.efficiency.k2                              1.00  1
            cpu.sum.busy_ratio.k2                              1.03  1
            cpu.sum.ceiling.k2                                 1.96  1
            cpu.sum.native_threads_ms.k2                    10.5 ms  1
            cpu.sum.native_speedup.k2                          1.90  1
            cpu.sum.speedup_vs_native.k2                       1.05  1
            cpu.sum.native_busy_ratio.k2                       1.04  1

            cpu_share.sum.makespan_ms                       50.0 ms  2
            cpu_share.sum.window_ms                        120.0 ms  2
            cpu_share.sum.busy_cores                           1.80  2
            cpu_share.sum.browser_cores                        0.03  1
            cpu_share.sum.gpu_cores                            0.02  1
            cpu_share.sum.other_cores                          0.00  1
            cpu_share.sum.page_main_cores                      0.10  1
            cpu_share.sum.renderer_other_cores                 0.05  1
            cpu_share.sum.workers_cores                        0.90  1
            cpu_share.sum.chromium_cores                       1.10  1
            cpu_share.sum.beside_workers_cores                 0.20  1

            workers.sum.workers_ms                          80.0 ms  1
            workers.sum.threads_ms                          52.0 ms  1
            workers.sum.workers_over_threads                   1.54  1
            workers.sum.speedup                                1.25  1
            workers.sum.startup_ms                         150.0 ms  1
            workers.sum.serialising_ms                       3.0 ms  1

            fetch.n12.gather.makespan_ms                   230.0 ms  1
            fetch.n12.gather.ideal_ms                      200.0 ms  1
            fetch.n12.gather.makespan_over_ideal               1.15  1
            fetch.sw.n12.gather.makespan_ms                210.0 ms  1
            fetch.sw.n12.gather.ideal_ms                   200.0 ms  1
            fetch.sw.n12.gather.makespan_over_ideal            1.05  1

            load.first_load_raw_bytes                        4.0 KB  1
            load.first_load_gzip_bytes                       2.0 KB  1
            load.first_load_brotli_bytes                     1.8 KB  1
            load.wasm_raw_bytes                              2.0 KB  1
            load.wasm_gzip_bytes                             1.0 KB  1
            load.wasm_brotli_bytes                           0.9 KB  1
            load.js_raw_bytes                                2.0 KB  1
            load.js_gzip_bytes                               1.0 KB  1
            load.js_brotli_bytes                             0.9 KB  1
            load.css_raw_bytes                               0.0 KB  1
            load.css_gzip_bytes                              0.0 KB  1
            load.css_brotli_bytes                            0.0 KB  1
            load.first_paint_ms                            100.0 ms  2
            load.first_contentful_paint_ms                 200.0 ms  2
            load.dom_content_loaded_ms                     110.0 ms  2
            load.interactive_ms                            150.0 ms  2
            load.pool_ready_ms                             380.0 ms  2

            timeline.k10.p50_frame_ms                       16.0 ms  4
            timeline.k10.p95_frame_ms                       33.0 ms  4
            timeline.k10.p50_work_ms                         4.0 ms  4
            timeline.k10.p95_work_ms                        12.0 ms  4
            timeline.k10.fps_p50                              62.50  4

            recording.on_ms                                 99.0 ms  2
            recording.off_ms                               100.0 ms  2
            recording.overhead_ratio                           0.99  2

            main_thread.longest_task_ms                     60.0 ms  10
            main_thread.cpu.longest_task_ms                 60.0 ms  2
            main_thread.cpu.longest_frame_ms                66.0 ms  2
            main_thread.workers.longest_task_ms              0.0 ms  1
            main_thread.workers.longest_frame_ms            33.0 ms  1
            main_thread.recording.longest_task_ms            0.0 ms  2
            main_thread.recording.longest_frame_ms          17.0 ms  2
            main_thread.fetch.longest_task_ms                0.0 ms  2
            main_thread.fetch.longest_frame_ms              17.0 ms  2
            main_thread.load.longest_task_ms                55.0 ms  2
            main_thread.timeline.longest_task_ms             0.0 ms  1
            main_thread.timeline.longest_frame_ms           33.0 ms  1
        "#]]
        .assert_eq(&to_table(&figures));
        let json = to_json(&figures);
        assert_eq!(json["cpu"]["sum"]["speedup"]["k2"], serde_json::json!(2.0));
        assert_eq!(json["fetch"]["n12"]["gather"]["makespan_over_ideal"], serde_json::json!(1.15));
        assert_eq!(json["repetitions"]["load"]["interactive_ms"], serde_json::json!(2));
    }
}
