//! `cargo xtask soak`: every experiment that runs, run many times on one
//! page (`tests/bench/soak.mjs` in Chromium), and what grew between its first
//! and last runs: memory, DOM nodes and run time, as last over first
//! medians. It fails only when it could not measure, never because
//! something grew: growth is a figure to read, and to fix where it shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use overlap_core::records::percentile::percentile;
use serde::Deserialize;

use crate::background_servers::BackgroundServers;
use crate::bench_figures::{Figure, Unit, to_table, write_json};
use crate::process::{Result, XtaskError, read_text, run};
use crate::server::{Api, Isolation};
use crate::{dist, tools};

pub const DEFAULT_RUNS: usize = 200;
/// At least twice the runs measured at each end, so first and last are apart.
pub const RUNS_RANGE: std::ops::RangeInclusive<usize> = 40..=10_000;

#[derive(Debug, PartialEq, Eq)]
pub struct SoakOptions {
    pub runs: usize,
    pub json_path: Option<PathBuf>,
}

impl Default for SoakOptions {
    fn default() -> Self {
        SoakOptions { runs: DEFAULT_RUNS, json_path: None }
    }
}

/// What `soak.mjs` wrote.
#[derive(Debug, Deserialize)]
struct SoakRuns {
    /// How many runs at each end have a memory figure.
    memory_runs: usize,
    experiments: BTreeMap<String, ExperimentRuns>,
}

#[derive(Debug, Deserialize)]
struct ExperimentRuns {
    runs: Vec<SoakSample>,
}

#[derive(Debug, Deserialize)]
struct SoakSample {
    run_ms: f64,
    dom_nodes: f64,
    memory_bytes: Option<f64>,
}

pub fn run_soak(root: &Path, options: &SoakOptions) -> Result<bool> {
    let build_tools = tools::ensure_build_tools(root)?;
    tools::ensure_browser_tools(root)?;
    dist::build(root, &build_tools)?;
    let servers = BackgroundServers::start(dist::dist_dir(root), &[(Isolation::Headers, Api::Latency)])?;
    let url = servers.urls.first().cloned().ok_or_else(|| XtaskError::Setup("no server started".into()))?;
    let figures = measure(root, &url, options.runs)?;
    drop(servers);
    println!("{}", to_table(&figures));
    println!(
        "Each experiment ran {} times on one page. Growth ratios are the median of the last {MEMORY_RUNS} \
         runs over the median of the first {MEMORY_RUNS} (memory: the JS heap after gc() plus the module \
         memory; DOM: elements).",
        options.runs
    );
    if let Some(path) = &options.json_path {
        write_json(path, &figures)?;
    }
    Ok(true)
}

/// The runs `soak.mjs` measures for memory at each end, and compares.
const MEMORY_RUNS: usize = 20;

/// Soaks the page served at `url`, `runs` runs of each experiment; its
/// `soak.*` figures. `cargo xtask bench --soak N` calls it too.
pub fn measure(root: &Path, url: &str, runs: usize) -> Result<Vec<Figure>> {
    let raw_path = root.join("target/soak-browser.json");
    let _ = std::fs::remove_file(&raw_path);
    run(Command::new("node")
        .current_dir(root.join("tests"))
        .arg("bench/soak.mjs")
        .env("OVERLAP_URL", url)
        .env("OVERLAP_SOAK_OUTPUT", &raw_path)
        .env("OVERLAP_SOAK_RUNS", runs.to_string())
        .env("OVERLAP_SOAK_MEMORY_RUNS", MEMORY_RUNS.to_string()))?;
    let raw: SoakRuns = serde_json::from_str(&read_text(&raw_path)?)
        .map_err(|error| XtaskError::Setup(format!("{}: {error}", raw_path.display())))?;
    Ok(soak_figures(&raw))
}

/// One figure of a sample, where it was measured.
type SampleValue = fn(&SoakSample) -> Option<f64>;

/// `soak.<exp>.…`: first and last medians and their ratio, for memory, DOM
/// nodes and run time.
fn soak_figures(raw: &SoakRuns) -> Vec<Figure> {
    let mut figures = Vec::new();
    let ends = raw.memory_runs;
    for (name, experiment) in &raw.experiments {
        let runs = &experiment.runs;
        if runs.len() < 2 * ends {
            continue;
        }
        let (first, last) = (&runs[..ends], &runs[runs.len() - ends..]);
        let measures: [(&str, Unit, SampleValue); 3] = [
            ("memory", Unit::Bytes, |sample| sample.memory_bytes),
            ("dom", Unit::Count, |sample| Some(sample.dom_nodes)),
            ("time", Unit::Ms, |sample| Some(sample.run_ms)),
        ];
        for (measure, unit, value) in measures {
            let first: Vec<f64> = first.iter().filter_map(value).collect();
            let last: Vec<f64> = last.iter().filter_map(value).collect();
            let (Some(first_median), Some(last_median)) = (percentile(&first, 50.0), percentile(&last, 50.0))
            else {
                continue;
            };
            let key = |what: &str| format!("soak.{name}.{what}");
            let suffix = match unit {
                Unit::Bytes => "bytes",
                Unit::Ms => "ms",
                _ => "nodes",
            };
            figures.push(Figure {
                key: key(&format!("{measure}_first_{suffix}")),
                value: first_median,
                unit,
                repetitions: first.len(),
            });
            figures.push(Figure {
                key: key(&format!("{measure}_last_{suffix}")),
                value: last_median,
                unit,
                repetitions: last.len(),
            });
            if first_median > 0.0 {
                figures.push(Figure {
                    key: key(&format!("{measure}_growth_ratio")),
                    value: last_median / first_median,
                    unit: Unit::Ratio,
                    repetitions: first.len().min(last.len()),
                });
            }
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_the_last_median_over_the_first() {
        let sample = |run_ms: f64, dom_nodes: f64, memory: Option<f64>| SoakSample {
            run_ms,
            dom_nodes,
            memory_bytes: memory,
        };
        let runs = vec![
            sample(10.0, 100.0, Some(1_000.0)),
            sample(12.0, 100.0, Some(1_000.0)),
            sample(11.0, 150.0, None),
            sample(20.0, 200.0, Some(3_000.0)),
            sample(20.0, 200.0, Some(3_000.0)),
        ];
        let raw = SoakRuns {
            memory_runs: 2,
            experiments: BTreeMap::from([("cpu".to_string(), ExperimentRuns { runs })]),
        };
        let shown: Vec<String> =
            soak_figures(&raw).iter().map(|figure| format!("{} = {}", figure.key, figure.value)).collect();
        expect_test::expect![[r#"
            soak.cpu.memory_first_bytes = 1000
            soak.cpu.memory_last_bytes = 3000
            soak.cpu.memory_growth_ratio = 3
            soak.cpu.dom_first_nodes = 100
            soak.cpu.dom_last_nodes = 200
            soak.cpu.dom_growth_ratio = 2
            soak.cpu.time_first_ms = 10
            soak.cpu.time_last_ms = 20
            soak.cpu.time_growth_ratio = 2"#]]
        .assert_eq(&shown.join("\n"));
    }
}
