//! The page's state as it lives in the query string of the one page
//! (`?exp=...&...`): static hosts cannot rewrite paths, so there are no path
//! routes. This is the only place that reads or writes that query string.
//!
//! Decoding never fails: a bad value falls back to its default and yields a
//! `QueryProblem` that the page shows next to what it concerns, keeping the
//! value the user typed in the message.

use std::ops::RangeInclusive;

use crate::cpu_mode::CpuMode;
use crate::cpu_workload::Workload;
use crate::fetch_model::{FetchMode, FetchTarget};
use crate::pool_state::MAX_POOL_THREADS;
use crate::query_text::{join_pairs, parse_pairs};
use crate::query_value::QueryValue;
use crate::timeline_fixtures::Fixture;

/// Which experiment the page shows (`exp`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Experiment {
    /// The front page: what Overlap is and what this browser can do.
    #[default]
    Home,
    /// CPU-bound work run sequentially, on threads, on isolated workers, under a lock.
    Cpu,
    /// Many fetch() requests sequentially, all at once, and through a bounded pool.
    Fetch,
    /// The timeline drawing a fixed trace (tests, screenshots, tutorials).
    TimelineDemo,
}

impl Experiment {
    pub const ALL: &'static [Experiment] =
        &[Experiment::Home, Experiment::Cpu, Experiment::Fetch, Experiment::TimelineDemo];

    pub fn query_value(self) -> &'static str {
        match self {
            Experiment::Home => "home",
            Experiment::Cpu => "cpu",
            Experiment::Fetch => "fetch",
            Experiment::TimelineDemo => "timeline-demo",
        }
    }

    /// The parameters its page edits in a form: every key but `exp` and `run`.
    pub fn form_keys(self) -> Vec<&'static str> {
        self.keys().iter().copied().filter(|key| *key != RUN_KEY).collect()
    }

    /// The parameters this experiment's page takes besides `exp`.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Experiment::Home => &[],
            Experiment::TimelineDemo => &[FIXTURE_KEY],
            Experiment::Cpu => {
                &[WORKLOAD_KEY, MODE_KEY, WORKERS_KEY, SIZE_KEY, TASKS_KEY, RECORD_KEY, RUN_KEY]
            }
            Experiment::Fetch => &[
                TARGET_KEY,
                SERVED_BY_KEY,
                MODE_KEY,
                WORKERS_KEY,
                N_KEY,
                LATENCY_KEY,
                STATUS_KEY,
                TIMEOUT_KEY,
                CAPACITY_KEY,
                ORDER_KEY,
                URLS_KEY,
                RUN_KEY,
            ],
        }
    }
}

/// The CPU experiment's parameters. `None` means the default (for workers:
/// every thread of the pool; for size and tasks: the workload's default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuParams {
    pub workload: Workload,
    pub mode: CpuMode,
    pub workers: Option<u32>,
    pub size: Option<u32>,
    pub tasks: Option<u32>,
    pub recording: Recording,
}

/// What a CPU run records of itself. Recording costs a little: the
/// difference between the two is what watching the run costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recording {
    /// Every task's span: when it waited, took the lock, ran.
    #[default]
    EveryTask,
    /// Only when each lane started its first task and ended its last.
    LanesOnly,
}

impl Recording {
    pub const ALL: &'static [Recording] = &[Recording::EveryTask, Recording::LanesOnly];

    pub fn query_value(self) -> &'static str {
        match self {
            Recording::EveryTask => "tasks",
            Recording::LanesOnly => "lanes",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Recording::EveryTask => "Every task",
            Recording::LanesOnly => "Lanes only",
        }
    }
}

impl CpuParams {
    /// What the run records: lanes only applies where a lane's one span
    /// still tells the truth. Under the global lock lanes wait for each
    /// other, and isolated workers report every copy: they record every task.
    pub fn recording_used(&self) -> Recording {
        match self.mode {
            CpuMode::Sequential | CpuMode::Threads => self.recording,
            CpuMode::Gil | CpuMode::Workers => Recording::EveryTask,
        }
    }

