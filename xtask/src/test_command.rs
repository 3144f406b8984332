//! `cargo xtask test`: every check and test, in order, with one summary.
//! A failing step does not stop the others (only the browser tests need the
//! build), so one run shows everything that is wrong.

use std::path::Path;
use std::process::Command;

use crate::background_servers::BackgroundServers;
use crate::dist::{self, BUILD_STD};
use crate::fuzz_command;
use crate::process::{Result, XtaskError, capture, describe, read_text, run};
use crate::server::{Api, Isolation};
use crate::tools;

/// The tally the summary line prints: checks count one each, test runs
/// count each of their tests.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    lines: Vec<String>,
}

impl Tally {
    fn record(&mut self, step: &str, passed: usize, failed: usize, note: &str) {
        self.passed += passed;
        self.failed += failed;
        let verdict = if failed == 0 { "ok" } else { "FAILED" };
        self.lines.push(format!("  {verdict:<6} {step:<28} {passed} passed, {failed} failed{note}"));
    }

    fn check(&mut self, step: &str, outcome: Result<()>) {
        match outcome {
            Ok(()) => self.record(step, 1, 0, ""),
            Err(error) => self.record(step, 0, 1, &format!("  ({error})")),
        }
    }
}

pub fn run_all(root: &Path) -> Result<bool> {
    let build_tools = tools::ensure_build_tools(root)?;
    tools::ensure_browser_tools(root)?;
    let mut tally = Tally::default();

    tally.check(
        "cargo fmt --check",
        run(Command::new("cargo").current_dir(root).args(["fmt", "--all", "--", "--check"])),
    );
    tally.check(
        "clippy (native)",
        run(Command::new("cargo").current_dir(root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    tally.check(
        "clippy (wasm32)",
        run(Command::new("cargo")
            .current_dir(root)
            .args(["clippy", "-p", "overlap", "-p", "overlap-core", "--target", "wasm32-unknown-unknown"])
            .args(["--", "-D", "warnings"])
            .envs(BUILD_STD)),
    );
    match native_tests(root) {
        Ok((passed, failed)) => tally.record("native tests", passed, failed, ""),
        Err(error) => tally.record("native tests", 0, 1, &format!("  ({error})")),
    }
    match fuzz_command::run_all(root, fuzz_command::TEST_SECONDS) {
        Ok(runs) => {
            let passed = runs.iter().filter(|run| run.passed).count();
            let failed: Vec<&str> =
                runs.iter().filter(|run| !run.passed).map(|run| run.name.as_str()).collect();
            let tried: Vec<String> = runs
                .iter()
                .map(|run| {
                    format!(
                        "{} {}",
                        run.name,
                        run.executions.map_or("?".to_string(), |count| count.to_string())
                    )
                })
                .collect();
            let note = if failed.is_empty() {
                format!("  (inputs: {})", tried.join(", "))
            } else {
                format!("  (found: {})", failed.join(", "))
            };
            tally.record(
                &format!("fuzz ({} s a target)", fuzz_command::TEST_SECONDS),
                passed,
                failed.len(),
                &note,
            );
        }
        Err(error) => tally.record("fuzz", 0, 1, &format!("  ({error})")),
    }
    match dist::build(root, &build_tools) {
        Ok(_) => {
            tally.record("release build (dist/)", 1, 0, "");
            match browser_tests(root) {
                Ok(suites) => {
                    for (step, counted) in
                        [("browser tests", suites.chromium), ("browser tests (Firefox)", suites.firefox)]
                    {
                        match counted {
                            Ok(counts) => tally.record(step, counts.passed, counts.failed, &counts.note()),
                            Err(error) => tally.record(step, 0, 1, &format!("  ({error})")),
                        }
                    }
                }
                Err(error) => tally.record("browser tests", 0, 1, &format!("  ({error})")),
            }
        }
        Err(error) => {
            tally.record("release build (dist/)", 0, 1, &format!("  ({error}); browser tests not run"))
        }
    }

    println!("\nxtask test:");
    for line in &tally.lines {
        println!("{line}");
    }
    println!("summary: {} passed, {} failed", tally.passed, tally.failed);
    Ok(tally.failed == 0)
}

/// `cargo test` for the native crates; counts its tests.
fn native_tests(root: &Path) -> Result<(usize, usize)> {
    let mut command = Command::new("cargo");
    command.current_dir(root).args(["test", "-p", "overlap-core", "-p", "xtask"]);
    eprintln!("$ {}", describe(&command));
    let output = capture(&mut command)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let (passed, failed) = count_cargo_tests(&stdout);
    if !output.status.success() && failed == 0 {
        return Err(XtaskError::Failed { command: describe(&command), status: output.status });
    }
    Ok((passed, failed))
}

/// Sums cargo's `test result: ok. N passed; M failed; ...` lines.
fn count_cargo_tests(stdout: &str) -> (usize, usize) {
    let number_before = |line: &str, word: &str| {
        line.split([';', '.'])
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|number| number.trim().parse::<usize>().ok())
            .unwrap_or(0)
    };
    stdout.lines().filter(|line| line.starts_with("test result:")).fold((0, 0), |(passed, failed), line| {
        (passed + number_before(line, "passed"), failed + number_before(line, "failed"))
    })
}

/// Each browser suite's counts, or why they could not be counted.
struct BrowserSuites {
    chromium: Result<SuiteCounts>,
    firefox: Result<SuiteCounts>,
}

/// A browser suite's outcome as its report tells it. The names of the tests
/// that failed go on the summary line: CI shows only the end of the output,
/// and a count alone does not say which test to look at.
#[derive(Debug, Default, PartialEq)]
struct SuiteCounts {
    passed: usize,
    failed: usize,
    skipped: usize,
    failed_names: Vec<String>,
}

impl SuiteCounts {
    fn note(&self) -> String {
        let mut parts = Vec::new();
        if self.skipped > 0 {
            parts.push(format!("{} skipped", self.skipped));
        }
        if !self.failed_names.is_empty() {
            parts.push(format!("failed: {}", self.failed_names.join("; ")));
        }
        if parts.is_empty() { String::new() } else { format!("  ({})", parts.join(", ")) }
    }
}

/// Serves `dist/` three ways on free ports, runs Playwright (Chromium), then
/// the Firefox smoke suite against them, and counts each one's tests from
/// its report.
fn browser_tests(root: &Path) -> Result<BrowserSuites> {
    let names = ["OVERLAP_ISOLATED_URL", "OVERLAP_OPEN_URL", "OVERLAP_PLAIN_URL"];
    let servers = BackgroundServers::start(
        dist::dist_dir(root),
        &[
            (Isolation::Headers, Api::Latency),
            (Isolation::None, Api::Latency),
            (Isolation::None, Api::StaticOnly),
        ],
    )?;
    let urls: Vec<(&str, &String)> = names.into_iter().zip(&servers.urls).collect();

    let report_path = root.join("target/playwright-report.json");
    let _ = std::fs::remove_file(&report_path);
    let mut command = Command::new("npx");
    command
        .current_dir(root.join("tests"))
        .args(["playwright", "test"])
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report_path);
    for (variable, url) in &urls {
        command.env(variable, url);
    }
    let outcome = run(&mut command);
    let chromium = match read_text(&report_path).ok().and_then(|report| count_playwright_tests(&report)) {
        Some(counts) => Ok(counts),
        None => outcome.and(Err(XtaskError::Setup("Playwright wrote no readable JSON report".into()))),
    };
    let firefox = firefox_tests(root, &urls);
    drop(servers);
    Ok(BrowserSuites { chromium, firefox })
}

/// The Firefox smoke suite (`tests/firefox/`: puppeteer-core over WebDriver
/// BiDi) under node's test runner, which prints its spec and writes TAP,
/// whose counts are read.
fn firefox_tests(root: &Path, urls: &[(&str, &String)]) -> Result<SuiteCounts> {
    // Here rather than before every check: a machine without Firefox
    // fails this step alone.
    tools::ensure_firefox()?;
    let report_path = root.join("target/firefox-report.tap");
    let _ = std::fs::remove_file(&report_path);
    let mut command = Command::new("node");
    command
        .current_dir(root.join("tests"))
        .args(["--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap"])
        .arg(format!("--test-reporter-destination={}", report_path.display()))
        // The file, not its folder: from Node 21, `--test <folder>` no
        // longer finds the test files in it (nodejs/node#64555).
        .arg("firefox/smoke.test.mjs");
    for (variable, url) in urls {
        command.env(variable, url);
    }
    let outcome = run(&mut command);
    match read_text(&report_path).ok().and_then(|report| count_tap_tests(&report)) {
        Some(counts) => Ok(counts),
        None => outcome.and(Err(XtaskError::Setup("node's test runner wrote no readable TAP report".into()))),
    }
}

/// Passed and failed (with cancelled) from the summary node's TAP reporter
/// ends with (`# pass N`, `# fail N`, `# cancelled N`, `# skipped N`), and
/// the names on its `not ok N - name` lines; None without a summary.
fn count_tap_tests(report: &str) -> Option<SuiteCounts> {
    let count = |key: &str| {
        report
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix(&format!("# {key} ")))?
            .trim()
            .parse::<usize>()
            .ok()
    };
    let failed_names = report
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("not ok "))
        .filter_map(|rest| rest.split_once(" - "))
        .map(|(_, name)| name.trim().to_string())
        .collect();
    Some(SuiteCounts {
        passed: count("pass")?,
        failed: count("fail")? + count("cancelled").unwrap_or(0),
        skipped: count("skipped").unwrap_or(0),
        failed_names,
    })
}

