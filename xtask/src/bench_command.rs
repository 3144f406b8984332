//! `cargo xtask bench`: how fast Overlap is, measured side by side in one
//! run. Builds the release bundle, serves it with the isolation headers,
//! drives it in Chromium (`tests/bench/bench.mjs`), times the same kernels
//! natively, and prints the figures (with `--json PATH`, writes them too).
//! It fails only when it could not measure, never because a figure is slow.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use overlap_core::browser::pool_state::pool_threads;
use overlap_core::experiments::cpu::Workload;
use strum::VariantArray;

use crate::background_servers::BackgroundServers;
use crate::bench_figures::{BrowserRuns, figures, to_table, write_json};
use crate::process::{Result, XtaskError, read_text, run};
use crate::server::{Api, Isolation};
use crate::{bench_native, bench_sizes, dist, soak_command, tools};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct BenchOptions {
    /// A reduced set (fewer repetitions and frames, no sixty sequential
    /// requests): under two minutes once the bundle is built.
    pub quick: bool,
    /// Runs of each experiment for a soak after the rest (`--soak N`),
    /// whose figures join the bench's.
    pub soak_runs: Option<usize>,
    pub json_path: Option<PathBuf>,
}

pub fn run_bench(root: &Path, options: &BenchOptions) -> Result<bool> {
    let build_tools = tools::ensure_build_tools(root)?;
    tools::ensure_browser_tools(root)?;
    dist::build(root, &build_tools)?;
    bench_native::build(root)?;
    let started = Instant::now();

    // Natively first, while nothing else runs: the same kernels and task
    // lists, on as many threads as the page's pool will have (the same rule
    // from the same core count). Native runs are short: a few more of them.
    let threads = pool_threads(std::thread::available_parallelism().ok().map(|count| count.get() as u32));
    let ks: Vec<u32> = (1..=threads as u32).collect();
    let repetitions = if options.quick { 3 } else { 5 };
    let mut native = BTreeMap::new();
    for workload in Workload::VARIANTS {
        let name: &str = (*workload).into();
        eprintln!("bench: native {name}, k = 1..={threads}, {repetitions} repetitions");
        native.insert(name.to_string(), bench_native::measure(root, name, &ks, repetitions)?);
    }

    let servers = BackgroundServers::start(dist::dist_dir(root), &[(Isolation::Headers, Api::Latency)])?;
    let url = servers.urls.first().cloned().ok_or_else(|| XtaskError::Setup("no server started".into()))?;
    let raw_path = root.join("target/bench-browser.json");
    let _ = std::fs::remove_file(&raw_path);
    let mut browser = Command::new("node");
    browser
        .current_dir(root.join("tests"))
        .arg("bench/bench.mjs")
        .env("OVERLAP_URL", &url)
        .env("OVERLAP_BENCH_OUTPUT", &raw_path)
        .env("OVERLAP_BENCH_QUICK", if options.quick { "1" } else { "0" });
    run(&mut browser)?;
    // Last, on the same server: the soak runs every experiment many times.
    let soak = options.soak_runs.map(|runs| soak_command::measure(root, &url, runs)).transpose()?;
    drop(servers);
    let browser: BrowserRuns = serde_json::from_str(&read_text(&raw_path)?)
        .map_err(|error| XtaskError::Setup(format!("{}: {error}", raw_path.display())))?;

    let first_load = bench_sizes::first_load(&dist::dist_dir(root), &browser.load.fetched_paths)?;

    let mut figures = figures(&browser, &native, &first_load);
    if let Some(soak) = soak {
        figures.extend(soak);
    }
    println!("{}", to_table(&figures));
    println!(
        "Medians of the repetitions (nearest rank). Speedups, efficiencies, makespan_over_ideal and \
         overhead_ratio are paired run by run; wasm_native_ratio, speedup_vs_native and \
         workers_over_threads are ratios of medians. Recording: ?exp=cpu&{} with record=tasks and \
         record=lanes, each first every other time. Native: the same kernels, same release profile.",
        browser.recording.query
    );
    println!("measured in {:.0} s (the build before it not counted)", started.elapsed().as_secs_f64());
    if let Some(path) = &options.json_path {
        write_json(path, &figures)?;
    }
    Ok(true)
}