    /// Why the recording asked for is not the one used, if it is not.
    pub fn recording_note(&self) -> Option<String> {
        (self.recording_used() != self.recording).then(|| {
            format!(
                "with {}, every task is recorded: lanes only is for sequential and threads runs",
                self.mode.title().to_lowercase()
            )
        })
    }

    pub fn size_or_default(&self) -> u32 {
        self.size.unwrap_or(self.workload.bounds().default_size)
    }

    pub fn tasks_or_default(&self) -> u32 {
        self.tasks.unwrap_or(self.workload.bounds().default_tasks)
    }
}

/// The order in which a fetch run lists its results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResultOrder {
    /// `as_completed`: each result as soon as it arrives.
    #[default]
    Completed,
    /// `map`: result i only once results 0..i are in.
    Submitted,
}

impl ResultOrder {
    pub const ALL: &'static [ResultOrder] = &[ResultOrder::Completed, ResultOrder::Submitted];

    pub fn query_value(self) -> &'static str {
        match self {
            ResultOrder::Completed => "completed",
            ResultOrder::Submitted => "submitted",
        }
    }
}

/// Who answers the latency requests of the preset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServedBy {
    #[default]
    Server,
    ServiceWorker,
}

impl ServedBy {
    pub const ALL: &'static [ServedBy] = &[ServedBy::Server, ServedBy::ServiceWorker];

    pub fn query_value(self) -> &'static str {
        match self {
            ServedBy::Server => "server",
            ServedBy::ServiceWorker => "sw",
        }
    }
}

/// The fetch experiment's parameters; `None` means the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchParams {
    pub target: FetchTarget,
    pub served_by: ServedBy,
    pub mode: FetchMode,
    pub workers: Option<u32>,
    pub n: Option<u32>,
    pub latency_ms: Option<u32>,
    pub status: Option<u32>,
    pub timeout_ms: Option<u32>,
    pub capacity: Option<u32>,
    pub order: ResultOrder,
    /// The addresses typed for `target=urls`, one per line, as typed: the
    /// page checks them against its own origin (`url_lines`).
    pub urls: String,
}

pub const FETCH_WORKERS_RANGE: RangeInclusive<u32> = 1..=256;
pub const N_RANGE: RangeInclusive<u32> = 1..=1000;
pub const LATENCY_RANGE: RangeInclusive<u32> = 0..=30_000;
pub const STATUS_RANGE: RangeInclusive<u32> = 200..=599;
pub const TIMEOUT_RANGE: RangeInclusive<u32> = 1..=60_000;
pub const CAPACITY_RANGE: RangeInclusive<u32> = 1..=1000;

impl FetchParams {
    pub fn workers_or_default(&self) -> u32 {
        self.workers.unwrap_or(6)
    }
    pub fn n_or_default(&self) -> u32 {
        self.n.unwrap_or(12)
    }
    pub fn latency_or_default(&self) -> u32 {
        self.latency_ms.unwrap_or(100)
    }
    pub fn status_or_default(&self) -> u32 {
        self.status.unwrap_or(200)
    }
    pub fn timeout_or_default(&self) -> u32 {
        self.timeout_ms.unwrap_or(10_000)
    }
    pub fn capacity_or_default(&self) -> u32 {
        self.capacity.unwrap_or(6)
    }
}

/// Everything the query string can say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageState {
    pub experiment: Experiment,
    pub cpu: CpuParams,
    pub fetch: FetchParams,
    pub fixture: Fixture,
    /// `run=1`: start the experiment as soon as the page can.
    pub run_on_load: bool,
}

pub const WORKERS_RANGE: RangeInclusive<u32> = 1..=MAX_POOL_THREADS as u32;

