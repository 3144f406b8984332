//! The native half of the CPU comparison: core's `native_kernels` example,
//! built with `--release` (the page's wasm is a release build too) and run
//! once per workload, before the browser starts.

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use crate::process::{Result, XtaskError, capture, describe, run};

/// One workload's native makespans and busy times (every task's running
/// time summed): sequential, and on `k` threads for each `k` asked,
/// repetition by repetition.
#[derive(Debug, Default, Deserialize)]
pub struct NativeRuns {
    pub sequential_ms: Vec<f64>,
    /// `(k, makespan_ms)`, one per repetition and `k`.
    pub threads_ms: Vec<(u32, f64)>,
    pub sequential_busy_ms: Vec<f64>,
    /// `(k, busy_ms)`, one per repetition and `k`.
    pub threads_busy_ms: Vec<(u32, f64)>,
}

fn native_kernels(root: &Path, action: &str) -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(root).args([
        action,
        "--quiet",
        "--release",
        "-p",
        "overlap-core",
        "--example",
        "native_kernels",
    ]);
    command
}

/// Builds the example before anything is timed.
pub fn build(root: &Path) -> Result<()> {
    run(&mut native_kernels(root, "build"))
}

pub fn measure(root: &Path, workload: &str, ks: &[u32], repetitions: usize) -> Result<NativeRuns> {
    let ks: Vec<String> = ks.iter().map(u32::to_string).collect();
    let mut command = native_kernels(root, "run");
    command.arg("--").args([workload, &ks.join(","), &repetitions.to_string()]);
    let output = capture(&mut command)?;
    if !output.status.success() {
        return Err(XtaskError::Setup(format!(
            "`{}` failed: {}",
            describe(&command),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    parse(&String::from_utf8_lossy(&output.stdout))
}

fn parse(line: &str) -> Result<NativeRuns> {
    serde_json::from_str(line.trim())
        .map_err(|error| XtaskError::Setup(format!("native_kernels printed `{line}`: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_example_prints() {
        let runs = parse(
            r#"{"sequential_ms":[10.5,11.0],"threads_ms":[[1,10.0],[2,5.5]],
                "sequential_busy_ms":[10.4,10.9],"threads_busy_ms":[[1,9.9],[2,10.8]]}"#,
        )
        .expect("parses");
        assert_eq!(runs.sequential_ms, [10.5, 11.0]);
        assert_eq!(runs.threads_ms, [(1, 10.0), (2, 5.5)]);
        assert_eq!(runs.sequential_busy_ms, [10.4, 10.9]);
        assert_eq!(runs.threads_busy_ms, [(1, 9.9), (2, 10.8)]);
        assert!(parse("not json").is_err());
    }
}
