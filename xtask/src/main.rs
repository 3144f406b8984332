//! Overlap's project commands (`cargo xtask <command>`). Each one installs
//! what it needs where it is missing, so a fresh clone needs nothing else.

mod background_servers;
mod bench_command;
mod bench_figures;
mod bench_native;
mod bench_sizes;
mod delay_query;
mod dist;
mod fuzz_command;
mod process;
mod query_values;
mod security_headers;
mod server;
mod soak_command;
mod test_command;
mod tools;
mod work_pool;
mod work_query;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bench_command::BenchOptions;
use process::{Result, XtaskError};
use server::{Api, Isolation};
use work_pool::Capacity;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N] [--no-isolation] [--server-workers N] [--server-queue N]
        install what is missing, build dist/, serve it at http://127.0.0.1:8080
        with the cross-origin isolation headers, the latency endpoint
        /api/delay?ms=&bytes=&status= and the load endpoint
        /api/work?cpu_ms=&bytes=&fail=&seed=&i= (GET or POST: cpu_ms of real
        CPU work on one of --server-workers threads (1..=64, default 2), at
        most --server-queue requests waiting (0..=10000, default 16), the
        rest refused with 503). --no-isolation leaves the isolation headers
        out, as a plain static host or a tutorial's iframe would.
  build install what is missing and build the release bundle dist/,
        deployable to any static host as is
  test  install what is missing, then run every check and test
        (fmt, clippy native and wasm32, native tests, a short fuzz run of
        every target, release build, browser tests in Chromium and
        Firefox) and end with `summary: N passed, N failed`
  bench [--quick] [--soak N] [--json PATH]
        install what is missing, build dist/, and measure: CPU speedups
        (and the same kernels natively), isolated workers against threads,
        fetch makespans against the ideal, first load, timeline frame times,
        recording overhead and the main thread's longest task. Prints a
        table; --json writes the figures (keys in the README); --quick
        measures a reduced set in under two minutes; --soak N runs the soak
        (N runs of each experiment) after it, its soak.* figures with the rest
  fuzz [--seconds N]
        install cargo-fuzz where missing and run every fuzz target in fuzz/
        for N seconds each (default 60): addresses, typed fields and typed
        URLs never panic, always explain themselves and write back stably
  soak [--runs N] [--json PATH]
        install what is missing, build dist/, run every experiment N times
        (40..=10000, default 200) on one page in Chromium, and print how
        memory, DOM nodes and run time grew from the first 20 runs to the
        last 20; --json writes the figures (soak.<exp>.*_growth_ratio)";

enum Task {
    Serve { port: u16, isolation: Isolation, capacity: Capacity },
    Build,
    Test,
    Bench(BenchOptions),
    Fuzz { seconds: u32 },
    Soak(soak_command::SoakOptions),
    Help,
}