/// Something in the query string that was not used as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryProblem {
    #[error("`{key}={value}` is not valid: {key} must be {expected}. Using {used} instead.")]
    BadValue { key: &'static str, value: String, expected: String, used: String },
    #[error("`{key}` is given more than once; the first value, `{used}`, is used.")]
    Repeated { key: &'static str, used: String },
    #[error("`{key}` is not a parameter of this page and is ignored (known: {known}).")]
    Unknown { key: String, known: String },
}

impl QueryProblem {
    /// The parameter this problem concerns, so the page can show it next to
    /// the matching control.
    /// The message for a form field, where the value typed stays in the
    /// field and the page keeps the last good value.
    pub fn field_message(&self) -> String {
        match self {
            QueryProblem::BadValue { key, expected, .. } => format!("{key} must be {expected}"),
            other => other.to_string(),
        }
    }

    pub fn key(&self) -> &str {
        match self {
            QueryProblem::BadValue { key, .. } | QueryProblem::Repeated { key, .. } => key,
            QueryProblem::Unknown { key, .. } => key,
        }
    }
}

/// The state read from a query string, and what could not be used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodedPage {
    pub state: PageState,
    pub problems: Vec<QueryProblem>,
}

const EXPERIMENT_KEY: &str = "exp";
pub const WORKLOAD_KEY: &str = "workload";
pub const MODE_KEY: &str = "mode";
pub const WORKERS_KEY: &str = "workers";
pub const SIZE_KEY: &str = "size";
pub const TASKS_KEY: &str = "tasks";
pub const RUN_KEY: &str = "run";
pub const TARGET_KEY: &str = "target";
pub const SERVED_BY_KEY: &str = "served_by";
pub const N_KEY: &str = "n";
pub const LATENCY_KEY: &str = "latency_ms";
pub const STATUS_KEY: &str = "status";
pub const TIMEOUT_KEY: &str = "timeout_ms";
pub const CAPACITY_KEY: &str = "capacity";
pub const ORDER_KEY: &str = "order";
pub const URLS_KEY: &str = "urls";
pub const FIXTURE_KEY: &str = "fixture";
pub const RECORD_KEY: &str = "record";

/// Reads the page state from a query string such as `location.search`.
pub fn decode(query: &str) -> DecodedPage {
    let pairs = parse_pairs(query);
    let mut decoded = DecodedPage::default();
    // `exp` first: it decides which other keys the page takes. The workload
    // next: it decides the bounds of size and tasks.
    let first_value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, value)| value.as_str());
    if let Some(value) = first_value(EXPERIMENT_KEY) {
        match choice(EXPERIMENT_KEY, value, Experiment::default()) {
            Ok(experiment) => decoded.state.experiment = experiment,
            Err(problem) => decoded.problems.push(problem),
        }
    }
    let experiment = decoded.state.experiment;
    if experiment == Experiment::Cpu
        && let Some(value) = first_value(WORKLOAD_KEY)
    {
        match choice(WORKLOAD_KEY, value, Workload::default()) {
            Ok(workload) => decoded.state.cpu.workload = workload,
            Err(problem) => decoded.problems.push(problem),
        }
    }

    let known_keys: Vec<&'static str> =
        std::iter::once(EXPERIMENT_KEY).chain(experiment.keys().iter().copied()).collect();
    let mut seen_keys: Vec<&'static str> = Vec::new();
    for (key, value) in &pairs {
        let Some(&known_key) = known_keys.iter().find(|known| *known == key) else {
            decoded.problems.push(QueryProblem::Unknown { key: key.clone(), known: known_keys.join(", ") });
            continue;
        };
        if seen_keys.contains(&known_key) {
            let used = first_value(known_key).unwrap_or_default().to_string();
            decoded.problems.push(QueryProblem::Repeated { key: known_key, used });
            continue;
        }
        seen_keys.push(known_key);
        if let Err(problem) = apply(&mut decoded.state, known_key, value) {
            decoded.problems.push(problem);
        }
    }
    decoded
}

