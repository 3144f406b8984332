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
use crate::pool_state::MAX_POOL_THREADS;
use crate::query_text::{join_pairs, parse_pairs};

/// Which experiment the page shows (`exp`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Experiment {
    /// The front page: what Overlap is and what this browser can do.
    #[default]
    Home,
    /// CPU-bound work run sequentially, on threads, on isolated workers, under a lock.
    Cpu,
}

impl Experiment {
    pub const ALL: &'static [Experiment] = &[Experiment::Home, Experiment::Cpu];

    pub fn query_value(self) -> &'static str {
        match self {
            Experiment::Home => "home",
            Experiment::Cpu => "cpu",
        }
    }

    fn from_query_value(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|experiment| experiment.query_value() == value)
    }

    /// The parameters this experiment's page takes besides `exp`.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Experiment::Home => &[],
            Experiment::Cpu => &[WORKLOAD_KEY, MODE_KEY, WORKERS_KEY, SIZE_KEY, TASKS_KEY, RUN_KEY],
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
}

impl CpuParams {
    pub fn size_or_default(&self) -> u32 {
        self.size.unwrap_or(self.workload.bounds().default_size)
    }

    pub fn tasks_or_default(&self) -> u32 {
        self.tasks.unwrap_or(self.workload.bounds().default_tasks)
    }
}

/// Everything the query string can say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageState {
    pub experiment: Experiment,
    pub cpu: CpuParams,
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

/// Reads the page state from a query string such as `location.search`.
pub fn decode(query: &str) -> DecodedPage {
    let pairs = parse_pairs(query);
    let mut decoded = DecodedPage::default();
    // `exp` first: it decides which other keys the page takes. The workload
    // next: it decides the bounds of size and tasks.
    let first_value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, value)| value.as_str());
    if let Some(value) = first_value(EXPERIMENT_KEY) {
        match Experiment::from_query_value(value) {
            Some(experiment) => decoded.state.experiment = experiment,
            None => decoded.problems.push(bad_value(
                EXPERIMENT_KEY,
                value,
                one_of(Experiment::ALL.iter().map(|e| e.query_value())),
                Experiment::default().query_value(),
            )),
        }
    }
    let experiment = decoded.state.experiment;
    if experiment == Experiment::Cpu
        && let Some(value) = first_value(WORKLOAD_KEY)
    {
        match Workload::from_query_value(value) {
            Some(workload) => decoded.state.cpu.workload = workload,
            None => decoded.problems.push(bad_value(
                WORKLOAD_KEY,
                value,
                one_of(Workload::ALL.iter().map(|w| w.query_value())),
                Workload::default().query_value(),
            )),
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

/// The state with one CPU field set from what the user typed, or the
/// problem to show next to that field (the state is then left as it was).
pub fn with_field(state: &PageState, key: &'static str, text: &str) -> Result<PageState, QueryProblem> {
    let mut changed = *state;
    if key == WORKLOAD_KEY {
        changed.cpu.workload = Workload::from_query_value(text).ok_or_else(|| {
            bad_value(
                key,
                text,
                one_of(Workload::ALL.iter().map(|w| w.query_value())),
                state.cpu.workload.query_value(),
            )
        })?;
        // Size and tasks mean something else for another workload.
        changed.cpu.size = None;
        changed.cpu.tasks = None;
        return Ok(changed);
    }
    apply(&mut changed, key, text.trim())?;
    Ok(changed)
}

/// Sets one CPU parameter from its text (exp and workload are read first).
fn apply(state: &mut PageState, key: &'static str, value: &str) -> Result<(), QueryProblem> {
    let cpu = &mut state.cpu;
    let bounds = cpu.workload.bounds();
    match key {
        MODE_KEY => {
            cpu.mode = CpuMode::from_query_value(value).ok_or_else(|| {
                bad_value(
                    key,
                    value,
                    one_of(CpuMode::ALL.iter().map(|m| m.query_value())),
                    CpuMode::default().query_value(),
                )
            })?;
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
        RUN_KEY => {
            state.run_on_load = match value {
                "1" => true,
                "0" => false,
                _ => return Err(bad_value(key, value, "`1` or `0`".to_string(), "0")),
            };
        }
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
        if state.run_on_load {
            pairs.push((RUN_KEY, "1".to_string()));
        }
    }
    join_pairs(pairs)
}

fn one_of<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = values.map(|value| format!("`{value}`")).collect();
    format!("one of {}", quoted.join(", "))
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
        ];
        let rendered: Vec<String> = cases.iter().map(|case| render(case)).collect();
        expect![[r#"
            "" -> ?exp=home
            "?exp=home" -> ?exp=home
            "?exp=bogus" -> ?exp=home
                exp: `exp=bogus` is not valid: exp must be one of `home`, `cpu`. Using `exp=home` instead.
            "?exp=" -> ?exp=home
                exp: `exp=` is not valid: exp must be one of `home`, `cpu`. Using `exp=home` instead.
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
                workers: `workers= 3` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead."#]]
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

    proptest! {
        #[test]
        fn any_query_decodes_to_a_state_that_encodes_cleanly(query in "\\PC{0,60}") {
            let decoded = decode(&query);
            let again = decode(&encode(&decoded.state));
            prop_assert!(again.problems.is_empty(), "{:?}", again.problems);
            prop_assert_eq!(again.state, decoded.state);
        }

        #[test]
        fn every_valid_cpu_state_round_trips(
            workload in proptest::sample::select(Workload::ALL),
            mode in proptest::sample::select(CpuMode::ALL),
            workers in proptest::option::of(WORKERS_RANGE),
            size_fraction in proptest::option::of(0.0f64..=1.0),
            tasks_fraction in proptest::option::of(0.0f64..=1.0),
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
                cpu: CpuParams { workload, mode, workers, size, tasks },
                run_on_load,
            };
            prop_assert_eq!(decode(&encode(&state)), DecodedPage { state, problems: vec![] });
        }
    }
}