fn parse_args(args: &[String]) -> std::result::Result<Task, String> {
    let Some((command, flags)) = args.split_first() else {
        return Ok(Task::Help);
    };
    match command.as_str() {
        "serve" => {
            let mut port = 8080;
            let mut isolation = Isolation::Headers;
            let mut capacity = Capacity::default();
            let mut flags = flags.iter();
            while let Some(flag) = flags.next() {
                match flag.as_str() {
                    "--no-isolation" => isolation = Isolation::None,
                    "--port" => {
                        let value = flags.next().ok_or("--port needs a number (1..=65535)")?;
                        port =
                            value.parse().ok().filter(|port| *port > 0).ok_or_else(|| {
                                format!("--port must be a number in 1..=65535; got `{value}`")
                            })?;
                    }
                    "--server-workers" => {
                        capacity.workers =
                            number_in("--server-workers", flags.next(), work_pool::WORKERS_RANGE)?;
                    }
                    "--server-queue" => {
                        capacity.queue = number_in("--server-queue", flags.next(), work_pool::QUEUE_RANGE)?;
                    }
                    other => return Err(format!("serve does not take `{other}`")),
                }
            }
            Ok(Task::Serve { port, isolation, capacity })
        }
        "build" | "test" if !flags.is_empty() => {
            Err(format!("{command} takes no options; got `{}`", flags.join(" ")))
        }
        "bench" => {
            let mut options = BenchOptions::default();
            let mut flags = flags.iter();
            while let Some(flag) = flags.next() {
                match flag.as_str() {
                    "--quick" => options.quick = true,
                    "--json" => {
                        let path = flags.next().ok_or("--json needs a file path")?;
                        options.json_path = Some(PathBuf::from(path));
                    }
                    "--soak" => {
                        options.soak_runs = Some(number_in("--soak", flags.next(), soak_command::RUNS_RANGE)?)
                    }
                    other => return Err(format!("bench does not take `{other}`")),
                }
            }
            Ok(Task::Bench(options))
        }
        "fuzz" => {
            let mut seconds = fuzz_command::DEFAULT_SECONDS;
            let mut flags = flags.iter();
            while let Some(flag) = flags.next() {
                match flag.as_str() {
                    "--seconds" => {
                        let number = number_in("--seconds", flags.next(), fuzz_command::SECONDS_RANGE)?;
                        seconds = u32::try_from(number).map_err(|_| "--seconds is too large".to_string())?;
                    }
                    other => return Err(format!("fuzz does not take `{other}`")),
                }
            }
            Ok(Task::Fuzz { seconds })
        }
        "soak" => {
            let mut options = soak_command::SoakOptions::default();
            let mut flags = flags.iter();
            while let Some(flag) = flags.next() {
                match flag.as_str() {
                    "--runs" => options.runs = number_in("--runs", flags.next(), soak_command::RUNS_RANGE)?,
                    "--json" => {
                        let path = flags.next().ok_or("--json needs a file path")?;
                        options.json_path = Some(PathBuf::from(path));
                    }
                    other => return Err(format!("soak does not take `{other}`")),
                }
            }
            Ok(Task::Soak(options))
        }
        "build" => Ok(Task::Build),
        "test" => Ok(Task::Test),
        "help" | "--help" | "-h" => Ok(Task::Help),
        other => Err(format!("unknown command `{other}`")),
    }
}