/// The fields a change of `key` sets back to their defaults (their old
/// values, and any message about them, no longer apply): size and tasks
/// mean something else for another workload.
pub fn fields_reset_by(key: &str) -> &'static [&'static str] {
    if key == WORKLOAD_KEY { &[SIZE_KEY, TASKS_KEY] } else { &[] }
}

/// The state with one field set from what the user typed, or the
/// problem to show next to that field (the state is then left as it was).
pub fn with_field(state: &PageState, key: &'static str, text: &str) -> Result<PageState, QueryProblem> {
    let mut changed = state.clone();
    if key == WORKLOAD_KEY && state.experiment == Experiment::Cpu {
        changed.cpu.workload = choice(key, text, state.cpu.workload)?;
        // What `fields_reset_by(WORKLOAD_KEY)` names.
        changed.cpu.size = None;
        changed.cpu.tasks = None;
        return Ok(changed);
    }
    apply(&mut changed, key, text.trim())?;
    Ok(changed)
}

/// The value `value` names, or the problem, saying that `used` is used instead.
fn choice<T: QueryValue>(key: &'static str, value: &str, used: T) -> Result<T, QueryProblem> {
    T::from_text(value).ok_or_else(|| bad_value(key, value, T::one_of(), used.text()))
}

fn apply(state: &mut PageState, key: &'static str, value: &str) -> Result<(), QueryProblem> {
    if key == RUN_KEY {
        state.run_on_load = match value {
            "1" => true,
            "0" => false,
            _ => return Err(bad_value(key, value, "`1` or `0`".to_string(), "0")),
        };
        return Ok(());
    }
    match state.experiment {
        Experiment::Home => Ok(()),
        Experiment::TimelineDemo => {
            if key == FIXTURE_KEY {
                state.fixture = choice(key, value, Fixture::default())?;
            }
            Ok(())
        }
        Experiment::Cpu => apply_cpu(state, key, value),
        Experiment::Fetch => apply_fetch(&mut state.fetch, key, value),
    }
}

fn apply_fetch(fetch: &mut FetchParams, key: &'static str, value: &str) -> Result<(), QueryProblem> {
    let number =
        |range: RangeInclusive<u32>, default: u32| number_in(key, value, range, &default.to_string());
    match key {
        TARGET_KEY => fetch.target = choice(key, value, FetchTarget::default())?,
        SERVED_BY_KEY => fetch.served_by = choice(key, value, ServedBy::default())?,
        MODE_KEY => fetch.mode = choice(key, value, FetchMode::default())?,
        ORDER_KEY => fetch.order = choice(key, value, ResultOrder::default())?,
        WORKERS_KEY => {
            fetch.workers = Some(number(FETCH_WORKERS_RANGE, FetchParams::default().workers_or_default())?)
        }
        N_KEY => fetch.n = Some(number(N_RANGE, FetchParams::default().n_or_default())?),
        LATENCY_KEY => {
            fetch.latency_ms = Some(number(LATENCY_RANGE, FetchParams::default().latency_or_default())?)
        }
        STATUS_KEY => fetch.status = Some(number(STATUS_RANGE, FetchParams::default().status_or_default())?),
        TIMEOUT_KEY => {
            fetch.timeout_ms = Some(number(TIMEOUT_RANGE, FetchParams::default().timeout_or_default())?)
        }
        CAPACITY_KEY => {
            fetch.capacity = Some(number(CAPACITY_RANGE, FetchParams::default().capacity_or_default())?)
        }
        URLS_KEY => fetch.urls = value.to_string(),
        _ => {}
    }
    Ok(())
}