/// Expected, unexpected + flaky and skipped from Playwright's JSON
/// reporter's stats, and `file › title` of each test whose status is not
/// expected or skipped.
fn count_playwright_tests(report: &str) -> Option<SuiteCounts> {
    use serde_json::Value;
    fn collect_failed(suite: &Value, names: &mut Vec<String>) {
        for spec in suite.get("specs").and_then(Value::as_array).into_iter().flatten() {
            let failed = spec.get("tests").and_then(Value::as_array).into_iter().flatten().any(|test| {
                !matches!(test.get("status").and_then(Value::as_str), Some("expected" | "skipped"))
            });
            if failed {
                let text = |key: &str| spec.get(key).and_then(Value::as_str).unwrap_or("?");
                names.push(format!("{} › {}", text("file"), text("title")));
            }
        }
        for child in suite.get("suites").and_then(Value::as_array).into_iter().flatten() {
            collect_failed(child, names);
        }
    }
    let report: Value = serde_json::from_str(report).ok()?;
    let stats = report.get("stats")?;
    let count = |key: &str| stats.get(key).and_then(Value::as_u64).unwrap_or(0) as usize;
    let mut failed_names = Vec::new();
    for suite in report.get("suites").and_then(Value::as_array).into_iter().flatten() {
        collect_failed(suite, &mut failed_names);
    }
    Some(SuiteCounts {
        passed: count("expected"),
        failed: count("unexpected") + count("flaky"),
        skipped: count("skipped"),
        failed_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cargo_test_results() {
        let stdout = "running 3 tests\n\
            test result: ok. 11 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.25s\n\
            test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            test result: ok. 0 passed; 0 failed; 0 ignored\n";
        assert_eq!(count_cargo_tests(stdout), (13, 3));
    }

    #[test]
    fn counts_tap_results() {
        let report =
            "TAP version 13\nok 1 - a\nnot ok 2 - b\n1..2\n# tests 3\n# pass 1\n# fail 1\n# cancelled 1\n";
        assert_eq!(
            count_tap_tests(report),
            Some(SuiteCounts { passed: 1, failed: 2, skipped: 0, failed_names: vec!["b".into()] })
        );
        assert_eq!(count_tap_tests("# tests 0\n# pass 0\n# fail 0\n"), Some(SuiteCounts::default()));
        assert_eq!(count_tap_tests("TAP version 13\nBail out!"), None);
    }

    #[test]
    fn counts_playwright_results() {
        let report = r#"{"config":{},"suites":[
            {"title":"a.spec.ts","file":"a.spec.ts","specs":[
                {"title":"passes","file":"a.spec.ts","tests":[{"status":"expected"}]},
                {"title":"is skipped","file":"a.spec.ts","tests":[{"status":"skipped"}]}
            ],"suites":[{"title":"nested","file":"a.spec.ts","specs":[
                {"title":"fails","file":"a.spec.ts","tests":[{"status":"unexpected"}]}
            ]}]},
            {"title":"b.spec.ts","file":"b.spec.ts","specs":[
                {"title":"flakes","file":"b.spec.ts","tests":[{"status":"flaky"}]}
            ]}
        ],"stats":{"expected":5,"unexpected":1,"flaky":1,"skipped":2}}"#;
        let counts = count_playwright_tests(report).expect("a report with stats");
        assert_eq!((counts.passed, counts.failed, counts.skipped), (5, 2, 2));
        assert_eq!(counts.failed_names, ["a.spec.ts › fails", "b.spec.ts › flakes"]);
        assert_eq!(counts.note(), "  (2 skipped, failed: a.spec.ts › fails; b.spec.ts › flakes)");
        assert_eq!(count_playwright_tests("not json"), None);
    }
}