fn number_in(
    flag: &str,
    value: Option<&String>,
    range: std::ops::RangeInclusive<usize>,
) -> std::result::Result<usize, String> {
    let (min, max) = (range.start(), range.end());
    let value = value.ok_or_else(|| format!("{flag} needs a number ({min}..={max})"))?;
    value
        .parse()
        .ok()
        .filter(|number| range.contains(number))
        .ok_or_else(|| format!("{flag} must be a number in {min}..={max}; got `{value}`"))
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse_args(&args) {
        Ok(task) => task,
        Err(message) => {
            eprintln!("xtask: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = project_root();
    let outcome = match task {
        Task::Help => {
            println!("{USAGE}");
            Ok(true)
        }
        Task::Build => {
            tools::ensure_build_tools(&root).and_then(|tools| dist::build(&root, &tools)).map(|_| true)
        }
        Task::Serve { port, isolation, capacity } => serve(&root, port, isolation, capacity).map(|()| true),
        Task::Test => test_command::run_all(&root),
        Task::Bench(options) => bench_command::run_bench(&root, &options),
        Task::Soak(options) => soak_command::run_soak(&root, &options),
        Task::Fuzz { seconds } => {
            fuzz_command::run_all(&root, seconds).map(|runs| runs.iter().all(|run| run.passed))
        }
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(root: &Path, port: u16, isolation: Isolation, capacity: Capacity) -> Result<()> {
    let tools = tools::ensure_build_tools(root)?;
    dist::build(root, &tools)?;
    let runtime =
        tokio::runtime::Runtime::new().map_err(|error| XtaskError::Setup(format!("tokio: {error}")))?;
    let router = server::router(dist::dist_dir(root), isolation, Api::Latency, capacity);
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let announce = move |bound: SocketAddr| {
        let headers = match isolation {
            Isolation::Headers => "cross-origin isolated",
            Isolation::None => "without isolation headers",
        };
        let Capacity { workers, queue } = capacity;
        println!(
            "Overlap is served at http://{bound}/ ({headers}); latency endpoint: /api/delay?ms=&bytes=&status=; \
             load endpoint: /api/work?cpu_ms=&bytes=&fail=&seed=&i= ({workers} workers, queue {queue})"
        );
        println!("Press Ctrl-C to stop.");
    };
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    runtime
        .block_on(server::serve(router, address, announce, stop))
        .map_err(|error| XtaskError::Setup(format!("cannot serve on {address}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> String {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match parse_args(&args) {
            Ok(Task::Serve { port, isolation, capacity: Capacity { workers, queue } }) => {
                format!("serve {port} {isolation:?} workers={workers} queue={queue}")
            }
            Ok(Task::Build) => "build".into(),
            Ok(Task::Test) => "test".into(),
            Ok(Task::Bench(options)) => format!("bench {options:?}"),
            Ok(Task::Fuzz { seconds }) => format!("fuzz {seconds} s"),
            Ok(Task::Soak(options)) => format!("soak {options:?}"),
            Ok(Task::Help) => "help".into(),
            Err(message) => format!("error: {message}"),
        }
    }

    #[test]
    fn parses_commands_and_rejects_bad_flags() {
        let cases = [
            "",
            "serve",
            "serve --port 9000 --no-isolation",
            "serve --port",
            "serve --port 0",
            "serve --port 70000",
            "serve --fast",
            "serve --server-workers 8 --server-queue 0",
            "serve --server-queue 10000 --server-workers 64 --port 9000",
            "serve --server-workers 1",
            "serve --server-workers 0",
            "serve --server-workers 65",
            "serve --server-workers two",
            "serve --server-workers",
            "serve --server-queue 10001",
            "serve --server-queue -1",
            "serve --server-queue",
            "build",
            "test --quick",
            "bench",
            "bench --quick --json target/bench.json",
            "bench --json",
            "bench --soak 40 --json target/bench.json",
            "bench --soak 10",
            "bench --fast",
            "fuzz",
            "fuzz --seconds 5",
            "fuzz --seconds 0",
            "fuzz --seconds",
            "fuzz --quick",
            "soak",
            "soak --runs 40 --json target/soak.json",
            "soak --runs 39",
            "soak --json",
            "deploy",
        ];
        let rendered: Vec<String> = cases.iter().map(|case| format!("{case:?} -> {}", parse(case))).collect();
        expect_test::expect![[r#"
            "" -> help
            "serve" -> serve 8080 Headers workers=2 queue=16
            "serve --port 9000 --no-isolation" -> serve 9000 None workers=2 queue=16
            "serve --port" -> error: --port needs a number (1..=65535)
            "serve --port 0" -> error: --port must be a number in 1..=65535; got `0`
            "serve --port 70000" -> error: --port must be a number in 1..=65535; got `70000`
            "serve --fast" -> error: serve does not take `--fast`
            "serve --server-workers 8 --server-queue 0" -> serve 8080 Headers workers=8 queue=0
            "serve --server-queue 10000 --server-workers 64 --port 9000" -> serve 9000 Headers workers=64 queue=10000
            "serve --server-workers 1" -> serve 8080 Headers workers=1 queue=16
            "serve --server-workers 0" -> error: --server-workers must be a number in 1..=64; got `0`
            "serve --server-workers 65" -> error: --server-workers must be a number in 1..=64; got `65`
            "serve --server-workers two" -> error: --server-workers must be a number in 1..=64; got `two`
            "serve --server-workers" -> error: --server-workers needs a number (1..=64)
            "serve --server-queue 10001" -> error: --server-queue must be a number in 0..=10000; got `10001`
            "serve --server-queue -1" -> error: --server-queue must be a number in 0..=10000; got `-1`
            "serve --server-queue" -> error: --server-queue needs a number (0..=10000)
            "build" -> build
            "test --quick" -> error: test takes no options; got `--quick`
            "bench" -> bench BenchOptions { quick: false, soak_runs: None, json_path: None }
            "bench --quick --json target/bench.json" -> bench BenchOptions { quick: true, soak_runs: None, json_path: Some("target/bench.json") }
            "bench --json" -> error: --json needs a file path
            "bench --soak 40 --json target/bench.json" -> bench BenchOptions { quick: false, soak_runs: Some(40), json_path: Some("target/bench.json") }
            "bench --soak 10" -> error: --soak must be a number in 40..=10000; got `10`
            "bench --fast" -> error: bench does not take `--fast`
            "fuzz" -> fuzz 60 s
            "fuzz --seconds 5" -> fuzz 5 s
            "fuzz --seconds 0" -> error: --seconds must be a number in 1..=86400; got `0`
            "fuzz --seconds" -> error: --seconds needs a number (1..=86400)
            "fuzz --quick" -> error: fuzz does not take `--quick`
            "soak" -> soak SoakOptions { runs: 200, json_path: None }
            "soak --runs 40 --json target/soak.json" -> soak SoakOptions { runs: 40, json_path: Some("target/soak.json") }
            "soak --runs 39" -> error: --runs must be a number in 40..=10000; got `39`
            "soak --json" -> error: --json needs a file path
            "deploy" -> error: unknown command `deploy`"#]]
        .assert_eq(&rendered.join("\n"));
    }
}