/// Sets one CPU parameter from its text (exp and workload are read first).
fn apply_cpu(state: &mut PageState, key: &'static str, value: &str) -> Result<(), QueryProblem> {
    let cpu = &mut state.cpu;
    let bounds = cpu.workload.bounds();
    match key {
        MODE_KEY => {
            cpu.mode = choice(key, value, CpuMode::default())?;
        }
        WORKERS_KEY => cpu.workers = Some(number_in(key, value, WORKERS_RANGE, "every pool thread")?),
        SIZE_KEY if bounds.size_meaning.is_none() => {
            return Err(bad_value(
                key,
                value,
                format!("left out: {} has no size", cpu.workload.query_value()),
                "no size",
            ));
        }
        SIZE_KEY => cpu.size = Some(number_in(key, value, bounds.size, &bounds.default_size.to_string())?),
        TASKS_KEY => {
            cpu.tasks = Some(number_in(key, value, bounds.tasks, &bounds.default_tasks.to_string())?)
        }
        RECORD_KEY => cpu.recording = choice(key, value, Recording::default())?,
        // exp and workload were read before the loop.
        _ => {}
    }
    Ok(())
}

fn number_in(
    key: &'static str,
    value: &str,
    range: RangeInclusive<u32>,
    used: &str,
) -> Result<u32, QueryProblem> {
    value
        .parse::<u32>()
        .ok()
        .filter(|number| range.contains(number) && value.bytes().all(|byte| byte.is_ascii_digit()))
        .ok_or_else(|| {
            bad_value(key, value, format!("a whole number from {} to {}", range.start(), range.end()), used)
        })
}

/// `used` is what the page uses instead: a value of the key (shown as
/// `key=value`) or, for a default that is not a value, its description.
fn bad_value(key: &'static str, value: &str, expected: String, used: &str) -> QueryProblem {
    let used = if used.contains(' ') { used.to_string() } else { format!("`{key}={used}`") };
    QueryProblem::BadValue { key, value: value.to_string(), expected, used }
}

