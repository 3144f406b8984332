//! `cargo xtask fuzz`: every cargo-fuzz target in `fuzz/` (libFuzzer with
//! AddressSanitizer, on the pinned nightly) for a bounded time each. Its
//! corpus grows in `target/fuzz-corpus/<target>` from the seeds committed in
//! `fuzz/seeds/<target>`; its log is `target/fuzz-logs/<target>.log`; a
//! crash is saved in `fuzz/artifacts/<target>/`.

use std::path::Path;
use std::process::Command;

use crate::process::{Result, XtaskError, capture, describe, read_text, run};
use crate::tools;

pub const DEFAULT_SECONDS: u32 = 60;
/// What `cargo xtask test` gives each target: enough to pass the seeds and
/// their first mutations, short enough for every run.
pub const TEST_SECONDS: u32 = 15;
pub const SECONDS_RANGE: std::ops::RangeInclusive<usize> = 1..=86_400;

/// One target's run: whether it found nothing, and how many inputs it tried.
pub struct TargetRun {
    pub name: String,
    pub passed: bool,
    pub executions: Option<u64>,
}

/// Runs every target for `seconds`; prints a line each.
pub fn run_all(root: &Path, seconds: u32) -> Result<Vec<TargetRun>> {
    let path = tools::ensure_fuzz_tools(root)?;
    let fuzz = |args: &[&str]| {
        let mut command = Command::new("cargo");
        command.current_dir(root).env("PATH", &path).args(["fuzz"]).args(args).args(["--fuzz-dir", "fuzz"]);
        command
    };
    let listed = capture(&mut fuzz(&["list"]))?;
    if !listed.status.success() {
        return Err(XtaskError::Setup(format!(
            "`cargo fuzz list` failed: {}",
            String::from_utf8_lossy(&listed.stderr).trim()
        )));
    }
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        return Err(XtaskError::Setup("`cargo fuzz list` names no target in fuzz/".into()));
    }
    // Built first, so that a build failure is one, not a find of a target's.
    run(&mut fuzz(&["build"]))?;
    let logs = root.join("target/fuzz-logs");
    std::fs::create_dir_all(&logs).map_err(|source| XtaskError::File { path: logs.clone(), source })?;
    let mut runs = Vec::new();
    for name in names {
        let corpus = root.join("target/fuzz-corpus").join(&name);
        std::fs::create_dir_all(&corpus)
            .map_err(|source| XtaskError::File { path: corpus.clone(), source })?;
        let seeds = root.join("fuzz/seeds").join(&name);
        let mut command = fuzz(&["run", &name]);
        command.arg(&corpus);
        if seeds.is_dir() {
            command.arg(&seeds);
        }
        command.args(["--", &format!("-max_total_time={seconds}"), "-print_final_stats=1"]);
        // libFuzzer's progress goes to a file (a long run's is long); follow
        // it with `tail -f`.
        let log_path = logs.join(format!("{name}.log"));
        let log = std::fs::File::create(&log_path)
            .map_err(|source| XtaskError::File { path: log_path.clone(), source })?;
        command.stderr(log);
        eprintln!("$ {}  (log: {})", describe(&command), log_path.display());
        let status = command
            .status()
            .map_err(|source| XtaskError::NotStarted { command: describe(&command), source })?;
        let stderr = read_text(&log_path)?;
        let executions = executed_units(&stderr);
        let passed = status.success();
        if !passed {
            // Only a failure's log is worth reading here: the crash and its input.
            eprint!("{stderr}");
        }
        let tried =
            executions.map_or_else(|| "inputs not counted".to_string(), |count| format!("{count} inputs"));
        println!("fuzz {name}: {} ({tried} in {seconds} s)", if passed { "ok" } else { "FAILED" });
        runs.push(TargetRun { name, passed, executions });
    }
    Ok(runs)
}

/// libFuzzer's `stat::number_of_executed_units: N` (`-print_final_stats=1`).
fn executed_units(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|count| count.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzers_final_count() {
        let stderr = "INFO: Seed: 1\n#25148\tDONE   cov: 416\nstat::number_of_executed_units: 25148\nstat::average_exec_per_sec:     412\n";
        assert_eq!(executed_units(stderr), Some(25148));
        assert_eq!(executed_units("==1== ERROR: libFuzzer: deadly signal"), None);
    }
}