/// Writes the page state as a query string (with its leading `?`). Defaults
/// are left out, so addresses stay short and keep meaning the same thing.
pub fn encode(state: &PageState) -> String {
    let mut pairs: Vec<(&str, String)> = vec![(EXPERIMENT_KEY, state.experiment.query_value().to_string())];
    if state.experiment == Experiment::Cpu {
        let cpu = &state.cpu;
        pairs.push((WORKLOAD_KEY, cpu.workload.query_value().to_string()));
        pairs.push((MODE_KEY, cpu.mode.query_value().to_string()));
        let optional = [(WORKERS_KEY, cpu.workers), (SIZE_KEY, cpu.size), (TASKS_KEY, cpu.tasks)];
        pairs.extend(
            optional.into_iter().filter_map(|(key, value)| value.map(|value| (key, value.to_string()))),
        );
        if cpu.recording != Recording::default() {
            pairs.push((RECORD_KEY, cpu.recording.query_value().to_string()));
        }
    }
    if state.experiment == Experiment::Fetch {
        let fetch = &state.fetch;
        pairs.push((TARGET_KEY, fetch.target.query_value().to_string()));
        if fetch.target == FetchTarget::Preset {
            pairs.push((SERVED_BY_KEY, fetch.served_by.query_value().to_string()));
        }
        pairs.push((MODE_KEY, fetch.mode.query_value().to_string()));
        pairs.push((ORDER_KEY, fetch.order.query_value().to_string()));
        let optional = [
            (WORKERS_KEY, fetch.workers),
            (N_KEY, fetch.n),
            (LATENCY_KEY, fetch.latency_ms),
            (STATUS_KEY, fetch.status),
            (TIMEOUT_KEY, fetch.timeout_ms),
            (CAPACITY_KEY, fetch.capacity),
        ];
        pairs.extend(
            optional.into_iter().filter_map(|(key, value)| value.map(|value| (key, value.to_string()))),
        );
        if fetch.target == FetchTarget::Urls && !fetch.urls.is_empty() {
            pairs.push((URLS_KEY, fetch.urls.clone()));
        }
    }
    if state.experiment == Experiment::TimelineDemo {
        pairs.push((FIXTURE_KEY, state.fixture.query_value().to_string()));
    }
    if !matches!(state.experiment, Experiment::Home | Experiment::TimelineDemo) && state.run_on_load {
        pairs.push((RUN_KEY, "1".to_string()));
    }
    join_pairs(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    fn render(query: &str) -> String {
        let decoded = decode(query);
        let mut lines = vec![format!("{query:?} -> {}", encode(&decoded.state))];
        lines.extend(decoded.problems.iter().map(|problem| format!("    {}: {problem}", problem.key())));
        lines.join("\n")
    }

    #[test]
    fn decodes_good_and_bad_queries() {
        let cases = [
            "",
            "?exp=home",
            "?exp=bogus",
            "?exp=",
            "?exp=home&exp=bogus",
            "?theme=dark&exp=home",
            "?exp=home&mode=threads",
            "?exp=cpu",
            "?exp=cpu&workload=primes&mode=threads&workers=2&tasks=12&run=1",
            "?mode=gil&workload=blur&exp=cpu&size=256&tasks=8",
            "?exp=cpu&workload=fft&mode=fast&workers=0&size=5&tasks=65&run=yes",
            "?exp=cpu&workload=primes&size=100",
            "?exp=cpu&workers=17&workers=2",
            "?exp=cpu&workers=+3",
            "?exp=cpu&mode=threads&record=lanes",
            "?exp=cpu&record=everything",
            "?exp=cpu&mode=gil&record=lanes",
            "?exp=fetch",
            "?exp=fetch&target=preset&served_by=sw&mode=pool&workers=3&n=60&order=submitted&run=1",
            "?exp=fetch&target=ftp&mode=threads&n=1001&latency_ms=30001&status=700&timeout_ms=0&capacity=0&order=random",
            "?exp=fetch&workload=sum",
            "?exp=timeline-demo&fixture=spans-10k",
            "?exp=timeline-demo&fixture=huge",
        ];
        let rendered: Vec<String> = cases.iter().map(|case| render(case)).collect();
        expect![[r#"
            "" -> ?exp=home
            "?exp=home" -> ?exp=home
            "?exp=bogus" -> ?exp=home
                exp: `exp=bogus` is not valid: exp must be one of `home`, `cpu`, `fetch`, `timeline-demo`. Using `exp=home` instead.
            "?exp=" -> ?exp=home
                exp: `exp=` is not valid: exp must be one of `home`, `cpu`, `fetch`, `timeline-demo`. Using `exp=home` instead.
            "?exp=home&exp=bogus" -> ?exp=home
                exp: `exp` is given more than once; the first value, `home`, is used.
            "?theme=dark&exp=home" -> ?exp=home
                theme: `theme` is not a parameter of this page and is ignored (known: exp).
            "?exp=home&mode=threads" -> ?exp=home
                mode: `mode` is not a parameter of this page and is ignored (known: exp).
            "?exp=cpu" -> ?exp=cpu&workload=sum&mode=sequential
            "?exp=cpu&workload=primes&mode=threads&workers=2&tasks=12&run=1" -> ?exp=cpu&workload=primes&mode=threads&workers=2&tasks=12&run=1
            "?mode=gil&workload=blur&exp=cpu&size=256&tasks=8" -> ?exp=cpu&workload=blur&mode=gil&size=256&tasks=8
            "?exp=cpu&workload=fft&mode=fast&workers=0&size=5&tasks=65&run=yes" -> ?exp=cpu&workload=sum&mode=sequential
                workload: `workload=fft` is not valid: workload must be one of `sum`, `primes`, `blur`, `mandelbrot`. Using `workload=sum` instead.
                mode: `mode=fast` is not valid: mode must be one of `sequential`, `threads`, `workers`, `gil`. Using `mode=sequential` instead.
                workers: `workers=0` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead.
                size: `size=5` is not valid: size must be a whole number from 1000 to 100000000. Using `size=10000000` instead.
                tasks: `tasks=65` is not valid: tasks must be a whole number from 1 to 64. Using `tasks=20` instead.
                run: `run=yes` is not valid: run must be `1` or `0`. Using `run=0` instead.
            "?exp=cpu&workload=primes&size=100" -> ?exp=cpu&workload=primes&mode=sequential
                size: `size=100` is not valid: size must be left out: primes has no size. Using no size instead.
            "?exp=cpu&workers=17&workers=2" -> ?exp=cpu&workload=sum&mode=sequential
                workers: `workers=17` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead.
                workers: `workers` is given more than once; the first value, `17`, is used.
            "?exp=cpu&workers=+3" -> ?exp=cpu&workload=sum&mode=sequential
                workers: `workers= 3` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead.
            "?exp=cpu&mode=threads&record=lanes" -> ?exp=cpu&workload=sum&mode=threads&record=lanes
            "?exp=cpu&record=everything" -> ?exp=cpu&workload=sum&mode=sequential
                record: `record=everything` is not valid: record must be one of `tasks`, `lanes`. Using `record=tasks` instead.
            "?exp=cpu&mode=gil&record=lanes" -> ?exp=cpu&workload=sum&mode=gil&record=lanes
            "?exp=fetch" -> ?exp=fetch&target=server&mode=sequential&order=completed
            "?exp=fetch&target=preset&served_by=sw&mode=pool&workers=3&n=60&order=submitted&run=1" -> ?exp=fetch&target=preset&served_by=sw&mode=pool&order=submitted&workers=3&n=60&run=1
            "?exp=fetch&target=ftp&mode=threads&n=1001&latency_ms=30001&status=700&timeout_ms=0&capacity=0&order=random" -> ?exp=fetch&target=server&mode=sequential&order=completed
                target: `target=ftp` is not valid: target must be one of `server`, `sw`, `preset`, `urls`. Using `target=server` instead.
                mode: `mode=threads` is not valid: mode must be one of `sequential`, `gather`, `pool`, `workers`. Using `mode=sequential` instead.
                n: `n=1001` is not valid: n must be a whole number from 1 to 1000. Using `n=12` instead.
                latency_ms: `latency_ms=30001` is not valid: latency_ms must be a whole number from 0 to 30000. Using `latency_ms=100` instead.
                status: `status=700` is not valid: status must be a whole number from 200 to 599. Using `status=200` instead.
                timeout_ms: `timeout_ms=0` is not valid: timeout_ms must be a whole number from 1 to 60000. Using `timeout_ms=10000` instead.
                capacity: `capacity=0` is not valid: capacity must be a whole number from 1 to 1000. Using `capacity=6` instead.
                order: `order=random` is not valid: order must be one of `completed`, `submitted`. Using `order=completed` instead.
            "?exp=fetch&workload=sum" -> ?exp=fetch&target=server&mode=sequential&order=completed
                workload: `workload` is not a parameter of this page and is ignored (known: exp, target, served_by, mode, workers, n, latency_ms, status, timeout_ms, capacity, order, urls, run).
            "?exp=timeline-demo&fixture=spans-10k" -> ?exp=timeline-demo&fixture=spans-10k
            "?exp=timeline-demo&fixture=huge" -> ?exp=timeline-demo&fixture=compare
                fixture: `fixture=huge` is not valid: fixture must be one of `compare`, `fetch`, `spans-10k`, `spans-100k`. Using `fixture=compare` instead."#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn fields_typed_in_the_form_are_checked_like_the_address() {
        let state = decode("?exp=cpu&workload=sum&tasks=10").state;
        let changed = with_field(&state, WORKERS_KEY, " 4 ").map(|s| s.cpu.workers);
        assert_eq!(changed, Ok(Some(4)));
        let problem = with_field(&state, TASKS_KEY, "100").map_err(|p| p.to_string());
        assert_eq!(
            problem,
            Err("`tasks=100` is not valid: tasks must be a whole number from 1 to 64. Using `tasks=20` instead.".into())
        );
        let switched = with_field(&state, WORKLOAD_KEY, "blur").map(|s| (s.cpu.workload, s.cpu.tasks));
        assert_eq!(switched, Ok((Workload::Blur, None)));
    }

    #[test]
    fn lanes_only_is_used_where_a_lane_span_tells_the_truth() {
        let params = |mode| CpuParams { mode, recording: Recording::LanesOnly, ..CpuParams::default() };
        let used: Vec<(Recording, Option<String>)> = CpuMode::ALL
            .iter()
            .map(|mode| (params(*mode).recording_used(), params(*mode).recording_note()))
            .collect();
        expect![[r#"
            [
                (
                    LanesOnly,
                    None,
                ),
                (
                    LanesOnly,
                    None,
                ),
                (
                    EveryTask,
                    Some(
                        "with isolated workers, every task is recorded: lanes only is for sequential and threads runs",
                    ),
                ),
                (
                    EveryTask,
                    Some(
                        "with global lock, every task is recorded: lanes only is for sequential and threads runs",
                    ),
                ),
            ]
        "#]]
        .assert_debug_eq(&used);
    }

    proptest! {
        #[test]
        fn any_query_decodes_to_a_state_that_encodes_cleanly(query in "\\PC{0,60}") {
            let decoded = decode(&query);
            let again = decode(&encode(&decoded.state));
            prop_assert!(again.problems.is_empty(), "{:?}", again.problems);
            prop_assert_eq!(again.state, decoded.state);
        }

        #[test]
        fn every_valid_fetch_state_round_trips(
            target in proptest::sample::select(FetchTarget::ALL),
            served_by in proptest::sample::select(ServedBy::ALL),
            mode in proptest::sample::select(FetchMode::ALL),
            order in proptest::sample::select(ResultOrder::ALL),
            workers in proptest::option::of(FETCH_WORKERS_RANGE),
            n in proptest::option::of(N_RANGE),
            latency_ms in proptest::option::of(LATENCY_RANGE),
            status in proptest::option::of(STATUS_RANGE),
            timeout_ms in proptest::option::of(TIMEOUT_RANGE),
            capacity in proptest::option::of(CAPACITY_RANGE),
        ) {
            // served_by only means something for the preset.
            let served_by = if target == FetchTarget::Preset { served_by } else { ServedBy::default() };
            let state = PageState {
                experiment: Experiment::Fetch,
                fetch: FetchParams {
                    target, served_by, mode, workers, n, latency_ms, status, timeout_ms, capacity, order,
                    urls: if target == FetchTarget::Urls { "https://a.example/\n/api/delay?ms=5".to_string() } else { String::new() },
                },
                ..PageState::default()
            };
            prop_assert_eq!(decode(&encode(&state)), DecodedPage { state: state.clone(), problems: vec![] });
        }

        #[test]
        fn every_valid_cpu_state_round_trips(
            workload in proptest::sample::select(Workload::ALL),
            mode in proptest::sample::select(CpuMode::ALL),
            workers in proptest::option::of(WORKERS_RANGE),
            size_fraction in proptest::option::of(0.0f64..=1.0),
            tasks_fraction in proptest::option::of(0.0f64..=1.0),
            recording in proptest::sample::select(Recording::ALL),
            run_on_load: bool,
        ) {
            let bounds = workload.bounds();
            let pick = |range: &RangeInclusive<u32>, fraction: f64| {
                range.start() + ((range.end() - range.start()) as f64 * fraction) as u32
            };
            let size = size_fraction.filter(|_| bounds.size_meaning.is_some()).map(|f| pick(&bounds.size, f));
            let tasks = tasks_fraction.map(|f| pick(&bounds.tasks, f));
            let state = PageState {
                experiment: Experiment::Cpu,
                cpu: CpuParams { workload, mode, workers, size, tasks, recording },
                run_on_load,
                ..PageState::default()
            };
            prop_assert_eq!(decode(&encode(&state)), DecodedPage { state: state.clone(), problems: vec![] });
        }
    }
}
